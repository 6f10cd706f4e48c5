"""Read-side queries over stored events: one filter record, used by the API, the UI and exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa

from .schema import articles, event_actors, events

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
    canonical_only: bool = False

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EventFilter:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names and v not in (None, "", [], ())})


def where(store: Any, f: EventFilter) -> list[Any]:
    conds: list[Any] = []
    if f.type:
        conds.append(events.c.type.in_(f.type))
    if f.acled_event_type:
        conds.append(events.c.acled_event_type.in_(f.acled_event_type))
    if f.country:
        conds.append(events.c.country.in_(f.country))
    if f.certainty:
        conds.append(events.c.certainty.in_(f.certainty))
    for flag in ("negated", "future", "hypothetical", "historical"):
        val = getattr(f, flag)
        if val is not None:
            conds.append(getattr(events.c, flag) == val)
    if f.date_from:
        conds.append(events.c.date_end >= f.date_from)
    if f.date_to:
        conds.append(events.c.date_start <= f.date_to + "\uffff")
    if f.bbox:
        x0, y0, x1, y1 = f.bbox
        conds += [events.c.lon >= x0, events.c.lon <= x1, events.c.lat >= y0, events.c.lat <= y1]
    if f.article_id:
        conds.append(events.c.article_id == f.article_id)
    if f.actor:
        pat = f"%{f.actor.lower()}%"
        conds.append(
            events.c.id.in_(
                sa.select(event_actors.c.event_id).where(
                    sa.or_(event_actors.c.entity_id == f.actor, sa.func.lower(event_actors.c.text).like(pat))
                )
            )
        )
    if f.q:
        ids = [r["id"] for r in store.search(f.q, limit=10_000)]
        conds.append(events.c.article_id.in_(ids))
    return conds


def select_events(store: Any, f: EventFilter, sort: str = "date", desc: bool = True) -> Any:
    col = SORTS.get(sort.lstrip("-"), events.c.date_start)
    order = col.desc() if desc else col.asc()
    return (
        sa.select(events.c.data, events.c.article_id, articles.c.title, articles.c.source, articles.c.url,
                  articles.c.published_at, events.c.summary)
        .join(articles, articles.c.id == events.c.article_id)
        .where(*where(store, f))
        .order_by(order.nulls_last(), events.c.id)
    )


def _row(r: Any) -> dict[str, Any]:
    d = dict(r["data"])
    d["article"] = {"id": r["article_id"], "title": r["title"], "source": r["source"], "url": r["url"],
                    "published_at": r["published_at"]}
    d["summary"] = r["summary"]
    return d


def list_events(store: Any, f: EventFilter, limit: int = 100, offset: int = 0, sort: str = "date",
                desc: bool = True) -> list[dict[str, Any]]:
    q = select_events(store, f, sort, desc).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(q).mappings()]


def count_events(store: Any, f: EventFilter) -> int:
    q = sa.select(sa.func.count()).select_from(events).where(*where(store, f))
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def iter_events(store: Any, f: EventFilter, sort: str = "date", desc: bool = False,
                chunk: int = 1000) -> Iterator[dict[str, Any]]:
    """Stream every matching event in constant memory (server-side cursor / chunked fetch)."""
    q = select_events(store, f, sort, desc)
    with store.engine.connect().execution_options(stream_results=True, yield_per=chunk) as conn:
        for r in conn.execute(q).mappings():
            yield _row(r)
