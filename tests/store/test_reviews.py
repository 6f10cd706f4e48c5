"""Reviews (issue 15.1): the store side, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

REVIEW_TABLES = {"reviews", "event_reviews", "article_reviews"}


def test_migration_matches_the_review_tables(store_url):
    """Alembic 0007 builds exactly the review tables that store/schema.py declares (columns,
    types, nullability, indexes); the other tables are checked by their own migrations' tests."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from eventwire.store import Store
    from eventwire.store.schema import metadata

    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return getattr(table, "name", name) in REVIEW_TABLES

    with Store(store_url) as s, s.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(ctx, metadata) == []


# ------------------------------------------------------------------------------ the store side
import pytest  # noqa: E402


def _ids(store, **kw):
    from eventwire.store import query
    from eventwire.store.query import EventFilter

    return {e["id"]: e for e in query.list_events(store, EventFilter(min_confidence=0, **kw))}


def _spain(store):
    return next(e for e in _ids(store).values() if e["type"] == "REJECT")


def test_edit_overlays_machine_output_and_keeps_it(rstore):
    from eventwire.errors import FilterError
    from eventwire.export.fields import flat
    from eventwire.store import query
    from eventwire.store import reviews as rv
    from eventwire.store.schema import events

    ev = _spain(rstore)
    with pytest.raises(FilterError) as bad:
        rv.review_event(rstore, ev["id"], "alice", "edit", {"type": "PROTST"})
    assert bad.value.param == "type" and "PROTEST" in bad.value.valid
    with pytest.raises(FilterError):
        rv.review_event(rstore, ev["id"], "alice", "edit", {"acled_event_type": "Battles", "acled_sub_event_type": "Peaceful protest"})
    state = rv.review_event(rstore, ev["id"], "alice", "edit", {
        "type": "protest", "acled_sub_event_type": "peaceful protest", "country": "Ukraine", "location": "Kharkiv",
        "admin1": "Kharkivska oblast", "lat": 49.98, "lon": 36.25, "date_start": "2025-09-20", "fatalities": 2,
        "actors": [{"text": "Students"}]}, note="it was a demonstration")
    assert state["status"] == "edited" and state["reviewer"] == "alice"
    shown = query.get_event(rstore, ev["id"])
    assert (shown["type"], shown["acled_event_type"], shown["acled_sub_event_type"]) == ("PROTEST", "Protests", "Peaceful protest")
    assert shown["place"]["country"] == "UKR" and shown["date"]["date_start"] == shown["date"]["date_end"] == "2025-09-20"
    assert shown["mode"] is None  # the machine's mode was read for REJECT
    assert shown["machine"]["type"] == "REJECT" and shown["machine"]["country"] == "ESP"
    assert shown["review"]["status"] == "edited" and "fatalities" in shown["review"]["fields"]
    row = flat(shown)
    assert (row["type"], row["country"], row["lat"], row["dead"], row["actors"]) == ("PROTEST", "UKR", 49.98, 2, "Students")
    with rstore.engine.connect() as c:  # the machine's output is untouched
        assert c.execute(sa.select(events.c.type, events.c.country).where(events.c.id == ev["id"])).one() == ("REJECT", "ESP")
    (h,) = rv.history(rstore, "event", ev["id"])
    assert h["reviewer"] == "alice" and h["action"] == "edit" and h["note"] == "it was a demonstration"
    assert h["before"]["type"] == "REJECT" and h["after"]["type"] == "PROTEST" and h["before"]["status"] is None
    # Filters match the reviewed value, not the machine's.
    assert ev["id"] in _ids(rstore, type=("PROTEST",)) and ev["id"] not in _ids(rstore, type=("REJECT",))
    assert ev["id"] in _ids(rstore, country=("UKR",)) and ev["id"] not in _ids(rstore, country=("ESP",))
    assert ev["id"] in _ids(rstore, bbox=(36, 49, 37, 50)) and ev["id"] in _ids(rstore, date_from="2025-09-19")
    # Actors: the reviewed list replaces the machine's; recipients were left alone.
    assert ev["id"] in _ids(rstore, actor="student") and ev["id"] not in _ids(rstore, actor="ESP")
    assert ev["id"] in _ids(rstore, actor="pap_tecnos")
    pts = {p["id"]: p for p in query.map_points(rstore, EventFilter_(rejected="hide"))}
    assert (pts[ev["id"]]["type"], pts[ev["id"]]["lat"], pts[ev["id"]]["review_status"]) == ("PROTEST", 49.98, "edited")
    # Back to the machine's reading; the history keeps both records.
    rv.review_event(rstore, ev["id"], "bob", "clear")
    back = query.get_event(rstore, ev["id"])
    assert back["type"] == "REJECT" and "review" not in back
    assert [x["action"] for x in rv.history(rstore, "event", ev["id"])] == ["edit", "clear"]


def EventFilter_(**kw):  # noqa: N802 - every event, whatever its confidence
    from eventwire.store.query import EventFilter

    return EventFilter(min_confidence=0, **kw)


def test_rejected_and_out_of_scope_are_hidden_unless_asked(rstore):
    from eventwire.store import reviews as rv

    every = _ids(rstore)
    ev = _spain(rstore)
    other = next(i for i, e in every.items() if e["article"]["id"] != ev["article"]["id"])
    rv.review_event(rstore, ev["id"], "alice", "reject")
    rv.review_event(rstore, other, "alice", "accept")
    assert ev["id"] not in _ids(rstore) and ev["id"] in _ids(rstore, rejected="include")
    assert set(_ids(rstore, rejected="only")) == {ev["id"]}
    assert set(_ids(rstore, reviewed="only")) == {other}
    assert set(_ids(rstore, reviewed="only", rejected="include")) == {other, ev["id"]}
    assert other not in _ids(rstore, reviewed="exclude") and len(_ids(rstore, reviewed="exclude")) == len(every) - 2
    art = every[other]["article"]["id"]
    rv.review_article(rstore, art, "bob", True)
    gone = {i for i, e in every.items() if e["article"]["id"] == art}
    assert not gone & set(_ids(rstore)) and gone <= set(_ids(rstore, rejected="only"))
    assert _ids(rstore, rejected="include")[other]["article"]["out_of_scope"] is True
    assert rv.counts(rstore) == {"accepted": 1, "rejected": 1, "edited": 0, "out_of_scope_articles": 1, "orphaned": 0}
    assert [r["action"] for r in rv.list_reviews(rstore)["items"]] == ["out_of_scope", "accept", "reject"]


def test_reviews_become_training_sentences_the_corpus_reader_takes(rstore, tmp_path):
    import json

    from eventwire.events import corpus
    from eventwire.store import reviews as rv

    every = list(_ids(rstore).values())
    spain = _spain(rstore)
    rest = [e for e in every if e["article"]["id"] != spain["article"]["id"]]
    rv.review_event(rstore, spain["id"], "alice", "edit", {"type": "PROTEST", "acled_sub_event_type": "Peaceful protest"})
    rv.review_event(rstore, rest[0]["id"], "alice", "reject")
    rv.review_event(rstore, rest[1]["id"], "alice", "accept")
    path = tmp_path / "reviews.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rv.training_records(rstore)))
    got = {e.text: e for e in corpus.read([path])}
    assert (got[spain["summary"]].event, got[spain["summary"]].plover, got[spain["summary"]].acled_event_type) == (
        True, "PROTEST", "Protests")
    assert got[rest[0]["summary"]].event is False and got[rest[0]["summary"]].plover is None
    assert got[rest[1]["summary"]].plover == rest[1]["type"] and all(e.split == "train" for e in got.values())


def test_migration_upgrades_an_existing_store_in_place(tmp_path):
    """A store at 0006 with events gets the review tables; its rows are untouched."""
    from alembic import command
    from alembic.config import Config

    from eventwire.store import MIGRATIONS, Store
    from eventwire.store import reviews as rv
    from tests.serve.sample import fill

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url) as s:
        fill(s)
    eng = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
        assert not REVIEW_TABLES & set(sa.inspect(conn).get_table_names())
        n = conn.execute(sa.text("select count(*) from events")).scalar_one()
    eng.dispose()
    with Store(url) as s:
        assert s.count("events") == n
        ev = _spain(s)
        assert rv.review_event(s, ev["id"], "alice", "accept")["status"] == "accepted"


def test_reviews_survive_dump_and_restore(tmp_path, pg_schema_url):
    """Reviews are dumped and restored with the rest; a PostgreSQL restore moves the review ids'
    sequence past the restored ids, so the next review gets a fresh id (it collided before)."""
    import io

    from eventwire.store import Store
    from eventwire.store import reviews as rv
    from eventwire.store.dump import dump, restore
    from tests.serve.sample import fill

    buf = io.StringIO()
    with Store(f"sqlite:///{tmp_path / 'src.db'}") as src:
        fill(src)
        ev = _spain(src)
        rv.review_event(src, ev["id"], "alice", "edit", {"type": "PROTEST"})
        dump(src, buf)
    with Store(pg_schema_url) as other:
        restore(other, buf.getvalue().splitlines())
        assert _ids(other)[ev["id"]]["type"] == "PROTEST"
        rv.review_event(other, ev["id"], "bob", "accept")
        assert [h["reviewer"] for h in rv.history(other, "event", ev["id"])] == ["alice", "bob"]
