"""Two reports of one action: canonical by default, every source event on request."""

from __future__ import annotations

from eventwire.cluster import Linker
from eventwire.config import load_settings
from eventwire.store import Store
from eventwire.store.query import EventFilter, count_events, iter_events, list_events

from .helpers import make_result


def test_merged_reports_list_once_with_counts(store_url: str) -> None:
    st = Store(store_url)
    linker = Linker(st, load_settings(db=store_url))
    # Same type, actor, place, flags and date (day 2), different articles.
    for r in (make_result(1), make_result(19)):
        assert r.events[0].date == make_result(1).events[0].date
        assert st.upsert(r)
        linker.after_store(r)
    assert count_events(st, EventFilter(canonical_only=False)) == 2
    assert count_events(st, EventFilter()) == 1
    (row,) = list_events(st, EventFilter())
    assert row["canonical"]["num_articles"] == 2
    assert len(list(iter_events(st, EventFilter()))) == 1
    assert len(list(iter_events(st, EventFilter(canonical_only=False)))) == 2
