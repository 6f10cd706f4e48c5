"""The dashboard's numbers (issue 15.2) for one event filter, in one call: counts by PLOVER type,
by country and by week or month, fatalities summed with the events and articles they come from,
the most active actors, and the share of events reviewed.

Counts come from :func:`eventwire.store.query.stats` (summary tables where they cover the
filter, see :mod:`eventwire.store.derived`); the rest are small indexed queries. Served by
``GET /api/dashboard`` (docs/api.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from . import query
from .query import EventFilter
from .schema import articles, entities, event_actors, events

#: A timeline spanning at most this many days is drawn by week, a longer one by month: 26 weeks
#: of bars still read on a phone-width chart, 27+ become a comb (what the dashboard page shows).
WEEKLY_MAX_DAYS = 183


def _span_days(f: EventFilter, timeline_days: list[str]) -> int | None:
    lo = f.date_from or (timeline_days[0] if timeline_days else None)
    hi = f.date_to or (timeline_days[-1] if timeline_days else None)
    try:
        a = dt.date.fromisoformat(_full(lo, first=True)) if lo else None
        b = dt.date.fromisoformat(_full(hi, first=False)) if hi else None
    except ValueError:
        return None
    return (b - a).days + 1 if a and b else None


def _full(d: str, first: bool) -> str:
    """An ISO date of year or month precision as its first (or last) day."""
    if len(d) == 4:
        return f"{d}-01-01" if first else f"{d}-12-31"
    if len(d) == 7:
        if first:
            return f"{d}-01"
        y, m = int(d[:4]), int(d[5:7])
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return (nxt - dt.timedelta(days=1)).isoformat()
    return d[:10]


def choose_bucket(f: EventFilter, days: list[str]) -> str:
    span = _span_days(f, days)
    return "week" if span is not None and span <= WEEKLY_MAX_DAYS else "month"


def dashboard(store: Any, f: EventFilter, bucket: str = "auto", top: int = 10) -> dict[str, Any]:
    """Everything the dashboard page draws for filter ``f`` (see docs/api.md for the shape)."""
    from . import derived

    with derived.memo():  # the reviews' correction to the summary tables read once
        return _dashboard(store, f, bucket, top)


def _dashboard(store: Any, f: EventFilter, bucket: str, top: int) -> dict[str, Any]:
    st = query.stats(store, f, bucket="day", top=0)
    days = [p["t"] for p in st["timeline"]]
    if bucket == "auto":
        bucket = choose_bucket(f, days)
    timeline: dict[str, int] = {}
    for p in st["timeline"]:
        b = query._bucket(p["t"], bucket)
        timeline[b] = timeline.get(b, 0) + p["n"]
    names = _country_names()
    return {
        "total": st["total"],
        "min_confidence": f.min_confidence,
        "by_type": [{"type": k, "n": n} for k, n in st["by_type"].items()],
        "by_country": [{"country": k or None, "name": names.get(k) if k else None, "n": n}
                       for k, n in st["by_country"].items()],
        "bucket": bucket,
        "timeline": [{"t": k, "n": timeline[k]} for k in sorted(timeline)],
        "undated": st["undated"],
        "off_timeline": st["off_timeline"],
        "fatalities": fatalities(store, f, top),
        "top_actors": top_actors(store, f, top),
        "reviewed": reviewed_share(store, f, st["total"]),
    }


def _country_names() -> dict[str, str]:
    from .filter_values import _countries

    return _countries()[2]


#: SQLite: walk the fatality index for the top events when at most this many of its entries (top
#: x events with a toll / matching ones with a toll) are expected to be read; each costs a row
#: read: the whole index of the 100k bench store (6,166 entries, none matching) took 17 ms CPU, so
#: 2,000 stay under ~6 ms, where sorting the matches of a broad filter took 40-585 ms (type=ASSAULT,
#: 16k matches; load ~3, benchmarks/bench_dashboard.py).
WALK_FATAL_MAX = 2000


def fatalities(store: Any, f: EventFilter, top: int = 10) -> dict[str, Any]:
    """Fatalities summed over the matching events (each event's largest reported death toll,
    as stored), how many events and articles report any, and the ``top`` events by toll with
    the article each comes from (id, title, publisher, source, URL)."""
    from . import derived

    conds = query.where(store, f)
    has = events.c.fatalities.is_not(None)
    summed = derived.fatalities(store, f)
    with store.engine.connect() as conn:
        if summed is None:
            row = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(events.c.fatalities), 0), sa.func.count())
                               .select_from(events).where(*conds, has)).one()
            summed = (int(row[0]), int(row[1]))
        terms = conds
        if store.dialect == "sqlite" and conds and summed[1]:
            every = int(conn.execute(sa.select(sa.func.count()).select_from(events).where(has)).scalar_one())
            if top * every <= WALK_FATAL_MAX * summed[1]:
                # Few rows of the largest-tolls index to read before ``top`` match: hide the
                # filter's terms from the planner (a CASE uses no index), so it walks
                # ix_events_fatalities instead of sorting every match. 100k bench store, type=
                # ASSAULT (16k matches): 40-585 ms -> 1 ms. PostgreSQL plans it so by itself.
                terms = [sa.case((sa.and_(*conds), 1), else_=0) == 1]
        ids = sa.select(events.c.id).where(*terms, has).order_by(events.c.fatalities.desc(), events.c.id).limit(top)
        rows = conn.execute(
            sa.select(events.c.id, events.c.type, events.c.date_start, events.c.country, events.c.location,
                      events.c.fatalities, sa.func.substr(events.c.summary, 1, 200).label("summary"),
                      articles.c.id.label("article_id"), articles.c.title, articles.c.publisher, articles.c.source,
                      articles.c.url, articles.c.published_at)
            .join(articles, articles.c.id == events.c.article_id)
            .where(events.c.id.in_(ids.scalar_subquery()))
            .order_by(events.c.fatalities.desc(), events.c.id)
        ).mappings().all()
    return {
        "total": summed[0],
        "events": summed[1],
        "top": [{"event_id": r["id"], "type": r["type"], "date_start": r["date_start"], "country": r["country"],
                 "location": r["location"], "fatalities": r["fatalities"], "summary": r["summary"],
                 "article": {"id": r["article_id"], "title": r["title"], "publisher": r["publisher"],
                             "source": r["source"], "url": r["url"], "published_at": r["published_at"]}}
                for r in rows],
    }


def top_actors(store: Any, f: EventFilter, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` actors and recipients of the matching events by events taking part: resolved
    ones by knowledge-base id (with its name), unresolved ones by their text (``id`` None).

    The actors counted are the ones shown: where a review replaced an event's actors or
    recipients (``event_reviews.actors``), that event counts for the reviewed ones instead of the
    machine's (a role the review left alone keeps the machine's), see :func:`_actor_edits`."""
    from . import derived

    got = derived.top_actors(store, f, top)  # the summary tables, reviews laid over them
    if got is None:
        got = _sql_top_actors(store, f, top)
    ids = [e for e, _, _ in got if e]
    with store.engine.connect() as conn:
        named = dict(conn.execute(sa.select(entities.c.id, entities.c.name).where(entities.c.id.in_(ids))).all()) \
            if ids else {}
    return [{"id": e, "name": named.get(e, t) if e else t, "events": n} for e, t, n in got]


def _akey(entity_id: str | None, text: str | None) -> str:
    """The actor key of the summary tables (derived.AKEY): the entity id, else the lower-cased text."""
    return entity_id if entity_id else str(text or "").lower()


def _machine_counts(store: Any, f: EventFilter, limit: int | None = None,
                    keys: list[str] | None = None) -> list[tuple[str, str | None, str, int]]:
    """[(key, entity id, text, events)] of the machine's actors of the events ``f`` matches, most
    first: the first ``limit``, or those of ``keys``."""
    key = sa.func.coalesce(event_actors.c.entity_id, sa.func.lower(event_actors.c.text))
    ev_ids = sa.select(events.c.id).where(*query.where(store, f))
    q = (sa.select(key.label("k"), sa.func.max(event_actors.c.entity_id).label("entity_id"),
                   sa.func.min(event_actors.c.text).label("text"),
                   sa.func.count(sa.distinct(event_actors.c.event_id)).label("n"))
         .where(event_actors.c.event_id.in_(ev_ids)).group_by(key).order_by(sa.desc("n"), key))
    if keys is not None:
        q = q.where(key.in_(keys))
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [(r["k"], r["entity_id"], r["text"], int(r["n"])) for r in conn.execute(q).mappings()]


def _actor_edits(store: Any, f: EventFilter) -> tuple[dict[str, int], dict[str, tuple[str | None, str]]]:
    """For the matching events whose actors a review replaced: the change each edit makes to the
    machine's counts (actor key -> +n / -n: an event counts once per actor, whatever its role)
    and the (entity id, text) of the keys the reviews add."""
    try:
        from .schema import event_reviews
    except ImportError:  # a build without the review tables
        return {}, {}
    er = event_reviews
    ev_ids = sa.select(events.c.id).where(*query.where(store, f))
    with store.engine.connect() as conn:
        edited = {eid: acts for eid, acts in conn.execute(
            sa.select(er.c.event_id, er.c.actors).where(er.c.actors.is_not(None), er.c.orphaned_at.is_(None),
                                                       er.c.event_id.in_(ev_ids)))
                  if isinstance(acts, dict) and any(acts.get(r) is not None for r in ("actors", "recipients"))}
        machine: dict[str, list[tuple[str, str | None, str | None]]] = {}
        ids = list(edited)
        for i in range(0, len(ids), 500):
            for eid, role, text, ent in conn.execute(
                    sa.select(event_actors.c.event_id, event_actors.c.role, event_actors.c.text,
                              event_actors.c.entity_id).where(event_actors.c.event_id.in_(ids[i : i + 500]))):
                machine.setdefault(eid, []).append((f"{role}s", ent, text))
    delta: dict[str, int] = {}
    named: dict[str, tuple[str | None, str]] = {}
    for eid, acts in edited.items():
        was = {_akey(ent, text) for _, ent, text in machine.get(eid, [])}
        now: set[str] = set()
        for role, ent, text in machine.get(eid, []):
            if acts.get(role) is None:  # a role the review left alone: the machine's stand
                now.add(_akey(ent, text))
        for role in ("actors", "recipients"):
            for a in acts.get(role) or []:
                k = _akey(a.get("entity_id"), a.get("text"))
                if k:
                    now.add(k)
                    named.setdefault(k, (a.get("entity_id") or None, str(a.get("text") or "")))
        for k in now - was:
            delta[k] = delta.get(k, 0) + 1
        for k in was - now:
            delta[k] = delta.get(k, 0) - 1
    return {k: d for k, d in delta.items() if d}, named


def _sql_top_actors(store: Any, f: EventFilter, top: int) -> list[tuple[str | None, str, int]]:
    """The top actors over SQL with the reviews' actor edits applied. The machine's counts come
    ranked from SQL; an edit lowers a key by at most its share, so the first ``top`` + (keys an
    edit lowers) machine rows hold every key that can rank, plus the keys edits raise."""
    from . import derived

    delta, named = _actor_edits(store, f)

    def ranked(limit: int | None = None, keys: list[str] | None = None) -> list[tuple[str, str | None, str, int]]:
        return _machine_counts(store, f, limit, keys=keys)

    return derived.merge_ranked(ranked, delta, named, top)


def reviewed_share(store: Any, f: EventFilter, total: int) -> dict[str, Any]:
    """How many of the matching events an analyst has reviewed (accepted, edited or rejected:
    rejected ones only when the filter lists them), by status, and their share of the total."""
    try:
        from .schema import event_reviews
    except ImportError:  # a build without the review tables
        return {"events": 0, "share": 0.0, "by_status": {}}
    with store.engine.connect() as conn:
        if conn.execute(sa.select(event_reviews.c.event_id).limit(1)).first() is None:
            return {"events": 0, "share": 0.0, "by_status": {}}
    rf = replace(f, reviewed="only") if hasattr(f, "reviewed") else f
    ids = sa.select(events.c.id).where(*query.where(store, rf))
    q = (sa.select(event_reviews.c.status, sa.func.count()).where(event_reviews.c.event_id.in_(ids))
         .group_by(event_reviews.c.status))
    with store.engine.connect() as conn:
        by = {s: int(n) for s, n in conn.execute(q)}
    n = sum(by.values())
    return {"events": n, "share": round(n / total, 4) if total else 0.0, "by_status": dict(sorted(by.items()))}
