"""Issue 14.5: an event's date says what it was read against, and future dates are flagged.

"said Tuesday" of an article with no publication date is a day read against the ingest date:
the event says so (``date["anchor"] == "ingest"``), and so do the CLI table and the ACLED
export (``time_precision`` 3, not 1). A date after the article's own day makes the event future
whatever the grammar ("bans diesel cars from 2040"), which keeps it off the default timeline.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from rich.console import Console

from eventwire.config import load_settings
from eventwire.records import Article, Event

TUESDAY = "Police arrested five protesters in Lagos on Tuesday, officials said."
INGEST_DAY = dt.date(2025, 6, 12)  # a Thursday


@pytest.fixture(scope="module")
def code(kb: Any, coder: Any):  # type: ignore[no-untyped-def]
    from eventwire.geo import Geocoder
    from eventwire.nlp import Analyzer

    analyzer = Analyzer(load_settings(), kb, today=INGEST_DAY)
    geo = Geocoder.load()

    def run(text: str, published_at: str | None) -> tuple[Event, ...]:
        art = Article.from_paragraphs("test", [text], title=None, published_at=published_at)
        (an,) = list(analyzer.analyze([art]))
        return coder.code(art, an, geo.places(art, an))  # type: ignore[no-any-return]

    return run


def _one(events: tuple[Event, ...]) -> Event:
    dated = [e for e in events if e.date]
    assert dated, events
    return dated[0]


def _acled(ev: Event) -> dict[str, Any]:
    from eventwire.export import acled

    d = ev.to_dict() | {"acled_event_type": ev.acled_event_type or "Protests", "article": {}}
    got = acled.row(d, 0)
    assert got is not None
    return got


def _cli(ev: Event) -> str:
    from eventwire.cli.render import events_table

    out = io.StringIO()
    Console(file=out, width=250).print(events_table([ev.to_dict()], 1))
    return out.getvalue()


def test_relative_day_without_publication_is_anchored_on_ingest_and_says_so(code: Any) -> None:
    ev = _one(code(TUESDAY, None))
    assert ev.date is not None
    assert ev.date["date_start"] == "2025-06-10" and ev.date["anchor"] == "ingest"
    assert _acled(ev)["time_precision"] == 3  # not a known day
    assert "ingest" in _acled(ev)["tags"]
    assert "ingest" in _cli(ev)


def test_relative_day_without_publication_is_read_in_the_story_time(code: Any) -> None:
    # written for this test: an undated wire story that names its day once, with the year
    text = "Riots broke out in Athens on Saturday, December 13, 2008. " + TUESDAY
    arrest = next(e for e in code(text, None) if e.type == "COERCE")
    assert arrest.date is not None
    assert arrest.date["date_start"] == "2008-12-09" and arrest.date["anchor"] == "story", arrest.date
    assert not arrest.flags.historical  # current in the story's own time


def test_an_untagged_dateline_in_the_lead_anchors_the_story(code: Any) -> None:
    # written for this test: the all-caps dateline of a scraped page, which the NER model misses
    text = "10: 55 P. M. FEB. 11, 2009\n\n" + TUESDAY
    arrest = next(e for e in code(text, None) if e.type == "COERCE")
    assert arrest.date is not None
    assert arrest.date["date_start"] == "2009-02-10" and arrest.date["anchor"] == "story", arrest.date


def test_relative_day_with_publication_is_a_day(code: Any) -> None:
    ev = _one(code(TUESDAY, "2025-06-12"))
    assert ev.date is not None
    assert ev.date["date_start"] == "2025-06-10" and ev.date["anchor"] == "publication"
    assert _acled(ev)["time_precision"] == 1
    assert "ingest" not in _cli(ev)


def test_a_dated_year_needs_no_anchor(code: Any) -> None:
    ev = _one(code("In 1923, troops attacked the village.", None))
    assert ev.date is not None and ev.date["anchor"] == "text"
    assert ev.flags.historical


@pytest.mark.parametrize("text", ["Germany bans diesel cars from 2040.",
                                  "The German government would like to ban diesel cars by 2040."])
def test_a_date_after_the_article_is_future(code: Any, text: str) -> None:
    ev = _one(code(text, "2025-06-10"))
    assert ev.date is not None and ev.date["date_start"].startswith("2040")
    assert ev.flags.future and not ev.flags.historical


def test_a_house_number_is_no_year(code: Any) -> None:
    # "of 1935 Orchard St." was read as the year 1935: a 2009 arrest became historical
    events = code("Maria Lopez, 31, of 1935 Orchard St., Alexandria, Louisiana, was arrested and charged with arson.", "2009-03-20")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert ev.date is not None and ev.date["date_start"].startswith("2009-03"), ev.date
    assert not ev.flags.historical
