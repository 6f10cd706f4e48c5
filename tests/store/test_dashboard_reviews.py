"""The dashboard's top actors count the reviewed actors (issue 15.1/15.2): an analyst's correction
of an event's actors counts for the actor the analyst named, not the machine's. SQLite and
PostgreSQL."""

from __future__ import annotations


def _top(store, top=10, **kw):
    from eventwire.store.dashboard import top_actors
    from eventwire.store.query import EventFilter

    return {(a["id"], a["name"]): a["events"] for a in top_actors(store, EventFilter(min_confidence=0, **kw), top)}


def _event(store, type_):
    from eventwire.store import query
    from eventwire.store.query import EventFilter

    return next(e for e in query.list_events(store, EventFilter(min_confidence=0)) if e["type"] == type_)


def test_top_actors_count_the_reviewed_actors(rstore):
    from eventwire.store import reviews as rv

    before = _top(rstore)
    assert before[("ESP", "Spain")] == 1 and before[("kataib_imam_ali", "Kataib al-Imam Ali")] == 1
    spain, kharkiv, aleppo = _event(rstore, "REJECT"), _event(rstore, "ASSAULT"), _event(rstore, "MOBILIZE")

    # Spain's event: the actor was students, not Spain; its recipient (Pap Tecnos) was left alone.
    rv.review_event(rstore, spain["id"], "alice", "edit", {"actors": [{"text": "Students"}]})
    # Kharkiv's drones were the armed group's (a knowledge-base actor: its name is shown).
    rv.review_event(rstore, kharkiv["id"], "alice", "edit",
                    {"actors": [{"text": "the group's drones", "entity_id": "kataib_imam_ali"}]})
    # Aleppo's event: only the recipients are corrected; its actor still counts.
    rv.review_event(rstore, aleppo["id"], "alice", "edit", {"recipients": [{"text": "Students"}]})
    after = _top(rstore)
    assert ("ESP", "Spain") not in after and (None, "drones") not in after
    assert after[(None, "Students")] == 2  # two events, one reviewed actor each
    assert after[("kataib_imam_ali", "Kataib al-Imam Ali")] == 2
    assert after[("pap_tecnos", "Pap Tecnos")] == before[("pap_tecnos", "Pap Tecnos")]
    assert after[(None, "energy site")] == 1  # Kharkiv's recipient, left alone

    # The cut at ``top`` ranks the corrected counts (by events, then key).
    assert list(_top(rstore, top=2)) == [("kataib_imam_ali", "Kataib al-Imam Ali"), (None, "Students")]
    # A filter counts the reviewed actors of the events it matches, on their reviewed values.
    assert _top(rstore, type=("ASSAULT",)) == {("kataib_imam_ali", "Kataib al-Imam Ali"): 1, (None, "energy site"): 1}
    # A rejected event counts for no one; clearing a review gives the machine's actors back.
    rv.review_event(rstore, aleppo["id"], "bob", "reject")
    assert _top(rstore)[(None, "Students")] == 1
    for ev in (spain, kharkiv, aleppo):
        rv.review_event(rstore, ev["id"], "bob", "clear")
    assert _top(rstore) == before

