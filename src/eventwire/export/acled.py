"""ACLED CSV: the ACLED codebook's columns, in its order, with its meanings.

Only events the coder mapped to an ACLED event type are written (ACLED has no row for, say, a
CONSULT meeting); the count returned is the rows written. Column choices where our data differs
from ACLED's own coding process:

- ``event_id_cnty``: alpha-3 country code + our content-hash event id (ACLED: ISO3 + number);
- ``event_date``: the event's date, else the article's publication date;
  ``time_precision`` 1 day, 2 week, 3 month or coarser;
- ``inter1``/``inter2``: the codebook's numeric actor types from the actor's PLOVER sector
  (1 state forces, 2 rebel groups, 3 political militias, 4 identity militias, 5 rioters,
  6 protesters, 7 civilians, 8 external/other forces); ``interaction`` the two codes joined,
  lower first (``inter1 * 10`` when there is no second actor);
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

# PLOVER sector → ACLED actor type (inter code). State institutions are state forces; an armed
# non-state group is a rebel group unless marked militia; civilians and the professions ACLED
# counts as civilians (journalists, aid and health workers, teachers) are 7.
_INTER = {
    "GOV": 1, "MIL": 1, "COP": 1, "JUD": 1, "LEG": 1, "SPY": 1,
    "REB": 2, "INS": 2, "UAF": 2,
    "PRM": 3, "MIL_PRM": 3, "PTY": 3,
    "ETH": 4, "REL": 4,
    "RIO": 5,
    "OPP": 6, "PRO": 6, "LAB": 6,
    "CVL": 7, "REF": 7, "JRN": 7, "MED": 7, "EDU": 7, "HLH": 7, "AGR": 7, "CRM": 7,
    "IGO": 8, "NGO": 8, "BUS": 8, "PKO": 8,
}  # fmt: skip


@lru_cache(maxsize=4096)
def _netloc(url: str) -> str:
    return urlsplit(url).netloc


def inter(actor: dict[str, Any] | None) -> int | None:
    if not actor:
        return None
    return _INTER.get((actor.get("sector") or "").upper())


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
    a1, a2 = F.actors(ev, "actors"), F.actors(ev, "recipients")
    i1, i2 = inter(a1[0] if a1 else None), inter(a2[0] if a2 else None)
    interaction: int | None
    if i1 and i2:
        interaction = int(f"{min(i1, i2)}{max(i1, i2)}")
    else:
        interaction = (i1 or i2 or 0) * 10 or None
    disorder = _DISORDER.get(etype, "")
    if sub in _BOTH:
        disorder = "Political violence; Demonstrations"
    flags = ev.get("flags") or {}
    tags = [f"certainty={(ev.get('claim') or {}).get('certainty') or 'asserted'}"]
    tags += [f for f in ("negated", "future", "hypothetical", "historical") if flags.get(f)]
    art = ev.get("article") or {}
    source = art.get("publisher") or _netloc(art.get("url") or "") or art.get("source")
    dead = F.quantity(ev, "dead")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{ev['id']}",
        "event_date": start,
        "year": int(start[:4]) if start else None,
        "time_precision": _PRECISION.get(prec or "", 3) if start else None,
        "disorder_type": disorder,
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": a1[0].get("text") if a1 else None,
        "assoc_actor_1": F.joined([a.get("text") for a in a1[1:]]),
        "inter1": i1,
        "actor2": a2[0].get("text") if a2 else None,
        "assoc_actor_2": F.joined([a.get("text") for a in a2[1:]]),
        "inter2": i2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if i2 == 7 and disorder.startswith("Political violence") else "",
        "iso": F.iso_numeric(iso3),
        "region": F.acled_region(iso3),
        "country": F.country_name(iso3),
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
