"""Issue 15.4 in the browser: the certainty column is empty for an event without a claim, the
country filter takes names ("Syria", "United States") beside codes, and an unknown country says
what is valid instead of showing an empty table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.serve.test_browser import SHOTS, _server, browser, page, shot, until  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from eventwire.store import Store
    from tests.serve.sample import fill

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-filters') / 'ui.db'}"
    with Store(url) as s:
        fill(s)
    yield from _server(url, min_confidence=0)


def _rows(pg: Any) -> list[dict[str, str]]:
    # text_content, not inner_text: the header's CSS may change its case.
    heads = [t.strip().rstrip("▲▼ ").strip() for t in pg.locator("table:has(tr.event-row) thead th").all_text_contents()]
    out = []
    for tr in pg.locator("tr.event-row").all():
        cells = tr.locator("td").all_text_contents()
        out.append(dict(zip(heads, cells, strict=False)))
    return out


def test_certainty_is_blank_without_a_claim(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(f"{base_url}/#/")
    until(page, lambda: page.locator("tr.event-row").count() == 5)
    rows = _rows(page)
    by_type = {r["Type"].strip(): r["Certainty"].strip() for r in rows}
    # ASSAULT (Kharkiv) and PROTEST (Lyon) have no attributed claim: nothing to show, not "asserted".
    assert by_type["ASSAULT"] == "" and by_type["PROTEST"] == "", by_type
    assert by_type["MOBILIZE"].startswith("reported") and by_type["THREATEN"].startswith("predicted")
    shot(page, "filters-certainty-1440.png")
    assert not page.problems, page.problems


def test_country_filter_takes_names(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(f"{base_url}/#/")
    until(page, lambda: page.locator("tr.event-row").count() == 5)
    box = page.locator("#f-country")
    box.fill("Syria, Ukraine")
    box.dispatch_event("change")
    until(page, lambda: page.locator("tr.event-row").count() == 3)
    places = {r["Place"] for r in _rows(page)}
    assert all(p.endswith(("SYR", "UKR")) for p in places), places
    assert "country=Syria%2CUkraine" in page.url or "country=Syria,Ukraine" in page.url, page.url
    assert page.locator("#f-country").input_value() == "Syria, Ukraine"
    shot(page, "filters-country-names-1440.png")

    box = page.locator("#f-country")
    box.fill("Narnia")
    box.dispatch_event("change")
    until(page, lambda: "Narnia" in page.locator("body").inner_text())
    text = " ".join(page.locator("body").inner_text().split())
    assert "unknown country 'Narnia'" in text and "alpha-3" in text and "did you mean" not in text
    assert page.locator("tr.event-row").count() == 0  # no stale rows under the error
    shot(page, "filters-country-unknown-1440.png")
    # The 422 is the expected answer here: the only console error is the browser's note of it.
    assert all("422" in p for p in page.problems), page.problems
