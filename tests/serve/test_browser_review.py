"""Issue 15.1 in the browser: a reviewer corrects an event and the corrected value is what the
table, the map, the CSV export and `eventwire train`'s input (the reviews' labelled JSONL) show."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve.sample import fill, spain
from tests.serve.test_browser import _server, browser, page, shot, until  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

TOKEN = "alice-review-token"


@pytest.fixture(scope="module")
def review_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from eventwire.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-review') / 'ui.db'}"
    with Store(url) as s:
        fill(s)
    for base in _server(url, min_confidence=0, reviewers={"alice": TOKEN}):
        yield base, url


def test_reviewer_corrects_an_event_everywhere(page: Any, review_url: tuple[str, str], tmp_path: Path) -> None:  # noqa: F811
    import httpx
    from typer.testing import CliRunner

    from eventwire.cli import app
    from eventwire.events import corpus

    base, db = review_url
    ev = spain().events[0]  # machine: REJECT, Strategic developments / Agreement, Madrid
    page.goto(f"{base}/#/article/{ev.article_id}/{ev.id}")
    page.wait_for_selector("#review-panel #rv-accept")
    assert "Not reviewed yet" in page.locator("#review-panel").inner_text()
    page.fill("#review-token", TOKEN)
    page.click("#review-token-save")
    page.click("#rv-edit")
    page.select_option("#rv-type", "PROTEST")
    page.select_option("#rv-acled", "Peaceful protest")
    # A click on the small map sets a bare point; the gazetteer pick below replaces it.
    page.wait_for_selector("#rv-map canvas")
    page.locator("#rv-map").click(position={"x": 60, "y": 60})
    until(page, lambda: "point on the map" in page.locator("#rv-place-chosen").inner_text())
    assert page.locator("#rv-lat").input_value() != "40.4168"
    page.fill("#rv-place-q", "Kharkiv")
    hit = page.locator("#rv-place-hits .place-hit").first
    hit.wait_for()
    assert hit.inner_text().startswith("Kharkiv")
    hit.click()
    page.fill("#rv-fatalities", "2")
    page.fill("#rv-note", "students marched; nothing was cancelled")
    shot(page, "review-edit.png")
    page.click("#rv-save")
    # The article reloads with the reviewed values and the review's state.
    until(page, lambda: page.locator("#review-panel .review-edited").count() == 1)
    details = page.locator("dl.details").inner_text()
    assert "PROTEST" in details and "Protests / Peaceful protest" in details and "Kharkiv" in details
    assert "machine said type: REJECT" in page.locator("#review-panel").inner_text()
    assert page.locator(f'.event-item[data-event-id="{ev.id}"] .review-edited').count() == 1
    shot(page, "review-article.png")

    # The table and the map, limited to reviewed events.
    with page.expect_response(lambda r: "/api/map?" in r.url) as map_resp:
        page.goto(f"{base}/?reviewed=only")
    page.wait_for_selector("tr.event-row")
    assert page.locator("tr.event-row").count() == 1
    row = page.locator("tr.event-row")
    assert row.locator(".chip").inner_text() == "PROTEST" and "Kharkiv" in row.inner_text()
    assert row.locator(".review-edited").count() == 1 and page.locator("#f-reviewed").input_value() == "only"
    # The type counts beside the filters count the reviewed type.
    until(page, lambda: page.locator('label[for="type-PROTEST"] .count').inner_text() == "1")
    assert page.locator('label[for="type-REJECT"] .count').inner_text() == ""
    (feat,) = map_resp.value.json()["features"]
    assert feat["properties"]["type"] == "PROTEST" and feat["properties"]["location"] == "Kharkiv"
    assert feat["geometry"]["coordinates"] == pytest.approx([36.25, 49.98], abs=0.05)
    page.wait_for_selector("path.ew-marker.ew-type-PROTEST")
    page.wait_for_timeout(300)
    shot(page, "review-table-map.png")

    # The CSV export the page links to.
    href = page.locator("#export-csv").get_attribute("href")
    assert "reviewed=only" in href
    (out,) = list(csv.DictReader(io.StringIO(httpx.get(base + href, timeout=30).text)))
    assert (out["type"], out["acled_sub_event_type"], out["location"], out["country"], out["dead"]) == (
        "PROTEST", "Peaceful protest", "Kharkiv", "UKR", "2")

    # The training input: `eventwire reviews export`, read by the corpus reader `train` uses.
    path = tmp_path / "reviews.jsonl"
    res = CliRunner().invoke(app, ["--db", db, "reviews", "export", "--out", str(path)])
    assert res.exit_code == 0, res.output
    (example,) = corpus.read([path])
    assert (example.event, example.plover, example.acled_sub_event_type) == (True, "PROTEST", "Peaceful protest")
    assert example.text.startswith("Spain has called off a licence")

    # The history says who changed what, before and after.
    (rec,) = httpx.get(f"{base}/api/events/{ev.id}/reviews", timeout=30).json()["items"]
    assert rec["reviewer"] == "alice" and rec["before"]["type"] == "REJECT" and rec["after"]["type"] == "PROTEST"
    assert page.problems == []
