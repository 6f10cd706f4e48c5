"""A whole store as JSONL and back: ``eventwire dump`` / ``eventwire restore`` (docs/scale.md,
"Backups").

The dump is plain text, one JSON object per line, readable by any tool and by either backend:

- line 1, the header: ``{"eventwire_dump": 1, "version", "revision" (the store's Alembic
  revision), "dialect", "created", "counts": {table: rows}}``;
- then one line per row, ``{"table": NAME, "row": {column: value}}``, tables in foreign-key
  order, rows by primary key. Dates are ISO 8601 in UTC, binary columns base64; JSON columns
  are nested JSON.

Every table is in it: articles (with their analysis), mentions, events, event actors, entities,
MinHash signatures, stories and merged (canonical) events, so near-duplicate links, stories and
merged events come back as they were. The dump is read in one transaction on the source (a
consistent snapshot while ingests go on); a restore writes in one transaction, into an empty
store only, and checks the header's counts before it commits: a damaged or truncated dump
writes nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

import sqlalchemy as sa

from .. import __version__
from ..errors import InputError, StoreError
from . import clusters as _clusters  # noqa: F401 - registers the cluster tables on the metadata
from . import schema

FORMAT = 1
# Derived tables (store/derived.py, 0008) are not dumped: a restore rebuilds them.
TABLES: list[sa.Table] = [t for t in schema.metadata.sorted_tables
                          if not t.name.startswith("ru_") and t.name != "actor_texts"]
_BATCH = 500  # rows per INSERT; a batch of articles with bodies stays a few MB


def _revision(conn: sa.Connection) -> str | None:
    try:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError:
        return None


def _out(col: sa.Column[Any], v: Any) -> Any:
    if v is None:
        return None
    if isinstance(col.type, sa.DateTime):
        if v.tzinfo is not None:  # PostgreSQL; SQLite gives naive datetimes, stored as UTC
            v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return v.isoformat() + "Z"
    if isinstance(col.type, sa.LargeBinary):
        return base64.b64encode(bytes(v)).decode("ascii")
    return v


def _in(col: sa.Column[Any], v: Any) -> Any:
    if v is None:
        return None
    if isinstance(col.type, sa.DateTime):
        return dt.datetime.fromisoformat(v.removesuffix("Z")).replace(tzinfo=dt.timezone.utc)
    if isinstance(col.type, sa.LargeBinary):
        return base64.b64decode(v)
    return v


def dump(store: Any, out: IO[str]) -> dict[str, int]:
    """Write every row of ``store`` to ``out``; returns the rows per table."""
    engine = store.engine
    opts = {"isolation_level": "REPEATABLE READ"} if store.dialect == "postgresql" else {}
    with engine.connect().execution_options(**opts) as conn, conn.begin():
        counts = {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in TABLES}
        head = {"eventwire_dump": FORMAT, "version": __version__, "revision": _revision(conn),
                "dialect": store.dialect, "created": dt.datetime.now(dt.timezone.utc).isoformat(), "counts": counts}
        out.write(json.dumps(head, ensure_ascii=False) + "\n")
        for t in TABLES:
            cols = list(t.columns)
            q = sa.select(t).order_by(*t.primary_key.columns)
            for row in conn.execution_options(yield_per=_BATCH).execute(q):
                rec = {c.name: _out(c, v) for c, v in zip(cols, row, strict=True)}
                out.write(json.dumps({"table": t.name, "row": rec}, ensure_ascii=False) + "\n")
    return counts


def _records(lines: Iterable[str], source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise InputError(source, f"line {n} is not JSON ({getattr(exc, 'msg', exc)}); the dump is damaged", n) from exc
        if not isinstance(obj, dict):
            raise InputError(source, f"line {n} is not a JSON object; the dump is damaged", n)
        yield n, obj


def restore(store: Any, lines: Iterable[str], source: str = "dump") -> dict[str, int]:
    """Load a dump into ``store``, which must be empty; all or nothing. Returns the rows per table."""
    by_name = {t.name: t for t in TABLES}
    records = _records(lines, source)
    first = next(records, None)
    if first is None or first[1].get("eventwire_dump") != FORMAT:
        raise InputError(source, f"not an eventwire dump (line 1 has no \"eventwire_dump\": {FORMAT} header); "
                         "write one with `eventwire dump`")
    head = first[1]
    with store.engine.connect() as conn:
        have = {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in TABLES}
        mine = _revision(conn)
    if any(have.values()):
        held = ", ".join(f"{n} {k}" for k, n in have.items() if n)
        raise StoreError(f"the store is not empty ({held}); restore into a new database or schema "
                         "(EVENTWIRE_DB), or delete its rows first")
    theirs = head.get("revision")
    if theirs and mine and str(theirs) > str(mine):
        raise StoreError(f"the dump is from a newer store (revision {theirs}, this one is {mine}); "
                         "upgrade eventwire first")
    counts = dict.fromkeys(by_name, 0)
    pending: dict[str, list[dict[str, Any]]] = {}
    try:
        with store.write_lock(), store.engine.begin() as conn:
            def flush(name: str) -> None:
                rows = pending.pop(name, [])
                if rows:
                    conn.execute(by_name[name].insert(), rows)
                    if name == "articles" and store.dialect == "sqlite":
                        conn.execute(sa.text("INSERT INTO articles_fts(article_id, title, body) VALUES (:i, :t, :b)"),
                                     [{"i": r["id"], "t": r.get("title") or "", "b": r["body"]} for r in rows])

            current = None
            for n, rec in records:
                name, row = rec.get("table"), rec.get("row")
                t = by_name.get(name) if isinstance(name, str) else None
                if t is None or not isinstance(row, dict):
                    raise InputError(source, f"line {n}: not a row of a known table ({str(name)[:40]!r})", n)
                name = t.name
                unknown = set(row) - set(t.columns.keys())
                if unknown:
                    raise InputError(source, f"line {n}: {name} has no column {sorted(unknown)[0]!r}", n)
                if name != current and current is not None:
                    flush(current)  # tables come in foreign-key order: parents first
                current = name
                pending.setdefault(name, []).append({c.name: _in(c, row.get(c.name)) for c in t.columns})
                counts[name] += 1
                if len(pending[name]) >= _BATCH:
                    flush(name)
            for name in list(pending):
                flush(name)
            from . import derived

            derived.rebuild(conn)  # summaries and the visibility column, from the restored events
            want = head.get("counts") or {}
            if {k: v for k, v in counts.items() if v or want.get(k)} != {k: v for k, v in want.items() if v or counts.get(k)}:
                diff = ", ".join(f"{k}: {counts.get(k, 0)} of {want.get(k, 0)}" for k in by_name
                                 if counts.get(k, 0) != want.get(k, 0))
                raise InputError(source, f"the rows do not match the header's counts ({diff}): the dump is "
                                 "truncated or damaged; nothing was restored")
            _advance_sequences(conn)
    except (sa.exc.IntegrityError, sa.exc.DataError) as exc:
        raise InputError(source, f"a row cannot be stored ({str(exc.orig).splitlines()[0]}); nothing was restored") from exc
    return counts


def _advance_sequences(conn: sa.Connection) -> None:
    """PostgreSQL: move each serial id's sequence past the restored ids (rows were inserted with
    their ids, which a sequence does not see), so the next review record gets a fresh id.
    SQLite's INTEGER PRIMARY KEY follows max(id) by itself."""
    if conn.dialect.name != "postgresql":
        return
    for t in TABLES:
        for col in t.primary_key.columns:
            if col.autoincrement is True and isinstance(col.type, sa.Integer):
                conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{t.name}', '{col.name}'), "
                    f"coalesce(max({col.name}), 1), max({col.name}) IS NOT NULL) FROM {t.name}"))


__all__ = ["dump", "restore", "TABLES", "FORMAT"]
