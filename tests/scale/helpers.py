"""Hand-built results for export and executor tests (real records, real stores)."""

from __future__ import annotations

from eventwire.records import (
    Article,
    Claim,
    Event,
    EventActor,
    EventFlags,
    Evidence,
    Place,
    Quantity,
    Result,
)  # fmt: skip


def assault(i: int) -> Result:
    """An airstrike in Aleppo (located, ACLED-typed, two actors, fatalities and injuries)."""
    sent = f"Syrian government jets struck a market in Aleppo on day {i}, killing 12 civilians\tand wounding 30."
    body = sent + "\n\nThe Syrian Observatory reported the toll. Résumé: ça va."
    art = Article.from_paragraphs(f"https://news.example/{i}", body.split("\n\n"), title=f"Strike {i}",
                                  published_at="2024-05-02", url=f"https://news.example/{i}")
    t0 = body.index("struck")
    place = Place(start=body.index("Aleppo"), end=body.index("Aleppo") + 6, text="Aleppo", name="Aleppo",
                  geonameid=170063, lat=36.20124, lon=37.16117, country="SYR", admin1="Aleppo",
                  feature="P.PPLA", precision=1)
    ev = Event(
        id=Event.make_id(art.id, (0, len(sent)), "ASSAULT"), article_id=art.id, type="ASSAULT",
        sentence=(0, len(sent)), mode="aerial", context="military",
        acled_event_type="Explosions/Remote violence", acled_sub_event_type="Air/drone strike", cameo="195",
        actors=(EventActor(text="Syrian government", entity_id="gov.syr", country="SYR", sector="GOV"),
                EventActor(text="jets", country="SYR", sector="MIL")),
        recipients=(EventActor(text="civilians", country="SYR", sector="CVL"),),
        place={**place.to_dict(), "how": "trigger"},
        date={"date_start": "2024-05-01", "date_end": "2024-05-01", "precision": "day"},
        quantities=(Quantity(start=0, end=1, text="12 civilians", value=12, kind="dead"),
                    Quantity(start=0, end=1, text="30", value=30, kind="injured")),
        claim=Claim(start=0, end=5, source_text="Observatory", source_entity_id=None, verb="reported",
                    certainty="reported"),
        flags=EventFlags(), confidence=0.8, trigger=(t0, t0 + 6),
        evidence=(Evidence("type", t0, t0 + 6),),
    )
    return Result(article=art, places=(place,), events=(ev,))


def meeting(i: int) -> Result:
    """A meeting with no place and no ACLED type, dated by month."""
    body = f"Officials from Mali and Niger met in talks number {i}, a spokesman said."
    art = Article.from_paragraphs(f"/data/{i}.txt", [body], title=None)
    ev = Event(
        id=Event.make_id(art.id, (0, len(body)), "CONSULT"), article_id=art.id, type="CONSULT",
        sentence=(0, len(body)), cameo="04",
        actors=(EventActor(text="Officials from Mali", country="MLI", sector="GOV"),
                EventActor(text="Niger", country="NER", sector="GOV")),
        date={"date_start": "2024-03-01", "date_end": "2024-03-31", "precision": "month"},
        flags=EventFlags(future=True), confidence=0.4,
    )
    return Result(article=art, events=(ev,))


def results(n: int = 6) -> list[Result]:
    return [assault(i) if i % 2 == 0 else meeting(i) for i in range(n)]
