"""Event responses as CSV and GeoJSON (streamed, one event at a time)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..export.fields import FLAT_COLUMNS, flat

# The API's CSV and GeoJSON rows are the export's flat rows: a table saved from the UI has the
# same columns as `eventwire export --format csv`.
CSV_COLUMNS = list(FLAT_COLUMNS)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: article text is untrusted and CSV opens in Excel."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
