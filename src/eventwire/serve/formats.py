"""Event responses as CSV and GeoJSON (streamed, one event at a time)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

CSV_COLUMNS = [
    "id", "article_id", "type", "mode", "context", "acled_event_type", "acled_sub_event_type",
    "cameo", "date_start", "date_end", "date_precision", "country", "admin1", "location", "lat",
    "lon", "geo_precision", "actors", "actor_ids", "recipients", "recipient_ids", "certainty",
    "negated", "future", "hypothetical", "historical", "confidence", "fatalities", "summary",
    "article_title", "article_url", "published_at",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: article text is untrusted and CSV opens in Excel."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def flat(ev: dict[str, Any]) -> dict[str, Any]:
    """An API event (Event.to_dict() + article) as one flat row."""
    place = ev.get("place") or {}
    date = ev.get("date") or {}
    claim = ev.get("claim") or {}
    flags = ev.get("flags") or {}
    art = ev.get("article") or {}
    dead = [q.get("value") for q in ev.get("quantities") or [] if q.get("kind") == "dead"]
    return {
        "id": ev.get("id"),
        "article_id": ev.get("article_id"),
        "type": ev.get("type"),
        "mode": ev.get("mode"),
        "context": ev.get("context"),
        "acled_event_type": ev.get("acled_event_type"),
        "acled_sub_event_type": ev.get("acled_sub_event_type"),
        "cameo": ev.get("cameo"),
        "date_start": date.get("date_start"),
        "date_end": date.get("date_end"),
        "date_precision": date.get("precision"),
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "location": place.get("name"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "geo_precision": place.get("precision"),
        "actors": "; ".join(a.get("text") or "" for a in ev.get("actors") or []),
        "actor_ids": "; ".join(a.get("entity_id") or "" for a in ev.get("actors") or []),
        "recipients": "; ".join(a.get("text") or "" for a in ev.get("recipients") or []),
        "recipient_ids": "; ".join(a.get("entity_id") or "" for a in ev.get("recipients") or []),
        "certainty": claim.get("certainty") or "asserted",
        "negated": bool(flags.get("negated")),
        "future": bool(flags.get("future")),
        "hypothetical": bool(flags.get("hypothetical")),
        "historical": bool(flags.get("historical")),
        "confidence": ev.get("confidence"),
        "fatalities": int(max(dead)) if dead else None,
        "summary": ev.get("summary"),
        "article_title": art.get("title"),
        "article_url": art.get("url"),
        "published_at": art.get("published_at"),
    }


def csv_stream(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for ev in events:
        w.writerow({k: _cell(v) for k, v in flat(ev).items()})
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def feature(ev: dict[str, Any]) -> dict[str, Any] | None:
    row = flat(ev)
    if row["lat"] is None or row["lon"] is None:
        return None
    props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
    return {"type": "Feature", "id": ev.get("id"),
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": props}


def geojson_stream(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A FeatureCollection of the located events (events without a place have no geometry and
    are left out; the JSON format lists them)."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for ev in events:
        f = feature(ev)
        if f is None:
            continue
        yield ("" if first else ",\n") + json.dumps(f, ensure_ascii=False)
        first = False
    yield "]}\n"
