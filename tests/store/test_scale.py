"""The store's scale structures (issue 16.2, alembic 0008, store/derived.py) against a naive
reference, on SQLite and PostgreSQL: the visibility column, the summary tables, actor-name
search, the spatial index, deep-page seeks, the dashboard, and the in-place upgrade."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
import sqlalchemy as sa

from eventwire.records import Article, Claim, Event, EventActor, EventFlags, Quantity, Result
from eventwire.store import Store, derived, query
from eventwire.store.clusters import set_canonical
from eventwire.store.dashboard import dashboard
from eventwire.store.query import EventFilter
from eventwire.store.schema import ru_span

TYPES = ["ASSAULT", "PROTEST", "COERCE", "AID"]
COUNTRIES = [("SYR", 35.0, 38.0), ("UKR", 49.0, 32.0), ("FRA", 48.9, 2.35), (None, None, None)]
ACTORS = [("Kelmar Front", "ent:1"), ("Kelmar front", None), ("Dar Police", "ent:2"), ("Ashvi Brigade", None),
          ("Ministry of Ri", "ent:3"), ("ri", None)]
CERT = ["asserted", "reported", "hedged"]
WORDS = "convoy blockade strike talks village police border".split()
MY_TABLES = {"ru_day", "ru_date", "ru_type", "ru_country", "ru_month", "ru_flags", "ru_actor_month", "ru_actor", "actor_texts", "ru_span"}


def _fill(store: Store, n_articles: int = 12, seed: int = 3) -> list[Result]:
    rnd = random.Random(seed)
    results = []
    for a in range(n_articles):
        words = " ".join(rnd.choice(WORDS) for _ in range(12))
        art = Article.from_paragraphs(f"t/{a}.txt", [f"Report {a} {words}."], title=f"Report {a}",
                                      publisher=f"Pub {a % 3}", published_at=f"2024-0{1 + a % 3}-1{a % 9}")
        evs = []
        for k in range(5):
            cc, lat, lon = rnd.choice(COUNTRIES)
            day = f"2024-0{1 + rnd.randrange(3)}-{10 + rnd.randrange(18)}"
            if rnd.random() < 0.1:
                day = None
            date = {"date_start": day, "date_end": day, "precision": "day"} if day else None
            if day and rnd.random() < 0.15:
                date = {"date_start": day[:7], "date_end": day[:7], "precision": "month"}
            typ = rnd.choice(TYPES)
            span = (k * 3, k * 3 + 2)
            text, eid = rnd.choice(ACTORS)
            rec = rnd.choice(ACTORS)
            evs.append(Event(
                id=Event.make_id(art.id, span, typ), article_id=art.id, type=typ, sentence=span,
                actors=(EventActor(text, entity_id=eid),),
                recipients=(EventActor(rec[0], entity_id=rec[1]),) if rnd.random() < 0.5 else (),
                place={"name": f"P{k}", "lat": lat + rnd.uniform(-1, 1), "lon": lon + rnd.uniform(-1, 1),
                       "country": cc, "precision": 1} if cc else None,
                date=date,
                quantities=(Quantity(0, 1, "5", float(rnd.randrange(1, 30)), kind="dead"),) if rnd.random() < 0.3 else (),
                claim=Claim(0, 1, None, None, None, rnd.choice(CERT)),
                flags=EventFlags(future=rnd.random() < 0.15, historical=rnd.random() < 0.1, negated=rnd.random() < 0.1),
                confidence=round(rnd.choice([0.2, 0.5, 0.5, 0.7, 0.9, rnd.random()]), 3),
            ))
        r = Result(article=art, events=tuple(evs))
        store.upsert(r)
        results.append(r)
    # merge some events in groups of 2-3 (the cluster stage's write), then delete and replace one
    ids = [e.id for r in results for e in r.events]
    with store.engine.begin() as conn:
        for g in range(12):
            members = rnd.sample(ids, rnd.choice([2, 3]))
            for m in members:
                set_canonical(conn, m, f"c{g}")
    store.delete(results[5].article.id)
    store.upsert(results[6], replace=True)
    return results


def _naive(store: Store) -> list[dict]:
    with store.engine.connect() as c:
        rows = [dict(r) for r in c.execute(sa.text(
            "SELECT id, article_id, type, country, date_start, date_end, lat, lon, certainty, negated, future, "
            "hypothetical, historical, confidence, fatalities, canonical_id FROM events")).mappings()]
        acts = c.execute(sa.text("SELECT event_id, text, entity_id FROM event_actors")).all()
        bodies = dict(c.execute(sa.text("SELECT id, coalesce(title, '') || ' ' || body FROM articles")).all())
    for r in rows:
        r["actors"] = [(t, e) for i, t, e in acts if i == r["id"]]
        r["words"] = set(bodies[r["article_id"]].lower().replace(".", " ").split())
        for k in ("negated", "future", "hypothetical", "historical"):
            r[k] = bool(r[k])
    return rows


def _matches(r: dict, f: EventFilter, rows: list[dict]) -> bool:
    floor = f.min_confidence or 0
    if floor and not (r["confidence"] is not None and r["confidence"] >= floor):
        return False
    if f.canonical_only and r["canonical_id"]:
        peers = [p["id"] for p in rows if p["canonical_id"] == r["canonical_id"]
                 and (not floor or (p["confidence"] is not None and p["confidence"] >= floor))]
        if r["id"] != min(peers):
            return False
    if f.type and r["type"] not in f.type:
        return False
    if f.country and r["country"] not in f.country:
        return False
    if f.certainty and r["certainty"] not in f.certainty:
        return False
    for k in ("negated", "future", "hypothetical", "historical"):
        if getattr(f, k) is not None and r[k] != getattr(f, k):
            return False
    if f.date_from and not (r["date_end"] is not None and r["date_end"] >= f.date_from):
        return False
    if f.date_to and not (r["date_start"] is not None and r["date_start"] <= f.date_to + "\uffff"):
        return False
    if f.bbox:
        x0, y0, x1, y1 = f.bbox
        if r["lat"] is None or not (x0 <= r["lon"] <= x1 and y0 <= r["lat"] <= y1):
            return False
    if f.actor:
        ids = {e for _, e in r["actors"]}
        known = any(e == f.actor for p in rows for _, e in p["actors"])
        if known:
            if f.actor not in ids:
                return False
        elif not any(f.actor.lower() in t.lower() for t, _ in r["actors"]):
            return False
    return not (f.q and not all(w in r["words"] for w in f.q.lower().split()))


FILTERS = [
    EventFilter(),
    EventFilter(min_confidence=0.5),
    EventFilter(min_confidence=0.7, type=("ASSAULT",)),
    EventFilter(min_confidence=0.5, country=("SYR", "FRA")),
    EventFilter(min_confidence=0.5, date_from="2024-02", date_to="2024-02-29"),
    EventFilter(min_confidence=0.5, date_from="2024-01-15", date_to="2024-02-20", type=("PROTEST", "AID")),
    EventFilter(min_confidence=0.5, country=("UKR",), date_from="2024-02-01", date_to="2024-03-31"),
    EventFilter(min_confidence=0.5, certainty=("reported",)),
    EventFilter(min_confidence=0.2, future=True),
    EventFilter(min_confidence=0.5, negated=False, type=("COERCE",)),
    EventFilter(min_confidence=0.55),  # off the summary grid: the SQL path
    EventFilter(min_confidence=0.5, canonical_only=False),
    EventFilter(min_confidence=0.5, bbox=(36.0, 33.0, 39.0, 37.0)),
    EventFilter(bbox=(-10.0, 40.0, 40.0, 55.0), type=("ASSAULT", "PROTEST")),
    EventFilter(min_confidence=0.5, actor="kelmar"),
    EventFilter(actor="ri"),  # two characters: not a trigram query
    EventFilter(actor="ent:2"),
    EventFilter(min_confidence=0.5, actor="brig", country=("SYR",)),
    EventFilter(min_confidence=0.5, q="convoy blockade"),
]


@pytest.fixture()
def filled(store_url):
    with Store(store_url) as s:
        _fill(s)
        yield s


def test_queries_match_a_naive_reference(filled):
    store = filled
    rows = _naive(store)
    by_id = {r["id"]: r for r in rows}
    with store.engine.connect() as c:  # the visibility column is what its definition says
        for r in rows:
            got = c.execute(sa.text("SELECT canon_prev FROM events WHERE id = :i"), {"i": r["id"]}).scalar()
            peers = sorted(p["id"] for p in rows if r["canonical_id"] and p["canonical_id"] == r["canonical_id"])
            if not peers or peers[0] == r["id"]:
                assert got is None, r["id"]
            else:
                confs = [by_id[p]["confidence"] for p in peers if p < r["id"] and by_id[p]["confidence"] is not None]
                assert got == (max(confs) if confs else -1), r["id"]
    for i, f in enumerate(FILTERS):
        want = {r["id"] for r in rows if _matches(r, f, rows)}
        assert query.count_events(store, f) == len(want), f
        for sort in ("date", "confidence")[: 1 + (i % 4 == 0)]:  # (fewer queries: test time)
            page = [e["id"] for e in query.list_events(store, f, limit=1000, sort=sort)]
            assert sorted(page) == sorted(want), (f, sort)
        st = query.stats(store, f, bucket="month", top=0)
        cur = [by_id[i] for i in want if not (by_id[i]["historical"] or by_id[i]["future"])]
        assert st["total"] == len(want)
        assert st["by_type"] == _counted([by_id[i]["type"] for i in want])
        assert st["by_country"] == {k or "": n for k, n in _counted([by_id[i]["country"] for i in want]).items()}
        if f.historical is None and f.future is None:
            assert st["off_timeline"] == len(want) - len(cur)
            assert st["by_month"] == _counted([r["date_start"][:7] for r in cur if r["date_start"]], by_key=True)
            assert st["undated"] == sum(1 for r in cur if not r["date_start"])
        if i % 3:
            continue
        d = dashboard(store, f, top=3)
        fat = [by_id[i]["fatalities"] for i in want if by_id[i]["fatalities"] is not None]
        assert (d["fatalities"]["total"], d["fatalities"]["events"]) == (sum(fat), len(fat))
        assert [x["fatalities"] for x in d["fatalities"]["top"]] == sorted(fat, reverse=True)[:3]
        counts: dict = {}
        for i in want:
            for key in {e or t.lower() for t, e in by_id[i]["actors"]}:
                counts[key] = counts.get(key, 0) + 1
        assert sorted((x["events"] for x in d["top_actors"]), reverse=True) == sorted(counts.values(), reverse=True)[:3]


    derived.USE_RTREE = True  # the SQLite R*Tree path (off by default, measured slower) agrees
    try:
        for f in FILTERS:
            if f.bbox:
                want = {r["id"] for r in rows if _matches(r, f, rows)}
                assert {e["id"] for e in query.list_events(store, f, limit=1000)} == want
    finally:
        derived.USE_RTREE = False
    _deep_pages_seek_to_the_same_rows(store)
    _summaries_follow_writes_and_match_a_rebuild(store)


def _counted(keys: list, by_key: bool = False) -> dict:
    out: dict = {}
    for k in keys:
        out[k] = out.get(k, 0) + 1
    return dict(sorted(out.items())) if by_key else out


def _deep_pages_seek_to_the_same_rows(store: Store) -> None:
    """A date-sorted page past SEEK_FROM starts at the day the summary tables give; the rows are
    those of the plain offset query."""
    f = EventFilter(min_confidence=0.5)
    seek_from = query.SEEK_FROM
    for desc in (True, False):
        plain = [e["id"] for e in query.list_events(store, f, limit=1000, desc=desc)]
        try:
            query.SEEK_FROM = 1
            for off in (1, 7, 23, len(plain) - 2):
                page = [e["id"] for e in query.list_events(store, f, limit=5, offset=off, desc=desc)]
                assert page == plain[off:off + 5], (desc, off)
        finally:
            query.SEEK_FROM = seek_from


def _summaries_follow_writes_and_match_a_rebuild(filled: Store) -> None:
    """What the writer kept up (inserts, merges, a delete, a replace) equals a rebuild from
    scratch, row for row."""
    def snapshot() -> dict:
        with filled.engine.connect() as c:
            return {t.name: sorted(tuple(map(str, r)) for r in c.execute(sa.select(t)))
                    for t in (*derived.TABLES, ru_span)}
    kept = snapshot()
    with filled.engine.begin() as c:
        derived.rebuild(c)
    assert snapshot() == kept


def test_migration_upgrades_a_0007_store_in_place(store_url):
    """A store made at 0007 (rows written as that version did) is upgraded in place: rows kept,
    canon_prev, actor texts, spatial index and summaries filled, and the new queries answer."""
    from alembic import command
    from alembic.config import Config

    from eventwire.store import MIGRATIONS

    eng = sa.create_engine(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        conn.execute(sa.text(
            "INSERT INTO articles (id, source, body, paragraphs, captions, furniture_removed, ingested_at) "
            "VALUES ('a1', 's', 'a convoy was hit', '[]', '[]', 0, '2024-01-01 00:00:00')"))
        for i, (lat, lon, conf, cid) in enumerate([(35.1, 36.2, 0.9, "c1"), (35.2, 36.3, 0.6, "c1"),
                                                   (48.0, 2.0, 0.8, None), (None, None, 0.7, None)]):
            conn.execute(sa.text(
                "INSERT INTO events (id, article_id, type, date_start, date_end, lat, lon, country, certainty, "
                "negated, future, hypothetical, historical, confidence, canonical_id, data) VALUES "
                "(:i, 'a1', 'ASSAULT', '2024-01-05', '2024-01-05', :lat, :lon, 'SYR', 'asserted', "
                ":f, :f, :f, :f, :c, :cid, :d)"),
                {"d": f'{{"id": "e{i}"}}', "i": f"e{i}", "lat": lat, "lon": lon, "c": conf, "cid": cid, "f": False})
            conn.execute(sa.text("INSERT INTO event_actors (event_id, role, position, text) "
                                 "VALUES (:i, 'actor', 0, :t)"), {"i": f"e{i}", "t": f"Kelmar Front {i}"})
    eng.dispose()
    with Store(store_url) as s:
        with s.engine.connect() as c:
            assert c.execute(sa.text("SELECT count(*) FROM events")).scalar() == 4
            prev = dict(c.execute(sa.text("SELECT id, canon_prev FROM events")).all())
            assert prev == {"e0": None, "e1": 0.9, "e2": None, "e3": None}
            assert c.execute(sa.text("SELECT count(*) FROM actor_texts")).scalar() == 4
            if s.dialect == "sqlite":
                assert c.execute(sa.text("SELECT count(*) FROM events_rtree")).scalar() == 3
            assert c.execute(sa.text("SELECT sum(n) FROM ru_day WHERE vw = 5")).scalar() == 3
        f = EventFilter(min_confidence=0.5)
        assert query.count_events(s, f) == 3
        assert {e["id"] for e in query.list_events(s, replace(f, bbox=(36.0, 35.0, 37.0, 36.0)))} == {"e0"}
        assert {e["id"] for e in query.list_events(s, replace(f, actor="front 2"))} == {"e2"}
        assert dashboard(s, f)["top_actors"][0]["events"] == 1
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app

    with TestClient(create_app(load_settings(db=store_url))) as client:
        r = client.get("/api/dashboard", params={"min_confidence": "0.5", "country": "Syria"})
        assert r.status_code == 200, r.text
        d = r.json()
        assert (d["total"], d["bucket"], d["timeline"]) == (3, "week", [{"t": "2024-01-01", "n": 3}])
        assert d["by_country"] == [{"country": "SYR", "name": d["by_country"][0]["name"], "n": 3}]
        assert client.get("/api/dashboard", params={"bucket": "year"}).status_code == 422


def test_migration_matches_the_declared_tables(store_url):
    """Alembic 0008 builds the summary and actor-text tables store/schema.py declares."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from eventwire.store.schema import metadata

    def ours(obj, name, type_, reflected, compare_to):
        if type_ == "index" and name == "ix_actor_texts_trgm":  # PostgreSQL only, an expression index
            return False
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return getattr(table, "name", name) in MY_TABLES

    with Store(store_url) as s, s.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(ctx, metadata) == []
