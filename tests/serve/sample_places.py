"""A wider sample for the map and dashboard tests: events at 30 places, some close enough to
cluster, two on either side of the antimeridian (Suva, Fiji; Apia, Samoa) and one in Chukotka,
with deaths reported in some. Texts are written for these tests (one short sentence per event)."""

from __future__ import annotations

from typing import Any

from eventwire.records import Article, Event, EventActor, Evidence, Place, Quantity, Result

# name, lat, lon, ISO alpha-3, events there
PLACES: list[tuple[str, float, float, str, int]] = [
    ("Kyiv", 50.45, 30.52, "UKR", 12), ("Bucha", 50.54, 30.21, "UKR", 2), ("Irpin", 50.52, 30.25, "UKR", 2),
    ("Brovary", 50.51, 30.79, "UKR", 1), ("Chernihiv", 51.49, 31.29, "UKR", 2), ("Odesa", 46.48, 30.72, "UKR", 3),
    ("Mykolaiv", 46.97, 31.99, "UKR", 2), ("Kherson", 46.64, 32.61, "UKR", 2), ("Dnipro", 48.46, 35.05, "UKR", 2),
    ("Zaporizhzhia", 47.84, 35.14, "UKR", 2), ("Donetsk", 48.0, 37.8, "UKR", 1), ("Belgorod", 50.6, 36.59, "RUS", 2),
    ("Kursk", 51.73, 36.19, "RUS", 1), ("Moscow", 55.75, 37.62, "RUS", 2), ("Anadyr", 64.73, 177.51, "RUS", 1),
    ("Damascus", 33.51, 36.29, "SYR", 2), ("Homs", 34.73, 36.71, "SYR", 1), ("Idlib", 35.93, 36.63, "SYR", 2),
    ("Beirut", 33.89, 35.5, "LBN", 2), ("Gaza", 31.5, 34.47, "PSE", 3), ("Rafah", 31.29, 34.25, "PSE", 2),
    ("Khartoum", 15.5, 32.56, "SDN", 10), ("El Fasher", 13.63, 25.35, "SDN", 2), ("Sanaa", 15.37, 44.19, "YEM", 1),
    ("Goma", -1.68, 29.22, "COD", 2), ("Bamako", 12.64, -8.0, "MLI", 1), ("Caracas", 10.49, -66.88, "VEN", 1),
    ("Manila", 14.6, 120.98, "PHL", 1), ("Suva", -18.14, 178.44, "FJI", 2), ("Apia", -13.83, -171.76, "WSM", 1),
]
TYPES = ["ASSAULT", "PROTEST", "COERCE", "THREATEN", "AGREE", "MOBILIZE", "ACCUSE", "AID"]


def results() -> list[Result]:
    out = []
    k = 0
    for name, lat, lon, iso3, n in PLACES:
        sentences = [f"Report {i + 1} from {name}: {3 * i + 2} people were killed in {name}." if i % 3 == 0
                     else f"Report {i + 1} from {name}: officials met in {name}." for i in range(n)]
        art = Article.from_paragraphs(f"tests/places/{name}.txt", sentences, title=f"News from {name}",
                                      published_at=f"2025-{5 + k % 4:02d}-{1 + k % 27:02d}")
        b = art.body
        events = []
        places = []
        for i, (s, e) in enumerate(art.paragraphs):
            at = b.index(name, s + len("Report 1 from "))
            pl = Place(start=at, end=at + len(name), text=name, name=name, geonameid=None, lat=lat, lon=lon,
                       country=iso3, admin1=None, feature="P.PPL", precision=1)
            places.append(pl)
            type_ = TYPES[(k + i) % len(TYPES)]
            qty: tuple[Quantity, ...] = ()
            if i % 3 == 0:
                num = str(3 * i + 2)
                qs = b.index(num, s)
                qty = (Quantity(qs, qs + len(num), num, float(num), kind="dead"),)
            day = 1 + (k * 3 + i * 5) % 28
            month = 5 + (k + i) % 4
            events.append(Event(
                id=Event.make_id(art.id, (s, e), type_), article_id=art.id, type=type_, sentence=(s, e),
                actors=(EventActor(f"Group {chr(65 + (k + i) % 6)}"),),
                place={**pl.to_dict(), "how": "trigger"},
                date={"date_start": f"2025-{month:02d}-{day:02d}", "date_end": f"2025-{month:02d}-{day:02d}",
                      "precision": "day", "source": "publication"},
                quantities=qty, confidence=0.7,
                evidence=(Evidence("place", at, at + len(name)),),
            ))
            k += 1
        out.append(Result(article=art, places=tuple(places), events=tuple(events)))
    return out


def fill(store: Any) -> None:
    from tests.serve import sample

    sample.fill(store)
    for r in results():
        store.upsert(r)
