"""Two reports of one action: canonical by default, every source event on request."""

from __future__ import annotations

from eventwire.store import Store
from eventwire.store.query import EventFilter, count_events, iter_events, list_events

from .helpers import make_result, store_linked


def test_merged_reports_list_once_with_counts(store_url: str) -> None:
    st = Store(store_url)
    # Same type, actor, place, flags and date (day 2), different articles.
    assert make_result(19).events[0].date == make_result(1).events[0].date
    store_linked(st, store_url, (make_result(1), make_result(19)))
    assert count_events(st, EventFilter(canonical_only=False)) == 2
    assert count_events(st, EventFilter()) == 1
    (row,) = list_events(st, EventFilter())
    assert row["canonical"]["num_articles"] == 2
    assert len(list(iter_events(st, EventFilter()))) == 1
    assert len(list(iter_events(st, EventFilter(canonical_only=False)))) == 2
