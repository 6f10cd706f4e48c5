"""Issue 14.5 in the browser: historical/future events stay off the timeline and out of the top
of the newest-first table, and a day read against the ingest date says so."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from eventwire.records import Article, Event, EventFlags, Result
from tests.serve.sample import fill
from tests.serve.test_browser import _server, browser, page, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _extra() -> list[Result]:
    undated_pub = Article.from_paragraphs("tests/ingest-anchored.txt", [
        "Police arrested five protesters in Lagos on Tuesday, officials said."], title="Lagos arrests")
    future = Article.from_paragraphs("tests/diesel.txt", [
        "The German government would like to ban diesel cars by 2040, the minister said."],
        title="Diesel ban by 2040", published_at="2025-09-20")
    old = Article.from_paragraphs("tests/1923.txt", ["In 1923, troops attacked the village."],
                                  title="A century ago", published_at="2025-09-20")

    def ev(art: Article, type_: str, date: dict[str, Any], **flags: bool) -> Result:
        e = Event(id=Event.make_id(art.id, (0, len(art.body)), type_), article_id=art.id, type=type_,
                  sentence=(0, len(art.body)), date=date, flags=EventFlags(**flags), confidence=0.9)
        return Result(article=art, events=(e,))

    return [
        ev(undated_pub, "COERCE", {"date_start": "2025-09-30", "date_end": "2025-09-30", "precision": "day",
                                   "source": "text", "anchor": "ingest", "text": "Tuesday"}),
        ev(future, "THREATEN", {"date_start": "2040-01-01", "date_end": "2040-12-31", "precision": "year",
                                "source": "text", "anchor": "text", "text": "2040"}, future=True),
        ev(old, "ASSAULT", {"date_start": "1923-01-01", "date_end": "1923-12-31", "precision": "year",
                            "source": "text", "anchor": "text", "text": "1923"}, historical=True),
    ]


@pytest.fixture(scope="module")
def dates_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from eventwire.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-dates') / 'ui.db'}"
    with Store(url) as s:
        fill(s)
        for r in _extra():
            s.upsert(dataclasses.replace(r))
    yield from _server(url, min_confidence=0)


def test_off_timeline_events_and_ingest_anchor(page: Any, dates_url: str) -> None:  # noqa: F811
    page.goto(dates_url + "/")
    page.wait_for_selector("tr.event-row")
    rows = page.locator("tr.event-row")
    assert rows.count() == 8
    first = rows.nth(0).inner_text()
    assert "2040" not in first and "1923" not in first, first
    assert "2025-09-30" in first and "ingest date" in first  # the newest current event, flagged
    assert "2040" in rows.nth(7).inner_text() or "1923" in rows.nth(7).inner_text()
    title = page.locator(".box-head span", has_text="Timeline —").first.inner_text()
    assert "historical/future" in title, title
    # the timeline's axis spans 2025 only, not 1923–2040
    page.wait_for_selector(".timeline-svg .bars rect")
    ticks = " ".join(page.locator(".timeline-svg .tick text").all_text_contents())
    assert "1923" not in ticks and "2040" not in ticks and "1950" not in ticks, ticks
    page.wait_for_timeout(300)
    shot(page, "dates.png")
    assert page.problems == []
