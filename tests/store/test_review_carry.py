"""An analyst's review is never lost when the machine re-codes (issue 15): ``ingest --replace``
with a coder that reads another type gives the event a new id (``Event.make_id`` hashes the
type); the review goes with it to the new event that reports the same action (same trigger span,
else the same sentence span), the history keeps the id it was made on, and a review whose action
no event reports any more is kept and listed as orphaned. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa

from eventwire.records import Article, Event, EventActor, Place, Quantity, Result

BODY = ("Militants shelled the market in Aleppo on Monday, killing three people.\n\n"
        "Hundreds of students marched through Idlib on Tuesday.")


def code(type_: str = "ASSAULT", *, trigger: str | None = "shelled", sentence: int = 0) -> Result:
    """A tiny coder: the article above with one event of ``type_`` in paragraph ``sentence``,
    triggered by the word ``trigger`` (as the rule coder builds them: id = article, sentence, type)."""
    paras = BODY.split("\n\n")
    art = Article.from_paragraphs("test://recode", paras, title="Recode", published_at="2025-03-03")
    s0 = 0 if sentence == 0 else BODY.index(paras[1])
    span = (s0, s0 + len(paras[sentence]))
    trig = (BODY.index(trigger), BODY.index(trigger) + len(trigger)) if trigger else None
    city = "Aleppo" if sentence == 0 else "Idlib"
    place = Place(start=BODY.index(city), end=BODY.index(city) + len(city), text=city, name=city, geonameid=None,
                  lat=36.2, lon=37.16, country="SYR", admin1=None, feature="P.PPL", precision=1)
    ev = Event(id=Event.make_id(art.id, span, type_), article_id=art.id, type=type_, sentence=span, trigger=trig,
               actors=(EventActor(text="Militants"),), place={**place.to_dict(), "how": "trigger"},
               date={"date_start": "2025-03-03", "date_end": "2025-03-03", "precision": "day"},
               quantities=(Quantity(start=0, end=1, text="three", value=3, kind="dead"),), confidence=0.8)
    return Result(article=art, places=(place,), events=(ev,))


@pytest.fixture()
def st(store_url):
    from eventwire.store import Store

    s = Store(store_url)
    yield s
    s.close()


def _events(store, **kw):
    from eventwire.store import query
    from eventwire.store.query import EventFilter

    return {e["id"]: e for e in query.list_events(store, EventFilter(min_confidence=0, **kw))}


def _csv(store, tmp_path):
    from eventwire import export

    out = tmp_path / "events.csv"
    export.write(store, "csv", out)
    with open(out, newline="", encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def test_a_recoded_event_keeps_its_review(st, tmp_path):
    from eventwire.store import reviews as rv

    first = code("ASSAULT")
    assert st.upsert(first)
    old = first.events[0].id
    rv.review_event(st, old, "alice", "edit", {"fatalities": 4, "location": "Aleppo market"}, note="four dead")
    recoded = code("MOBILIZE")  # a new model reads the same words as another type: a new id
    new = recoded.events[0].id
    assert new != old
    st.upsert(recoded, replace=True)

    shown = _events(st)
    assert set(shown) == {new}
    ev = shown[new]
    assert ev["type"] == "MOBILIZE"  # the machine's new reading; the analyst's edits laid over it
    assert ev["review"]["status"] == "edited" and ev["review"]["reviewer"] == "alice"
    assert ev["place"]["name"] == "Aleppo market"
    assert [q["value"] for q in ev["quantities"] if q["kind"] == "dead"] == [4.0]
    assert set(_events(st, reviewed="only")) == {new}
    row = _csv(st, tmp_path)[new]  # the columnar CSV export reads the overlay too
    assert (row["type"], row["location"], row["dead"]) == ("MOBILIZE", "Aleppo market", "4")

    hist = rv.history(st, "event", new)
    assert [(h["action"], h["target_id"]) for h in hist] == [("edit", old), ("carry", new)]
    assert hist[0]["reviewer"] == "alice" and hist[0]["note"] == "four dead"
    assert hist[1]["carried_from"] == old and hist[1]["after"]["matched_by"] == "trigger"
    assert (hist[1]["before"]["type"], hist[1]["after"]["type"]) == ("ASSAULT", "MOBILIZE")
    with st.engine.connect() as c:  # the record made on the old id is not rewritten
        assert c.execute(sa.text("select target_id from reviews where action = 'edit'")).scalar_one() == old
    assert rv.counts(st)["edited"] == 1 and rv.counts(st)["orphaned"] == 0


def test_without_a_trigger_the_same_sentence_carries_it(st):
    from eventwire.store import reviews as rv

    first = code("ASSAULT", trigger=None)
    st.upsert(first)
    rv.review_event(st, first.events[0].id, "bob", "reject")
    recoded = code("COERCE", trigger="killing")
    st.upsert(recoded, replace=True)
    new = recoded.events[0].id
    assert new not in _events(st)  # still rejected: hidden
    assert _events(st, rejected="only")[new]["review"]["status"] == "rejected"
    assert rv.history(st, "event", new)[-1]["after"]["matched_by"] == "sentence"


def test_a_review_whose_action_is_gone_is_kept_as_an_orphan(st, store_url, tmp_path):
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.store import reviews as rv

    first = code("ASSAULT")
    st.upsert(first)
    old = first.events[0].id
    rv.review_event(st, old, "alice", "accept")
    other = code("PROTEST", trigger="marched", sentence=1)  # the re-code finds only the march
    st.upsert(other, replace=True)
    assert "review" not in _events(st)[other.events[0].id]  # nobody reviewed the march

    gone = rv.orphans(st)
    assert [(o["event_id"], o["status"], o["reviewer"]) for o in gone["items"]] == [(old, "accepted", "alice")]
    assert gone["items"][0]["article_id"] == first.article.id
    assert gone["items"][0]["anchor"]["type"] == "ASSAULT" and gone["items"][0]["anchor"]["summary"].startswith("Militants")
    assert rv.counts(st)["orphaned"] == 1 and rv.counts(st)["accepted"] == 0
    assert [h["action"] for h in rv.history(st, "event", old)] == ["accept", "orphan"]
    listed = rv.list_reviews(st, orphaned=True)["items"]
    assert {(h["action"], h["target_id"]) for h in listed} == {("accept", old), ("orphan", old)}
    assert rv.list_reviews(st, orphaned=False)["total"] == 0
    from eventwire.store import derived
    from eventwire.store.query import EventFilter

    # an orphan belongs to no event: no review terms in the event queries, the summaries serve
    assert rv.filter_conditions(st) == [] and derived._no_reviews(st, EventFilter())

    api = TestClient(create_app(load_settings(db=store_url), store=st)).get("/api/reviews?orphaned=true").json()
    assert [o["event_id"] for o in api["orphans"]] == [old] and api["counts"]["orphaned"] == 1
    assert api["total"] == 2

    again = code("ASSAULT", trigger="shelled")  # a later re-coding reports the action again
    st.upsert(again, replace=True)
    assert rv.orphans(st)["total"] == 0
    assert _events(st)[old]["review"]["status"] == "accepted"


def test_deleting_the_article_orphans_its_reviews(st):
    from eventwire.store import reviews as rv

    first = code("ASSAULT")
    st.upsert(first)
    rv.review_event(st, first.events[0].id, "alice", "reject")
    st.delete(first.article.id)
    assert [o["event_id"] for o in rv.orphans(st)["items"]] == [first.events[0].id]


def test_0011_upgrades_in_place_and_lists_reviews_lost_before(store_url):
    """A store at 0010 with a review and one the old code lost (its event re-coded away): the
    upgrade gives the live one its article and lists the lost one as orphaned."""
    from alembic import command
    from alembic.config import Config

    from eventwire.store import MIGRATIONS, Store
    from eventwire.store import reviews as rv

    with Store(store_url) as s:
        first = code("ASSAULT")
        s.upsert(first)
        rv.review_event(s, first.events[0].id, "alice", "accept")
        eng = s.engine
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0010")
            assert "orphaned_at" not in {c["name"] for c in sa.inspect(conn).get_columns("event_reviews")}
            conn.execute(sa.text("insert into event_reviews (event_id, status, reviewer, reviewed_at) "
                                 "values ('lost0000lost0000', 'rejected', 'bob', CURRENT_TIMESTAMP)"))
    with Store(store_url) as s:
        gone = rv.orphans(s)["items"]
        assert [(o["event_id"], o["article_id"], o["anchor"]) for o in gone] == [("lost0000lost0000", None, None)]
        assert _events(s)[first.events[0].id]["review"]["status"] == "accepted"
        with s.engine.connect() as c:
            assert c.execute(sa.text("select article_id from event_reviews where status = 'accepted'")
                             ).scalar_one() == first.article.id
