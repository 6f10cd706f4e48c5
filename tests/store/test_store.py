"""Store behaviour on SQLite and on the real PostgreSQL (store_url runs each test on both)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventwire.errors import NotFound, StoreError
from eventwire.records import Entity, Relation
from eventwire.store import Store
from eventwire.store.query import EventFilter, count_events, iter_events, list_events

from .helpers import make_result


def test_upsert_is_idempotent_and_complete(store_url: str) -> None:
    st = Store(store_url)
    r = make_result(1)
    assert st.upsert(r) is True
    assert st.upsert(r) is False  # same content: nothing new
    assert st.count("articles") == 1 and st.count("events") == 1 and st.count("event_actors") == 2
    rec = st.article(r.article.id)
    assert rec["body"] == r.article.body
    assert rec["events"][0]["type"] == "ASSAULT"
    assert rec["events"][0]["evidence"][0]["field"] == "actors"
    assert rec["mentions"][0]["entity_id"] == "grp1"
    assert st.article(r.article.id[:8])["id"] == r.article.id  # unique prefix
    with pytest.raises(NotFound):
        st.article("nope")


def test_replace_rewrites_dependents(store_url: str) -> None:
    st = Store(store_url)
    r = make_result(2)
    st.upsert(r)
    assert st.upsert(r, replace=True) is True
    assert st.count("events") == 1 and st.count("mentions") == 1


def test_search_ranks_and_neutralises_syntax(store_url: str) -> None:
    st = Store(store_url)
    st.upsert(make_result(1, word="shelling"))
    st.upsert(make_result(2, word="drone strikes"))
    hits = st.search("drone")
    assert [h["title"] for h in hits] == ["Story 2"]
    assert st.search('drone" OR "x') is not None  # FTS syntax in user input is not an error
    assert st.search("   ") == []


def test_event_filters(store_url: str) -> None:
    st = Store(store_url)
    for i in range(6):
        st.upsert(make_result(i, country="SYR" if i < 4 else "YEM", type_="ASSAULT" if i % 2 else "COERCE"))
    assert count_events(st, EventFilter()) == 6
    assert count_events(st, EventFilter(country=("YEM",))) == 2
    assert count_events(st, EventFilter(type=("ASSAULT",), country=("SYR",))) == 2
    assert count_events(st, EventFilter(actor="grp1")) == 2
    assert count_events(st, EventFilter(actor="MILITANTS")) == 6
    assert count_events(st, EventFilter(historical=True)) == 3
    assert count_events(st, EventFilter(bbox=(30.0, 30.0, 40.0, 40.0))) == 6
    assert count_events(st, EventFilter(bbox=(-10.0, 30.0, 0.0, 40.0))) == 0
    assert count_events(st, EventFilter(date_from="2024-05-04", date_to="2024-05-05")) == 2
    assert count_events(st, EventFilter(q="shelling", certainty=("reported",))) == 6
    rows = list_events(st, EventFilter(), limit=2, offset=1, sort="date", desc=False)
    # make_result flags the even days historical: the date sort lists current events first
    assert [r["date"]["date_start"] for r in rows] == ["2024-05-04", "2024-05-06"]
    rows = list_events(st, EventFilter(historical=False), limit=2, offset=1, sort="date", desc=False)
    assert [r["date"]["date_start"] for r in rows] == ["2024-05-04", "2024-05-06"]
    assert rows[0]["article"]["title"].startswith("Story")
    assert len(list(iter_events(st, EventFilter(), chunk=2))) == 6


def test_failed_write_leaves_nothing_half_stored(store_url: str) -> None:
    st = Store(store_url)
    good = make_result(3)
    st.upsert(good)
    bad = make_result(4)
    # An event row that violates NOT NULL (type) fails inside the article's transaction.
    broken_event = bad.events[0].__class__(**{**bad.events[0].__dict__, "type": None})
    broken = bad.__class__(article=bad.article, analysis=bad.analysis, places=bad.places, events=(broken_event,))
    with pytest.raises(StoreError):
        st.upsert(broken)
    assert not st.has_article(bad.article.id)
    assert st.count("articles") == 1 and st.count("mentions") == 1
    assert st.upsert(bad) is True  # and a retry stores it whole


def test_entities_upsert(store_url: str) -> None:
    st = Store(store_url)
    e = Entity(id="a", name="A", kind="company", country="ESP", relations=(Relation("subsidiary_of", "b"),))
    assert st.load_entities([e]) == 1
    assert st.load_entities([Entity(id="a", name="A2", kind="company")]) == 1
    with st.engine.connect() as c:
        assert c.execute(sa.text("select name from entities")).scalar_one() == "A2"


def test_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
