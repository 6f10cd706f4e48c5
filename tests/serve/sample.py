"""Hand-built records for the serve tests (and the screenshots): real Results stored in a real
database.

The article texts below are written for these tests (not taken from the shared data): a
Spain-cancels-a-missile-licence story shaped like the seed's, a militia recruitment story, a
strike report and a hostile article full of markup for the XSS checks.
"""

from __future__ import annotations

from typing import Any

from eventwire.records import (
    Article,
    Caption,
    Claim,
    DateRef,
    Entity,
    Event,
    EventActor,
    EventFlags,
    Evidence,
    Money,
    Place,
    Procurement,
    Quantity,
    Relation,
    Result,
)

XSS_MARK = "__ew_xss"
XSS_TITLE = f'Hostile <img src=x onerror="window.{XSS_MARK}=1"> headline'
XSS_BODY = (
    f"Protesters gathered in Lyon <script>window.{XSS_MARK}=1</script> on Monday.\n\n"
    f'Organisers posted <a href="javascript:window.{XSS_MARK}=1">a link</a> and '
    f'<img src=x onerror="window.{XSS_MARK}=1;alert(1)"> images.'
)


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return (i, i + len(needle))


def _place(text: str, span: tuple[int, int], name: str, lat: float, lon: float, country: str,
           admin1: str | None, precision: int = 1) -> Place:
    return Place(start=span[0], end=span[1], text=text[span[0]:span[1]], name=name, geonameid=None,
                 lat=lat, lon=lon, country=country, admin1=admin1, feature="P.PPL", precision=precision)


def _event(article: Article, type_: str, sentence: str, **kw: Any) -> Event:
    sent = find(article.body, sentence)
    return Event(id=Event.make_id(article.id, sent, type_), article_id=article.id, type=type_,
                 sentence=sent, **kw)


def spain() -> Result:
    art = Article.from_paragraphs(
        "tests/spain.txt",
        [
            "Spain has called off a licence for anti-tank missiles that an Israeli-owned firm was "
            "to build near Madrid, the Defence Ministry said on Tuesday.",
            "The order covered 168 SPIKE LR2 launchers worth about 285 million euros. The supplier, "
            "Pap Tecnos, is a subsidiary of Rafael Advanced Defense Systems.",
            "Officials said the step aims to end reliance on Israeli military technology.",
        ],
        title="Spain cancels anti-tank missile licence with Israeli-owned firm",
        captions=(Caption("Spanish soldiers train with missile launchers near Madrid.", "Photo: Agency"),),
        published_at="2025-09-16",
        publisher="Test Wire",
        url="https://news.example.org/spain-missiles",
    )
    b = art.body
    madrid = _place(b, find(b, "Madrid"), "Madrid", 40.4168, -3.7038, "ESP", "Madrid")
    tuesday = DateRef(*find(b, "Tuesday"), "Tuesday", "2025-09-16", "2025-09-16", "day", "publication")
    qty = Quantity(*find(b, "168"), "168", 168.0, kind="units")
    money = Quantity(*find(b, "285 million euros"), "285 million euros", 285e6, currency="EUR", kind="money")
    claim = Claim(*find(b, "the Defence Ministry said"), "the Defence Ministry", "esp_mod", "said", "reported",
                  *find(b, "the Defence Ministry"))
    ev = _event(
        art, "REJECT", art.body[: art.paragraphs[0][1]],
        mode="cancel", context="arms_trade",
        acled_event_type="Strategic developments", acled_sub_event_type="Agreement", cameo="12",
        actors=(EventActor("Spain", "ESP", "ESP", "GOV", *find(b, "Spain")),),
        recipients=(EventActor("Pap Tecnos", "pap_tecnos", "ESP", "BUS", *find(b, "Pap Tecnos")),),
        place={**madrid.to_dict(), "how": "trigger"},
        date=tuesday.to_dict(),
        quantities=(qty, money),
        claim=claim,
        procurement=Procurement(supplier="Pap Tecnos", recipient="Spain", system="SPIKE LR2",
                                system_kind="anti-tank missile", quantity=168, value=(Money(285e6, "EUR"),),
                                status="cancelled", supplier_entity_id="pap_tecnos", recipient_entity_id="ESP"),
        confidence=0.9,
        trigger=find(b, "called off"),
        evidence=(
            Evidence("actor", *find(b, "Spain")),
            Evidence("recipient", *find(b, "Pap Tecnos")),
            Evidence("place", *find(b, "Madrid")),
            Evidence("date", *find(b, "Tuesday")),
            Evidence("quantity", *find(b, "168")),
            Evidence("quantity", *find(b, "285 million euros")),
            Evidence("claim", *find(b, "the Defence Ministry said")),
            Evidence("trigger", *find(b, "called off")),
            Evidence("trigger", *find(art.title or "", "cancels"), where="title"),
            Evidence("place", *find(art.captions[0].text, "Madrid"), where="caption:0"),
        ),
    )
    return Result(article=art, places=(madrid,), events=(ev,))


def aleppo() -> Result:
    art = Article.from_paragraphs(
        "tests/aleppo.txt",
        [
            "Opposition outlets report that the militia Kataib al-Imam Ali has opened a recruitment "
            "office in central Aleppo.",
            "Recruits will be paid a monthly salary of $200, sources said.",
        ],
        title="Militia opens recruitment office in Aleppo",
        published_at="2025-06-10",
    )
    b = art.body
    aleppo_pl = _place(b, find(b, "Aleppo"), "Aleppo", 36.2021, 37.1343, "SYR", "Aleppo")
    ev = _event(
        art, "MOBILIZE", b[: art.paragraphs[0][1]], mode="recruit", acled_event_type="Strategic developments",
        acled_sub_event_type="Other", cameo="15",
        actors=(EventActor("Kataib al-Imam Ali", "kataib_imam_ali", "SYR", "REB", *find(b, "Kataib al-Imam Ali")),),
        place={**aleppo_pl.to_dict(), "how": "trigger"},
        date={"date_start": "2025-06-10", "date_end": "2025-06-10", "precision": "day", "source": "publication"},
        claim=Claim(*find(b, "Opposition outlets report"), "Opposition outlets", None, "report", "reported"),
        confidence=0.8,
        evidence=(
            Evidence("actor", *find(b, "Kataib al-Imam Ali")),
            Evidence("place", *find(b, "Aleppo")),
            Evidence("trigger", *find(b, "opened a recruitment")),
            Evidence("claim", *find(b, "Opposition outlets report")),
        ),
    )
    return Result(article=art, places=(aleppo_pl,), events=(ev,))


def kharkiv() -> Result:
    art = Article.from_paragraphs(
        "tests/kharkiv.txt",
        [
            "Three people were killed when drones struck an energy site in Kharkiv overnight, the "
            "regional governor said.",
            "Officials warned that further strikes could follow next week.",
        ],
        title="Drone strike on Kharkiv energy site kills three",
        published_at="2025-07-02",
    )
    b = art.body
    pl = _place(b, find(b, "Kharkiv"), "Kharkiv", 49.9935, 36.2304, "UKR", "Kharkivska")
    dead = Quantity(*find(b, "Three"), "Three", 3.0, kind="dead")
    ev1 = _event(
        art, "ASSAULT", b[: art.paragraphs[0][1]], mode="aerial", acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Air/drone strike", cameo="19",
        actors=(EventActor("drones"),), recipients=(EventActor("energy site"),),
        place={**pl.to_dict(), "how": "trigger"},
        date={"date_start": "2025-07-01", "date_end": "2025-07-02", "precision": "day", "source": "publication"},
        quantities=(dead,), confidence=0.85,
        evidence=(Evidence("place", *find(b, "Kharkiv")), Evidence("quantity", *find(b, "Three")),
                  Evidence("trigger", *find(b, "struck"))),
    )
    ev2 = _event(
        art, "THREATEN", b[art.paragraphs[1][0]:art.paragraphs[1][1]], flags=EventFlags(future=True, hypothetical=True),
        place={**pl.to_dict(), "how": "article"},
        date={"date_start": "2025-07-07", "date_end": "2025-07-13", "precision": "week", "source": "publication"},
        claim=Claim(*find(b, "Officials warned"), "Officials", None, "warned", "predicted"), confidence=0.4,
        evidence=(Evidence("claim", *find(b, "Officials warned")), Evidence("trigger", *find(b, "strikes"))),
    )
    return Result(article=art, places=(pl,), events=(ev1, ev2))


def hostile() -> Result:
    art = Article.from_paragraphs(
        "tests/<hostile>.html", XSS_BODY.split("\n\n"), title=XSS_TITLE,
        captions=(Caption(f'<svg onload="window.{XSS_MARK}=1"></svg> caption', "<b onclick=x>credit</b>"),),
        published_at="2025-08-01", url=f"javascript:window.{XSS_MARK}=1",
    )
    b = art.body
    pl = _place(b, find(b, "Lyon"), "Lyon", 45.764, 4.8357, "FRA", "Auvergne-Rhône-Alpes")
    actor = f'<img src=x onerror="window.{XSS_MARK}=1">'
    ev = _event(
        art, "PROTEST", b[: art.paragraphs[0][1]], mode="demonstrate", acled_event_type="Protests",
        acled_sub_event_type="Peaceful protest",
        actors=(EventActor(actor, None, "FRA", "CVL"),), place={**pl.to_dict(), "how": "trigger"},
        date=None,  # undated: stats, sorting and the timeline must cope
        confidence=0.6,
        evidence=(Evidence("place", *find(b, "Lyon")), Evidence("trigger", *find(b, "<script>")),
                  Evidence("actor", *find(b, "<a href")), Evidence("date", *find(b, "<img")),
                  Evidence("trigger", *find(art.title or "", "<img"), where="title")),
    )
    return Result(article=art, places=(pl,), events=(ev,))


def entities() -> list[Entity]:
    return [
        Entity("ESP", "Spain", "state", ("Kingdom of Spain",), "ESP", "GOV"),
        Entity("ISR", "Israel", "state", (), "ISR", "GOV"),
        Entity("IRN", "Iran", "state", ("Islamic Republic of Iran",), "IRN", "GOV"),
        Entity("rafael", "Rafael Advanced Defense Systems", "company", ("Rafael",), "ISR", "BUS"),
        Entity("pap_tecnos", "Pap Tecnos", "company", ("PAP Tecnos",), "ESP", "BUS",
               relations=(Relation("subsidiary_of", "rafael"),)),
        Entity("kataib_imam_ali", "Kataib al-Imam Ali", "armed_group", ("Imam Ali Brigades",), "SYR", "REB",
               relations=(Relation("backed_by", "IRN"),)),
    ]


def results() -> list[Result]:
    return [spain(), aleppo(), kharkiv(), hostile()]


def fill(store: Any) -> None:
    for r in results():
        store.upsert(r)
    store.load_entities(entities())


def sample_db(path: Any) -> str:
    """A SQLite store at ``path`` holding the hand-built sample; its URL."""
    from eventwire.store import Store

    url = f"sqlite:///{path}"
    with Store(url) as s:
        fill(s)
    return url
