"""Reviews (issue 15.1): an analyst accepts, rejects or edits a machine-coded event, or marks an
article out of scope, and every change is kept.

Three tables (alembic 0007, declared in :mod:`.schema`):

- ``reviews``: the append-only history, one row per change: target (``event`` | ``article`` and
  its id), ``reviewer`` (the name of the token that made it), ``created_at``, ``action``
  (``accept``, ``reject``, ``edit``, ``clear`` for events; ``out_of_scope``, ``in_scope`` for
  articles), ``before`` / ``after`` (the fields changed, as shown before and after) and ``note``.
- ``event_reviews``: each reviewed event's current state: ``status`` (``accepted``, ``rejected``,
  ``edited``), reviewer, ``reviewed_at`` and the overlay columns (type, ACLED type and sub-event
  type, country, admin1, location, lat, lon, date_start, date_end, fatalities, actors). NULL in an
  overlay column means the machine's value stands.
- ``article_reviews``: ``out_of_scope`` per article.

The machine's output (``events`` and its ``data`` JSON) is never rewritten: both stay queryable,
and ``clear`` returns an event to the machine's reading (its history stays).

How views and exports apply reviews
-----------------------------------
Row by row (the JSON API, the UI, every exporter that iterates
:func:`eventwire.store.query.iter_events`): the event queries outer-join ``event_reviews`` and
``article_reviews`` (:func:`join`, :func:`columns`) and :func:`apply` lays the reviewed values
over the event dict: the shown fields are the reviewed ones, the machine's are kept under
``machine`` (only the fields a review changed), and ``review`` says ``{status, reviewer,
reviewed_at, fields}``. Nothing else is needed: :func:`eventwire.export.fields.flat` and the other
writers read the overlaid dict.

Columnar / SQL (an export that selects columns instead of event dicts): :func:`reviewed_columns`
gives, for each overlay column, ``COALESCE(event_reviews.col, events.col)`` labelled with the
events column's name, plus ``review_status`` and ``reviewer``; :func:`join` adds the outer joins
to a select over ``events``; :func:`filter_conditions` gives the WHERE terms of the review filter
(rejected events and events of out-of-scope articles hidden unless asked, ``reviewed=only`` /
``exclude``), the same ones :func:`eventwire.store.query.where` adds. The fatalities overlay
replaces the largest ``dead`` count; actors replace the whole actor and/or recipient list.

Filters: PLOVER type, ACLED type, country, dates and the bounding box match the reviewed value
(:func:`matching`): an event edited from ASSAULT to PROTEST is found by ``type=PROTEST`` and no
longer by ``type=ASSAULT``; the actor filter reads the reviewed actors (:func:`actor_condition`).
Sorting still reads the machine's columns.

Re-coding (:func:`held`, :func:`carry`, alembic 0011)
---------------------------------------------------
``ingest --replace`` with a new model or new rules deletes an article's events and stores the new
ones; an event read as another type gets another id (``Event.make_id`` hashes the type). The
review is not lost: each review of a replaced event moves (``event_reviews`` re-pointed) to the
new event that reports the same action — same article, the same trigger span (and the same body
or caption), else the same sentence span — and a ``carry`` record on the new id names the old
one in ``carried_from``. The records made on the old id keep it as their ``target_id`` (the
history is append-only); :func:`history` of the new id follows the chain back. A review no new
event matches, or whose article is deleted, is kept as an **orphan** (``orphaned_at``, the
``anchor`` of what its event reported, an ``orphan`` record), listed by :func:`orphans` and
``GET /api/reviews?orphaned=true``, and carried again if a later re-coding reports its action.
The store writes ``carry`` / ``orphan`` records as reviewer ``eventwire``.

Training: :func:`training_records` turns reviews into labelled sentences in the corpus schema
``eventwire train --data`` reads (docs/annotation.md): accepted and edited events are events of
their (reviewed) type; rejected events, and the events of out-of-scope articles, are "no event"
sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from ..errors import FilterError, InputError, NotFound
from .schema import article_reviews, articles, event_reviews, events, reviews

EVENT_ACTIONS = ("accept", "reject", "edit", "clear")
ARTICLE_ACTIONS = ("out_of_scope", "in_scope")
#: Records the store writes itself when an article is re-coded (:func:`carry`): ``carry`` (the
#: review moved to the new event, ``carried_from`` the old id) and ``orphan`` (no event reports
#: the reviewed action any more; the review is kept and listed by ``orphans``).
MACHINE_ACTIONS = ("carry", "orphan")
#: The reviewer named on the records the store writes itself.
MACHINE_REVIEWER = "eventwire"
STATUSES = ("accepted", "rejected", "edited")
#: ``EventFilter.reviewed``: only reviewed events (accepted or edited; rejected ones too with
#: ``rejected="include"``), or only events no one has reviewed.
REVIEWED = ("only", "exclude")
#: ``EventFilter.rejected``: rejected events (and those of out-of-scope articles) are hidden by
#: default, listed with the others on ``include``, or alone on ``only``.
REJECTED = ("hide", "include", "only")
#: Overlay columns (event_reviews) and the events column each one overrides.
OVERLAY = ("type", "acled_event_type", "acled_sub_event_type", "country", "admin1", "location",
           "lat", "lon", "date_start", "date_end", "fatalities")  # fmt: skip
EDIT_FIELDS = (*OVERLAY, "actors", "recipients")
_PREFIX = "rv_"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ------------------------------------------------------------------------------ reading
def columns() -> list[Any]:
    """The review columns an event query adds (labelled ``rv_*``) for :func:`apply`."""
    return [
        *(event_reviews.c[c].label(_PREFIX + c) for c in (*OVERLAY, "actors", "status", "reviewer", "reviewed_at")),
        article_reviews.c.out_of_scope.label(_PREFIX + "out_of_scope"),
        article_reviews.c.reviewer.label(_PREFIX + "article_reviewer"),
    ]


def join(q: Any) -> Any:
    """Outer-join the review state of each event (and of its article) onto a select over events."""
    return (q.outerjoin(event_reviews, event_reviews.c.event_id == events.c.id)
            .outerjoin(article_reviews, article_reviews.c.article_id == events.c.article_id))


def reviewed_columns() -> list[Any]:
    """For a columnar export: each overlay column as ``COALESCE(review, machine)`` under the
    events column's name, plus ``review_status`` and ``reviewer`` (select with :func:`join`)."""
    return [
        *(sa.func.coalesce(event_reviews.c[c], events.c[c]).label(c) for c in OVERLAY if c != "fatalities"),
        sa.func.coalesce(event_reviews.c.fatalities, events.c.fatalities).label("fatalities"),
        event_reviews.c.status.label("review_status"),
        event_reviews.c.reviewer.label("reviewer"),
    ]


def _iso(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:  # SQLite hands back naive datetimes; they were written in UTC
            v = v.replace(tzinfo=dt.timezone.utc)
        return v.isoformat()
    return str(v)


def _shown(d: dict[str, Any]) -> dict[str, Any]:
    """The reviewable fields of an event dict, as a flat record."""
    p, date = d.get("place") or {}, d.get("date") or {}
    dead = [q for q in d.get("quantities") or [] if q.get("kind") == "dead" and q.get("value") is not None]
    return {
        "type": d.get("type"), "acled_event_type": d.get("acled_event_type"),
        "acled_sub_event_type": d.get("acled_sub_event_type"),
        "country": p.get("country"), "admin1": p.get("admin1"), "location": p.get("name"),
        "lat": p.get("lat"), "lon": p.get("lon"),
        "date_start": date.get("date_start"), "date_end": date.get("date_end"),
        "fatalities": int(max(q.get("value_max") or q["value"] for q in dead)) if dead else None,
        "actors": [_actor(a) for a in d.get("actors") or []],
        "recipients": [_actor(a) for a in d.get("recipients") or []],
    }


def _actor(a: dict[str, Any]) -> dict[str, Any]:
    return {k: a.get(k) for k in ("text", "entity_id", "country", "sector") if a.get(k) is not None}


def _lay(d: dict[str, Any], ov: dict[str, Any]) -> list[str]:
    """Lay the overlay values ``ov`` (overlay column → value, None = unchanged; ``actors`` the
    stored JSON) over the event dict ``d`` in place; returns the fields changed."""
    changed: list[str] = []
    if ov.get("type") is not None and ov["type"] != d.get("type"):
        # The mode and CAMEO code were read for the machine's type; they do not carry over.
        d["mode"] = d["cameo"] = None
    for k in ("type", "acled_event_type", "acled_sub_event_type"):
        if ov.get(k) is not None:
            d[k] = ov[k]
            changed.append(k)
    place_keys = {"country": "country", "admin1": "admin1", "location": "name", "lat": "lat", "lon": "lon"}
    if any(ov.get(k) is not None for k in place_keys):
        p = dict(d.get("place") or {})
        if ov.get("lat") is not None:  # a new point: the machine's match no longer describes it
            for k in ("start", "end", "text", "geonameid", "feature", "how", "resolved", "admin1"):
                p.pop(k, None)
            p["precision"] = p.get("precision") or 1
            p["how"] = "review"
        for k, pk in place_keys.items():
            if ov.get(k) is not None:
                p[pk] = ov[k]
                changed.append(k)
        d["place"] = p
    if ov.get("date_start") is not None or ov.get("date_end") is not None:
        date = dict(d.get("date") or {})
        for k in ("date_start", "date_end"):
            if ov.get(k) is not None:
                date[k] = ov[k]
                changed.append(k)
        date["precision"] = "day" if len(str(date.get("date_start") or "")) == 10 else date.get("precision")
        date["source"] = "review"
        for k in ("anchor", "start", "end", "text"):  # the machine's words no longer say this date
            date.pop(k, None)
        d["date"] = date
    if ov.get("fatalities") is not None:
        n = int(ov["fatalities"])
        rest = [q for q in d.get("quantities") or [] if q.get("kind") != "dead"]
        d["quantities"] = [*rest, {"start": 0, "end": 0, "text": str(n), "value": float(n), "kind": "dead",
                                   "source": "review"}]
        changed.append("fatalities")
    acts = ov.get("actors") or {}
    for role in ("actors", "recipients"):
        if isinstance(acts, dict) and acts.get(role) is not None:
            d[role] = [dict(a) for a in acts[role]]
            changed.append(role)
    return changed


def apply(d: dict[str, Any], r: Any) -> dict[str, Any]:
    """Overlay the review columns of row ``r`` (from :func:`columns`) on the event dict ``d``."""
    status = r.get(_PREFIX + "status")
    oos = bool(r.get(_PREFIX + "out_of_scope"))
    if status is None and not oos:
        return d
    if status is not None:
        ov = {c: r.get(_PREFIX + c) for c in (*OVERLAY, "actors")}
        _overlay(d, ov, status, r.get(_PREFIX + "reviewer"), r.get(_PREFIX + "reviewed_at"))
    if oos:
        art = d.setdefault("article", {})
        art["out_of_scope"] = True
        art["out_of_scope_by"] = r.get(_PREFIX + "article_reviewer")
    return d


def _overlay(d: dict[str, Any], ov: dict[str, Any], status: str, reviewer: str | None, at: Any) -> None:
    machine = _shown(d)
    changed = _lay(d, ov)
    d["machine"] = {k: machine[k] for k in changed}
    d["review"] = {"status": status, "reviewer": reviewer, "reviewed_at": _iso(at), "fields": changed}


def overlay_events(store: Any, evs: list[dict[str, Any]], article_id: str | None = None) -> list[dict[str, Any]]:
    """Apply the reviews to already-loaded event dicts (``Store.article``'s events)."""
    ids = [e["id"] for e in evs]
    if not ids:
        return evs
    with store.engine.connect() as conn:
        rows = {r["event_id"]: r for r in conn.execute(
            sa.select(event_reviews).where(event_reviews.c.event_id.in_(ids))).mappings()}
    for e in evs:
        r = rows.get(e["id"])
        if r is not None:
            _overlay(e, {c: r[c] for c in (*OVERLAY, "actors")}, r["status"], r["reviewer"], r["reviewed_at"])
    return evs


def article_state(store: Any, article_id: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        r = conn.execute(sa.select(article_reviews).where(article_reviews.c.article_id == article_id)).mappings().first()
    if r is None:
        return None
    return {"out_of_scope": bool(r["out_of_scope"]), "reviewer": r["reviewer"], "reviewed_at": _iso(r["reviewed_at"])}


# ------------------------------------------------------------------------------ filtering
def _overridden(store: Any) -> set[str]:
    """The overlay columns some review sets (one aggregate over the small event_reviews table),
    so that filters on the others keep their plain, index-served form."""
    er = event_reviews
    q = sa.select(*(sa.func.count(er.c[c]).label(c) for c in ("type", "acled_event_type", "country", "lat",
                                                               "date_start", "date_end"))
                  ).where(er.c.orphaned_at.is_(None))  # an orphan's overlay applies to no event
    with store.engine.connect() as conn:
        row = conn.execute(q).mappings().one()
    return {k for k, v in row.items() if v}


#: Public name of :func:`_overridden` (store/derived.py asks it whether the bbox index serves).
overridden = _overridden


def matching(store: Any) -> Callable[[str, Callable[[Any], Any]], Any]:
    """``match(column, make)``: the filter condition ``make(events.c[column])`` on the reviewed
    value. Where no review overrides ``column`` it is that plain condition; otherwise events a
    review overrides are judged on the review's value instead (two id sets over event_reviews)."""
    over: list[set[str]] = []  # looked up on the first filter that needs it

    def match(column: str, make: Callable[[Any], Any]) -> Any:
        base = make(events.c[column])
        key = "lat" if column == "lon" else column
        if not over:
            over.append(_overridden(store))
        if key not in over[0]:
            return base
        er = event_reviews
        set_ids = sa.select(er.c.event_id).where(er.c[key].is_not(None))
        return sa.or_(sa.and_(base, events.c.id.not_in(set_ids)),
                      events.c.id.in_(sa.select(er.c.event_id).where(make(er.c[column]))))

    return match


def shown_column(store: Any, column: str) -> Any:
    """For counts grouped by an overlay column (stats by type, by country): the events column,
    or ``COALESCE(review, machine)`` when some review overrides it (select it FROM
    :func:`source` of it)."""
    if column not in _overridden(store):
        return events.c[column]
    return sa.func.coalesce(event_reviews.c[column], events.c[column])


def source(col: Any) -> Any:
    """What to select ``col`` from: ``events``, outer-joined to ``event_reviews`` when ``col``
    reads a review column (see :func:`shown_column`)."""
    from sqlalchemy.sql import visitors

    reads = any(getattr(c, "table", None) is event_reviews for c in visitors.iterate(col))
    return events.outerjoin(event_reviews, event_reviews.c.event_id == events.c.id) if reads else events


def actor_condition(store: Any, machine: Any, actor: str) -> Any:
    """The actor filter on the reviewed actors: ``machine`` (the condition on event_actors)
    where no review edited an event's actors; for the events whose actors or recipients a review
    replaced, the same test (an entity id exactly, else a case-insensitive substring of the text)
    in Python over the shown lists (reviewed roles, the machine's for a role left alone)."""
    from .schema import event_actors

    with store.engine.connect() as conn:
        edited = {r[0]: r[1] or {} for r in conn.execute(
            sa.select(event_reviews.c.event_id, event_reviews.c.actors).where(event_reviews.c.actors.is_not(None)))}
        if not edited:
            return machine
        kept: dict[str, list[dict[str, Any]]] = {}
        for eid, role, text, ent in conn.execute(
                sa.select(event_actors.c.event_id, event_actors.c.role, event_actors.c.text, event_actors.c.entity_id)
                .where(event_actors.c.event_id.in_(list(edited)))):
            if not isinstance(edited[eid], dict) or edited[eid].get(f"{role}s") is None:
                kept.setdefault(eid, []).append({"text": text, "entity_id": ent})
    needle = actor.lower()

    def hit(a: dict[str, Any]) -> bool:
        return a.get("entity_id") == actor or needle in str(a.get("text") or "").lower()

    found = [eid for eid, acts in edited.items()
             if any(hit(a) for role in (acts.values() if isinstance(acts, dict) else ()) for a in role or [])
             or any(hit(a) for a in kept.get(eid, []))]
    return sa.or_(sa.and_(machine, events.c.id.not_in(list(edited))), events.c.id.in_(found))


def _any_rows(store: Any) -> tuple[bool, bool]:
    with store.engine.connect() as conn:
        ev = conn.execute(sa.select(event_reviews.c.event_id).where(event_reviews.c.orphaned_at.is_(None))
                          .limit(1)).first() is not None
        art = conn.execute(sa.select(article_reviews.c.article_id).where(article_reviews.c.out_of_scope.is_(True))
                           .limit(1)).first() is not None
    return ev, art


def filter_conditions(store: Any, reviewed: str | None = None, rejected: str = "hide") -> list[Any]:
    """WHERE terms on events for the review filter. Without any review stored (the common case)
    ``reviewed=None, rejected="hide"`` adds nothing, so no query plan changes."""
    if reviewed not in (None, *REVIEWED):
        raise FilterError("reviewed", f"unknown value {reviewed!r}", REVIEWED)
    if rejected not in REJECTED:
        raise FilterError("rejected", f"unknown value {rejected!r}", REJECTED)
    has_ev, has_oos = _any_rows(store)
    er = event_reviews
    rejected_ids = sa.select(er.c.event_id).where(er.c.status == "rejected")
    oos_articles = sa.select(article_reviews.c.article_id).where(article_reviews.c.out_of_scope.is_(True))
    conds: list[Any] = []
    if rejected == "hide":
        if has_ev:
            conds.append(events.c.id.not_in(rejected_ids))
        if has_oos:
            conds.append(events.c.article_id.not_in(oos_articles))
    elif rejected == "only":
        conds.append(sa.or_(events.c.id.in_(rejected_ids), events.c.article_id.in_(oos_articles)))
    if reviewed == "only":
        conds.append(events.c.id.in_(sa.select(er.c.event_id)))
    elif reviewed == "exclude" and has_ev:
        conds.append(events.c.id.not_in(sa.select(er.c.event_id)))
    return conds


# ------------------------------------------------------------------------------ validation
def _text(v: Any, name: str, limit: int = 200) -> str:
    if not isinstance(v, str) or not v.strip():
        raise FilterError(name, "must be a non-empty string", ())
    if len(v) > limit or "\x00" in v:
        raise FilterError(name, f"at most {limit} characters, no NUL", ())
    return v.strip()


def validate_edit(fields: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise an edit (field → new value) or raise :class:`FilterError` (422) naming
    the field and the valid values. ACLED types are checked against the codebook: a sub-event
    type fixes its event type; an event type alone is kept without a sub-event type."""
    from ..events.tables import acled_types
    from ..ingest.checks import valid_date
    from . import filter_values as fv

    unknown = sorted(set(fields) - set(EDIT_FIELDS))
    if unknown:
        raise FilterError(unknown[0], "not an editable field", EDIT_FIELDS)
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if v is None:
            continue
        if k == "type":
            out[k] = fv.plover_types("type", [_text(v, k)])[0]
        elif k == "acled_event_type":
            out[k] = fv.acled_event_types("acled_event_type", [_text(v, k)])[0]
        elif k == "acled_sub_event_type":
            subs = {s.casefold(): s for s in acled_types()}
            sub = subs.get(_text(v, k).casefold())
            if sub is None:
                raise FilterError(k, f"unknown ACLED sub-event type {v!r}", tuple(acled_types()))
            out[k] = sub
        elif k == "country":
            out[k] = fv.countries("country", [_text(v, k)])[0]
        elif k in ("admin1", "location"):
            out[k] = _text(v, k)
        elif k in ("lat", "lon"):
            lim = 90 if k == "lat" else 180
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not -lim <= float(v) <= lim:
                raise FilterError(k, f"a number within ±{lim}", ())
            out[k] = float(v)
        elif k in ("date_start", "date_end"):
            d = fv.iso_date(k, _text(v, k, 10))
            if d is None or not valid_date(d):
                raise FilterError(k, "not an ISO date that exists", ("YYYY-MM-DD",))
            out[k] = d
        elif k == "fatalities":
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 10_000_000:
                raise FilterError(k, "a whole number from 0", ())
            out[k] = v
        elif k in ("actors", "recipients"):
            if not isinstance(v, list) or len(v) > 50:
                raise FilterError(k, "a list of at most 50 actors {text, entity_id?}", ())
            acts = []
            for a in v:
                a = {"text": a} if isinstance(a, str) else a
                if not isinstance(a, dict):
                    raise FilterError(k, "each actor is {text, entity_id?} or a name", ())
                one = {"text": _text(a.get("text"), k)}
                for opt in ("entity_id", "country", "sector"):
                    if a.get(opt):
                        one[opt] = _text(a[opt], k, 128)
                acts.append(one)
            out[k] = acts
    if ("lat" in out) != ("lon" in out):
        raise FilterError("lat" if "lat" not in out else "lon", "a place needs both lat and lon", ())
    sub = out.get("acled_sub_event_type")
    if sub is not None:
        etype = acled_types()[sub][0]
        if out.get("acled_event_type") not in (None, etype):
            raise FilterError("acled_sub_event_type", f"{sub!r} belongs to {etype!r}, not {out['acled_event_type']!r}",
                              tuple(s for s, (e, _) in acled_types().items() if e == out["acled_event_type"]))
        out["acled_event_type"] = etype
    if "date_start" in out and "date_end" not in out:
        out["date_end"] = out["date_start"]
    if out.get("date_end") and out.get("date_start") and out["date_end"] < out["date_start"]:
        raise FilterError("date_end", "the end is before the start", ())
    if not out:
        raise FilterError("fields", "an edit changes at least one field", EDIT_FIELDS)
    return out


# ------------------------------------------------------------------------------ writing
def _event_dict(conn: Any, event_id: str) -> dict[str, Any]:
    row = conn.execute(sa.select(events.c.data).where(events.c.id == event_id)).first()
    if row is None:
        raise NotFound(f"no event with id {event_id!r}; list them with GET /api/events")
    return dict(row[0])


def _state(conn: Any, event_id: str) -> dict[str, Any] | None:
    r = conn.execute(sa.select(event_reviews).where(event_reviews.c.event_id == event_id)).mappings().first()
    return dict(r) if r is not None else None


def _record(conn: Any, kind: str, target: str, reviewer: str, action: str, before: Any, after: Any,
            note: str | None, at: dt.datetime, carried_from: str | None = None) -> int:
    res = conn.execute(reviews.insert().values(target_kind=kind, target_id=target, reviewer=reviewer, created_at=at,
                                               action=action, before=before, after=after, note=note,
                                               carried_from=carried_from))
    return int(res.inserted_primary_key[0])


def _check_reviewer(reviewer: str) -> str:
    if not isinstance(reviewer, str) or not reviewer.strip() or len(reviewer) > 100:
        raise InputError("reviewer", "a reviewer name of 1 to 100 characters is required")
    return reviewer.strip()


def review_event(store: Any, event_id: str, reviewer: str, action: str, fields: dict[str, Any] | None = None,
                 note: str | None = None) -> dict[str, Any]:
    """Record one review of an event and update its current state; returns the event's review
    state (``status``, ``reviewer``, ``reviewed_at``, ``overlay``) and the history record id.

    ``accept`` keeps earlier edits (the event is accepted as shown); ``reject`` hides it from
    views and exports by default; ``edit`` merges ``fields`` (see :func:`validate_edit`) into
    the overlay; ``clear`` returns the event to the machine's reading."""
    if action not in EVENT_ACTIONS:
        raise FilterError("action", f"unknown action {action!r}", EVENT_ACTIONS)
    reviewer = _check_reviewer(reviewer)
    if note is not None and len(note) > 2000:
        raise FilterError("note", "at most 2000 characters", ())
    edit = validate_edit(fields or {}) if action == "edit" else {}
    if action != "edit" and fields:
        raise FilterError("fields", f"only an edit carries fields (action {action!r})", ())
    at = _now()
    with store.engine.begin() as conn:
        d = _event_dict(conn, event_id)
        old = _state(conn, event_id)
        shown_before = dict(d)
        if old is not None:
            _lay(shown_before, {c: old[c] for c in (*OVERLAY, "actors")})
        before_vals = _shown(shown_before)
        prior = {"status": old["status"] if old else None}
        if action == "clear":
            conn.execute(event_reviews.delete().where(event_reviews.c.event_id == event_id))
            after_vals = _shown(d)
            keys = [k for k in EDIT_FIELDS if before_vals[k] != after_vals[k]]
            rid = _record(conn, "event", event_id, reviewer, action, {**prior, **{k: before_vals[k] for k in keys}},
                          {"status": None, **{k: after_vals[k] for k in keys}}, note, at)
            return {"event_id": event_id, "status": None, "reviewer": None, "reviewed_at": None, "overlay": {},
                    "review_id": rid}
        ov = {c: (old or {}).get(c) for c in (*OVERLAY, "actors")}
        for k, v in edit.items():
            if k in ("actors", "recipients"):
                acts = dict(ov.get("actors") or {})
                acts[k] = v
                ov["actors"] = acts
            else:
                ov[k] = v
        if {"lat", "lon"} & set(edit) and "location" not in edit:
            # A point picked on the map without a place name: the old name no longer holds.
            ov["location"] = f"{edit['lat']:.4f}, {edit['lon']:.4f}"
        status = {"accept": "accepted", "reject": "rejected", "edit": "edited"}[action]
        if action == "edit" and old is not None and old["status"] == "rejected":
            status = "edited"  # correcting a rejected event un-rejects it
        row = {"status": status, "reviewer": reviewer, "reviewed_at": at, **ov}
        if old is None:
            art = conn.execute(sa.select(events.c.article_id).where(events.c.id == event_id)).scalar()
            conn.execute(event_reviews.insert().values(event_id=event_id, article_id=art, **row))
        else:
            conn.execute(event_reviews.update().where(event_reviews.c.event_id == event_id).values(**row))
        shown_after = dict(d)
        _lay(shown_after, ov)
        after_vals = _shown(shown_after)
        keys = [k for k in EDIT_FIELDS if k in edit or before_vals[k] != after_vals[k]]
        rid = _record(conn, "event", event_id, reviewer, action, {**prior, **{k: before_vals[k] for k in keys}},
                      {"status": status, **{k: after_vals[k] for k in keys}}, note, at)
    return {"event_id": event_id, "status": status, "reviewer": reviewer, "reviewed_at": _iso(at),
            "overlay": {k: v for k, v in ov.items() if v is not None}, "review_id": rid}


def review_article(store: Any, article_id: str, reviewer: str, out_of_scope: bool, note: str | None = None) -> dict[str, Any]:
    """Mark an article out of scope (its events are hidden like rejected ones and export as
    "no event" sentences for training), or back in scope."""
    reviewer = _check_reviewer(reviewer)
    at = _now()
    with store.engine.begin() as conn:
        if conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first() is None:
            raise NotFound(f"no article with id {article_id!r}; list them with GET /api/articles")
        old = conn.execute(sa.select(article_reviews.c.out_of_scope)
                           .where(article_reviews.c.article_id == article_id)).scalar()
        row = {"out_of_scope": bool(out_of_scope), "reviewer": reviewer, "reviewed_at": at}
        if old is None:
            conn.execute(article_reviews.insert().values(article_id=article_id, **row))
        else:
            conn.execute(article_reviews.update().where(article_reviews.c.article_id == article_id).values(**row))
        rid = _record(conn, "article", article_id, reviewer, "out_of_scope" if out_of_scope else "in_scope",
                      {"out_of_scope": bool(old)}, {"out_of_scope": bool(out_of_scope)}, note, at)
    return {"article_id": article_id, "out_of_scope": bool(out_of_scope), "reviewer": reviewer,
            "reviewed_at": _iso(at), "review_id": rid}


# ------------------------------------------------------------------------------ re-coding
def anchor(d: dict[str, Any], summary: str | None = None) -> dict[str, Any]:
    """What an event reports, to find it again after a re-coding: its machine type, sentence
    and trigger spans, and where those offsets point (``body`` or ``caption:N``)."""
    where = "body"
    if d.get("in_caption"):
        where = next((str(x["where"]) for x in d.get("evidence") or []
                      if str(x.get("where", "")).startswith("caption:")), "caption:0")
    span = (lambda v: [int(v[0]), int(v[1])] if v else None)  # noqa: E731
    return {"type": d.get("type"), "sentence": span(d.get("sentence")), "trigger": span(d.get("trigger")),
            "where": where, "summary": summary}


def held(conn: Any, article_id: str) -> list[dict[str, Any]]:
    """Before an article's events are deleted (a re-ingest with ``--replace``, a delete): the
    reviews of its events, each with the :func:`anchor` of its event, and its orphaned reviews
    with the anchor kept for them. Hand the list to :func:`carry` once the new events are in."""
    er = event_reviews
    live = conn.execute(sa.select(er.c.event_id, er.c.status, events.c.data, events.c.summary)
                        .join(events, events.c.id == er.c.event_id)
                        .where(events.c.article_id == article_id)).mappings().all()
    out = [{"event_id": r["event_id"], "status": r["status"], "orphaned": False,
            "anchor": anchor(r["data"] or {}, r["summary"])} for r in live]
    seen = {r["event_id"] for r in out}
    for r in conn.execute(sa.select(er.c.event_id, er.c.status, er.c.anchor)
                          .where(er.c.article_id == article_id, er.c.orphaned_at.is_not(None))
                          .order_by(er.c.orphaned_at, er.c.event_id)).mappings():
        if r["event_id"] not in seen:
            out.append({"event_id": r["event_id"], "status": r["status"], "orphaned": True, "anchor": r["anchor"]})
    return out


def _match(a: dict[str, Any] | None, evs: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None]:
    """The new event reporting the action of anchor ``a``: the same trigger span (and where),
    else the same sentence span (an overlapping trigger first, then the old type), else none."""
    if not a or not evs:
        return None, None
    mine = [(e, anchor(e)) for e in evs]
    mine = [(e, b) for e, b in mine if b["where"] == a.get("where", "body")]
    if a.get("trigger"):
        same = [e for e, b in mine if b["trigger"] == a["trigger"]]
        if same:
            return next((e for e in same if e.get("type") == a.get("type")), same[0]), "trigger"
    if a.get("sentence"):
        t = a.get("trigger")

        def rank(eb: tuple[dict[str, Any], dict[str, Any]]) -> tuple[int, int]:
            bt = eb[1]["trigger"]
            overlaps = bool(t and bt and bt[0] < t[1] and t[0] < bt[1])
            return (0 if overlaps else 1, 0 if eb[0].get("type") == a.get("type") else 1)

        same_s = sorted(((e, b) for e, b in mine if b["sentence"] == a["sentence"]), key=rank)
        if same_s:
            return same_s[0][0], "sentence"
    return None, None


def carry(conn: Any, article_id: str, kept: list[dict[str, Any]], new_events: list[dict[str, Any]]) -> dict[str, int]:
    """After an article's events were replaced by ``new_events`` (event dicts, as stored): each
    review in ``kept`` (:func:`held`) whose event id is gone is re-pointed to the new event that
    reports the same action (:func:`_match`), and a ``carry`` record on the new id names the old
    one (``carried_from``); the review's own records stay on the id it was made on. A review no
    new event matches is kept as an orphan (``orphaned_at``, its anchor; an ``orphan`` record),
    listed by :func:`orphans`, and carried if a later re-coding reports its action again.
    Returns how many were carried, kept and orphaned."""
    er = event_reviews
    new_ids = {e["id"] for e in new_events}
    reviewed = set(conn.execute(sa.select(er.c.event_id).where(er.c.event_id.in_(new_ids))).scalars()) if new_ids else set()
    at = _now()
    n = {"carried": 0, "kept": 0, "orphaned": 0}
    for h in kept:
        old, a = h["event_id"], h["anchor"]
        if old in new_ids:  # coded again under the same id: the review applies as it was
            if h["orphaned"]:
                conn.execute(er.update().where(er.c.event_id == old).values(orphaned_at=None, anchor=None))
                _record(conn, "event", old, MACHINE_REVIEWER, "carry", {"event_id": old, "orphaned": True},
                        {"event_id": old, "status": h["status"], "matched_by": "id"}, None, at, carried_from=old)
                n["carried"] += 1
            else:
                n["kept"] += 1
            continue
        free = [e for e in new_events if e["id"] not in reviewed]
        ev, how = _match(a, free)
        if ev is not None:
            conn.execute(er.update().where(er.c.event_id == old)
                         .values(event_id=ev["id"], article_id=article_id, orphaned_at=None, anchor=None))
            reviewed.add(ev["id"])
            _record(conn, "event", ev["id"], MACHINE_REVIEWER, "carry",
                    {"event_id": old, "type": (a or {}).get("type"), "orphaned": h["orphaned"]},
                    {"event_id": ev["id"], "type": ev.get("type"), "status": h["status"], "matched_by": how},
                    None, at, carried_from=old)
            n["carried"] += 1
        elif not h["orphaned"]:
            conn.execute(er.update().where(er.c.event_id == old)
                         .values(article_id=article_id, orphaned_at=at, anchor=a))
            _record(conn, "event", old, MACHINE_REVIEWER, "orphan", {"status": h["status"]},
                    {"status": h["status"], "orphaned": True, "article_id": article_id}, None, at)
            n["orphaned"] += 1
    return n


def orphans(store: Any, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Reviews whose action no event reports any more (the article re-coded without it, or
    deleted), newest first: ``{event_id, article_id, status, reviewer, reviewed_at, orphaned_at,
    anchor, overlay}``. Kept, never dropped; a later re-coding that reports the action carries it.
    Reviews lost before alembic 0011 are listed with ``anchor`` (and maybe ``article_id``) null."""
    er = event_reviews
    q = (sa.select(er).where(er.c.orphaned_at.is_not(None))
         .order_by(er.c.orphaned_at.desc(), er.c.event_id).limit(limit).offset(offset))
    with store.engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(er).where(er.c.orphaned_at.is_not(None))
                                 ).scalar_one())
        items = [{"event_id": r["event_id"], "article_id": r["article_id"], "status": r["status"],
                  "reviewer": r["reviewer"], "reviewed_at": _iso(r["reviewed_at"]), "orphaned_at": _iso(r["orphaned_at"]),
                  "anchor": r["anchor"],
                  "overlay": {k: r[k] for k in (*OVERLAY, "actors") if r[k] is not None}}
                 for r in conn.execute(q).mappings()]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


# ------------------------------------------------------------------------------ history
def _history_row(r: Any) -> dict[str, Any]:
    return {"id": r["id"], "target_kind": r["target_kind"], "target_id": r["target_id"], "reviewer": r["reviewer"],
            "created_at": _iso(r["created_at"]), "action": r["action"], "before": r["before"],
            "after": r["after"], "note": r["note"], "carried_from": r["carried_from"]}


def history(store: Any, target_kind: str, target_id: str) -> list[dict[str, Any]]:
    """Every review of one event or article, oldest first. An event's history includes the
    records made on the ids its review was carried from (each ``carry`` record names the old id
    in ``carried_from``; the older records keep that id as their ``target_id``)."""
    with store.engine.connect() as conn:
        ids, frontier = {target_id}, {target_id}
        while target_kind == "event" and frontier:
            back = set(conn.execute(sa.select(reviews.c.carried_from).where(
                reviews.c.target_kind == "event", reviews.c.target_id.in_(frontier), reviews.c.action == "carry",
                reviews.c.carried_from.is_not(None))).scalars())
            frontier = back - ids
            ids |= back
        q = (sa.select(reviews).where(reviews.c.target_kind == target_kind, reviews.c.target_id.in_(ids))
             .order_by(reviews.c.id))
        return [_history_row(r) for r in conn.execute(q).mappings()]


def list_reviews(store: Any, limit: int = 100, offset: int = 0, reviewer: str | None = None,
                 action: str | None = None, target_kind: str | None = None,
                 orphaned: bool | None = None) -> dict[str, Any]:
    """The review history, newest first, optionally of one reviewer, action or target kind;
    ``orphaned=True``: only the records of orphaned reviews (see :func:`orphans`), ``False``:
    the others."""
    conds = []
    if orphaned is not None:
        gone = sa.select(event_reviews.c.event_id).where(event_reviews.c.orphaned_at.is_not(None))
        hit = sa.and_(reviews.c.target_kind == "event", reviews.c.target_id.in_(gone))
        conds.append(hit if orphaned else sa.not_(hit))
    if reviewer:
        conds.append(reviews.c.reviewer == reviewer)
    if action:
        if action not in (*EVENT_ACTIONS, *ARTICLE_ACTIONS, *MACHINE_ACTIONS):
            raise FilterError("action", f"unknown action {action!r}", (*EVENT_ACTIONS, *ARTICLE_ACTIONS, *MACHINE_ACTIONS))
        conds.append(reviews.c.action == action)
    if target_kind:
        if target_kind not in ("event", "article"):
            raise FilterError("target_kind", f"unknown target kind {target_kind!r}", ("event", "article"))
        conds.append(reviews.c.target_kind == target_kind)
    q = sa.select(reviews).where(*conds).order_by(reviews.c.id.desc()).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(reviews).where(*conds)).scalar_one())
        items = [_history_row(r) for r in conn.execute(q).mappings()]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def counts(store: Any) -> dict[str, int]:
    """Reviewed events by status, out-of-scope articles (for a dashboard's share reviewed), and
    orphaned reviews (:func:`orphans`; not counted by status: no event shows them)."""
    er = event_reviews
    with store.engine.connect() as conn:
        by = dict(conn.execute(sa.select(er.c.status, sa.func.count()).where(er.c.orphaned_at.is_(None))
                               .group_by(er.c.status)).all())
        oos = int(conn.execute(sa.select(sa.func.count()).select_from(article_reviews)
                               .where(article_reviews.c.out_of_scope.is_(True))).scalar_one())
        gone = int(conn.execute(sa.select(sa.func.count()).select_from(er).where(er.c.orphaned_at.is_not(None))
                                ).scalar_one())
    return {**{s: int(by.get(s, 0)) for s in STATUSES}, "out_of_scope_articles": oos, "orphaned": gone}


# ------------------------------------------------------------------------------ training
def training_records(store: Any) -> Iterator[dict[str, Any]]:
    """The reviews as labelled sentences in the corpus schema (docs/annotation.md) that
    ``eventwire train --data FILE`` reads: ``{"id", "text", "event", "plover", "mode",
    "acled_event_type", "acled_sub_event_type", "source", "split"}``.

    Accepted and edited events are events of their reviewed PLOVER type (ACLED types kept only
    when the sub-event type is known, as the corpus requires); rejected events and every event
    of an out-of-scope article are ``"event": false`` for their sentence. Sentences come from the
    store (``events.summary``); one record per sentence text (a positive review wins over a
    rejection of another event coded in the same sentence). No ``split``: all of it trains."""
    from ..events.tables import acled_types

    subs = acled_types()
    q = join(sa.select(events.c.id, events.c.data, events.c.summary,
                       event_reviews.c.status, event_reviews.c.type.label("rv_type"),
                       event_reviews.c.acled_event_type.label("rv_acled"),
                       event_reviews.c.acled_sub_event_type.label("rv_sub"),
                       article_reviews.c.out_of_scope)
             ).where(sa.or_(event_reviews.c.event_id.is_not(None), article_reviews.c.out_of_scope.is_(True))
             ).order_by(events.c.id)
    out: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(q).mappings():
            text = " ".join((r["summary"] or "").split())
            if not text:
                continue
            positive = r["status"] in ("accepted", "edited") and not r["out_of_scope"]
            if positive:
                d = r["data"] or {}
                plover = r["rv_type"] or d.get("type")
                if r["rv_type"] is not None or r["rv_acled"] is not None or r["rv_sub"] is not None:
                    # An edited type: the machine's ACLED reading only stands if it was not changed.
                    sub = r["rv_sub"] if (r["rv_acled"] is not None or r["rv_sub"] is not None) else d.get("acled_sub_event_type")
                else:
                    sub = d.get("acled_sub_event_type")
                etype = subs[sub][0] if sub in subs else None
                rec = {"id": f"review:{r['id']}", "text": text, "event": True, "plover": plover,
                       "mode": d.get("mode") if r["rv_type"] is None else None,
                       "acled_event_type": etype, "acled_sub_event_type": sub if etype else None,
                       "source": "review"}
            else:
                rec = {"id": f"review:{r['id']}", "text": text, "event": False, "plover": None, "mode": None,
                       "acled_event_type": None, "acled_sub_event_type": None, "source": "review"}
            have = out.get(text)
            if have is None or (positive and not have["event"]):
                out[text] = rec
    yield from out.values()
