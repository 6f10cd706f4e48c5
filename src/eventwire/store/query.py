"""Read-side queries over stored events: one filter record, used by the API, the UI and exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

import sqlalchemy as sa

from . import derived
from . import reviews as rv
from .schema import articles, entities, event_actors, events

SORTS = {
    "date": events.c.date_start,
    "type": events.c.type,
    "country": events.c.country,
    "confidence": events.c.confidence,
    "id": events.c.id,
}


@dataclass(frozen=True)
class EventFilter:
    """Every filter is optional; all given ones must hold (AND)."""

    type: tuple[str, ...] = ()  # PLOVER types
    acled_event_type: tuple[str, ...] = ()
    actor: str | None = None  # entity id or text (substring, case-insensitive)
    country: tuple[str, ...] = ()  # ISO alpha-3 of the event place
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    certainty: tuple[str, ...] = ()
    negated: bool | None = None
    future: bool | None = None
    hypothetical: bool | None = None
    historical: bool | None = None
    q: str | None = None  # full-text query over the source articles
    article_id: str | None = None
    # One row per real-world action (merged source events, cluster stage) unless False.
    canonical_only: bool = True
    entity_id: str | None = None  # exact knowledge-base id of an actor or recipient
    # Calibrated confidence floor, 0..1 (the ``min_confidence`` setting); None or 0 = every event.
    # An event without a confidence counts as 0. A canonical event passes when any of its source
    # events does (its confidence is the best of theirs), and is then shown by a passing one.
    min_confidence: float | None = None
    # Reviews (store/reviews.py): "only" reviewed events, "exclude" them, None = every event.
    # Rejected events and those of out-of-scope articles are hidden unless rejected="include"
    # (with the others) or "only".
    reviewed: str | None = None
    rejected: str = "hide"

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EventFilter:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names and v not in (None, "", [], ())})


def where(store: Any, f: EventFilter, reviews: bool = True) -> list[Any]:
    """The WHERE terms of ``f`` on events. ``reviews=False``: on the machine's values, without
    the review filter (what the summary tables count; store/derived.py corrects them)."""
    conds: list[Any] = []
    # type, ACLED type, country, dates, bbox: on the reviewed values
    shown = rv.matching(store) if reviews else (lambda column, make: make(events.c[column]))
    overridden = rv._overridden if reviews else (lambda store: set())
    if f.type:
        conds.append(shown("type", lambda c: c.in_(f.type)))
    if f.acled_event_type:
        conds.append(shown("acled_event_type", lambda c: c.in_(f.acled_event_type)))
    if f.country:
        conds.append(shown("country", lambda c: c.in_(f.country)))
    if f.certainty:
        conds.append(events.c.certainty.in_(f.certainty))
    for flag in ("negated", "future", "hypothetical", "historical"):
        val = getattr(f, flag)
        if val is not None:
            conds.append(getattr(events.c, flag) == val)
    if f.date_from:
        conds.append(shown("date_end", lambda c: c >= f.date_from))
        # implied by the above, but an index on date_start can range on it (0009, ~10x on a rare
        # combination's page at 100,000 events); not when a review moves an event's dates
        lo = derived.start_bound(store, f.date_from)
        if lo is not None and "date_end" not in overridden(store):
            conds.append(events.c.date_start >= lo)
    if f.date_to:
        to = f.date_to + "\uffff"
        conds.append(shown("date_start", lambda c: c <= to))
    if f.bbox:
        x0, y0, x1, y1 = f.bbox
        conds += [shown("lon", lambda c: c.between(x0, x1)), shown("lat", lambda c: c.between(y0, y1))]
        near = derived.bbox_candidates(store, f.bbox)  # the spatial index (0008) narrows, the above decide
        if near is not None and "lat" not in overridden(store):
            conds.append(near)
    if f.article_id:
        conds.append(events.c.article_id == f.article_id)
    if f.actor:
        # A known entity id matches by id only (indexed); anything else is a case-insensitive
        # substring of the actor text, found among the distinct texts by their trigram index
        # (0008), then by event_actors.text (a scan of event_actors took ~0.5 s at 100,000 events).
        with store.engine.connect() as conn:
            is_id = conn.execute(
                sa.select(event_actors.c.event_id).where(event_actors.c.entity_id == f.actor).limit(1)
            ).first() is not None
        if is_id:
            match = event_actors.c.entity_id == f.actor
        else:
            texts = derived.actor_texts_like(store, f.actor)
            if texts is not None:
                match = event_actors.c.text.in_(texts)
            else:
                esc = f.actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                match = sa.func.lower(event_actors.c.text).like(f"%{esc}%", escape="\\")
        machine = events.c.id.in_(sa.select(event_actors.c.event_id).where(match))
        conds.append(rv.actor_condition(store, machine, f.actor) if reviews else machine)
    if f.min_confidence:
        # NULL >= x is never true, so events without a confidence count as 0; a plain comparison
        # (no coalesce) lets ix_events_confidence_id serve it.
        conds.append(events.c.confidence >= f.min_confidence)
    if f.canonical_only:
        # Merged events (cluster stage): one row per real-world action. The representative of a
        # canonical group is its smallest-id source event (ids are content hashes) among those
        # that pass the confidence floor, so a merged event stays listed while any of its source
        # events is confident enough; unmerged events stand for themselves. Tested on the
        # events.canon_prev column (0008, store/derived.py), not a subquery per row: at 1M events
        # the subquery made every count read the whole table (~3.5 s, benchmarks/bench_store.py).
        conds.append(derived.visible(f))
    if f.entity_id:
        conds.append(events.c.id.in_(sa.select(event_actors.c.event_id).where(event_actors.c.entity_id == f.entity_id)))
    if f.q:
        conds.append(events.c.article_id.in_(fts_article_ids(store, f.q)))
    if reviews:
        conds += rv.filter_conditions(store, f.reviewed, f.rejected)
    return conds


def fts_article_ids(store: Any, query: str) -> Any:
    """A subquery of the ids of articles matching ``query`` in the full-text index (FTS5 on
    SQLite, the tsvector GIN index on PostgreSQL), uncapped. Like Store.search, only words count:
    FTS syntax characters in user input are dropped."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in query).split() if w]
    if not words:
        return sa.select(articles.c.id).where(sa.false())
    if store.dialect == "sqlite":
        match = " ".join(f'"{w}"' for w in words)
        return sa.select(sa.column("article_id")).select_from(sa.table("articles_fts")).where(
            sa.text("articles_fts MATCH :fts_q").bindparams(fts_q=match))
    if derived.has_column(store, "articles", "fts"):  # 0008: the stored tsvector
        return sa.select(articles.c.id).where(
            sa.text("articles.fts @@ plainto_tsquery('english', :fts_q)").bindparams(fts_q=" ".join(words)))
    return sa.select(articles.c.id).where(
        sa.text("to_tsvector('english', coalesce(articles.title, '') || ' ' || articles.body) "
                "@@ plainto_tsquery('english', :fts_q)").bindparams(fts_q=" ".join(words)))


def _order(store: Any, sort: str, desc: bool) -> list[Any]:
    """Sort key with missing values last, ties broken by id in the same direction so that one
    composite index (see migration 0004) can serve filter and order together.

    SQLite already puts NULLs last when descending; an explicit NULLS LAST there would stop it
    from walking the index, so it is only spelled out where the dialect needs it."""
    col = SORTS.get(sort.lstrip("-"), events.c.date_start)
    if desc:
        first = col.desc() if store.dialect == "sqlite" else col.desc().nulls_last()
        return [first, events.c.id.desc()]
    return [col.asc().nulls_last(), events.c.id.asc()]


#: Events flagged historical or future (issue 14.5): their dates are not when the reported action
#: happened now ("by 2040", "in 1923"), so the date sort lists them after the current events and
#: the timeline leaves them out (``stats`` counts them as ``off_timeline``).
OFF_TIMELINE = sa.or_(events.c.historical.is_(True), events.c.future.is_(True))


def _date_parts(store: Any, f: EventFilter, sort: str) -> list[list[Any]] | None:
    """For the date sort: the filter's conditions for current events, then for the others; None
    for any other sort. Two queries, not an ORDER BY on the flag, so that the (date_start, id)
    index still serves each part."""
    if sort.lstrip("-") != "date":
        return None
    conds = where(store, f)
    return [[*conds, sa.not_(OFF_TIMELINE)], [*conds, OFF_TIMELINE]]


def select_events(store: Any, f: EventFilter, sort: str = "date", desc: bool = True,
                  conds: list[Any] | None = None) -> Any:
    return _with_canonical(
        sa.select(events.c.data, events.c.article_id, articles.c.title, articles.c.source, articles.c.url,
                  articles.c.published_at, events.c.summary)
        .join(articles, articles.c.id == events.c.article_id)
    ).where(*(where(store, f) if conds is None else conds)).order_by(*_order(store, sort, desc))


_CANON_COLS = ("num_mentions", "num_sources", "num_articles", "fatalities_min", "fatalities_max", "sources")


def _with_canonical(q: Any) -> Any:
    """Add the merged-event columns (GDELT-style counts, ACLED-style sources) to an event query."""
    from .clusters import canon  # the cluster stage's table; imported late (clusters imports us)

    # A merged event's confidence is the best of its source events' (what the confidence floor
    # tests): the per-row lookup goes through the canonical_id index.
    peer = events.alias("conf_peer")
    best = (sa.select(sa.func.max(peer.c.confidence)).where(peer.c.canonical_id == events.c.canonical_id)
            .scalar_subquery().label("canonical_confidence"))
    return rv.join(q.outerjoin(canon, canon.c.id == events.c.canonical_id)).add_columns(
        events.c.canonical_id, *(canon.c[c] for c in _CANON_COLS), best, *rv.columns()
    )


def _row(r: Any) -> dict[str, Any]:
    d = dict(r["data"])
    d["article"] = {"id": r["article_id"], "title": r["title"], "source": r["source"], "url": r["url"],
                    "published_at": r["published_at"]}
    d["summary"] = r["summary"]
    if r.get("canonical_id"):
        d["canonical"] = {"id": r["canonical_id"], **{c: r.get(c) for c in _CANON_COLS},
                          "confidence": r.get("canonical_confidence")}
    return rv.apply(d, r)  # the reviewed values shown, the machine's kept under "machine"


def list_events(store: Any, f: EventFilter, limit: int = 100, offset: int = 0, sort: str = "date",
                desc: bool = True) -> list[dict[str, Any]]:
    """A page of matching events. Sorted by date, current events come first, then the
    historical/future ones (:data:`OFF_TIMELINE`), each part in date order."""
    parts = _date_parts(store, f, sort)
    if parts is None:
        return _list_page(store, where(store, f), limit, offset, sort, desc)
    got = derived.count(store, f, off=False)
    n_current = _count(store, parts[0]) if got is None else got
    out: list[dict[str, Any]] = []
    if offset < n_current:
        # A deep page starts at the day the summary tables say it reaches, so the index walk
        # skips the days before it (offset 900,000 of 1M: ~1-2 s of index stepping otherwise).
        seek = derived.seek_date(store, f, offset, desc) if offset >= SEEK_FROM else None
        if seek is None:
            out = _list_page(store, parts[0], limit, offset, sort, desc)
        else:
            bound = events.c.date_start <= seek[0] if desc else events.c.date_start >= seek[0]
            out = _list_page(store, [*parts[0], bound], limit, offset - seek[1], sort, desc)
    if len(out) < limit:
        out += _list_page(store, parts[1], limit - len(out), max(0, offset - n_current), sort, desc)
    return out


#: Offsets from which a date-sorted page seeks its first day in the summary tables: below it the
#: index walk is a few ms at 1M events (offset 1,000 ~ 2 ms), the seek one more query (~5-10 ms).
SEEK_FROM = 5000


def _count(store: Any, conds: list[Any]) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(events).where(*conds)).scalar_one())


def _list_page(store: Any, conds: list[Any], limit: int, offset: int, sort: str, desc: bool) -> list[dict[str, Any]]:
    # Deferred join: page through ids alone (index-only where an index covers filter and sort),
    # then read the wide JSON rows of just this page. On 100,000 SQLite events this took a deep
    # page (offset 50,000) from ~13 s to well under a second (benchmarks/bench_api.py).
    order = _order(store, sort, desc)
    page = sa.select(events.c.id).where(*conds).order_by(*order).limit(limit).offset(offset)
    q = (
        _with_canonical(
            sa.select(events.c.data, events.c.article_id, articles.c.title, articles.c.source, articles.c.url,
                      articles.c.published_at, events.c.summary)
            .join(articles, articles.c.id == events.c.article_id)
        )
        .where(events.c.id.in_(page.scalar_subquery()))
        .order_by(*order)
    )
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(q).mappings()]


def get_event(store: Any, event_id: str) -> dict[str, Any] | None:
    """One event (as list_events shapes it), or None."""
    # A rejected event (or one of an out-of-scope article) is still found by its id.
    q = select_events(store, EventFilter(rejected="include")).where(events.c.id == event_id)
    with store.engine.connect() as conn:
        r = conn.execute(q).mappings().first()
    return _row(r) if r is not None else None


def count_events(store: Any, f: EventFilter) -> int:
    got = derived.count(store, f)  # the summary tables when they cover f (0008, store/derived.py)
    if got is not None:
        return got
    q = sa.select(sa.func.count()).select_from(events).where(*where(store, f))
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def count_below_confidence(store: Any, f: EventFilter, shown: int | None = None) -> int:
    """How many events ``f`` would match but for its confidence floor (0 when it has none): what
    listings report as hidden, so that a filtered count never passes for the whole store.
    ``shown``: ``count_events(store, f)`` when the caller has it (one count less)."""
    if not f.min_confidence:
        return 0
    return count_events(store, replace(f, min_confidence=None)) - (count_events(store, f) if shown is None else shown)


def iter_events(store: Any, f: EventFilter, sort: str = "date", desc: bool = False,
                chunk: int = 1000, limit: int | None = None, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Stream every matching event in constant memory (server-side cursor / chunked fetch);
    ``limit``/``offset`` cut the stream in SQL (the map's first 5,000 events: 6 s → see
    benchmarks/bench_api.py, instead of sorting and decoding every row)."""
    parts = _date_parts(store, f, sort)
    if parts is None:
        yield from _stream(store, select_events(store, f, sort, desc), chunk, limit, offset)
        return
    # Sorted by date: current events first, then the historical/future ones (see list_events).
    n_current = _count(store, parts[0]) if (limit is not None or offset) else None
    first = select_events(store, f, sort, desc, conds=parts[0])
    if n_current is None:
        yield from _stream(store, first, chunk, None, 0)
        yield from _stream(store, select_events(store, f, sort, desc, conds=parts[1]), chunk, None, 0)
        return
    took = 0
    if offset < n_current:
        for row in _stream(store, first, chunk, limit, offset):
            took += 1
            yield row
    rest = None if limit is None else limit - took
    if rest is None or rest > 0:
        yield from _stream(store, select_events(store, f, sort, desc, conds=parts[1]), chunk, rest,
                           max(0, offset - n_current))


def _stream(store: Any, q: Any, chunk: int, limit: int | None, offset: int) -> Iterator[dict[str, Any]]:
    if limit is not None or offset:
        q = q.limit(limit).offset(offset)
    with store.engine.connect().execution_options(stream_results=True, yield_per=chunk) as conn:
        for r in conn.execute(q).mappings():
            yield _row(r)


# ------------------------------------------------------------------------------------ stats
BUCKETS = ("day", "week", "month")


def _bucket(day: str, bucket: str) -> str:
    """Fold an ISO day (YYYY-MM-DD) into the start of its day, ISO week (Monday) or month."""
    if bucket == "month":
        return day[:7] + "-01"
    if bucket == "week":
        import datetime as dt

        try:
            d = dt.date.fromisoformat(day)
        except ValueError:
            return day
        return (d - dt.timedelta(days=d.weekday())).isoformat()
    return day


def stats(store: Any, f: EventFilter | None = None, bucket: str = "day", top: int = 50) -> dict[str, Any]:
    """Counts of the events matching ``f``: total, by PLOVER type, by country, by month, and a
    timeline by ``bucket`` (day, week or month of ``date_start``).

    Grouping is done in SQL by the first 10 (day) or 7 (month) characters of the ISO date, which
    both SQLite and PostgreSQL evaluate the same way; weeks are folded from days in Python so no
    dialect-specific date function is needed.
    """
    f = f or EventFilter()
    with derived.memo():  # the reviews' correction to the summary tables read once
        return _stats(store, f, bucket, top)


def _stats(store: Any, f: EventFilter, bucket: str, top: int) -> dict[str, Any]:
    conds = where(store, f)
    n = sa.func.count().label("n")

    def grouped(col: Any, limit: int | None = None, on: list[Any] | None = None, by: str = "",
                off: bool | None = None) -> list[tuple[Any, int]]:
        # The summary tables (0008, store/derived.py) when they cover the filter: at 1M events
        # each grouping below read ~1M index entries (0.3-1 s, benchmarks/bench_store.py).
        got = derived.grouped(store, f, by, off) if by else None
        if got is not None:
            return got[:limit] if limit else got
        q = sa.select(col.label("k"), n).select_from(rv.source(col)).where(*(conds if on is None else on)).group_by(col)
        q = q.order_by(sa.desc("n"), col)
        if limit:
            q = q.limit(limit)
        with store.engine.connect() as conn:
            return [(r[0], int(r[1])) for r in conn.execute(q)]

    day = sa.func.substr(events.c.date_start, 1, 10)
    month = sa.func.substr(events.c.date_start, 1, 7)
    total = derived.count(store, f)
    with store.engine.connect() as conn:
        if total is None:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(events).where(*conds)).scalar_one())
        n_articles = int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())
    # The timeline (and by_month) covers current events: historical and future ones are counted
    # apart unless the filter asks for them ("historical=true" makes them the timeline).
    off_timeline, tconds, toff = 0, conds, None
    if f.historical is None and f.future is None:
        off_n = derived.count(store, f, off=True)
        off_timeline = _count(store, [*conds, OFF_TIMELINE]) if off_n is None else off_n
        tconds, toff = [*conds, sa.not_(OFF_TIMELINE)], False
    days = grouped(day, on=tconds, by="day", off=toff)
    timeline: dict[str, int] = {}
    undated = 0
    for k, c in days:
        if not k:
            undated += c
            continue
        b = _bucket(k, bucket)
        timeline[b] = timeline.get(b, 0) + c
    return {
        "total": total,
        "articles": n_articles,
        "by_type": {k or "": c for k, c in grouped(rv.shown_column(store, "type"), by="type")},
        "by_country": {k or "": c for k, c in grouped(rv.shown_column(store, "country"), top, by="country")},
        "by_month": dict(sorted((k, c) for k, c in grouped(month, on=tconds, by="month", off=toff) if k)),
        "bucket": bucket,
        "timeline": [{"t": k, "n": timeline[k]} for k in sorted(timeline)],
        "undated": undated,
        "off_timeline": off_timeline,  # historical/future events, not on the timeline
    }


# ------------------------------------------------------------------------------------ actors
def _entity(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"], "name": row["name"], "kind": row["kind"], "country": row["country"],
        "sector": row["sector"], "aliases": list(row["aliases"] or []),
        "relations": list(row["relations"] or []), "valid_from": row["valid_from"],
        "valid_to": row["valid_to"], "description": row["description"],
    }


def _event_counts(conn: Any, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    q = (
        sa.select(event_actors.c.entity_id, sa.func.count(sa.distinct(event_actors.c.event_id)))
        .where(event_actors.c.entity_id.in_(ids))
        .group_by(event_actors.c.entity_id)
    )
    return {k: int(c) for k, c in conn.execute(q)}


def list_actors(store: Any, q: str | None = None, kind: str | None = None, country: str | None = None,
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Knowledge-base entities (filled at ingest by ``Store.load_entities``), most active first.

    ``q`` matches id, name or an alias, case-insensitively. Actors seen in events but never
    resolved to an entity are listed separately as ``unresolved`` (text and event count) so the
    analyst can see what the knowledge base is missing.
    """
    conds: list[Any] = []
    if q:
        pat = f"%{q.lower()}%"
        conds.append(sa.or_(
            sa.func.lower(entities.c.id).like(pat),
            sa.func.lower(entities.c.name).like(pat),
            sa.func.lower(sa.cast(entities.c.aliases, sa.Text)).like(pat),
        ))
    if kind:
        conds.append(entities.c.kind == kind)
    if country:
        conds.append(entities.c.country == country)
    n_ev = (
        sa.select(sa.func.count(sa.distinct(event_actors.c.event_id)))
        .where(event_actors.c.entity_id == entities.c.id)
        .scalar_subquery()
    )
    sel = (
        sa.select(entities, n_ev.label("events")).where(*conds)
        .order_by(sa.desc("events"), entities.c.name, entities.c.id).limit(limit).offset(offset)
    )
    unres_conds: list[Any] = [event_actors.c.entity_id.is_(None)]
    if q:
        unres_conds.append(sa.func.lower(event_actors.c.text).like(f"%{q.lower()}%"))
    if country:
        unres_conds.append(event_actors.c.country == country)
    unres = (
        sa.select(event_actors.c.text, sa.func.count(sa.distinct(event_actors.c.event_id)).label("n"))
        .where(*unres_conds).group_by(event_actors.c.text).order_by(sa.desc("n"), event_actors.c.text).limit(limit)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(sel).mappings().all()
        total = int(conn.execute(sa.select(sa.func.count()).select_from(entities).where(*conds)).scalar_one())
        unresolved = [] if kind else [{"text": t, "events": int(c)} for t, c in conn.execute(unres)]
    return {
        "total": total,
        "items": [{**_entity(r), "events": int(r["events"] or 0)} for r in rows],
        "unresolved": unresolved,
    }


def actor_detail(store: Any, actor_id: str, events_limit: int = 50) -> dict[str, Any]:
    """One entity with its relations both ways (each with the related entity and its event
    count) and its most recent events. Raises NotFound for an unknown id."""
    from ..errors import NotFound

    with store.engine.connect() as conn:
        row = conn.execute(sa.select(entities).where(entities.c.id == actor_id)).mappings().first()
        if row is None:
            raise NotFound(f"no actor with id {actor_id!r}; list them with GET /api/actors")
        ent = _entity(row)
        # Incoming relations: entities whose relation list names this id. The JSON is scanned as
        # text (portable across SQLite and PostgreSQL), then checked exactly in Python.
        like = f'%"{actor_id}"%'
        incoming_rows = conn.execute(
            sa.select(entities).where(sa.cast(entities.c.relations, sa.Text).like(like), entities.c.id != actor_id)
        ).mappings().all()
        targets = [r.get("target") for r in ent["relations"] if r.get("target")]
        known = {
            r["id"]: r for r in conn.execute(sa.select(entities).where(entities.c.id.in_(targets))).mappings()
        } if targets else {}
        related_ids = list({*targets, *(r["id"] for r in incoming_rows), actor_id})
        counts = _event_counts(conn, related_ids)

    def brief(r: Any | None, fallback_id: str) -> dict[str, Any]:
        if r is None:
            return {"id": fallback_id, "name": fallback_id, "kind": None, "country": None,
                    "events": counts.get(fallback_id, 0)}
        return {"id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"],
                "events": counts.get(r["id"], 0)}

    relations = []
    for rel in ent["relations"]:
        t = rel.get("target")
        relations.append({**rel, "direction": "out", "entity": brief(known.get(t), t)})
    for r in incoming_rows:
        for rel in r["relations"] or []:
            if rel.get("target") == actor_id:
                relations.append({**rel, "target": r["id"], "direction": "in", "entity": brief(r, r["id"])})
    ent["events"] = counts.get(actor_id, 0)
    ent["relations"] = relations
    ent["recent_events"] = list_events(store, EventFilter(entity_id=actor_id), limit=events_limit)
    ent["related_events"] = {
        rel["entity"]["id"]: list_events(store, EventFilter(entity_id=rel["entity"]["id"]), limit=10)
        for rel in relations if rel["entity"]["events"]
    }
    return ent



# ------------------------------------------------------------------------------------ map
def map_points(store: Any, f: EventFilter, limit: int = 5000) -> list[dict[str, Any]]:
    """The located events for a map, newest first: only indexed columns, never the JSON detail.

    Decoding each event's JSON dominated the map's load (5,000 events: ~1.3 s of 1.7 s in
    json.loads, benchmarks/bench_api.py); the map needs none of it.
    """
    order = _order(store, "date", True)
    located = rv.matching(store)("lat", lambda c: c.is_not(None))  # a reviewed point counts
    page = (sa.select(events.c.id).where(*where(store, f), located)
            .order_by(*order).limit(limit))
    shown = {c.name: c for c in rv.reviewed_columns()}  # the reviewed values, else the machine's
    q = (
        rv.join(sa.select(events.c.id, *(shown[c] for c in ("type", "date_start", "location", "country", "lat", "lon")),
                          sa.func.substr(events.c.summary, 1, 200).label("summary"),
                          events.c.article_id, articles.c.title.label("article_title"), shown["review_status"])
                .join(articles, articles.c.id == events.c.article_id))
        .where(events.c.id.in_(page.scalar_subquery()))
        .order_by(*order)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]
