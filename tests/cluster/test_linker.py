"""The cluster stage against real stores (temporary SQLite and a fresh PostgreSQL schema)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from eventwire.cluster import (
    Linker,
    canonical_event,
    canonical_events,
    copies,
    copy_ids,
    count_canonical_events,
    iter_canonical_events,
    story_articles,
)
from eventwire.config import load_settings
from eventwire.records import Article, Event, EventActor, EventFlags, Quantity, Result
from eventwire.store import MIGRATIONS, Store
from eventwire.store.query import EventFilter

STRIKE = [
    "Government aircraft struck the village of Kafr Nabudah in northern Hama province on Tuesday, "
    "killing five civilians including two children, according to the Syrian Civil Defence.",
    "Rescue workers from the White Helmets pulled survivors from the rubble of three houses after "
    "the raid, which local activists blamed on Russian-made Sukhoi jets flying from Hmeimim.",
    "The Syrian Observatory for Human Rights said the bombardment was the heaviest on the "
    "countryside of Hama since the ceasefire brokered by Turkey and Russia in March.",
    "Residents said dozens of families had fled towards the Turkish border, joining thousands "
    "already sheltering in olive groves around the town of Atmeh.",
]
# The same story written independently by another outlet.
STRIKE_OTHER = [
    "Seven people died when Syrian warplanes bombed Kafr Nabudah, a village in the Hama "
    "countryside, on Tuesday, the White Helmets rescue group said.",
    "The Syrian Observatory for Human Rights, a Britain-based monitor, reported the air raid hit "
    "houses near the village mosque; the Hmeimim base is used by Russian Sukhoi jets.",
    "Families from Kafr Nabudah fled north towards Atmeh and the Turkish border after the ceasefire "
    "between Russia and Turkey collapsed.",
]
OTHER_STORY = [
    "Spain's defence ministry cancelled a contract for Spike anti-tank missiles made by Pap Tecnos, "
    "a Spanish subsidiary of Rafael Advanced Defense Systems, officials in Madrid said on Friday.",
    "The order, worth 285 million euros, was dropped after the government reviewed arms purchases "
    "from Israeli companies, the newspaper El Pais reported.",
    "Rafael said it had not been informed of the decision and would continue to support the Spanish "
    "army's existing launchers and training simulators.",
]

DENIAL = [
    "The Russian defence ministry denied on Wednesday that its aircraft had carried out any raid near "
    "Kafr Nabudah, calling reports from the White Helmets a provocation.",
    "A spokesman in Moscow said no sorties had been flown over Hama province since the truce.",
]

ALEPPO = {"name": "Kafr Nabudah", "lat": 35.43, "lon": 36.50, "country": "SYR", "admin1": "Hama",
          "precision": 1, "geonameid": 170000, "how": "trigger"}
DAMASCUS = {"name": "Damascus", "lat": 33.51, "lon": 36.29, "country": "SYR", "admin1": "Damascus",
            "precision": 1, "geonameid": 170654, "how": "trigger"}
DAY = {"date_start": "2026-03-10", "date_end": "2026-03-10", "precision": "day", "source": "text"}


def art(source: str, paras: list[str], title: str, publisher: str, published: str = "2026-03-10") -> Article:
    return Article.from_paragraphs(source, paras, title=title, publisher=publisher, published_at=published)


def strike_event(a: Article, dead: float, place: dict = ALEPPO, negated: bool = False, n: int = 0) -> Event:
    span = (n, n + 20)
    return Event(
        id=Event.make_id(a.id, span, "ASSAULT"), article_id=a.id, type="ASSAULT", sentence=span,
        acled_event_type="Explosions/Remote violence", acled_sub_event_type="Air/drone strike",
        actors=(EventActor("Syrian warplanes", entity_id="SYR-MIL"),),
        recipients=(EventActor("civilians"),),
        place=place, date=DAY,
        quantities=(Quantity(0, 4, str(dead), dead, kind="dead"),),
        flags=EventFlags(negated=negated),
    )


def ingest(store: Store, linker: Linker, result: Result) -> object:
    dup = linker.before_nlp(result.article)
    if dup:
        result = Result(article=result.article)  # a copy is not re-coded
    store.upsert(result)
    return linker.after_store(result)


@pytest.fixture()
def store(store_url: str):
    s = Store(store_url)
    yield s
    s.close()


def test_one_migration_head():
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_copies_are_linked_and_not_recoded(store: Store):
    settings = load_settings()
    linker = Linker(store, settings)
    first = art("wire", STRIKE, "Five killed in air strike on Hama village", "Wire")
    copy = art("paper", [*STRIKE[:3], "Editor's note: this story has been updated."],
               "Jets pound Kafr Nabudah", "Daily Paper")
    other = art("mod", OTHER_STORY, "Spain cancels Spike order", "Defence News")
    l1 = ingest(store, linker, Result(first, events=(strike_event(first, 5),)))
    l2 = ingest(store, linker, Result(copy, events=(strike_event(copy, 5),)))
    l3 = ingest(store, linker, Result(other))
    assert l1.duplicate_of is None and l3.duplicate_of is None
    assert l2.duplicate_of == first.id
    assert l2.story_id == l1.story_id != l3.story_id
    stored = store.article(copy.id)
    assert stored["duplicate_of"] == first.id and stored["events"] == []  # not re-coded
    assert copies(store, first.id) == 1 and copy_ids(store, first.id) == [copy.id]
    assert copies(store, copy.id) == 1 and copies(store, other.id) == 0


def test_restart_keeps_duplicate_index_and_stories(store: Store):
    first = art("wire", STRIKE, "Five killed in air strike on Hama village", "Wire")
    ingest(store, Linker(store), Result(first))
    again = Linker(store)  # a new process: index and stories come from the store
    trimmed = art("late", STRIKE[:3], "Hama strike toll", "Late Edition")
    link = ingest(store, again, Result(trimmed))
    assert link.duplicate_of == first.id
    independent = art("other", STRIKE_OTHER, "Seven dead in Syrian raid", "Other Outlet")
    link2 = ingest(store, Linker(store), Result(independent))
    assert link2.duplicate_of is None
    assert link2.story_id == store.article(first.id)["story_id"]
    assert {a["id"] for a in story_articles(store, link2.story_id)} == {first.id, trimmed.id, independent.id}


def test_events_merge_with_sources_and_conflicting_tolls(store: Store):
    linker = Linker(store)
    a = art("wire", STRIKE, "Five killed in air strike on Hama village", "Wire")
    b = art("other", STRIKE_OTHER, "Seven dead in Syrian raid", "Other Outlet")
    far = art("dam", OTHER_STORY, "Unrelated", "Third")  # a strike 200 km away, same day and actor
    denied = art("denial", DENIAL, "Moscow denies raid", "Fourth")
    la = ingest(store, linker, Result(a, events=(strike_event(a, 5),)))
    lb = ingest(store, linker, Result(b, events=(strike_event(b, 7),)))
    lf = ingest(store, linker, Result(far, events=(strike_event(far, 5, DAMASCUS),)))
    ld = ingest(store, linker, Result(denied, events=(strike_event(denied, 5, negated=True),)))
    assert la.canonical_ids == lb.canonical_ids
    assert lf.canonical_ids != la.canonical_ids and ld.canonical_ids != la.canonical_ids
    c = canonical_event(store, la.canonical_ids[0])
    assert (c["num_mentions"], c["num_articles"], c["num_sources"]) == (2, 2, 2)
    assert {s["source"] for s in c["sources"]} == {"Wire", "Other Outlet"}
    tolls = {v["value"]: v["sources"] for v in c["values"]["fatalities"]}
    assert tolls == {5: ["Wire"], 7: ["Other Outlet"]}  # side by side, not averaged
    assert (c["fatalities_min"], c["fatalities_max"]) == (5, 7)
    assert sorted(e["article_id"] for e in c["events"]) == sorted([a.id, b.id])
    # Queries: canonical by default, filtered like source events.
    assert count_canonical_events(store) == 3
    assert count_canonical_events(store, EventFilter(type=("ASSAULT",), negated=False)) == 2
    near = canonical_events(store, EventFilter(bbox=(36.0, 35.0, 37.0, 36.0), negated=False), with_sources=True)
    assert [x["id"] for x in near] == [c["id"]] and len(near[0]["events"]) == 2
    assert {x["id"] for x in iter_canonical_events(store)} == {la.canonical_ids[0], lf.canonical_ids[0], ld.canonical_ids[0]}
    # Re-ingest changes nothing.
    again = ingest(store, linker, Result(b, events=(strike_event(b, 7),)))
    assert again.canonical_ids == lb.canonical_ids
    assert canonical_event(store, c["id"])["num_mentions"] == 2
    # So does rewriting the article (upsert replace drops and re-inserts its events).
    rb = Result(b, events=(strike_event(b, 7),))
    store.upsert(rb, replace=True)
    assert linker.after_store(rb).canonical_ids == lb.canonical_ids
    assert canonical_event(store, c["id"])["num_mentions"] == 2


def test_cluster_setting_off_is_a_noop(tmp_path: Path):
    s = Store(f"sqlite:///{tmp_path / 'x.db'}")
    linker = Linker(s, load_settings(cluster=False))
    a = art("wire", STRIKE, "t", "Wire")
    assert linker.before_nlp(a) is None
    s.upsert(Result(a))
    assert linker.after_store(Result(a)).story_id is None
    assert s.article(a.id)["story_id"] is None
