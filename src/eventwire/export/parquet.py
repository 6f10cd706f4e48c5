"""Parquet (pyarrow): one row per event, typed columns, written in row groups of
:data:`BATCH` events so memory stays flat.

Schema (:data:`SCHEMA`; docs/scale.md lists it too):

======================= =============================== ==========================================
column                  type                            meaning
======================= =============================== ==========================================
id, article_id          string                          content-hash ids
type, mode, context     string                          PLOVER event type, mode, context
acled_event_type, …     string                          ACLED event / sub-event type, CAMEO code
date_start, date_end    date32                          event date range (publication date if none)
date_precision          string                          day, week, month, quarter, year
actors, recipients      list<struct<text, entity_id,    actors and recipients in order
                        country, sector>>
location, admin1,       string                          place name, admin1 name, ISO alpha-3
country
lat, lon                float64                         WGS 84
geo_precision           int8                            1 town … 4 country
geonameid               int64                           GeoNames id
certainty               string                          asserted, reported, hedged, predicted, denied
negated, future, …      bool                            flags
confidence              float32
dead, injured, arrested int32                           largest stated count
summary                 string                          the event's sentence
title, source, url,     string                          the article
published_at
detail                  string (JSON)                   the whole event dict (evidence, quantities…)
======================= =============================== ==========================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import fields as F

# Rows per row group (and per in-memory batch). 50,000 gave a 536 MB peak RSS exporting 100k
# generated events (benchmarks/bench_export.py, 2026-11-28: the Python row dicts dominate);
# 10,000 keeps the peak near the text formats' while row groups stay large enough for
# compression and column scans.
BATCH = 10_000

ACTOR = pa.struct([("text", pa.string()), ("entity_id", pa.string()), ("country", pa.string()),
                   ("sector", pa.string())])
SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("type", pa.string()), ("mode", pa.string()),
    ("context", pa.string()), ("acled_event_type", pa.string()), ("acled_sub_event_type", pa.string()),
    ("cameo", pa.string()), ("date_start", pa.date32()), ("date_end", pa.date32()),
    ("date_precision", pa.string()), ("actors", pa.list_(ACTOR)), ("recipients", pa.list_(ACTOR)),
    ("location", pa.string()), ("admin1", pa.string()), ("country", pa.string()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("geo_precision", pa.int8()), ("geonameid", pa.int64()),
    ("certainty", pa.string()), ("negated", pa.bool_()), ("future", pa.bool_()),
    ("hypothetical", pa.bool_()), ("historical", pa.bool_()), ("confidence", pa.float32()),
    ("dead", pa.int32()), ("injured", pa.int32()), ("arrested", pa.int32()), ("summary", pa.string()),
    ("title", pa.string()), ("source", pa.string()), ("url", pa.string()), ("published_at", pa.string()),
    ("detail", pa.string()),
])  # fmt: skip


def _date(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def record(ev: dict[str, Any]) -> dict[str, Any]:
    r = F.flat(ev)
    r["date_start"], r["date_end"] = _date(r["date_start"]), _date(r["date_end"])
    for role in ("actors", "recipients"):
        r[role] = [{k: a.get(k) for k in ("text", "entity_id", "country", "sector")}
                   for a in F.actors(ev, role)]
    detail = {k: v for k, v in ev.items() if k not in ("article", "summary")}
    r["detail"] = F.dumps(detail)
    return r


def batches(events: Iterable[dict[str, Any]], size: int = BATCH) -> Iterable[pa.RecordBatch]:
    buf: list[dict[str, Any]] = []
    for ev in events:
        buf.append(record(ev))
        if len(buf) >= size:
            yield pa.RecordBatch.from_pylist(buf, schema=SCHEMA)
            buf = []
    if buf:
        yield pa.RecordBatch.from_pylist(buf, schema=SCHEMA)


def write(events: Iterable[dict[str, Any]], out: Any, batch: int = BATCH) -> int:
    """Write ``events`` to ``out`` (path or binary stream); an empty export is a valid file."""
    n = 0
    with pq.ParquetWriter(out, SCHEMA, compression="zstd") as w:
        for b in batches(events, batch):
            w.write_batch(b, row_group_size=batch)
            n += b.num_rows
    return n
