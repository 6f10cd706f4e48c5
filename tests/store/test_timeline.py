"""Issue 14.5: historical and future events stay out of the default date sort and timeline.

"would like to ban diesel cars by 2040" must not top the newest-first list, and a 1923 mention
must not stretch the timeline back a century: the date sort lists current events first (then the
historical/future ones), and the timeline covers current events only, counting the others.
"""

from __future__ import annotations

import dataclasses

from eventwire.records import EventFlags, Result
from eventwire.store import Store
from eventwire.store.query import EventFilter, count_events, iter_events, list_events, stats

from .helpers import make_result


def _dated(i: int, day: str, **flags: bool) -> Result:
    r = make_result(i, country=f"C{i}X")
    ev = dataclasses.replace(r.events[0], date={"date_start": day, "date_end": day, "precision": "day"},
                             flags=EventFlags(**flags))
    return dataclasses.replace(r, events=(ev,))


def _fill(st: Store) -> None:
    for r in (
        _dated(1, "2025-07-01"),
        _dated(2, "2025-07-03"),
        _dated(3, "2040-01-01", future=True),  # "would like to ban diesel cars by 2040"
        _dated(4, "1923-01-01", historical=True),
    ):
        assert st.upsert(r)


def test_newest_first_lists_current_events_first(store_url: str) -> None:
    st = Store(store_url)
    _fill(st)
    got = [e["date"]["date_start"] for e in list_events(st, EventFilter(), sort="date", desc=True)]
    assert got[:2] == ["2025-07-03", "2025-07-01"], got
    assert sorted(got[2:]) == ["1923-01-01", "2040-01-01"]  # listed, after the current ones
    oldest = [e["date"]["date_start"] for e in list_events(st, EventFilter(), sort="date", desc=False)]
    assert oldest[:2] == ["2025-07-01", "2025-07-03"], oldest
    # paging across the boundary keeps the order and loses nothing
    paged = [e["date"]["date_start"] for k in range(4)
             for e in list_events(st, EventFilter(), limit=1, offset=k, sort="date", desc=True)]
    assert paged == got
    streamed = [e["date"]["date_start"] for e in iter_events(st, EventFilter(), sort="date", desc=True)]
    assert streamed == got
    assert count_events(st, EventFilter()) == 4


def test_timeline_range_follows_current_events(store_url: str) -> None:
    st = Store(store_url)
    _fill(st)
    s = stats(st, EventFilter(), bucket="month")
    assert [b["t"] for b in s["timeline"]] == ["2025-07-01"], s["timeline"]
    assert s["off_timeline"] == 2
    assert s["total"] == 4
    # asked for explicitly, historical events are the timeline
    h = stats(st, EventFilter(historical=True), bucket="month")
    assert [b["t"] for b in h["timeline"]] == ["1923-01-01"]
