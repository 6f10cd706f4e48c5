"""Derived structures that keep queries fast at millions of events (issue 16.2, alembic 0008).

**Visibility column.** ``events.canon_prev`` turns the canonical-event rule of
:func:`eventwire.store.query.where` (a merged event is shown by its smallest-id source event
among those above the confidence floor) from a correlated subquery per row into a column test:
NULL for an event that stands for itself (unmerged, or the smallest id of its group), else the
largest confidence among the smaller-id members of its group (-1 when none has one). Shown
without a floor: ``canon_prev IS NULL``; with floor *f*: ``confidence >= f AND (canon_prev IS
NULL OR canon_prev < f)``.

**Summary tables** (``ru_*``): event counts, fatality sums and actor counts per *vw* (vw 0 =
canonical events without a floor, vw *k* = 1..10 = canonical events at floor *k*/10, the grid the
server's ``min_confidence`` setting and the UI use) and per a few dimensions, each with the same
column names and values as ``events`` so that the filter's own comparisons apply unchanged:

- ``ru_day``: date_start, date_end, type, offtl (historical or future): totals and timelines;
- ``ru_month``: month of the dates (``ms``/``me``, see :data:`MS`), type, country, offtl: by
  country, and date filters on whole months;
- ``ru_flags``: type, certainty and the four flags;
- ``ru_actor`` (+ ``ru_actor_month``, the per-month part it is kept from, by type, country and
  ``ru_month``'s month keys since 0012): events per actor.

A filter they cover (:func:`_plan`: only those dimensions, a floor on the grid, canonical events,
no review stored) is answered from them; any other goes to SQL over ``events``. They are filled
by :func:`rebuild` (the migration's backfill, bulk loads, restores) and kept in step by the writer:
every write that adds, deletes or re-groups events calls :func:`touch` with the days and canonical
groups it changed, which recomputes those groups' ``canon_prev`` and those days' and months' rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .schema import events, ru_actor, ru_actor_month, ru_country, ru_date, ru_day, ru_flags, ru_month, ru_type

if TYPE_CHECKING:
    from .query import EventFilter

VIEWS = range(11)  # 0 = no floor; k = floor k/10
TABLES = (ru_day, ru_date, ru_month, ru_flags, ru_type, ru_country, ru_actor_month, ru_actor)
AGG = "sum(n), sum(fatalities), sum(n_fatal)"
# The small projections, summed from the big ones (same partition): what most requests read.
PROJECT = {
    "ru_date": ("ru_day", "vw, coalesce(substr(date_start, 1, 7), ''), date_start, date_end, offtl",
                "vw, date_start, date_end, offtl", "vw, p, date_start, date_end, offtl"),
    "ru_type": ("ru_flags", "vw, p, type, (historical OR future)", "vw, p, type, (historical OR future)",
                "vw, p, type, offtl"),
    "ru_country": ("ru_month", "vw, p, country, offtl", "vw, p, country, offtl", "vw, p, country, offtl"),
}


def _project(name: str, where: str) -> str:
    src, sel, grp, cols = PROJECT[name]
    return (f"INSERT INTO {name} ({cols}, n, fatalities, n_fatal) SELECT {sel}, {AGG} FROM {src} "
            f"WHERE {where} GROUP BY {grp}")
FLAGS = ("negated", "future", "hypothetical", "historical")

# Month keys that keep the date filters' string comparisons exact for whole-month bounds: a full
# date becomes YYYY-MM-00 (start) / YYYY-MM-99 (end), a shorter one (YYYY, YYYY-MM) stays as is.
MS = "CASE WHEN length(e.date_start) >= 10 THEN substr(e.date_start, 1, 7) || '-00' ELSE e.date_start END"
ME = "CASE WHEN length(e.date_end) >= 10 THEN substr(e.date_end, 1, 7) || '-99' ELSE e.date_end END"
P = "coalesce(substr(e.date_start, 1, 7), '')"  # refresh partition: the month of date_start
OFF = "(e.historical OR e.future)"
AKEY = "coalesce(a.entity_id, lower(a.text))"


def _views_sql() -> str:
    return " UNION ALL ".join(f"SELECT {k} AS vw, {'NULL' if k == 0 else f'CAST({k} AS FLOAT) / 10'} AS t"
                              for k in VIEWS)


VISIBLE = ("((v.vw = 0 AND e.canon_prev IS NULL) OR (v.vw > 0 AND e.confidence >= v.t "
           "AND (e.canon_prev IS NULL OR e.canon_prev < v.t)))")


def _fill_sql(part: str, actor_dims: bool = True) -> dict[str, str]:
    """INSERT … SELECT statements filling each summary table from events matching ``part``
    (an SQL condition on ``e``); ``actor_dims``: ``ru_actor_month`` has its 0012 dimensions."""
    # CROSS JOIN: SQLite keeps events as the outer loop (one pass over the wide rows, not one
    # per view: the full fill of the 100k bench store, under load 8, 95 s -> 84 s)
    src = f"FROM events e CROSS JOIN ({_views_sql()}) v WHERE {VISIBLE} AND {part}"
    dims, edims = ("ms, me, type, country, ", f"{MS}, {ME}, e.type, e.country, ") if actor_dims else ("", "")
    agg = "count(*), coalesce(sum(e.fatalities), 0), count(e.fatalities)"
    return {
        "ru_day": f"INSERT INTO ru_day (vw, date_start, date_end, type, offtl, n, fatalities, n_fatal) "
                  f"SELECT v.vw, e.date_start, e.date_end, e.type, {OFF}, {agg} {src} "
                  f"GROUP BY v.vw, e.date_start, e.date_end, e.type, {OFF}",
        "ru_month": f"INSERT INTO ru_month (vw, p, ms, me, type, country, offtl, n, fatalities, n_fatal) "
                    f"SELECT v.vw, {P}, {MS}, {ME}, e.type, e.country, {OFF}, {agg} {src} "
                    f"GROUP BY v.vw, {P}, {MS}, {ME}, e.type, e.country, {OFF}",
        "ru_flags": f"INSERT INTO ru_flags (vw, p, type, certainty, negated, future, hypothetical, historical, "
                    f"n, fatalities, n_fatal) SELECT v.vw, {P}, e.type, e.certainty, e.negated, e.future, "
                    f"e.hypothetical, e.historical, {agg} {src} GROUP BY v.vw, {P}, e.type, e.certainty, "
                    f"e.negated, e.future, e.hypothetical, e.historical",
        "ru_actor_month": f"INSERT INTO ru_actor_month (vw, p, {dims}akey, entity_id, text, n) "
                          f"SELECT v.vw, {P}, {edims}{AKEY}, max(a.entity_id), min(a.text), count(DISTINCT e.id) "
                          f"FROM events e JOIN event_actors a ON a.event_id = e.id "
                          f"CROSS JOIN ({_views_sql()}) v WHERE {VISIBLE} AND {part} "
                          f"GROUP BY v.vw, {P}, {edims}{AKEY}",
    }


# ------------------------------------------------------------------------------ writing
def sync_groups(conn: Any, canonical_ids: Iterable[str]) -> set[str | None]:
    """Recompute ``canon_prev`` for the members of these canonical groups; returns the
    ``date_start`` values of the events whose value changed."""
    days: set[str | None] = set()
    for cid in sorted({c for c in canonical_ids if c}):
        rows = conn.execute(sa.select(events.c.id, events.c.confidence, events.c.canon_prev, events.c.date_start)
                            .where(events.c.canonical_id == cid).order_by(events.c.id)).all()
        best: float | None = None
        for i, (eid, conf, old, day) in enumerate(rows):
            new = None if i == 0 else (-1.0 if best is None else best)
            if new != old:
                conn.execute(events.update().where(events.c.id == eid).values(canon_prev=new))
                days.add(day)
            if conf is not None and (best is None or conf > best):
                best = conf
    return days


def clear_prev(conn: Any, event_ids: Iterable[str]) -> None:
    """Events that left their group (canonical_id set to NULL) stand for themselves again."""
    ids = list(event_ids)
    for i in range(0, len(ids), 500):
        conn.execute(events.update().where(events.c.id.in_(ids[i : i + 500])).values(canon_prev=None))


def touch(conn: Any, days: Iterable[str | None] = (), canonical_ids: Iterable[str] = ()) -> None:
    """After a write: re-derive the canonical groups ``canonical_ids`` and the summary rows of the
    events dated ``days`` (date_start values; None = undated) and of their months."""
    days = set(days) | sync_groups(conn, canonical_ids)
    if not days:
        return
    for d in days:
        cond = "e.date_start IS NULL" if d is None else "e.date_start = :d"
        mine = "date_start IS NULL" if d is None else "date_start = :d"
        for t in ("ru_day", "ru_date"):
            conn.execute(sa.text(f"DELETE FROM {t} WHERE {mine}"), {"d": d})
        conn.execute(sa.text(_fill_sql(cond)["ru_day"]), {"d": d})
        conn.execute(sa.text(_project("ru_date", mine)), {"d": d})
        if _span(conn):  # undated starts are the '' row
            conn.execute(sa.text("DELETE FROM ru_span WHERE date_start = :k"), {"k": d or ""})
            conn.execute(sa.text(f"INSERT INTO ru_span (date_start, max_end) SELECT :k, max(e.date_end) "
                                 f"FROM events e WHERE {cond} HAVING count(*) > 0"), {"d": d, "k": d or ""})
    for p in sorted({(d or "")[:7] for d in days}):
        refresh_month(conn, p)


SPAN_FILL = ("INSERT INTO ru_span (date_start, max_end) SELECT coalesce(date_start, ''), max(date_end) FROM events "
             "GROUP BY coalesce(date_start, '')")


def _span(conn: Any) -> bool:
    """Whether the store has ``ru_span`` (0009); a yes is remembered per connection (a no is
    asked again: the migration that creates it may run on this very connection)."""
    if not conn.info.get("ew_span"):
        conn.info["ew_span"] = sa.inspect(conn).has_table("ru_span")
    return bool(conn.info["ew_span"])


def _actor_dims(conn: Any) -> bool:
    """Whether ``ru_actor_month`` has its 0012 dimensions (0008 fills it before 0012 runs)."""
    if not conn.info.get("ew_actor_dims"):
        conn.info["ew_actor_dims"] = any(c["name"] == "ms" for c in sa.inspect(conn).get_columns("ru_actor_month"))
    return bool(conn.info["ew_actor_dims"])


def refresh_month(conn: Any, p: str) -> None:
    """Recompute the month-partitioned summary rows of partition ``p`` (YYYY-MM, a shorter date,
    or '' for undated events); ``ru_actor`` is adjusted by the difference."""
    if p:
        # date_start in [p, p + U+FFFF) and of that month: the date_start index serves it
        part = "e.date_start >= :lo AND e.date_start < :hi AND substr(e.date_start, 1, 7) = :p"
    else:
        part = "e.date_start IS NULL"
    args = {"p": p, "lo": p, "hi": p + "\uffff"}
    fill = _fill_sql(part, _actor_dims(conn))
    for t in ("ru_month", "ru_flags", "ru_type", "ru_country"):
        conn.execute(sa.text(f"DELETE FROM {t} WHERE p = :p"), args)
    for t in ("ru_month", "ru_flags"):
        conn.execute(sa.text(fill[t]), args)
    for t in ("ru_type", "ru_country"):
        conn.execute(sa.text(_project(t, "p = :p")), args)
    # per (view, actor) over the partition's rows (one per type, country and date keys since 0012)
    old = {(v, k): int(n) for v, k, n in conn.execute(
        sa.text("SELECT vw, akey, sum(n) FROM ru_actor_month WHERE p = :p GROUP BY vw, akey"), args)}
    conn.execute(sa.text("DELETE FROM ru_actor_month WHERE p = :p"), args)
    conn.execute(sa.text(fill["ru_actor_month"]), args)
    new = {(v, k): (int(n), e, t) for v, k, e, t, n in conn.execute(
        sa.text("SELECT vw, akey, max(entity_id), min(text), sum(n) FROM ru_actor_month WHERE p = :p "
                "GROUP BY vw, akey"), args)}
    diff = {key: new.get(key, (0, None, None))[0] - old.get(key, 0) for key in old.keys() | new.keys()}
    diff = {key: d for key, d in diff.items() if d}
    if not diff:
        return
    keys = sorted({k for _, k in diff})
    have: dict[tuple[int, str], int] = {}
    for i in range(0, len(keys), 500):
        have.update({(v, k): n for v, k, n in conn.execute(
            sa.select(ru_actor.c.vw, ru_actor.c.akey, ru_actor.c.n).where(ru_actor.c.akey.in_(keys[i : i + 500])))})
    ins, upd, dele = [], [], []
    for (v, k), d in diff.items():
        if (v, k) not in have:
            _, e, t = new[(v, k)]
            ins.append({"vw": v, "akey": k, "entity_id": e, "text": t, "n": d})
        elif have[(v, k)] + d <= 0:
            dele.append({"v": v, "k": k})
        else:
            upd.append({"v": v, "k": k, "n": have[(v, k)] + d})
    if ins:
        conn.execute(ru_actor.insert(), ins)
    if upd:
        conn.execute(sa.text("UPDATE ru_actor SET n = :n WHERE vw = :v AND akey = :k"), upd)
    if dele:
        conn.execute(sa.text("DELETE FROM ru_actor WHERE vw = :v AND akey = :k"), dele)


def rebuild(conn: Any) -> None:
    """Fill every derived structure from the events table (in place of what was there)."""
    if not sa.inspect(conn).has_table("ru_day"):  # a store before 0008
        return
    conn.execute(sa.text(
        "UPDATE events SET canon_prev = NULL WHERE canon_prev IS NOT NULL"))
    # canon_prev of the non-first members: the running maximum of the confidences before them
    # (a window, not a correlated subquery per row: that one ran for minutes on PostgreSQL at 1M
    # events before the table had statistics).
    conn.execute(sa.text(
        "UPDATE events SET canon_prev = w.prev FROM (SELECT id, CASE WHEN row_number() OVER g = 1 THEN NULL "
        "ELSE coalesce(max(confidence) OVER (g ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), -1) END AS prev "
        "FROM events WHERE canonical_id IS NOT NULL WINDOW g AS (PARTITION BY canonical_id ORDER BY id)) w "
        "WHERE events.id = w.id AND w.prev IS NOT NULL"))
    for t in TABLES:
        conn.execute(t.delete())
    for sql in _fill_sql("1 = 1", _actor_dims(conn)).values():
        conn.execute(sa.text(sql))
    for name in PROJECT:
        conn.execute(sa.text(_project(name, "1 = 1")))
    if _span(conn):
        conn.execute(sa.text("DELETE FROM ru_span"))
        conn.execute(sa.text(SPAN_FILL))
    conn.execute(sa.text(
        "INSERT INTO ru_actor (vw, akey, entity_id, text, n) SELECT vw, akey, max(entity_id), min(text), "
        "sum(n) FROM ru_actor_month GROUP BY vw, akey"))


# ------------------------------------------------------------------------------ filters
def _has(store: Any, name: str) -> bool:
    cache = store.__dict__.setdefault("_derived_has", {})
    if name not in cache:
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                cache[name] = conn.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = :n"),
                                           {"n": name}).first() is not None
        else:
            cache[name] = sa.inspect(store.engine).has_table(name)
    return bool(cache[name])


def has_column(store: Any, table: str, column: str) -> bool:
    cache = store.__dict__.setdefault("_derived_has", {})
    key = f"{table}.{column}"
    if key not in cache:
        cache[key] = any(c["name"] == column for c in sa.inspect(store.engine).get_columns(table))
    return bool(cache[key])


def start_bound(store: Any, date_from: str) -> str | None:
    """The earliest date_start of the events ending on or after ``date_from`` (None: no such
    event, one without a start date, or no ``ru_span``): a lower bound a date index can range on."""
    if not _has(store, "ru_span"):
        return None
    with store.engine.connect() as conn:
        got = conn.execute(sa.text("SELECT min(date_start) FROM ru_span WHERE max_end >= :f"), {"f": date_from}).scalar()
    return str(got) if got else None  # '': an undated start ends after it, no bound


def visible(f: EventFilter) -> Any:
    """The canonical-event rule of ``where`` (one row per real-world action) on ``canon_prev``."""
    if f.min_confidence:
        return sa.or_(events.c.canon_prev.is_(None), events.c.canon_prev < f.min_confidence)
    return events.c.canon_prev.is_(None)


def actor_texts_like(store: Any, needle: str) -> Any | None:
    """The distinct actor texts containing ``needle`` (case-insensitive), as a subquery, through
    the trigram index (SQLite FTS5 for 3+ characters; PostgreSQL pg_trgm GIN, used by the planner
    for ``lower(text) LIKE``); None on a store without ``actor_texts``."""
    from .schema import actor_texts

    if not _has(store, "actor_texts"):
        return None
    low = needle.lower()
    if store.dialect == "sqlite" and len(low) >= 3 and _has(store, "actor_texts_fts"):
        phrase = '"' + low.replace('"', '""') + '"'
        ids: Any = sa.select(sa.column("rowid")).select_from(sa.table("actor_texts_fts")).where(
            sa.text("actor_texts_fts MATCH :at_q").bindparams(at_q=phrase))
        return sa.select(actor_texts.c.text).where(actor_texts.c.id.in_(ids))
    esc = low.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.select(actor_texts.c.text).where(sa.func.lower(actor_texts.c.text).like(f"%{esc}%", escape="\\"))


#: Whether SQLite bounding boxes go through the R*Tree (see bbox_candidates).
USE_RTREE = False


def bbox_candidates(store: Any, bbox: tuple[float, float, float, float]) -> Any | None:
    """A spatial-index condition on events selecting a superset of the points inside ``bbox``
    (the exact comparisons stay in the filter): SQLite R*Tree (float32 boxes, so an overlap test),
    PostgreSQL GiST on point(lon, lat); None without the index."""
    x0, y0, x1, y1 = bbox
    if store.dialect == "sqlite":
        # Not used: on the 100k bench store the covering (lon, lat, visibility) index counted a
        # box in 23-69 ms where the R*Tree path took 120-470 ms (its candidates cost a wide-row
        # read each): Levant 34,29,40,37; Europe -10,35,40,60; Sahel -20,10,50,20.
        if not USE_RTREE or not _has(store, "events_rtree"):
            return None
        k: Any = sa.select(sa.column("k")).select_from(sa.table("events_rtree")).where(
            sa.column("max_lon") >= x0, sa.column("min_lon") <= x1,
            sa.column("max_lat") >= y0, sa.column("min_lat") <= y1)
        return sa.literal_column("events.rowid").in_(k)
    if store.dialect == "postgresql":
        return sa.text("point(events.lon, events.lat) <@ box(point(:bx0, :by0), point(:bx1, :by1))").bindparams(
            bx0=x0, by0=y0, bx1=x1, by1=y1)
    return None


# ------------------------------------------------------------------------------ reading
@dataclass(frozen=True)
class Plan:
    vw: int
    f: EventFilter
    #: Reviews are stored: the summary tables' (machine) numbers take :func:`_delta`'s correction.
    adj: bool = False


def _view(f: EventFilter) -> int | None:
    if not f.min_confidence:
        return 0
    k = round(f.min_confidence * 10)
    return k if 1 <= k <= 10 and k / 10 == f.min_confidence else None


def _review_filter_ok(f: EventFilter) -> bool:
    """The review filters the correction serves (``reviewed=only`` and ``rejected=only`` select
    reviewed events alone: SQL over those few is as fast)."""
    return getattr(f, "reviewed", None) in (None, "exclude") and getattr(f, "rejected", "hide") in ("hide", "include")


def _no_reviews(store: Any, f: EventFilter) -> bool:
    if not _review_filter_ok(f):
        return False
    try:
        from .schema import article_reviews, event_reviews
    except ImportError:
        return True
    # orphaned reviews (store/reviews.py carry) belong to no event: they change no count
    q = sa.select(sa.or_(sa.exists(sa.select(event_reviews.c.event_id).where(event_reviews.c.orphaned_at.is_(None))),
                         sa.exists(sa.select(article_reviews.c.article_id).where(article_reviews.c.out_of_scope.is_(True)))))
    with store.engine.connect() as conn:
        return not conn.execute(q).scalar()


def _plan(store: Any, f: EventFilter) -> Plan | None:
    if not f.canonical_only or f.acled_event_type or f.actor or f.bbox or f.q or f.article_id or f.entity_id:
        return None
    v = _view(f)
    if v is None or not _has_tables(store) or not _review_filter_ok(f):
        return None
    return Plan(v, f, adj=not _no_reviews(store, f))


def _has_actor_dims(store: Any) -> bool:
    return has_column(store, "ru_actor_month", "ms")


def _has_tables(store: Any) -> bool:
    ok = getattr(store, "_ru_ok", None)
    if ok is None:
        ok = sa.inspect(store.engine).has_table("ru_day")
        store._ru_ok = ok
    return bool(ok)


def _month_aligned(f: EventFilter) -> bool:
    import calendar

    lo, hi = f.date_from, f.date_to
    if lo and len(lo) == 10 and not lo.endswith("-01"):
        return False
    if hi and len(hi) == 10:
        y, m = int(hi[:4]), int(hi[5:7])
        if int(hi[8:]) != calendar.monthrange(y, m)[1]:
            return False
    return True


#: Summary tables by size (smallest first) with the dimensions each holds: "date" = the exact
#: date_start/date_end, "mdate" = their month keys (whole-month date filters only).
CHOICES = [
    (ru_type, {"type", "off"}),
    (ru_date, {"date", "off"}),
    (ru_country, {"country", "off"}),
    (ru_day, {"date", "type", "off"}),
    (ru_flags, {"type", "certainty", "flags", "off"}),
    (ru_month, {"mdate", "type", "country", "off"}),
]


def _table(plan: Plan, by: str | None, off: bool | None) -> tuple[Any, Any, Any] | None:
    """(table, date_start-like column, date_end-like column) of the smallest summary table
    holding every dimension the filter and the grouping need."""
    f = plan.f
    need = set()
    if f.type:
        need.add("type")
    if f.country:
        need.add("country")
    if f.certainty:
        need.add("certainty")
    if any(getattr(f, k) is not None for k in FLAGS):
        need.add("flags")
    if f.date_from or f.date_to:
        need.add("dates")
    if off is not None:
        need.add("off")
    if by in ("type", "country"):
        need.add(by)
    elif by == "day":
        need.add("date")
    elif by == "month":
        need.add("dates")
    aligned = _month_aligned(f)
    for t, dims in CHOICES:
        if "dates" in need and not ("date" in dims or ("mdate" in dims and aligned)):
            continue
        if need - {"dates"} <= dims:
            if "mdate" in dims:
                return t, t.c.ms, t.c.me
            return (t, t.c.date_start, t.c.date_end) if "date" in dims else (t, None, None)
    return None


def _conds(plan: Plan, t: Any, ds: Any, de: Any, off: bool | None) -> list[Any]:
    f = plan.f
    c: list[Any] = [t.c.vw == plan.vw]
    if f.type:
        c.append(t.c.type.in_(f.type))
    if f.country:
        c.append(t.c.country.in_(f.country))
    if f.certainty:
        c.append(t.c.certainty.in_(f.certainty))
    for k in FLAGS:
        if getattr(f, k) is not None:
            c.append(t.c[k] == getattr(f, k))
    if f.date_from:
        c.append(de >= f.date_from)
    if f.date_to:
        c.append(ds <= f.date_to + "\uffff")
    if off is not None:
        o = t.c.offtl if "offtl" in t.c else sa.or_(t.c.historical, t.c.future)
        c.append(o == sa.true() if off else o == sa.false())
    return c


def _covered(store: Any, f: EventFilter, by: str | None, off: bool | None) -> tuple[Any, Any, Any, Any] | None:
    """(plan, summary table, its date-start and date-end columns) serving ``f`` grouped ``by``,
    or None when the summary tables do not cover ``f``."""
    plan = _plan(store, f)
    got = _table(plan, by, off) if plan else None
    return None if plan is None or got is None else (plan, *got)


def count(store: Any, f: EventFilter, off: bool | None = None) -> int | None:
    """How many events ``f`` matches (``off``: only the historical/future ones, or only the
    others), from the summary tables; None when they do not cover ``f``."""
    cov = _covered(store, f, None, off)
    if cov is None:
        return None
    plan, t, ds, de = cov
    with store.engine.connect() as conn:
        n = int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(t.c.n), 0))
                             .where(*_conds(plan, t, ds, de, off))).scalar_one())
    if plan.adj:
        n += sum(r.s - r.m for r in _delta(store, plan.f) if off is None or r.off == off)
    return n


def grouped(store: Any, f: EventFilter, by: str, off: bool | None = None) -> list[tuple[Any, int]] | None:
    """[(key, n)] of the events ``f`` matches grouped by ``type``, ``country``, ``day`` (the first
    10 characters of date_start) or ``month`` (the first 7), most first (day and month: by key);
    None when the summary tables do not cover ``f``."""
    cov = _covered(store, f, by, off)
    if cov is None:
        return None
    plan, t, ds, de = cov
    key = t.c[by] if by in ("type", "country") else sa.func.substr(ds, 1, 10 if by == "day" else 7)
    n = sa.func.sum(t.c.n).label("n")
    q = sa.select(key.label("k"), n).where(*_conds(plan, t, ds, de, off)).group_by(key).having(sa.func.sum(t.c.n) > 0)
    q = q.order_by(key) if by in ("day", "month") else q.order_by(sa.desc("n"), key)
    with store.engine.connect() as conn:
        got = [(k, int(c)) for k, c in conn.execute(q)]
    if not plan.adj:
        return got
    counts = dict(got)
    for r in _delta(store, plan.f):
        if off is not None and r.off != off:
            continue
        for k, d in ((r.key(by, shown=False), -r.m), (r.key(by, shown=True), r.s)):
            if d:
                counts[k] = counts.get(k, 0) + d
    # the SQL order (by count, then key; by key for days and months): NULL (no country, undated)
    # is the smallest key in SQLite, the largest in PostgreSQL
    last = store.dialect != "sqlite"
    kept = [(k, n) for k, n in counts.items() if n > 0]

    def order(k: Any) -> tuple[bool, str]:
        return ((k is None) == last, k or "")

    if by in ("day", "month"):
        return sorted(kept, key=lambda kn: order(kn[0]))
    return sorted(kept, key=lambda kn: (-kn[1], *order(kn[0])))


def fatalities(store: Any, f: EventFilter) -> tuple[int, int] | None:
    """(sum of fatalities, events reporting any) from the summary tables, or None when they do
    not cover ``f``."""
    cov = _covered(store, f, None, None)
    if cov is None:
        return None
    plan, t, ds, de = cov
    with store.engine.connect() as conn:
        s, n = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(t.c.fatalities), 0),
                                      sa.func.coalesce(sa.func.sum(t.c.n_fatal), 0))
                            .where(*_conds(plan, t, ds, de, None))).one()
    s, n = int(s), int(n)
    if plan.adj:
        for r in _delta(store, plan.f):
            if r.fatalities is not None:
                s += (r.s - r.m) * r.fatalities
                n += r.s - r.m
    return s, n


# ------------------------------------------------------------------------------ reviews
# The summary tables count the machine's values. With reviews stored they still serve: a review
# changes only the events it touches (A: the reviewed events and those of out-of-scope
# articles), so for a filter f the shown count is the tables' count, minus the events of A that
# f matches on the machine's values, plus those it matches on the reviewed ones (the filter as
# query.where builds it, rejected and out-of-scope ones hidden). A desk's reviews are few next to
# its events: one query over A per request (memo) instead of SQL over every matching event.
_MEMO: ContextVar[dict[Any, list[Any]] | None] = ContextVar("eventwire_derived_memo", default=None)
OFF_TL = sa.or_(events.c.historical.is_(True), events.c.future.is_(True))  # query.OFF_TIMELINE


@contextmanager
def memo() -> Iterator[None]:
    """Within this block the review correction of a filter is read once (one request's calls)."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


@dataclass(frozen=True)
class Touched:
    """One event a review touches, matched by the filter on the machine's values (``m`` 1) and/or
    on the shown ones (``s`` 1), with the keys the counts group by."""

    id: str
    m: int
    s: int
    off: bool  # historical or future (flags are never reviewed)
    mtype: str | None
    stype: str | None
    mcountry: str | None
    scountry: str | None
    date_start: str | None  # the timeline groups on the machine's date (as the SQL path)
    fatalities: int | None  # the machine's, as the SQL path sums
    actors: Any  # event_reviews.actors (the reviewed roles) or None

    def key(self, by: str, shown: bool) -> Any:
        if by == "type":
            return self.stype if shown else self.mtype
        if by == "country":
            return self.scountry if shown else self.mcountry
        d = self.date_start
        return None if d is None else d[: 10 if by == "day" else 7]


def _delta(store: Any, f: EventFilter) -> list[Touched]:
    """The events reviews touch that ``f`` matches on the machine's or on the shown values."""
    memo_ = _MEMO.get()
    if memo_ is not None and f in memo_:
        return memo_[f]
    from . import query
    from .schema import article_reviews, event_reviews

    er = event_reviews
    m = sa.and_(sa.true(), *query.where(store, f, reviews=False))
    sh = sa.and_(sa.true(), *query.where(store, f))
    # The touched ids first, then their events by key, in chunks: one query with the two IN
    # terms (OR) scanned every event on PostgreSQL (194 ms at 100k events, 1,000 reviews), and so
    # did a join to their UNION while event_reviews had no fresh statistics (116 ms).
    oos = sa.select(article_reviews.c.article_id).where(article_reviews.c.out_of_scope.is_(True))
    with store.engine.connect() as conn:
        ids = sorted(set(conn.execute(sa.select(er.c.event_id)).scalars())
                     | set(conn.execute(sa.select(events.c.id).where(events.c.article_id.in_(oos))).scalars()))
        q = (sa.select(events.c.id, sa.case((m, 1), else_=0), sa.case((sh, 1), else_=0), sa.case((OFF_TL, 1), else_=0),
                       events.c.type, sa.func.coalesce(er.c.type, events.c.type), events.c.country,
                       sa.func.coalesce(er.c.country, events.c.country), events.c.date_start, events.c.fatalities,
                       er.c.actors)
             .select_from(events.outerjoin(er, er.c.event_id == events.c.id)))
        got = []
        for k in range(0, len(ids), 900):
            got += [Touched(r[0], int(r[1]), int(r[2]), bool(r[3]), *r[4:]) for r in conn.execute(
                q.where(events.c.id.in_(ids[k : k + 900]), sa.or_(m, sh)))]
    if memo_ is not None:
        memo_[f] = got
    return got


def _akey(entity_id: str | None, text: str | None) -> str:
    return entity_id if entity_id else str(text or "").lower()  # AKEY


Named = dict[str, tuple[str | None, str]]  # actor key -> (entity id, text)


def actor_keys(store: Any, rows: list[Touched]) -> dict[str, tuple[Named, Named]]:
    """Per touched event: its machine actors and its shown ones (a role a review replaced is the
    review's, the others the machine's), each as actor key -> (entity id, text)."""
    from .schema import event_actors

    ids = [r.id for r in rows]
    machine: dict[str, list[tuple[str, str | None, str]]] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            for eid, role, text, ent in conn.execute(
                    sa.select(event_actors.c.event_id, event_actors.c.role, event_actors.c.text, event_actors.c.entity_id)
                    .where(event_actors.c.event_id.in_(ids[i : i + 500]))):
                machine.setdefault(eid, []).append((f"{role}s", ent, text))
    out: dict[str, tuple[Named, Named]] = {}
    for r in rows:
        acts = r.actors if isinstance(r.actors, dict) else {}
        was = {_akey(e, t): (e, t) for _, e, t in machine.get(r.id, [])}
        now = {_akey(e, t): (e, t) for role, e, t in machine.get(r.id, []) if acts.get(role) is None}
        for role in ("actors", "recipients"):
            for a in acts.get(role) or []:
                k = _akey(a.get("entity_id"), a.get("text"))
                if k:
                    now.setdefault(k, (a.get("entity_id") or None, str(a.get("text") or "")))
        out[r.id] = (was, now)
    return out


def top_actors(store: Any, f: EventFilter, top: int) -> list[tuple[str | None, str, int]] | None:
    """[(entity id or None, text, events)] from the summary tables, or None when they do not
    cover ``f``: ``ru_actor`` for a filter of nothing but the floor, ``ru_actor_month`` for types,
    countries and whole-month dates (0012); not certainty or flags."""
    plan = _plan(store, f)
    if plan is None or any(getattr(f, k) is not None for k in FLAGS) or f.certainty:
        return None
    whole = not (f.type or f.country or f.date_from or f.date_to)
    if not whole and (not _month_aligned(f) or not _has_actor_dims(store)):
        return None
    t = ru_actor if whole else ru_actor_month
    conds = [t.c.vw == plan.vw]
    if not whole:
        # the filter's own comparisons on ru_month's month keys (exact for whole-month bounds)
        conds = _conds(plan, t, t.c.ms, t.c.me, None)
        lo = start_bound(store, f.date_from) if f.date_from else None
        if lo:  # date_start >= lo, so its month >= lo's: the partition index ranges on it
            conds.append(t.c.p >= lo[:7])
    n = t.c.n if whole else sa.func.sum(t.c.n)
    ent = t.c.entity_id if whole else sa.func.max(t.c.entity_id)
    txt = t.c.text if whole else sa.func.min(t.c.text)

    def ranked(limit: int | None = None, keys: list[str] | None = None) -> list[tuple[str, str | None, str, int]]:
        q = sa.select(t.c.akey, ent, txt, n).where(*conds)
        if not whole:
            q = q.group_by(t.c.akey)
        q = q.order_by(n.desc(), t.c.akey)
        if keys is not None:
            q = q.where(t.c.akey.in_(keys))
        if limit is not None:
            q = q.limit(limit)
        with store.engine.connect() as conn:
            return [(k, e, x, int(c)) for k, e, x, c in conn.execute(q)]

    if not plan.adj:
        return [(e, t, n) for _, e, t, n in ranked(top)]
    delta: dict[str, int] = {}
    named: dict[str, tuple[str | None, str]] = {}
    rows = _delta(store, plan.f)
    keys = actor_keys(store, rows)
    for r in rows:
        was, now = keys[r.id]
        for k in was:
            delta[k] = delta.get(k, 0) - r.m
        for k, et in now.items():
            delta[k] = delta.get(k, 0) + r.s
            named.setdefault(k, et)
    return merge_ranked(ranked, {k: d for k, d in delta.items() if d}, named, top)


def merge_ranked(ranked: Any, delta: dict[str, int], named: dict[str, tuple[str | None, str]],
                 top: int) -> list[tuple[str | None, str, int]]:
    """The first ``top`` actors by events once the changes ``delta`` (actor key -> +n/-n) are
    laid over a ranked count: ``ranked(limit=, keys=)`` gives [(key, entity id, text, n)] most
    first (then by key). A change lowers a key by at most its share, so the first ``top`` + (keys
    lowered) ranked rows hold every key that can rank, beside the keys raised (``named`` gives
    the entity id and text of a key no ranked row holds)."""
    if not delta:
        return [(e, t, n) for _, e, t, n in ranked(limit=top)]
    lowered = sum(1 for d in delta.values() if d < 0)
    rows = {k: (e, t, n) for k, e, t, n in ranked(limit=top + lowered)}
    raised = [k for k, d in delta.items() if d > 0 and k not in rows]
    for i in range(0, len(raised), 500):
        rows.update({k: (e, t, n) for k, e, t, n in ranked(keys=raised[i : i + 500])})
    out: dict[str, tuple[str | None, str, int]] = {}
    for k in rows.keys() | {k for k, d in delta.items() if d > 0}:
        e, t, n = rows.get(k) or (*named[k], 0)
        n += delta.get(k, 0)
        if n > 0:
            out[k] = (e, t, n)
    return [out[k] for k in sorted(out, key=lambda k: (-out[k][2], k))[:top]]


def seek_date(store: Any, f: EventFilter, offset: int, desc: bool) -> tuple[str, int] | None:
    """For a deep page of current events sorted by date: (date_start bound, events before it)
    such that the page is the events at or past the bound, from ``offset - before``. None when
    the summary tables do not cover ``f`` or the offset reaches the undated events."""
    plan = _plan(store, f)
    if plan is not None and plan.adj:  # per-day corrections: not worth it for a deep page
        return None
    got = _table(plan, "day", False) if plan else None
    if plan is None or got is None or got[0] not in (ru_day, ru_date):
        return None
    t = got[0]
    q = (sa.select(t.c.date_start, sa.func.sum(t.c.n)).where(*_conds(plan, t, t.c.date_start, t.c.date_end, False),
                                                            t.c.date_start.is_not(None))
         .group_by(t.c.date_start).order_by(t.c.date_start.desc() if desc else t.c.date_start.asc()))
    before = 0
    with store.engine.connect() as conn:
        for d, n in conn.execute(q):
            if before + int(n) > offset:
                return str(d), before
            before += int(n)
    return None


__all__ = ["touch", "rebuild", "count", "grouped", "fatalities", "top_actors", "seek_date", "sync_groups",
           "clear_prev", "refresh_month", "TABLES", "VIEWS"]
