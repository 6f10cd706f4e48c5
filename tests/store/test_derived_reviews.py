"""The summary tables keep serving once reviews are stored (store/derived.py, "reviews"): their
machine counts corrected over the reviewed events give the numbers the SQL path gives (stats,
dashboard, counts), for edits of type, country, dates and actors, rejections, acceptances and
out-of-scope articles. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from unittest import mock

import pytest
import sqlalchemy as sa

from eventwire.store import Store, derived, query
from eventwire.store import reviews as rv
from eventwire.store.dashboard import dashboard
from eventwire.store.query import EventFilter
from eventwire.store.schema import events
from tests.store.test_scale import _fill

COVERED = [
    EventFilter(),
    EventFilter(min_confidence=0.5),
    EventFilter(min_confidence=0.7, type=("ASSAULT",)),
    EventFilter(min_confidence=0.5, type=("PROTEST",)),  # the type edits' target
    EventFilter(min_confidence=0.5, country=("SYR", "FRA")),
    EventFilter(min_confidence=0.5, country=("UKR",), date_from="2024-02-01", date_to="2024-03-31"),
    EventFilter(min_confidence=0.5, date_from="2024-02", date_to="2024-02-29"),
    EventFilter(min_confidence=0.5, date_from="2024-01-15", date_to="2024-02-20", type=("PROTEST", "AID")),
    EventFilter(min_confidence=0.5, certainty=("reported",)),
    EventFilter(min_confidence=0.2, future=True),
    EventFilter(min_confidence=0.5, negated=False, type=("COERCE",)),
    EventFilter(min_confidence=0.5, rejected="include"),
    EventFilter(min_confidence=0.5, reviewed="exclude"),
]


@pytest.fixture()
def reviewed(store_url):
    with Store(store_url) as s:
        _fill(s)
        with s.engine.connect() as c:
            ids = c.execute(sa.select(events.c.id, events.c.article_id).order_by(events.c.id)).all()
        edits = [
            {"type": "PROTEST"},
            {"country": "UKR"},
            {"type": "ASSAULT", "country": "SYR"},
            {"date_start": "2024-02-14"},  # moves across months and weeks
            {"actors": [{"text": "Students"}, {"text": "x", "entity_id": "ent:2"}]},
            {"recipients": [{"text": "Kelmar Front", "entity_id": "ent:1"}]},
            {"fatalities": 7, "type": "COERCE"},
            {"country": "FRA", "date_start": "2024-03-02", "actors": [{"text": "Dar police"}]},
        ]
        for i, (eid, _) in enumerate(ids[:24]):
            if i % 3 == 2:
                rv.review_event(s, eid, "t", "reject")
            elif i % 5 == 4:
                rv.review_event(s, eid, "t", "accept")
            else:
                rv.review_event(s, eid, "t", "edit", edits[i % len(edits)])
        rv.review_article(s, ids[-1][1], "t", True)
        yield s


def _sql_path():
    return mock.patch.object(derived, "_plan", lambda store, f: None)


def _numbers(store, f):
    d = dashboard(store, f, top=5)
    d["fatalities"].pop("top")  # SQL either way
    return {"count": query.count_events(store, f), "stats": query.stats(store, f, bucket="day", top=0),
            "stats_week": query.stats(store, f, bucket="week", top=3), "dashboard": d,
            "page_total": query.list_events(store, f, limit=1)}


def test_summary_tables_serve_and_agree_with_reviews_stored(reviewed):
    store = reviewed
    assert rv.counts(store)["edited"] and rv.counts(store)["rejected"] and rv.counts(store)["out_of_scope_articles"]
    for f in COVERED:
        # the summary tables answer (before: any stored review sent every count to SQL)
        assert derived.count(store, f) is not None, f
        got = _numbers(store, f)
        with _sql_path():
            want = _numbers(store, f)
        assert got["dashboard"] == want["dashboard"], f
        assert got["stats"] == want["stats"] and got["stats_week"] == want["stats_week"], f
        assert got["count"] == want["count"], f
    # the floor-only filters' top actors come from ru_actor, corrected: reviewed actors counted
    f = EventFilter(min_confidence=0.5)
    top = {a["name"]: a["events"] for a in dashboard(store, f, top=50)["top_actors"]}
    assert top.get("Students", 0) >= 1
    # reviewed=only and rejected=only go to SQL over the reviewed events
    for f in (EventFilter(min_confidence=0.5, reviewed="only"), EventFilter(rejected="only")):
        assert derived.count(store, f) is None
    # a clear gives the machine's numbers back
    with store.engine.connect() as c:
        eid = c.execute(sa.select(events.c.id).order_by(events.c.id)).scalars().first()
    rv.review_event(store, eid, "t", "clear")
    f = replace(COVERED[1])
    got = _numbers(store, f)
    with _sql_path():
        assert got["dashboard"] == _numbers(store, f)["dashboard"]


# ------------------------------------------------------------------------------ 0012
ACTOR_FILTERS = [
    EventFilter(min_confidence=0.5, type=("ASSAULT",)),
    EventFilter(min_confidence=0.7, country=("SYR", "FRA")),
    EventFilter(min_confidence=0.5, country=("UKR",), date_from="2024-02-01", date_to="2024-03-31"),
    EventFilter(date_from="2024-02", date_to="2024-02-29", type=("PROTEST", "AID")),
]


def test_top_actors_of_a_type_country_or_months_come_from_the_summary(reviewed):
    """ru_actor_month by type, country and month keys (0012) answers the filtered top actors,
    reviews laid over it, as the SQL path counts them (before: SQL over the matching events)."""
    store = reviewed
    for f in ACTOR_FILTERS:
        assert derived.top_actors(store, f, 5) is not None, f
        got = dashboard(store, f, top=5)["top_actors"]
        with _sql_path():
            assert got == dashboard(store, f, top=5)["top_actors"], f
    # not month-aligned, or a certainty: SQL
    assert derived.top_actors(store, EventFilter(date_from="2024-02-03"), 5) is None
    assert derived.top_actors(store, EventFilter(certainty=("reported",)), 5) is None


def test_0012_upgrades_a_0011_store_in_place(store_url):
    from alembic import command
    from alembic.config import Config

    from eventwire.store import MIGRATIONS

    with Store(store_url) as s:
        _fill(s)
        f = EventFilter(min_confidence=0.5, type=("ASSAULT",))
        with _sql_path():
            want = dashboard(s, f, top=5)["top_actors"]
    eng = sa.create_engine(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
        cols = {c["name"] for c in sa.inspect(conn).get_columns("ru_actor_month")}
        assert "ms" not in cols and "type" not in cols
    eng.dispose()
    with Store(store_url) as s:  # opening upgrades to head: the columns added, the table refilled
        with s.engine.connect() as c:
            assert c.execute(sa.text("SELECT count(*) FROM ru_actor_month WHERE type IS NULL")).scalar() == 0
        assert derived.top_actors(s, f, 5) is not None
        assert dashboard(s, f, top=5)["top_actors"] == want
