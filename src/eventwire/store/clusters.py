"""Store side of the cluster stage: near-duplicate links, story clusters, canonical events.

Tables (Alembic revision 0003): ``article_signatures`` (MinHash of each coded article, so the
near-duplicate index survives restarts), ``stories`` (incremental story clusters: member count,
date span and the sum of member vectors), ``canonical_events`` (one row per real-world action,
GDELT-style counts, ACLED-style source list, conflicting values side by side). ``articles``
already has ``duplicate_of`` / ``story_id`` and ``events`` has ``canonical_id``.

Read side for the API and exports: :func:`canonical_events`, :func:`count_canonical_events`,
:func:`iter_canonical_events`, :func:`canonical_event`, :func:`copies`, :func:`copy_ids`,
:func:`story_articles`. Filters are the same :class:`~eventwire.store.query.EventFilter` the
source-event queries take: a canonical event matches when any of its source events matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from . import schema
from .query import EventFilter, where
from .schema import articles, events

article_signatures = sa.Table(
    "article_signatures",
    schema.metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("num_perm", sa.Integer, nullable=False),
    sa.Column("shingles", sa.Integer, nullable=False),
    sa.Column("hashvalues", sa.LargeBinary, nullable=False),
)

stories = sa.Table(
    "stories",
    schema.metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("n_articles", sa.Integer, nullable=False),
    sa.Column("date_start", sa.String(32), index=True),
    sa.Column("date_end", sa.String(32), index=True),
    sa.Column("title", sa.Text),
    sa.Column("vector", sa.JSON, nullable=False),  # term -> sum of member unit-vector weights
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

canon = sa.Table(
    "canonical_events",
    schema.metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("type", sa.String(16), nullable=False, index=True),
    sa.Column("mode", sa.String(32)),
    sa.Column("acled_event_type", sa.String(64), index=True),
    sa.Column("acled_sub_event_type", sa.String(64)),
    sa.Column("cameo", sa.String(8)),
    sa.Column("date_start", sa.String(32), index=True),
    sa.Column("date_end", sa.String(32)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(3), index=True),
    sa.Column("admin1", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("flags", sa.String(64), nullable=False),  # "negated,future" …; merges need equal flags
    sa.Column("story_id", sa.String(64), index=True),
    sa.Column("num_mentions", sa.Integer, nullable=False),  # source events
    sa.Column("num_sources", sa.Integer, nullable=False),  # distinct publishers (or hosts/sources)
    sa.Column("num_articles", sa.Integer, nullable=False),  # distinct articles
    sa.Column("fatalities_min", sa.Integer),
    sa.Column("fatalities_max", sa.Integer),
    sa.Column("actors", sa.JSON, nullable=False),  # [{"text", "entity_id", "role"}], merged
    sa.Column("sources", sa.JSON, nullable=False),  # ACLED-style: one per source event
    sa.Column("values", sa.JSON, nullable=False),  # field -> [{"value", "event_ids", "sources"}]
    sa.Column("data", sa.JSON, nullable=False),  # the first source event (Event.to_dict())
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def _insert(conn: Connection, table: sa.Table) -> Any:
    from . import _insert as dialect_insert  # the Store's INSERT … ON CONFLICT builder

    return dialect_insert(conn, table)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ------------------------------------------------------------------------------ near-duplicates
def save_signature(conn: Connection, article_id: str, num_perm: int, size: int, hashvalues: bytes) -> None:
    stmt = _insert(conn, article_signatures).values(
        article_id=article_id, num_perm=num_perm, shingles=size, hashvalues=hashvalues
    )
    conn.execute(stmt.on_conflict_do_nothing())


def load_signatures(conn: Connection) -> Iterator[tuple[str, int, int, bytes]]:
    q = sa.select(
        article_signatures.c.article_id, article_signatures.c.num_perm,
        article_signatures.c.shingles, article_signatures.c.hashvalues,
    ).order_by(article_signatures.c.article_id)
    for r in conn.execute(q):
        yield r[0], r[1], r[2], bytes(r[3])


def signature_ids(conn: Connection) -> set[str]:
    return set(conn.execute(sa.select(article_signatures.c.article_id)).scalars())


def load_signatures_of(conn: Connection, ids: list[str]) -> Iterator[tuple[str, int, int, bytes]]:
    q = sa.select(
        article_signatures.c.article_id, article_signatures.c.num_perm,
        article_signatures.c.shingles, article_signatures.c.hashvalues,
    )
    for i in range(0, len(ids), 500):
        for r in conn.execute(q.where(article_signatures.c.article_id.in_(sorted(ids)[i:i + 500]))):
            yield r[0], r[1], r[2], bytes(r[3])


def change_token(conn: Connection) -> tuple[Any, ...]:
    """Cheap summary of the cluster state: equal tokens mean no other writer changed it."""
    return (
        conn.execute(sa.select(sa.func.count()).select_from(article_signatures)).scalar_one(),
        conn.execute(sa.select(sa.func.count(), sa.func.max(stories.c.updated_at)).select_from(stories)).one()[:],
    )


def root_of(conn: Connection, article_id: str) -> str:
    """The first copy of a chain of near-duplicates (an article that is a copy of a copy)."""
    seen = {article_id}
    cur = article_id
    while True:
        nxt = conn.execute(sa.select(articles.c.duplicate_of).where(articles.c.id == cur)).scalar()
        if not nxt or nxt in seen:
            return cur
        seen.add(nxt)
        cur = nxt


def link_duplicate(conn: Connection, article_id: str, duplicate_of: str) -> None:
    """Mark a stored article as a near-duplicate of the first copy; it joins that copy's story."""
    if article_id == duplicate_of:
        return
    story = conn.execute(sa.select(articles.c.story_id).where(articles.c.id == duplicate_of)).scalar()
    conn.execute(
        articles.update().where(articles.c.id == article_id).values(duplicate_of=duplicate_of, story_id=story)
    )


def copy_ids(store: Any, article_id: str) -> list[str]:
    """Ids of the stored near-duplicates of an article (its copies), oldest ingest first."""
    with store.engine.connect() as conn:
        root = root_of(conn, article_id)
        rows = conn.execute(
            sa.select(articles.c.id).where(articles.c.duplicate_of == root)
            .order_by(articles.c.ingested_at, articles.c.id)
        ).scalars().all()
    return [r for r in rows if r != article_id] + ([root] if root != article_id else [])


def copies(store: Any, article_id: str) -> int:
    """How many other stored articles are copies of the same text ("N copies" in the UI)."""
    return len(copy_ids(store, article_id))


# ------------------------------------------------------------------------------ stories
def save_story(conn: Connection, story: dict[str, Any]) -> None:
    row = {**story, "updated_at": _now()}
    stmt = _insert(conn, stories).values(**row)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[stories.c.id],
        set_={c: stmt.excluded[c] for c in ("n_articles", "date_start", "date_end", "title", "vector", "updated_at")},
    ))


def load_stories(conn: Connection) -> Iterator[dict[str, Any]]:
    q = sa.select(stories.c.id, stories.c.n_articles, stories.c.date_start, stories.c.date_end,
                  stories.c.title, stories.c.vector).order_by(stories.c.id)
    for r in conn.execute(q).mappings():
        yield dict(r)


def story_of(conn: Connection, article_id: str) -> str | None:
    return conn.execute(sa.select(articles.c.story_id).where(articles.c.id == article_id)).scalar()


def set_story(conn: Connection, article_id: str, story_id: str) -> None:
    conn.execute(articles.update().where(articles.c.id == article_id).values(story_id=story_id))
    # Copies follow their first copy.
    conn.execute(articles.update().where(articles.c.duplicate_of == article_id).values(story_id=story_id))


def story_articles(store: Any, story_id: str) -> list[dict[str, Any]]:
    """The articles of one story (copies included, flagged by ``duplicate_of``)."""
    q = (
        sa.select(articles.c.id, articles.c.title, articles.c.source, articles.c.published_at,
                  articles.c.duplicate_of)
        .where(articles.c.story_id == story_id)
        .order_by(articles.c.published_at.nulls_last(), articles.c.id)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


# ------------------------------------------------------------------------------ canonical events
def candidate_canonicals(
    conn: Connection, type_: str, flags: str, date_from: str | None, date_to: str | None,
    story_id: str | None, limit: int = 200,
) -> list[dict[str, Any]]:
    """Canonical events an event may merge into: same type and flags, and a date window that
    overlaps ``[date_from, date_to]``; or, when either side is undated, the same story."""
    c = canon.c
    alts = []
    if date_from and date_to:
        alts.append(sa.and_(c.date_start <= date_to + "\uffff", c.date_end >= date_from))
        if story_id:
            alts.append(sa.and_(c.story_id == story_id, c.date_start.is_(None)))
    elif story_id:
        alts.append(c.story_id == story_id)
    if not alts:
        return []
    q = sa.select(canon).where(c.type == type_, c.flags == flags, sa.or_(*alts)).order_by(c.id).limit(limit)
    return [dict(r) for r in conn.execute(q).mappings()]


def save_canonical(conn: Connection, row: dict[str, Any]) -> None:
    row = {**row, "updated_at": _now()}
    stmt = _insert(conn, canon).values(**row)
    keep = [k for k in row if k != "id"]
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[canon.c.id], set_={k: stmt.excluded[k] for k in keep}
    ))


def set_canonical(conn: Connection, event_id: str, canonical_id: str) -> None:
    from . import derived

    old = conn.execute(sa.select(events.c.canonical_id, events.c.date_start).where(events.c.id == event_id)).first()
    conn.execute(events.update().where(events.c.id == event_id).values(canonical_id=canonical_id))
    if old is not None and old[0] != canonical_id:
        # the group's visibility column and the summary rows of its days (store/derived.py)
        if old[0] is None:
            derived.clear_prev(conn, [event_id])
        derived.touch(conn, {old[1]}, {canonical_id, *([old[0]] if old[0] else [])})


def unmerge_events(conn: Connection, event_ids: list[str]) -> None:
    """Take events out of their canonical events before they are deleted (``--replace``,
    ``eventwire delete``): each touched canonical event loses their source entries, values and
    counts, and is deleted when no source event is left. Without this, counts grow on every
    replace and ``sources`` point at deleted events."""
    if not event_ids:
        return
    gone = set(event_ids)
    cids = conn.execute(
        sa.select(events.c.canonical_id).where(events.c.id.in_(event_ids), events.c.canonical_id.is_not(None))
        .distinct()
    ).scalars().all()
    for cid in sorted(cids):
        row = conn.execute(sa.select(canon).where(canon.c.id == cid)).mappings().first()
        if row is None:
            continue
        sources = [x for x in row["sources"] or [] if x.get("event_id") not in gone]
        if not sources:
            conn.execute(canon.delete().where(canon.c.id == cid))
            continue
        source_of = {x["event_id"]: x["source"] for x in sources}
        values: dict[str, list[dict[str, Any]]] = {}
        for name, vs in (row["values"] or {}).items():
            kept = []
            for v in vs:
                evs = [e for e in v.get("events", []) if e not in gone]
                if evs:
                    kept.append({**v, "events": evs,
                                 "sources": list(dict.fromkeys(source_of[e] for e in evs if e in source_of))})
            if kept:
                values[name] = kept
        fats = [v["value"] for v in values.get("fatalities", [])]
        data = row["data"]
        if data.get("id") in gone:  # "data" is the first source event: the first one left
            first = conn.execute(sa.select(events.c.data).where(events.c.id == sources[0]["event_id"])).scalar()
            data = first or data
        conn.execute(canon.update().where(canon.c.id == cid).values(
            sources=sources, values=values, data=data, num_mentions=len(sources),
            num_articles=len({x["article_id"] for x in sources}), num_sources=len(set(source_of.values())),
            fatalities_min=min(fats) if fats else None, fatalities_max=max(fats) if fats else None,
            updated_at=_now(),
        ))


def source_meta(conn: Connection, article_id: str) -> dict[str, Any]:
    r = conn.execute(
        sa.select(articles.c.publisher, articles.c.source, articles.c.url, articles.c.title,
                  articles.c.published_at).where(articles.c.id == article_id)
    ).mappings().first()
    return dict(r) if r else {}


# ------------------------------------------------------------------------------ read side
SORTS = {
    "date": canon.c.date_start,
    "type": canon.c.type,
    "country": canon.c.country,
    "mentions": canon.c.num_mentions,
    "sources": canon.c.num_sources,
    "id": canon.c.id,
}


def _select(store: Any, f: EventFilter | None, sort: str = "date", desc: bool = True) -> Any:
    q = sa.select(canon)
    conds = where(store, f) if f is not None else []
    if conds:
        matching = sa.select(events.c.canonical_id).where(*conds, events.c.canonical_id.is_not(None))
        q = q.where(canon.c.id.in_(matching))
    col = SORTS.get(sort.lstrip("-"), canon.c.date_start)
    order = col.desc() if desc else col.asc()
    return q.order_by(order.nulls_last(), canon.c.id)


def _source_events(conn: Connection, canonical_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(events.c.data, events.c.article_id).where(events.c.canonical_id == canonical_id)
        .order_by(events.c.article_id, events.c.id)
    ).mappings().all()
    return [dict(r["data"]) for r in rows]


def _row(r: Any) -> dict[str, Any]:
    d = dict(r)
    d.pop("updated_at", None)
    d["flags"] = [x for x in (d.get("flags") or "").split(",") if x]
    return d


def canonical_events(
    store: Any, f: EventFilter | None = None, limit: int = 100, offset: int = 0,
    sort: str = "date", desc: bool = True, with_sources: bool = False,
) -> list[dict[str, Any]]:
    """Canonical events matching a filter, newest first; ``with_sources`` adds each one's source
    events (``"events"``: the stored Event dicts)."""
    q = _select(store, f, sort, desc).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        out = [_row(r) for r in conn.execute(q).mappings()]
        if with_sources:
            for d in out:
                d["events"] = _source_events(conn, d["id"])
    return out


def count_canonical_events(store: Any, f: EventFilter | None = None) -> int:
    q = sa.select(sa.func.count()).select_from(_select(store, f).order_by(None).subquery())
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def iter_canonical_events(
    store: Any, f: EventFilter | None = None, sort: str = "date", desc: bool = False,
    with_sources: bool = False, chunk: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Every matching canonical event in constant memory (for exports)."""
    q = _select(store, f, sort, desc)
    with store.engine.connect().execution_options(stream_results=True, yield_per=chunk) as conn:
        if not with_sources:
            for r in conn.execute(q).mappings():
                yield _row(r)
            return
        with store.engine.connect() as side:
            for r in conn.execute(q).mappings():
                d = _row(r)
                d["events"] = _source_events(side, d["id"])
                yield d


def canonical_event(store: Any, canonical_id: str) -> dict[str, Any]:
    """One canonical event with its source events."""
    with store.engine.connect() as conn:
        r = conn.execute(
            sa.select(canon).where(canon.c.id == canonical_id)
        ).mappings().first()
        if r is None:
            raise NotFound(f"no canonical event with id {canonical_id!r}")
        d = _row(r)
        d["events"] = _source_events(conn, canonical_id)
    return d


__all__ = [
    "article_signatures", "stories", "canon", "copies", "copy_ids", "story_articles",
    "canonical_events", "count_canonical_events", "iter_canonical_events", "canonical_event",
    "link_duplicate", "root_of", "set_story", "story_of", "save_story", "load_stories", "save_signature",
    "load_signatures", "unmerge_events", "signature_ids", "load_signatures_of", "change_token", "candidate_canonicals", "save_canonical", "set_canonical",
]
