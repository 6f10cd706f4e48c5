"""GDELT 2.0 event table: the 61 tab-separated columns of the GDELT 2.0 Event Codebook, in order,
no header row (as GDELT ships it; :data:`COLUMNS` names them).

Our values where GDELT's own process differs:

- ``GlobalEventID``: the first 15 hex digits of our content-hash id as an integer (stable);
- actor codes are CAMEO-style country + sector (``SYRMIL``); ``Actor*Type1Code`` the sector;
- ``IsRootEvent`` 1 when the event's sentence starts in the first 300 characters of the body
  (≈ the lead paragraph, GDELT's definition);
- ``EventCode``/``EventBaseCode``/``EventRootCode`` from our CAMEO code (a 2-digit root is padded
  to its ``xx0`` base code); ``QuadClass`` from the root (01-05 verbal cooperation, 06-08 material
  cooperation, 09-13 verbal conflict, 14-20 material conflict); ``GoldsteinScale`` the CAMEO
  Goldstein value of the base code ``xx0`` of the root;
- ``NumMentions``/``NumSources``/``NumArticles`` are 1 (one article per stored event) unless the
  event is a merged story event (``canonical`` counts from the cluster stage);
- ``AvgTone`` empty (we do not score tone); actor geo empty (we locate events, not actors);
- ``ActionGeo_Type`` 1 country, 5 ADM1 region, 4 town; country codes are FIPS 10-4 as in GDELT;
  ``ActionGeo_ADM1Code`` is the FIPS country code (our admin1 is a name, not a FIPS code);
- ``DATEADDED`` the export time (UTC, YYYYMMDDHHMMSS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TextIO

from . import fields as F

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
COLUMNS = (
    ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{c}" for c in _ACTOR) + tuple(f"Actor2{c}" for c in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{c}" for c in _GEO) + tuple(f"Actor2Geo_{c}" for c in _GEO)
    + tuple(f"ActionGeo_{c}" for c in _GEO)
    + ("DATEADDED", "SOURCEURL")
)
assert len(COLUMNS) == 61  # the GDELT 2.0 event table

# CAMEO Goldstein scale of each root's base code (010, 020, … 200).
GOLDSTEIN = {
    "01": 0.0, "02": 3.0, "03": 4.0, "04": 1.0, "05": 3.5, "06": 6.0, "07": 7.0, "08": 5.0,
    "09": -2.0, "10": -5.0, "11": -2.0, "12": -4.0, "13": -4.4, "14": -6.5, "15": -7.2,
    "16": -4.0, "17": -7.0, "18": -9.0, "19": -10.0, "20": -10.0,
}  # fmt: skip
# Body offset below which a sentence counts as the lead paragraph.
LEAD_CHARS = 300


def quad(root: str) -> int | None:
    if not root.isdigit():
        return None
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4 if r <= 20 else None


def _actor(acts: list[dict[str, Any]]) -> list[Any]:
    if not acts:
        return [""] * len(_ACTOR)
    a = acts[0]
    country, sector = a.get("country") or "", a.get("sector") or ""
    return [country + sector, (a.get("text") or "").upper(), country, "", "", "", "", sector, "", ""]


def _geo(p: dict[str, Any]) -> list[Any]:
    if p.get("lat") is None:
        return [""] * len(_GEO)
    prec = p.get("precision") or 4
    gtype = 1 if prec >= 4 else 5 if prec == 3 else 4
    country = F.country_name(p.get("country")) or ""
    full = ", ".join(x for x in (p.get("name"), p.get("admin1"), country) if x)
    fips = F.fips(p.get("country"))
    return [gtype, full, fips, fips, "", round(p["lat"], 4), round(p["lon"], 4), p.get("geonameid") or ""]


def row(ev: dict[str, Any], added: str) -> list[Any]:
    start, _end, _prec = F.date(ev)
    d = dt.date.fromisoformat(start) if start else None
    code = "".join(ch for ch in (ev.get("cameo") or "") if ch.isdigit())
    if len(code) == 2:
        code += "0"
    root = code[:2]
    sent = ev.get("sentence") or [0, 0]
    art = ev.get("article") or {}
    canon = ev.get("canonical") or {}  # merged story event: counts over its source events
    return [
        int(ev["id"][:15], 16) if all(c in "0123456789abcdef" for c in ev["id"][:15]) else ev["id"],
        d.strftime("%Y%m%d") if d else "",
        d.strftime("%Y%m") if d else "",
        d.year if d else "",
        round(d.year + (d.timetuple().tm_yday - 1) / 365, 4) if d else "",
        *_actor(F.actors(ev, "actors")),
        *_actor(F.actors(ev, "recipients")),
        1 if (sent[0] or 0) < LEAD_CHARS else 0,
        code, code[:3], root, quad(root) or "", GOLDSTEIN.get(root, ""),
        canon.get("num_mentions") or 1, canon.get("num_sources") or 1, canon.get("num_articles") or 1, "",
        *([""] * len(_GEO)), *([""] * len(_GEO)),
        *_geo(F.place(ev)),
        added, art.get("url") or art.get("source") or "",
    ]


def _clean(v: Any) -> str:
    # Tabs and newlines would break the row; GDELT fields never contain them.
    return "" if v is None else str(v).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    added = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    n = 0
    for ev in events:
        out.write("\t".join(_clean(v) for v in row(ev, added)) + "\n")
        n += 1
    return n
