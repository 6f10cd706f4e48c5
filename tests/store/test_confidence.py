"""The confidence floor (``EventFilter.min_confidence``) on source and canonical events alike."""

from __future__ import annotations

import dataclasses

from eventwire.records import Result
from eventwire.store import Store
from eventwire.store.query import (
    EventFilter,
    count_below_confidence,
    count_events,
    iter_events,
    list_events,
    map_points,
    stats,
)

from .helpers import make_result, store_linked


def _with_confidence(r: Result, conf: float | None) -> Result:
    return dataclasses.replace(r, events=tuple(dataclasses.replace(e, confidence=conf) for e in r.events))


def test_floor_on_unmerged_events(store_url: str) -> None:
    st = Store(store_url)
    for i, conf in ((1, 0.2), (2, 0.5), (3, 0.9), (4, None)):
        # Different countries: no two of them merge, each event stands for itself.
        assert st.upsert(_with_confidence(make_result(i, country=f"C{i}X"), conf))
    assert count_events(st, EventFilter()) == 4
    assert count_events(st, EventFilter(min_confidence=0)) == 4  # 0 shows all, NULL included
    assert count_events(st, EventFilter(min_confidence=0.5)) == 2  # inclusive; NULL counts as 0
    assert count_events(st, EventFilter(min_confidence=0.95)) == 0
    got = sorted(e["confidence"] for e in list_events(st, EventFilter(min_confidence=0.5)))
    assert got == [0.5, 0.9]
    assert count_below_confidence(st, EventFilter(min_confidence=0.5)) == 2
    assert count_below_confidence(st, EventFilter()) == 0
    assert count_below_confidence(st, EventFilter(min_confidence=0.5, country=("C1X",))) == 1
    assert stats(st, EventFilter(min_confidence=0.5))["total"] == 2
    assert len(map_points(st, EventFilter(min_confidence=0.5))) == 2
    assert len(list(iter_events(st, EventFilter(min_confidence=0.5)))) == 2
    assert EventFilter.from_mapping({"min_confidence": 0.3}).min_confidence == 0.3
    st.close()


def test_floor_on_merged_events(store_url: str) -> None:
    """Two reports of one action, one weakly and one confidently coded: the canonical event is as
    confident as its best source event, is listed by a source event that passes, and is hidden
    only when none does; with --source-events each report is judged on its own."""
    st = Store(store_url)
    store_linked(st, store_url, [_with_confidence(make_result(1), 0.3), _with_confidence(make_result(19), 0.8)])
    assert count_events(st, EventFilter(canonical_only=False)) == 2
    assert count_events(st, EventFilter()) == 1

    (row,) = list_events(st, EventFilter())
    assert row["canonical"]["num_articles"] == 2
    assert row["canonical"]["confidence"] == 0.8  # the best of its source events

    for floor in (0.5, 0.8):
        (row,) = list_events(st, EventFilter(min_confidence=floor))
        assert row["confidence"] == 0.8 and row["canonical"]["confidence"] == 0.8
        assert count_events(st, EventFilter(min_confidence=floor)) == 1
        assert len(list(iter_events(st, EventFilter(min_confidence=floor)))) == 1
        assert count_below_confidence(st, EventFilter(min_confidence=floor)) == 0  # nothing hidden
        assert stats(st, EventFilter(min_confidence=floor))["total"] == 1
        # Source events: the weak report alone is hidden.
        src = EventFilter(min_confidence=floor, canonical_only=False)
        assert [e["confidence"] for e in list_events(st, src)] == [0.8]
        assert count_below_confidence(st, src) == 1

    assert count_events(st, EventFilter(min_confidence=0.9)) == 0
    assert count_below_confidence(st, EventFilter(min_confidence=0.9)) == 1  # one canonical event
    assert count_below_confidence(st, EventFilter(min_confidence=0.9, canonical_only=False)) == 2
    st.close()
