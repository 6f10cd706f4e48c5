"""Columnar exports (issue 16.3): SQL → Arrow record batches → bytes, no event dict per row.

``csv``, ``acled-csv``, ``gdelt-tsv`` and ``parquet`` are written here when exporting from a
store (:func:`eventwire.export.write`); the row writers (``csvfile``, ``acled``, ``gdelt``,
``parquet``) stay the reference and write already-loaded event dicts
(:func:`eventwire.export.stream`). The tests compare both paths byte for byte.

How
---
One SELECT per part of the date order (current events, then historical/future ones, as
:func:`eventwire.store.query.iter_events`) with the filter of :func:`eventwire.store.query.where`.
It selects the events' flat columns, the article's, and one small JSON object per row built by
the database from the stored event JSON (parsed once per row, ``json_extract`` on SQLite,
``->`` on PostgreSQL) with the values that live only there: the actor and recipient lists, the
quantities, ``geonameid``, the sentence offset, the date anchor, the stored ACLED actor columns.
pyarrow.json parses those objects per batch; counts, filtered actor lists and joined actor
fields are then Arrow kernels (the row writers read the same JSON). Reviews (``event_reviews``,
issue 15.1) are laid over in SQL: each overlay column is ``COALESCE(review, machine)``, the fatalities overlay replaces the
largest dead count, rejected events and the events of out-of-scope articles are left out; an
actors overlay replaces the whole list (done in Python for those few rows).

- PostgreSQL: ``COPY (SELECT …) TO STDOUT (FORMAT csv)`` streamed into ``pyarrow.csv``'s
  incremental reader: the server formats, Arrow parses, Python touches only blocks of bytes.
- SQLite: the stdlib driver's cursor, ``fetchmany`` of :data:`BATCH` rows, one Arrow array per
  column.

Each batch is then turned into the format's columns with ``pyarrow.compute`` (country names,
regions, FIPS codes … are looked up once per distinct value) and written: Parquet through
``pyarrow.parquet``, the text formats as one UTF-8 buffer per batch built by Arrow string kernels
with the csv module's minimal quoting (a field with ``,``, ``"`` or a newline is quoted, ``"``
doubled), Python's spelling of numbers (``1.0``, ``1e-05``) and of booleans (``True``), so the
bytes equal the row writers' (``pyarrow.csv`` would quote every string and write ``1`` and
``true``).

Spreadsheet formulas are neutralised in both CSV formats as in the API and the row writers
(:func:`eventwire.export.fields.safe_cell`: a string cell starting with ``= + - @``, tab or CR
gets a leading apostrophe); GDELT TSV is not a spreadsheet format and is written as GDELT ships
it, tabs and newlines inside values turned into spaces.

Known differences from the row writers
--------------------------------------
- Parquet ``detail`` is the stored event JSON as the database holds it (plus ``canonical`` for a
  merged event), the same JSON value as the row writer's but not the same text (key spacing,
  ``\\u`` escapes of non-ASCII): re-serialising every event in Python is what made the export slow.
- Events stored without ``acled_actors`` (before the coder named them) and rows whose actors a
  review edited get their ACLED actor columns / actor lists in Python, row by row, as before.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from ..kb import acled as A
from . import fields as F

#: Formats this module writes from a store.
FORMATS = ("csv", "acled-csv", "gdelt-tsv", "parquet")

# Rows per SQLite fetch (an Arrow batch, a Parquet row group). 50,000 peaked at 450-690 MB RSS on
# 100k events (Python row tuples of a whole fetch); 10,000 at 250-330 MB, with the per-batch
# overheads (~60 compute calls) still ~2% of the time (benchmarks/bench_export.py, 2026-12-02).
BATCH = 10_000
# Bytes per block of the PostgreSQL COPY stream handed to the Arrow CSV reader (its block size,
# so its batch): 4 MB ≈ 10k rows of the Parquet select, the SQLite batch (same measurement).
PG_BLOCK = 4 << 20

_US, _RS = "\x1f", "\x1e"  # unit / record separators inside the folded actor strings
_ROLES = ("actor", "recipient")
_AFIELDS = ("text", "entity_id", "country", "sector")


# ------------------------------------------------------------------------------------ columns
# (name, arrow type): what each format reads from the select. The SQL for each is in _sql_cols.
_TYPES: dict[str, pa.DataType] = {
    "id": pa.string(), "article_id": pa.string(), "type": pa.string(), "mode": pa.string(),
    "context": pa.string(), "acled_event_type": pa.string(), "acled_sub_event_type": pa.string(),
    "cameo": pa.string(), "ds": pa.string(), "de": pa.string(), "date_precision": pa.string(),
    "anchor": pa.string(), "location": pa.string(), "admin1": pa.string(), "country": pa.string(),
    "lat": pa.float64(), "lon": pa.float64(), "geo_precision": pa.int64(), "geonameid": pa.int64(),
    "certainty": pa.string(), "negated": pa.bool_(), "future": pa.bool_(), "hypothetical": pa.bool_(),
    "historical": pa.bool_(), "confidence": pa.float64(), "dead": pa.int64(), "injured": pa.int64(),
    "arrested": pa.int64(), "summary": pa.string(), "title": pa.string(), "source": pa.string(),
    "url": pa.string(), "published_at": pa.string(), "sent0": pa.int64(),
    "num_mentions": pa.int64(), "num_sources": pa.int64(), "num_articles": pa.int64(),
    "rv_actors": pa.string(), "j": pa.string(),
    "rv_fat": pa.int64(),
    "has_acled_actors": pa.bool_(), "legacy_data": pa.string(),
    "ac_actor1": pa.string(), "ac_assoc_actor_1": pa.string(), "ac_inter1": pa.int64(),
    "ac_actor2": pa.string(), "ac_assoc_actor_2": pa.string(), "ac_inter2": pa.int64(),
    "ac_interaction": pa.int64(), "detail": pa.string(),
}  # fmt: skip

# Values read from the event JSON: the database extracts them into one small JSON object per row
# ("j": one parse of the stored JSON, cached across the extracts), which pyarrow.json parses per
# batch in C++. Three json_each subqueries for the counts and two event_actors subqueries for the
# actors cost ~4× as much on SQLite (22 of ~35 µs a row, 100k events, 2026-12-02).
_J_ACTOR = pa.struct([("text", pa.string()), ("entity_id", pa.string()), ("country", pa.string()),
                      ("sector", pa.string())])
_J_KEYS: dict[str, tuple[tuple[str | int, ...], pa.DataType]] = {
    "q": (("quantities",), pa.list_(pa.struct([("kind", pa.string()), ("value", pa.float64()),
                                                ("value_max", pa.float64())]))),
    "a": (("actors",), pa.list_(_J_ACTOR)), "r": (("recipients",), pa.list_(_J_ACTOR)),
    "g": (("place", "geonameid"), pa.int64()), "s": (("sentence", 0), pa.int64()),
    "an": (("date", "anchor"), pa.string()),
    "ac": (("acled_actors",), pa.struct([(k, pa.string() if k[0] != "i" else pa.int64()) for k in (
        "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction")])),
}
#: virtual column → the "j" key it comes from
_VIRTUAL = {"dead": "q", "injured": "q", "arrested": "q", "acts_actor": "a", "acts_recipient": "r",
            "geonameid": "g", "sent0": "s", "anchor": "an",
            **{f"ac_{k}": "ac" for k in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
                                         "inter2", "interaction")}}

_FLAT_NEEDS = ("id", "article_id", "type", "mode", "context", "acled_event_type", "acled_sub_event_type",
               "cameo", "ds", "de", "date_precision", "acts_actor", "acts_recipient", "rv_actors",
               "location", "admin1", "country", "lat", "lon", "geo_precision", "geonameid", "certainty",
               "negated", "future", "hypothetical", "historical", "confidence", "dead", "injured",
               "arrested", "summary", "title", "source", "url", "published_at")
NEEDS: dict[str, tuple[str, ...]] = {
    "csv": _FLAT_NEEDS,
    "parquet": (*_FLAT_NEEDS, "detail"),
    "acled-csv": ("id", "acled_event_type", "acled_sub_event_type", "ds", "date_precision", "anchor",
                  "country", "admin1", "location", "lat", "lon", "geo_precision", "certainty", "negated",
                  "future", "hypothetical", "historical", "dead", "summary", "source", "url", "published_at",
                  "has_acled_actors", "legacy_data", "rv_actors", "ac_actor1", "ac_assoc_actor_1",
                  "ac_inter1", "ac_actor2", "ac_assoc_actor_2", "ac_inter2", "ac_interaction"),
    "gdelt-tsv": ("id", "ds", "published_at", "acts_actor", "acts_recipient", "rv_actors", "sent0", "cameo",
                  "num_mentions", "num_sources", "num_articles", "lat", "lon", "geo_precision", "location",
                  "admin1", "country", "geonameid", "url", "source"),
}


def _has_reviews(store: Any) -> bool:
    return bool(sa.inspect(store.engine).has_table("event_reviews"))


def _sql_cols(store: Any, names: tuple[str, ...], reviews: bool) -> list[Any]:
    """The labelled SQL expression of each wanted column, for the store's dialect."""
    from ..store.clusters import canon
    from ..store.schema import articles, event_reviews, events

    e, pg = events, store.dialect == "postgresql"
    er = event_reviews if reviews else None

    def ov(col: str, machine: Any) -> Any:  # the reviewed value over the machine's
        return machine if er is None else sa.func.coalesce(er.c[col], machine)

    def jobj(keys: list[str]) -> Any:
        # One JSON object of the wanted values of the event JSON (see _J_KEYS).
        if pg:
            # The top-level values come from _JX (json_to_record: one parse of the stored JSON per
            # row); "->" on the json column parsed the whole text again for every key.
            def path(p: tuple[str | int, ...]) -> str:
                return f"{_JX}.{p[0]}" + "".join(f"->{x}" if isinstance(x, int) else f"->'{x}'" for x in p[1:])
            inner = ", ".join(f"'{k}', {path(_J_KEYS[k][0])}" for k in keys)
            return sa.literal_column(f"json_build_object({inner})::text")

        def jpath(p: tuple[str | int, ...]) -> str:
            return "$" + "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in p)
        inner = ", ".join(f"'{k}', json_extract(events.data, '{jpath(_J_KEYS[k][0])}')" for k in keys)
        return sa.literal_column(f"json_object({inner})")

    def detail() -> Any:
        # The stored event JSON; a merged event's gets its "canonical" object like iter_events'.
        if pg:
            cobj = ("json_build_object('id', events.canonical_id, 'num_mentions', canonical_events.num_mentions, "
                    "'num_sources', canonical_events.num_sources, 'num_articles', canonical_events.num_articles, "
                    "'fatalities_min', canonical_events.fatalities_min, 'fatalities_max', "
                    "canonical_events.fatalities_max, 'sources', canonical_events.sources, 'confidence', "
                    "(SELECT max(p.confidence) FROM events AS p WHERE p.canonical_id = events.canonical_id))")
            return sa.literal_column(
                f"CASE WHEN events.canonical_id IS NULL THEN events.data::text ELSE "
                f"(events.data::jsonb || jsonb_build_object('canonical', {cobj}))::text END")
        cobj = ("json_object('id', events.canonical_id, 'num_mentions', canonical_events.num_mentions, "
                "'num_sources', canonical_events.num_sources, 'num_articles', canonical_events.num_articles, "
                "'fatalities_min', canonical_events.fatalities_min, 'fatalities_max', "
                "canonical_events.fatalities_max, 'sources', json(canonical_events.sources), 'confidence', "
                "(SELECT max(p.confidence) FROM events AS p WHERE p.canonical_id = events.canonical_id))")
        return sa.literal_column(
            f"CASE WHEN events.canonical_id IS NULL THEN events.data ELSE "
            f"json_set(events.data, '$.canonical', json({cobj})) END")

    # On PostgreSQL from the json_to_record alias when the select has it (the ACLED actor columns
    # come in "j"), without one more parse of events.data.
    has_ac: Any = (sa.literal_column(f"(json_typeof({_JX}.acled_actors) = 'object')") if pg and "ac_actor1" in names
                   else sa.literal_column("(json_typeof(events.data->'acled_actors') = 'object')") if pg else
                   sa.literal_column("(json_type(events.data, '$.acled_actors') = 'object')"))
    expr: dict[str, Callable[[], Any]] = {
        "id": lambda: e.c.id, "article_id": lambda: e.c.article_id,
        "type": lambda: ov("type", e.c.type), "mode": lambda: e.c.mode, "context": lambda: e.c.context,
        "acled_event_type": lambda: ov("acled_event_type", e.c.acled_event_type),
        "acled_sub_event_type": lambda: ov("acled_sub_event_type", e.c.acled_sub_event_type),
        "cameo": lambda: e.c.cameo,
        "ds": lambda: ov("date_start", e.c.date_start), "de": lambda: ov("date_end", e.c.date_end),
        "date_precision": lambda: e.c.date_precision,
        "location": lambda: ov("location", e.c.location), "admin1": lambda: ov("admin1", e.c.admin1),
        "country": lambda: ov("country", e.c.country), "lat": lambda: ov("lat", e.c.lat),
        "lon": lambda: ov("lon", e.c.lon), "geo_precision": lambda: e.c.geo_precision,
        "certainty": lambda: e.c.certainty,
        "negated": lambda: e.c.negated, "future": lambda: e.c.future,
        "hypothetical": lambda: e.c.hypothetical, "historical": lambda: e.c.historical,
        "confidence": lambda: e.c.confidence,
        "rv_fat": lambda: sa.literal_column("NULL") if er is None else er.c.fatalities,
        "summary": lambda: e.c.summary, "title": lambda: articles.c.title, "source": lambda: articles.c.source,
        "url": lambda: articles.c.url, "published_at": lambda: articles.c.published_at,
        "num_mentions": lambda: canon.c.num_mentions, "num_sources": lambda: canon.c.num_sources,
        "num_articles": lambda: canon.c.num_articles,
        "rv_actors": lambda: sa.literal_column("NULL") if er is None else (
            sa.cast(er.c.actors, sa.Text) if pg else er.c.actors),
        "has_acled_actors": lambda: has_ac,
        "legacy_data": lambda: sa.case(
            (has_ac if er is None else sa.and_(has_ac, er.c.actors.is_(None)), sa.null()),
            else_=sa.cast(e.c.data, sa.Text) if pg else e.c.data),
        "detail": detail,
    }
    jkeys = sorted({_VIRTUAL[n] for n in names if n in _VIRTUAL})
    out = [expr[n]().label(n) for n in names if n not in _VIRTUAL]
    if jkeys:
        out.append(jobj(jkeys).label("j"))
    if "dead" in names:
        out.append(expr["rv_fat"]().label("rv_fat"))
    return out


# PostgreSQL: the alias of json_to_record(events.data) in the select. The "j" object built from it
# took the server 2.1-3.2 s per 100k events where "->" on events.data took 3.2-5.7 s (ADBC fetch
# of the CSV select, 100k events, load 2-5, 2026-12-03).
_JX = "ewx"


def _json_record(keys: list[str]) -> Any:
    """json_to_record(events.data) AS ewx(k json, ...) for the top-level keys of ``keys``."""
    from ..store.schema import events

    tops = sorted({str(_J_KEYS[k][0][0]) for k in keys})
    fn = sa.func.json_to_record(events.c.data).table_valued(*(sa.column(t, sa.JSON) for t in tops))
    # (no LATERAL keyword needed: a function in FROM may refer to the earlier FROM items)
    return fn.render_derived(name=_JX, with_types=True)


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)


def _selects(store: Any, f: Any, names: tuple[str, ...], where_extra: list[Any], sort: str = "date",
             desc: bool = False) -> list[Any]:
    """One SELECT per part of the export order, as iter_events orders ``sort``/``desc`` (the date
    sort: current events, then the historical/future ones, each by date with missing dates
    last, then id; another sort: one SELECT)."""
    from ..store import query as Q
    from ..store.clusters import canon
    from ..store.schema import article_reviews, articles, event_reviews, events

    reviews = _has_reviews(store)
    frm = events.join(articles, articles.c.id == events.c.article_id)
    if any(n in names for n in ("num_mentions", "num_sources", "num_articles", "detail")):
        frm = frm.outerjoin(canon, canon.c.id == events.c.canonical_id)
    conds = list(where_extra)
    if reviews:
        er, arv = event_reviews, article_reviews
        frm = frm.outerjoin(er, er.c.event_id == events.c.id)
        if getattr(f, "rejected", "hide") == "hide":
            # Rejected events and those of out-of-scope articles are not exported (issue 15.1);
            # where() says so too once reviews filter there: the repeat costs nothing.
            conds.append(sa.or_(er.c.status.is_(None), er.c.status != "rejected"))
            conds.append(events.c.article_id.not_in(
                sa.select(arv.c.article_id).where(arv.c.out_of_scope.is_(True))))
    cols = _sql_cols(store, names, reviews)
    jkeys = sorted({_VIRTUAL[n] for n in names if n in _VIRTUAL})
    if jkeys and store.dialect == "postgresql":
        frm = frm.join(_json_record(jkeys), sa.true())
    parts = Q._date_parts(store, f, sort) or [Q.where(store, f)]
    order = Q._order(store, sort, desc)
    return [sa.select(*cols).select_from(frm).where(*p, *conds).order_by(*order) for p in parts]


def _sql(store: Any, q: Any) -> str:
    return str(q.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))


# ------------------------------------------------------------------------------------ fetching
#: PostgreSQL: fetch through the ADBC driver (``pip install eventwire[export]``:
#: adbc-driver-postgresql) when it is installed: the result comes as Arrow batches built in C, no
#: Python object per value. EVENTWIRE_EXPORT_ADBC=0 (or setting this False) uses psycopg's COPY
#: into pyarrow.csv instead, the same batches.
USE_ADBC = os.environ.get("EVENTWIRE_EXPORT_ADBC", "1") != "0"


def _adbc(dialect: str) -> Any | None:
    """The ADBC driver's DB-API module for ``dialect``, or None (not installed, or switched off)."""
    if not USE_ADBC:
        return None
    try:
        return importlib.import_module(f"adbc_driver_{dialect}.dbapi")
    except ImportError:
        return None


def _conform(b: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """An ADBC batch in the select's Arrow types (int4 counts to int64, the fields' metadata
    dropped)."""
    cols = [c if c.type == f.type else pc.cast(c, f.type) for c, f in zip(b.columns, schema, strict=True)]
    return pa.RecordBatch.from_arrays(cols, schema=schema)


def _batches_sqlite(store: Any, q: Any, schema: pa.Schema, size: int) -> Iterator[pa.RecordBatch]:
    # Not ADBC's SQLite driver: it links its own copy of SQLite, and two copies in one process
    # break each other's locks (sqlite.org/howtocorrupt.html 2.2.1). Tried (adbc-driver-sqlite
    # 1.13, SQLite 3.53 beside the stdlib's 3.40): its reads missed rows the stdlib connection
    # had committed in WAL mode, and the next stdlib connection got "disk I/O error".
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(_sql(store, q))
        types = [schema.field(i).type for i in range(len(schema))]
        while rows := cur.fetchmany(size):
            cols = list(zip(*rows, strict=True))
            # SQLite has no booleans: 0/1 integers, cast.
            yield pa.RecordBatch.from_arrays(
                [pa.array(c, pa.int64()).cast(t) if t == pa.bool_() else pa.array(c, t)
                 for c, t in zip(cols, types, strict=True)], schema=schema)
        cur.close()
    finally:
        raw.close()


class _CopyReader(io.RawIOBase):
    """A file object over a psycopg COPY TO STDOUT stream (for pyarrow.csv.open_csv)."""

    def __init__(self, copy: Any) -> None:
        self._copy, self._buf = copy, memoryview(b"")

    def empty(self) -> bool:
        """Whether the stream holds no byte at all (Arrow's reader refuses an empty file)."""
        if not self._buf:
            self._buf = memoryview(bytes(self._copy.read()))
        return not self._buf

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf:
            chunk = self._copy.read()
            if not chunk:
                return 0
            self._buf = memoryview(bytes(chunk))
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _batches_pg(store: Any, q: Any, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    dbapi = _adbc("postgresql")
    if dbapi is None:
        yield from _batches_pg_copy(store, q, schema)
        return
    # The driver reads the result with COPY … (FORMAT binary) into Arrow (client CPU 0.4-0.5 s per
    # 100k events where COPY csv into pyarrow.csv took ~2 s, 2026-12-03).
    uri = store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with dbapi.connect(uri) as con, con.cursor() as cur:
        cur.adbc_statement.set_options(**{"adbc.postgresql.batch_size_hint_bytes": str(PG_BLOCK)})
        cur.execute(_sql(store, q))
        for b in cur.fetch_record_batch():
            if b.num_rows:
                yield _conform(b, schema)


def _batches_pg_copy(store: Any, q: Any, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    import pyarrow.csv as pcsv

    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY ({_sql(store, q)}) TO STDOUT (FORMAT csv)") as cp:
            src = _CopyReader(cp)
            if not src.empty():  # Arrow's reader refuses an empty stream
                reader = pcsv.open_csv(
                    io.BufferedReader(src, buffer_size=1 << 20),
                    read_options=pcsv.ReadOptions(column_names=schema.names, block_size=PG_BLOCK),
                    # PostgreSQL's CSV: NULL is an unquoted empty field, '' is "" (a string).
                    parse_options=pcsv.ParseOptions(newlines_in_values=True),
                    convert_options=pcsv.ConvertOptions(
                        column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False,
                        true_values=["t"], false_values=["f"]),
                )
                for b in reader:
                    if b.num_rows:
                        yield b
        raw.commit()  # after the COPY has ended
    finally:
        raw.close()


def _sql_names(names: tuple[str, ...]) -> list[str]:
    """The columns the select returns for ``names`` (virtual ones come in "j")."""
    out = [n for n in names if n not in _VIRTUAL]
    if any(n in _VIRTUAL for n in names):
        out.append("j")
    if "dead" in names:
        out.append("rv_fat")
    return out


def _parse_j(j: pa.Array, keys: list[str]) -> pa.StructArray:
    """The "j" objects of a batch, parsed by pyarrow.json (one buffer, no Python per row)."""
    import pyarrow.json as pj

    schema = pa.schema([(k, _J_KEYS[k][1]) for k in keys])
    data = _concat(pc.binary_join_element_wise(j, _str("\n"), ""))
    t = pj.read_json(pa.BufferReader(data), read_options=pj.ReadOptions(use_threads=False, block_size=len(data) + 1),
                     parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore"))
    assert t.num_rows == len(j)
    return pa.StructArray.from_arrays([t.column(k).combine_chunks() for k in keys], names=keys)


def _quantity(q: pa.ListArray, kind: str) -> pa.Array:
    """fields.quantity: the largest value (value_max when non-zero) of ``kind``, truncated."""
    flat = pc.list_flatten(q)
    parent = pc.list_parent_indices(q).to_numpy(zero_copy_only=False)
    vmax, val = pc.struct_field(flat, "value_max"), pc.struct_field(flat, "value")
    v = pc.if_else(pc.fill_null(pc.not_equal(vmax, 0.0), False), vmax, val)
    keep = pc.and_(pc.fill_null(pc.equal(pc.struct_field(flat, "kind"), kind), False), pc.is_valid(val))
    keep_np = keep.to_numpy(zero_copy_only=False)
    out = np.full(len(q), -np.inf)
    np.maximum.at(out, parent[keep_np], v.to_numpy(zero_copy_only=False)[keep_np])
    found = out != -np.inf
    return pa.array(np.trunc(np.where(found, out, 0)).astype(np.int64), mask=~found)


def _filtered(lists: pa.ListArray) -> pa.ListArray:
    """fields.actors: only the actors with a text or an entity id."""
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    ok = pc.or_(pc.fill_null(pc.not_equal(pc.struct_field(flat, "text"), ""), False),
                pc.fill_null(pc.not_equal(pc.struct_field(flat, "entity_id"), ""), False))
    flat, parent = pc.filter(flat, ok), pc.filter(parent, ok)
    counts = np.bincount(parent.to_numpy(zero_copy_only=False), minlength=len(lists))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), flat)


def _virtual(b: pa.RecordBatch, names: tuple[str, ...]) -> pa.RecordBatch:
    """The batch with the virtual columns computed from "j", in ``names``' order."""
    keys = sorted({_VIRTUAL[n] for n in names if n in _VIRTUAL})
    cols: dict[str, Any] = {n: b[n] for n in b.schema.names}
    if keys:
        j = _parse_j(b["j"], keys)
        for n in names:
            if n not in _VIRTUAL:
                continue
            part = j.field(_VIRTUAL[n])
            if n in ("dead", "injured", "arrested"):
                cols[n] = _quantity(part, n)
            elif n.startswith("acts_"):
                cols[n] = _filtered(part)
            elif n.startswith("ac_"):
                cols[n] = part.field(n[3:])
            else:
                cols[n] = part
        if "dead" in names:  # a review's fatalities replace the largest dead count
            cols["dead"] = pc.coalesce(b["rv_fat"], cols["dead"])
    if "has_acled_actors" in cols and "ac_actor1" in cols:
        cols["has_acled_actors"] = pc.fill_null(cols["has_acled_actors"], False)
    return pa.RecordBatch.from_arrays([cols[n] for n in names], names=list(names))


def batches(store: Any, f: Any, names: tuple[str, ...], where_extra: list[Any] | None = None,
            size: int | None = None, sort: str = "date", desc: bool = False) -> Iterator[pa.RecordBatch]:
    """Record batches of ``names`` (see :data:`_TYPES`) for every event matching ``f``, in
    export order."""
    sql_names = _sql_names(names)
    schema = pa.schema([(n, _TYPES[n]) for n in sql_names])
    def fetched() -> Iterator[pa.RecordBatch]:
        for q in _selects(store, f, names, where_extra or [], sort, desc):
            if store.dialect == "postgresql":
                yield from _batches_pg(store, q, schema)
            else:
                yield from _batches_sqlite(store, q, schema, size or BATCH)

    # PostgreSQL only: the server (and ADBC's reader, without the GIL) works while Arrow formats.
    # The SQLite fetch builds Python rows under the GIL and lost to the writer's thread: parquet,
    # 100k events, load ~3.9: 6.1-6.5 s wall / 3.8-4.2 s CPU in line, 8.3-8.5 s / 5.0 s with the
    # fetch thread; PostgreSQL csv at load ~4.8: 6.0-7.2 s in line, 5.4-5.6 s with it (2026-12-03).
    raw = _prefetched(fetched()) if store.dialect == "postgresql" else fetched()
    for b in raw:
        yield _virtual(b, names)


# Batches fetched ahead of the writer, in a thread. 2 batches of ~4 MB of COPY data: not tuned.
AHEAD = 2
_END = object()


def _prefetched(it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``it`` run in a thread, at most :data:`AHEAD` batches ahead; its errors are raised here;
    closing this generator stops the thread at its next batch."""
    q: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for b in it:
                if not put(b):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer
            put(exc)
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                close()  # the connection, in the thread that opened it

    worker = threading.Thread(target=run, name="export-fetch", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


# ------------------------------------------------------------------------------------ helpers
def _lookup(keys: pa.Array, fn: Callable[[Any], Any], typ: pa.DataType) -> pa.Array:
    """``fn`` of each key, computed once per distinct key."""
    uniq = pc.unique(keys)
    vals = pa.array([fn(k) for k in uniq.to_pylist()], typ)
    return pc.take(vals, pc.index_in(keys, value_set=uniq))


def _str(s: str) -> pa.Scalar:
    return pa.scalar(s, pa.string())


def _join_skip(parts: list[Any], sep: str) -> pa.Array:
    """Element-wise join of ``parts`` by ``sep`` skipping nulls (null when all are). Not
    ``binary_join_element_wise(null_handling="skip")``: pyarrow 26 drops the all-null rows."""
    acc = parts[0]
    for p in parts[1:]:
        both = pc.binary_join_element_wise(acc, p, _str(sep))
        acc = pc.if_else(pc.is_null(acc), p, pc.if_else(pc.is_null(p), acc, both))
    return acc


def _null_if_empty(a: Any) -> Any:
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)


def _dates(b: pa.RecordBatch) -> tuple[pa.Array, pa.Array, pa.Array]:
    """fields.date(): (start, end, precision); the publication day when the event has none."""
    start = _null_if_empty(pc.utf8_slice_codeunits(b["ds"], 0, 10))
    has = pc.is_valid(start)
    end = pc.coalesce(_null_if_empty(pc.utf8_slice_codeunits(b["de"], 0, 10)), start) if "de" in b.schema.names \
        else start
    pub = _null_if_empty(pc.utf8_slice_codeunits(b["published_at"], 0, 10))
    prec = b["date_precision"] if "date_precision" in b.schema.names else pa.nulls(len(start), pa.string())
    pub_prec = pc.if_else(pc.is_valid(pub), _str("day"), pa.scalar(None, pa.string()))
    return (pc.if_else(has, start, pub), pc.if_else(has, end, pub), pc.if_else(has, prec, pub_prec))


def _review_actor_rows(b: pa.RecordBatch) -> dict[int, dict[str, Any]]:
    """Row index → the review's actors overlay ({"actors": [...], "recipients": [...]}, either
    key may be missing: that list stands) for the rows whose actors a review edited."""
    col = b["rv_actors"]
    if col.null_count == len(col):
        return {}
    out = {}
    for i in pc.indices_nonzero(pc.is_valid(col)).to_pylist():
        v = col[i].as_py()
        v = json.loads(v) if isinstance(v, str) else v
        if isinstance(v, dict):
            out[i] = v
    return out


def _actor_lists(b: pa.RecordBatch, role: str) -> pa.ListArray:
    """list<struct<text, entity_id, country, sector>> of the role's actors (fields.actors: those
    with a text or an id), as in the event JSON; a review's actor list replaces the machine's."""
    out = b[f"acts_{role}"]
    over = {i: v[role + "s"] for i, v in _review_actor_rows(b).items() if isinstance(v.get(role + "s"), list)}
    if over:
        out = _patch(out, {i: [{k: a.get(k) for k in _AFIELDS} for a in F.actors({"x": v}, "x")]
                           for i, v in over.items()})
    return out


def _joined(lists: pa.ListArray, field: str) -> pa.Array:
    """fields.joined over one field of each row's actors: non-empty values joined by "; "."""
    vals = pc.struct_field(pc.list_flatten(lists), field)
    parent = pc.list_parent_indices(lists)
    keep = pc.fill_null(pc.not_equal(vals, ""), False)
    vals, parent = pc.filter(vals, keep), pc.filter(parent, keep)
    counts = np.bincount(parent.to_numpy(zero_copy_only=False), minlength=len(lists))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), vals), "; ")


def _patch(arr: pa.Array, values: dict[int, Any]) -> pa.Array:
    """``arr`` with the rows in ``values`` replaced (the few rows done in Python)."""
    if not values:
        return arr
    lst = arr.to_pylist()
    for i, v in values.items():
        lst[i] = v
    return pa.array(lst, arr.type)


# ------------------------------------------------------------------------------------ text out
def _py_float(a: pa.Array) -> pa.Array:
    """Floats spelled as Python's repr (what csv and str() write): ``1.0``, ``1e-05``."""
    a = pc.cast(a, pa.float64())
    s = pc.cast(a, pa.string())
    integral = pc.invert(pc.match_substring_regex(s, r"[.eEn]"))
    s = pc.if_else(integral, pc.binary_join_element_wise(s, _str(".0"), ""), s)
    ab = pc.abs(a)
    odd = pc.fill_null(pc.or_(pc.and_(pc.less(ab, 1e-4), pc.not_equal(a, 0.0)), pc.greater_equal(ab, 1e15)), False)
    if pc.any(odd).as_py():
        vals = a.to_pylist()
        s = _patch(s, {i: repr(vals[i]) for i in pc.indices_nonzero(odd).to_pylist()})
    return s


def _py_str(a: Any) -> pa.Array:
    """Any column as the text csv/str() would write ("" for null)."""
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    t = a.type
    if pa.types.is_floating(t):
        s = _py_float(a)
    elif pa.types.is_boolean(t):
        s = pc.if_else(a, _str("True"), _str("False"))
    elif pa.types.is_null(t):
        s = pa.nulls(len(a), pa.string())
    else:
        s = pc.cast(a, pa.string())
    return pc.fill_null(s, _str(""))


# Byte tables for the checks below: which bytes make a cell a formula (fields.safe_cell: a
# leading = + - @ tab or CR) and which make the csv module quote it (, " or \n).
_FORMULA = np.zeros(256, np.bool_)
_FORMULA[list(b"=+-@\t\r")] = True
_CSV_SPECIAL = np.zeros(256, np.bool_)
_CSV_SPECIAL[list(b',"\n')] = True
_TSV_SPECIAL = np.zeros(256, np.bool_)
_TSV_SPECIAL[list(b"\t\n\r")] = True


def _buffers(s: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets of each value, len+1; the value bytes) of a string array without nulls, as numpy
    views of its Arrow buffers."""
    bufs = s.buffers()
    offs = np.frombuffer(bufs[1], dtype=np.int32)[s.offset:s.offset + len(s) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return offs, data


def _rows_holding(s: pa.Array, table: np.ndarray) -> np.ndarray | None:
    """Mask of the rows of ``s`` holding a byte marked in ``table``; None when none does. One
    lookup over the column's bytes instead of a regex per value: the RE2 matches of _neutralise
    and _csv_field were ~40% of the CSV formatting time (cProfile, 100k events, 2026-12-03)."""
    if len(s) == 0:
        return None
    offs, data = _buffers(s)
    hit = table[data[offs[0]:offs[-1]]]
    if not hit.any():
        return None
    rows = np.searchsorted(offs, np.flatnonzero(hit) + offs[0], side="right") - 1
    mask = np.zeros(len(s), np.bool_)
    mask[rows] = True
    return mask


def _first_byte_in(s: pa.Array, table: np.ndarray) -> np.ndarray | None:
    """Mask of the non-empty rows of ``s`` whose first byte is marked in ``table``; None when none."""
    if len(s) == 0:
        return None
    offs, data = _buffers(s)
    starts = offs[:-1]
    nonempty = offs[1:] > starts
    first = np.zeros(len(s), np.uint8)
    first[nonempty] = data[starts[nonempty]]
    bad = table[first] & nonempty
    return bad if bad.any() else None


def _neutralise(s: pa.Array) -> pa.Array:
    """fields.safe_cell on a string column (no nulls: _py_str's output)."""
    bad = _first_byte_in(s, _FORMULA)
    if bad is None:
        return s
    return pc.if_else(pa.array(bad), pc.binary_join_element_wise(_str("'"), s, ""), s)


def _csv_field(s: pa.Array) -> pa.Array:
    """The csv module's QUOTE_MINIMAL (lineterminator "\\n"): quote a field holding , " or \\n."""
    need = _rows_holding(s, _CSV_SPECIAL)
    if need is None:
        return s
    quoted = pc.binary_join_element_wise(_str('"'), pc.replace_substring(s, '"', '""'), _str('"'), "")
    return pc.if_else(pa.array(need), quoted, s)


def _tsv_field(s: pa.Array) -> pa.Array:
    """Tabs and line breaks inside a GDELT TSV value turned into spaces."""
    if _rows_holding(s, _TSV_SPECIAL) is None:
        return s
    return pc.replace_substring_regex(s, "[\t\n\r]", " ")


def _lines(cols: list[pa.Array], sep: str) -> bytes:
    """One line per row: the fields joined by ``sep``, each line ended by \\n (added to the last
    column, a pass over one column instead of over the joined lines)."""
    last = pc.binary_join_element_wise(cols[-1], _str("\n"), "")
    return _concat(pc.binary_join_element_wise(*cols[:-1], last, _str(sep)))


def _concat(a: pa.Array) -> bytes:
    """All values of a string array back to back (its value buffer between the first and last
    offset): the batch's bytes without a Python string per row."""
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    if len(a) == 0:
        return b""
    offsets = np.frombuffer(a.buffers()[1], dtype=np.int32)
    lo, hi = int(offsets[a.offset]), int(offsets[a.offset + len(a)])
    return a.buffers()[2][lo:hi].to_pybytes()


def _csv_bytes(cols: list[pa.Array], safe: bool) -> bytes:
    out = []
    for c in cols:
        s = _py_str(c)
        if pa.types.is_string(c.type) or pa.types.is_large_string(c.type):
            if safe:
                s = _neutralise(s)
            s = _csv_field(s)
        # numbers and booleans (_py_str's spelling) never hold , " or a line break
        out.append(s)
    return _lines(out, ",")


# ------------------------------------------------------------------------------------ formats
def _flat_cols(b: pa.RecordBatch) -> dict[str, pa.Array]:
    start, end, prec = _dates(b)
    out: dict[str, pa.Array] = {k: b[k] for k in ("id", "article_id", "type", "mode", "context",
                                                   "acled_event_type", "acled_sub_event_type", "cameo")}
    out.update(date_start=start, date_end=end, date_precision=prec)
    for role in _ROLES:
        lists = _actor_lists(b, role)
        out[role + "s"], out[f"{role}_ids"], out[f"{role}_countries"], out[f"{role}_sectors"] = (
            _joined(lists, f) for f in _AFIELDS)
        out[f"_{role}_lists"] = lists
    for k in ("location", "admin1", "country", "lat", "lon", "geo_precision", "geonameid"):
        out[k] = b[k]
    out["certainty"] = pc.fill_null(b["certainty"], _str("asserted"))
    for k in ("negated", "future", "hypothetical", "historical"):
        out[k] = pc.fill_null(b[k], False)
    for k in ("confidence", "dead", "injured", "arrested", "summary", "title", "source", "url", "published_at"):
        out[k] = b[k]
    return out


def _write_csv(bs: Iterator[pa.RecordBatch], out: Any) -> int:
    n = 0
    out.write((",".join(F.FLAT_COLUMNS) + "\n").encode())
    for b in bs:
        cols = _flat_cols(b)
        out.write(_csv_bytes([cols[c] for c in F.FLAT_COLUMNS], safe=True))
        n += b.num_rows
    return n


def _write_gdelt(bs: Iterator[pa.RecordBatch], out: Any) -> int:
    import datetime as dt

    from . import gdelt as G

    added = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    n = 0
    for b in bs:
        rows = b.num_rows
        start, _end, _prec = _dates(b)
        d = pc.strptime(start, format="%Y-%m-%d", unit="s", error_is_null=True)
        ymd = pc.fill_null(pc.strftime(d, format="%Y%m%d"), _str(""))
        ym = pc.fill_null(pc.strftime(d, format="%Y%m"), _str(""))
        year = pc.year(d)
        frac = pc.round(pc.add(pc.cast(year, pa.float64()),
                               pc.divide(pc.cast(pc.subtract(pc.day_of_year(d), 1), pa.float64()), 365.0)), 4)
        ids = b["id"].to_pylist()
        gid = pa.array([str(int(i[:15], 16)) if all(c in "0123456789abcdef" for c in i[:15]) else i for i in ids],
                       pa.string())
        cols: list[Any] = [gid, ymd, ym, year, frac]
        for role in _ROLES:
            first = pc.list_element(_with_empty(_actor_lists(b, role)), 0)
            text, country, sector = (pc.fill_null(pc.struct_field(first, k), _str(""))
                                     for k in ("text", "country", "sector"))
            empty = pa.array([""] * rows, pa.string())
            cols += [pc.binary_join_element_wise(country, sector, ""), pc.utf8_upper(text),
                     country, empty, empty, empty, empty, sector, empty, empty]
        root_event = pc.if_else(pc.less(pc.fill_null(b["sent0"], 0), G.LEAD_CHARS), 1, 0)
        code = pc.replace_substring_regex(pc.fill_null(b["cameo"], _str("")), r"\D", "")
        code = pc.if_else(pc.equal(pc.utf8_length(code), 2), pc.binary_join_element_wise(code, _str("0"), ""), code)
        root = pc.utf8_slice_codeunits(code, 0, 2)
        quad = _lookup(root, lambda r: G.quad(r or ""), pa.int64())
        gold = _lookup(root, lambda r: G.GOLDSTEIN.get(r or ""), pa.float64())
        cols += [root_event, code, pc.utf8_slice_codeunits(code, 0, 3), root, quad, gold]
        for k in ("num_mentions", "num_sources", "num_articles"):
            v = b[k]
            cols.append(pc.if_else(pc.fill_null(pc.not_equal(v, 0), False), v, 1))
        cols.append(pa.array([""] * rows, pa.string()))
        cols += [pa.array([""] * rows, pa.string())] * (2 * len(G._GEO))
        cols += _gdelt_geo(b)
        cols += [pa.array([added] * rows, pa.string()),
                 pc.coalesce(_null_if_empty(b["url"]), _null_if_empty(b["source"]), _str(""))]
        assert len(cols) == len(G.COLUMNS)
        text_cols = []
        for c in cols:
            s = _py_str(c)
            text_cols.append(_tsv_field(s))
        out.write(_lines(text_cols, "\t"))
        n += rows
    return n


def _with_empty(lists: pa.ListArray) -> pa.ListArray:
    """Empty lists given one all-null element, so that list_element(…, 0) works on every row."""
    from . import parquet as P

    lengths = pc.fill_null(pc.list_value_length(lists), 0)
    if pc.all(pc.greater(lengths, 0)).as_py():
        return lists
    none = pa.array([[{k: None for k in _AFIELDS}]] * len(lists), pa.list_(P.ACTOR))
    return pc.if_else(pc.greater(lengths, 0), lists, none)


def _gdelt_geo(b: pa.RecordBatch) -> list[pa.Array]:
    """ActionGeo_*: Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID."""
    located = pc.is_valid(b["lat"])
    prec = pc.fill_null(b["geo_precision"], 4)
    prec = pc.if_else(pc.equal(prec, 0), 4, prec)  # `precision or 4`
    gtype = pc.if_else(pc.greater_equal(prec, 4), 1, pc.if_else(pc.equal(prec, 3), 5, 4))
    cname = _lookup(b["country"], lambda c: F.country_name(c) or "", pa.string())
    parts = [_null_if_empty(b["location"]), _null_if_empty(b["admin1"]), _null_if_empty(cname)]
    full = _join_skip(parts, ", ")
    fips = _lookup(b["country"], F.fips, pa.string())
    nul = pa.scalar(None, pa.string())

    def where_located(a: Any) -> Any:
        return pc.if_else(located, a, pa.scalar(None, a.type) if hasattr(a, "type") else nul)

    return [where_located(gtype), where_located(full), where_located(fips), where_located(fips),
            pa.nulls(len(prec), pa.string()), where_located(pc.round(b["lat"], 4)),
            where_located(pc.round(b["lon"], 4)),
            where_located(pc.if_else(pc.fill_null(pc.not_equal(b["geonameid"], 0), False), b["geonameid"],
                                     pa.scalar(None, pa.int64())))]


_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Riots": "Political violence",
             "Protests": "Demonstrations", "Strategic developments": "Strategic developments"}


def _acled_actor_cols(b: pa.RecordBatch) -> dict[str, pa.Array]:
    from . import acled as AC

    cols = {k: b[f"ac_{k}"] for k in ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                                      "interaction")}
    slow = pc.invert(pc.fill_null(b["has_acled_actors"], False))
    over = _review_actor_rows(b)
    idx = set(pc.indices_nonzero(slow).to_pylist()) | set(over)
    if not idx:
        return cols
    fixes: dict[str, dict[int, Any]] = {k: {} for k in cols}
    starts, _e, _p = _dates(b)
    for i in idx:
        # legacy_data is the event JSON for exactly these rows (no stored ACLED actors, or
        # actors edited by a review): acled.acled_actors() derives them as the row writer does.
        ev = json.loads(b["legacy_data"][i].as_py() or "{}")
        if i in over:
            ev.update({k: v for k, v in over[i].items() if k in ("actors", "recipients")})
            ev.pop("acled_actors", None)
        ev["acled_event_type"] = b["acled_event_type"][i].as_py()
        ev["place"] = {**(ev.get("place") or {}), "country": b["country"][i].as_py()}
        ev["date"] = {"date_start": starts[i].as_py()}
        ac = AC.acled_actors(ev)
        for k in cols:
            fixes[k][i] = ac.get(k)
    return {k: _patch(v, fixes[k]) for k, v in cols.items()}


def _write_acled(bs: Iterator[pa.RecordBatch], out: Any) -> int:
    from . import acled as AC

    now = int(time.time())
    n = 0
    out.write((",".join(AC.COLUMNS) + "\n").encode())
    for b in bs:
        rows = b.num_rows
        start, _end, prec = _dates(b)
        anchored = pc.fill_null(pc.equal(b["anchor"], "ingest"), False)
        etype, sub = b["acled_event_type"], b["acled_sub_event_type"]
        iso3 = b["country"]
        ac = _acled_actor_cols(b)
        disorder = _lookup(etype, lambda t: _DISORDER.get(t or "", ""), pa.string())
        both = pc.is_in(sub, value_set=pa.array(sorted(AC._BOTH), pa.string()))
        disorder = pc.if_else(pc.fill_null(both, False), _str("Political violence; Demonstrations"), disorder)
        tp = _lookup(prec, lambda p: AC._PRECISION.get(p or "", 3), pa.int64())
        tp = pc.if_else(anchored, 3, tp)
        tp = pc.if_else(pc.is_valid(start), tp, pa.scalar(None, pa.int64()))
        i2 = ac["inter2"]
        civ = pc.if_else(pc.and_(pc.fill_null(pc.equal(i2, 7), False), pc.starts_with(disorder, "Political violence")),
                         _str("Civilian targeting"), _str(""))
        cert = pc.fill_null(b["certainty"], _str("asserted"))
        tags = pc.binary_join_element_wise(_str("certainty="), cert, "")
        nul = pa.scalar(None, pa.string())
        for flag in ("negated", "future", "hypothetical", "historical"):
            add = pc.if_else(pc.fill_null(b[flag], False), _str(flag), nul)
            tags = _join_skip([tags, add], "; ")
        tags = _join_skip([tags, pc.if_else(anchored, _str("date=ingest-anchored"), nul)], "; ")
        host = pc.extract_regex(pc.fill_null(b["url"], _str("")), r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//(?P<h>[^/?#]*)")
        host = _null_if_empty(pc.struct_field(host, [0]))
        source = pc.coalesce(host, _null_if_empty(b["source"]), b["source"])
        gp = pc.if_else(pc.greater(b["geo_precision"], 3), 3, b["geo_precision"])
        year = pc.cast(pc.utf8_slice_codeunits(start, 0, 4), pa.int64(), safe=False)
        cols = [
            pc.binary_join_element_wise(pc.coalesce(_null_if_empty(iso3), _str("XXX")), b["id"], ""),
            start, year, tp, disorder, etype, sub,
            ac["actor1"], ac["assoc_actor_1"], ac["inter1"], ac["actor2"], ac["assoc_actor_2"], i2,
            ac["interaction"], civ,
            _lookup(iso3, F.iso_numeric, pa.int64()), _lookup(iso3, F.acled_region, pa.string()),
            _lookup(iso3, lambda c: A.country_name(c) if c else None, pa.string()),
            b["admin1"], pa.nulls(rows, pa.string()), pa.nulls(rows, pa.string()), b["location"],
            pc.round(b["lat"], 4), pc.round(b["lon"], 4), gp, source, pa.nulls(rows, pa.string()), b["summary"],
            pc.fill_null(pc.if_else(pc.fill_null(pc.not_equal(b["dead"], 0), False), b["dead"], 0), 0),
            tags, pa.array([now] * rows, pa.int64()),
        ]
        out.write(_csv_bytes(cols, safe=True))
        n += rows
    return n


def _write_parquet(bs: Iterator[pa.RecordBatch], out: Any) -> int:
    import pyarrow.parquet as pq

    from . import parquet as P

    n = 0
    with pq.ParquetWriter(out, P.SCHEMA, compression="zstd") as w:
        for b in bs:
            cols = _flat_cols(b)
            for k in ("date_start", "date_end"):
                cols[k] = pc.cast(pc.strptime(cols[k], format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
            for role in _ROLES:
                cols[role + "s"] = cols[f"_{role}_lists"]
            arrays = []
            for field in P.SCHEMA:
                v = cols[field.name] if field.name != "detail" else b["detail"]
                arrays.append(v if v.type == field.type else pc.cast(v, field.type))
            w.write_batch(pa.RecordBatch.from_arrays(arrays, schema=P.SCHEMA), row_group_size=BATCH)
            n += b.num_rows
    return n


WRITERS = {"csv": _write_csv, "acled-csv": _write_acled, "gdelt-tsv": _write_gdelt, "parquet": _write_parquet}


def write(store: Any, fmt: str, out: Any, f: Any, sort: str = "date", desc: bool = False) -> int:
    """Write every event matching ``f`` in ``fmt`` to ``out`` (a binary stream or, for
    Parquet, a path or binary stream), in iter_events' order for ``sort``/``desc``. Returns the
    rows written."""
    from ..store.schema import events

    where_extra: list[Any] = []
    if fmt == "acled-csv" and not _has_reviews(store):
        # Only events with an ACLED type are ACLED rows. With reviews, the reviewed type decides
        # (a review may set one): filtered per batch below instead.
        where_extra = [events.c.acled_event_type.is_not(None), events.c.acled_event_type != ""]
    bs: Iterator[pa.RecordBatch] = batches(store, f, NEEDS[fmt], where_extra, sort=sort, desc=desc)
    if fmt == "acled-csv" and not where_extra:
        bs = (b.filter(pc.fill_null(pc.not_equal(b["acled_event_type"], ""), False)) for b in bs)
    return int(WRITERS[fmt](bs, out))


__all__ = ["FORMATS", "write", "batches"]
