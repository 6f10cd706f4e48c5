"""ACLED CSV: the ACLED codebook's columns, in its order, with its meanings.

Only events the coder mapped to an ACLED event type are written (ACLED has no row for, say, a
CONSULT meeting); the count returned is the rows written. Column choices where our data differs
from ACLED's own coding process:

- ``event_id_cnty``: alpha-3 country code + our content-hash event id (ACLED: ISO3 + number);
- ``event_date``: the event's date, else the article's publication date;
  ``time_precision`` 1 day, 2 week, 3 month or coarser — and 3 for a day read against the
  ingest date (no publication date; ``tags`` then says ``date=ingest-anchored``);
- ``actor1``/``assoc_actor_1``/``actor2``/``assoc_actor_2``/``inter1``/``inter2``/``interaction``:
  the event's ``acled_actors`` (named, typed and paired by ACLED's conventions in
  :mod:`eventwire.kb.acled`, see docs/acled.md); events stored before those fields existed get
  them derived here from their actors' kind, country and sector; a raw text span is never
  written as an actor name;
- ``country``: the country as ACLED names it ("Russia", "Democratic Republic of Congo");
- ``geo_precision`` 1 town, 2 near town/district, 3 region (our country-level 4 becomes 3);
- ``source_scale`` is left empty (we do not know the outlet's reach);
- ``tags`` carries our qualifiers: ``certainty=…`` and flags (negated, future, hypothetical,
  historical), ``; ``-separated;
- ``timestamp``: Unix time of the export (ACLED: of the upload).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TextIO
from urllib.parse import urlsplit

from ..kb import acled as A
from . import fields as F

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# Sub-events the codebook files under both disorder types.
_BOTH = {"Excessive force against protesters", "Protest with intervention", "Violent demonstration",
         "Mob violence"}
_PRECISION = {"day": 1, "week": 2}  # anything coarser (month, quarter, year) is 3

@lru_cache(maxsize=4096)
def _netloc(url: str) -> str:
    return urlsplit(url).netloc


def acled_actors(ev: dict[str, Any]) -> dict[str, Any]:
    """The event's ACLED actor columns: as coded, else derived from its actors."""
    stored = ev.get("acled_actors")
    if stored:
        return dict(stored)
    start, _end, _prec = F.date(ev)
    return A.acled_actors(
        F.actors(ev, "actors"), F.actors(ev, "recipients"), ev.get("acled_event_type"),
        on=start, where=F.place(ev).get("country"),
    ).to_dict()


def _geo_precision(p: int | None) -> int | None:
    return None if p is None else min(int(p), 3)


def row(ev: dict[str, Any], now: int) -> dict[str, Any] | None:
    etype = ev.get("acled_event_type")
    if not etype:
        return None
    sub = ev.get("acled_sub_event_type")
    p = F.place(ev)
    iso3 = p.get("country")
    start, _end, prec = F.date(ev)
    ac = acled_actors(ev)
    i2 = ac.get("inter2")
    disorder = _DISORDER.get(etype, "")
    if sub in _BOTH:
        disorder = "Political violence; Demonstrations"
    flags = ev.get("flags") or {}
    tags = [f"certainty={(ev.get('claim') or {}).get('certainty') or 'asserted'}"]
    tags += [f for f in ("negated", "future", "hypothetical", "historical") if flags.get(f)]
    if F.ingest_anchored(ev):
        tags.append("date=ingest-anchored")  # no publication date: the day is the ingest's guess
    art = ev.get("article") or {}
    source = art.get("publisher") or _netloc(art.get("url") or "") or art.get("source")
    dead = F.quantity(ev, "dead")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{ev['id']}",
        "event_date": start,
        "year": int(start[:4]) if start else None,
        "time_precision": (3 if F.ingest_anchored(ev) else _PRECISION.get(prec or "", 3)) if start else None,
        "disorder_type": disorder,
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": ac.get("actor1"),
        "assoc_actor_1": ac.get("assoc_actor_1"),
        "inter1": ac.get("inter1"),
        "actor2": ac.get("actor2"),
        "assoc_actor_2": ac.get("assoc_actor_2"),
        "inter2": i2,
        "interaction": ac.get("interaction"),
        "civilian_targeting": "Civilian targeting" if i2 == 7 and disorder.startswith("Political violence") else "",
        "iso": F.iso_numeric(iso3),
        "region": F.acled_region(iso3),
        "country": A.country_name(iso3) if iso3 else None,
        "admin1": p.get("admin1"),
        "admin2": None,
        "admin3": None,
        "location": p.get("name"),
        "latitude": None if p.get("lat") is None else round(p["lat"], 4),
        "longitude": None if p.get("lon") is None else round(p["lon"], 4),
        "geo_precision": _geo_precision(p.get("precision")),
        "source": source,
        "source_scale": None,
        "notes": ev.get("summary"),
        "fatalities": dead or 0,
        "tags": "; ".join(tags),
        "timestamp": now,
    }


def write(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    now, n = int(time.time()), 0
    for ev in events:
        r = row(ev, now)
        if r is not None:
            w.writerow(F.safe_row(r))  # spreadsheet formulas made inert
            n += 1
    return n
