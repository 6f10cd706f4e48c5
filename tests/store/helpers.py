"""Hand-built records for store tests (real records, real databases)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventwire.records import (
    Analysis,
    Article,
    Claim,
    Event,
    EventActor,
    EventFlags,
    Evidence,
    Mention,
    Place,
    Quantity,
    Result,
)


def make_result(i: int, *, country: str = "SYR", type_: str = "ASSAULT", word: str = "shelling") -> Result:
    body = f"Report {i}: militants carried out {word} near Aleppo on day {i}.\n\nSecond paragraph {i}."
    art = Article.from_paragraphs(f"test://{i}", body.split("\n\n"), title=f"Story {i}", published_at="2024-05-0" + str(1 + i % 9))
    s = body.index("militants")
    place = Place(start=body.index("Aleppo"), end=body.index("Aleppo") + 6, text="Aleppo", name="Aleppo",
                  geonameid=170063, lat=36.2, lon=37.16, country=country, admin1="Aleppo", feature="P.PPLA", precision=1)
    ev = Event(
        id=Event.make_id(art.id, (0, len(body)), type_), article_id=art.id, type=type_, sentence=(0, body.index("\n")),
        mode="aerial", acled_event_type="Explosions/Remote violence", cameo="19",
        actors=(EventActor(text="militants", start=s, end=s + 9, entity_id=f"grp{i % 3}", country=country, sector="REB"),),
        recipients=(EventActor(text="civilians"),),
        place={**place.to_dict(), "how": "trigger"},
        date={"date_start": f"2024-05-0{1 + i % 9}", "date_end": f"2024-05-0{1 + i % 9}", "precision": "day"},
        quantities=(Quantity(start=0, end=1, text="3 killed", value=3, kind="dead"),),
        claim=Claim(start=0, end=5, source_text="sources", source_entity_id=None, verb="said", certainty="reported"),
        flags=EventFlags(historical=i % 2 == 0), confidence=0.8,
        evidence=(Evidence("actors", s, s + 9),),
    )
    an = Analysis(mentions=(Mention(s, s + 9, "militants", "ARMED_GROUP", f"grp{i % 3}", "armed_group", country),))
    return Result(article=art, analysis=an, places=(place,), events=(ev,))


def store_linked(st: Any, store_url: str, results: Iterable[Result]) -> None:
    """Store each result and link it (near-duplicates, merged events) as ingest does."""
    from eventwire.cluster import Linker
    from eventwire.config import load_settings

    linker = Linker(st, load_settings(db=store_url))
    for r in results:
        assert st.upsert(r)
        linker.after_store(r)
