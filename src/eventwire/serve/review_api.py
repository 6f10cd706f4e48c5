"""Review endpoints (issue 15.1), included in :data:`eventwire.serve.api.router`: accept, reject or
edit an event, mark an article out of scope, read the review history, and search the gazetteer
for a place to set. Writes need a token (the ``token`` setting or a named ``reviewers`` token);
the review records the name of the token that made it. The store side is
:mod:`eventwire.store.reviews`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ..errors import FilterError
from ..store import reviews as rv
from .errors import ERROR_RESPONSES, ApiError
from .security import token_name, token_problem, write_tokens

router = APIRouter(responses=ERROR_RESPONSES)

_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: ERROR_RESPONSES[400] | {"description": "Missing or wrong token"},
    403: ERROR_RESPONSES[400] | {"description": "Writes are off (no token set)"},
}


def reviewer(request: Request) -> str:
    """The name of the write token in the request (the WriteGuard middleware already refused a
    request without one; this also documents the token in OpenAPI)."""
    tokens = write_tokens(request.app.state.settings)
    auth = request.headers.get("authorization")
    problem = token_problem(tokens, auth)
    if problem:
        status, code, message = problem
        raise ApiError(status, code, message, headers={"www-authenticate": "Bearer"} if status == 401 else None)
    return token_name(tokens, auth) or "editor"


Reviewer = Annotated[str, Depends(reviewer)]


@contextmanager
def _checked() -> Iterator[None]:
    try:
        yield
    except FilterError as exc:
        raise ApiError(422, "validation", f"{exc.param}: {exc.reason}",
                       [{"loc": ["body", exc.param], "msg": exc.reason, "valid": list(exc.valid)}]) from exc


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=200)
    entity_id: str | None = Field(None, max_length=128)
    country: str | None = Field(None, max_length=3)
    sector: str | None = Field(None, max_length=16)


class EventEdit(BaseModel):
    """The fields an edit sets (any subset; omitted = unchanged). A place is ``lat`` and ``lon``
    together (a gazetteer pick from ``GET /api/places`` or a map click), with ``location``,
    ``country``, ``admin1`` when known."""

    model_config = ConfigDict(extra="forbid")
    type: str | None = Field(None, description="PLOVER type, e.g. PROTEST")
    acled_event_type: str | None = Field(None, description="ACLED event type (codebook spelling, any case)")
    acled_sub_event_type: str | None = Field(None, description="ACLED sub-event type; fixes the event type")
    country: str | None = Field(None, max_length=100, description="ISO alpha-3 or country name")
    admin1: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    date_start: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    date_end: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    fatalities: int | None = Field(None, ge=0, le=10_000_000)
    actors: list[ActorIn] | None = Field(None, max_length=50)
    recipients: list[ActorIn] | None = Field(None, max_length=50)


class EventReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["accept", "reject", "edit", "clear"]
    fields: EventEdit | None = Field(None, description="What an edit changes (edit only)")
    note: str | None = Field(None, max_length=2000)


class ArticleReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    out_of_scope: bool = True
    note: str | None = Field(None, max_length=2000)


@router.post("/events/{event_id}/review", responses=_WRITE_RESPONSES,
             summary="Accept, reject, edit or clear the review of an event (needs a token)")
def post_event_review(request: Request, event_id: str, body: EventReviewIn, who: Reviewer) -> dict[str, Any]:
    """Records a review (who — the token's reviewer name —, when, before, after) and returns the
    event's new review state with the event as views now show it. The machine's values are kept
    (``machine`` in the event, ``before`` in the history)."""
    from ..store import query

    fields = body.fields.model_dump(exclude_none=True) if body.fields else None
    with _checked():
        state = rv.review_event(request.app.state.store, event_id, who, body.action, fields, body.note)
    return {**state, "event": query.get_event(request.app.state.store, event_id)}


@router.post("/articles/{article_id}/review", responses=_WRITE_RESPONSES,
             summary="Mark an article out of scope (or back in scope; needs a token)")
def post_article_review(request: Request, article_id: str, body: ArticleReviewIn, who: Reviewer) -> dict[str, Any]:
    """An out-of-scope article's events are hidden from views and exports like rejected events
    (``rejected=include`` lists them) and train as "no event" sentences."""
    with _checked():
        return rv.review_article(request.app.state.store, article_id, who, body.out_of_scope, body.note)


@router.get("/events/{event_id}/reviews", summary="The review history of one event, oldest first")
def get_event_reviews(request: Request, event_id: str) -> dict[str, Any]:
    from ..errors import NotFound
    from ..store import query

    store = request.app.state.store
    items = rv.history(store, "event", event_id)
    if not items and query.get_event(store, event_id) is None:
        raise NotFound(f"no event with id {event_id!r}; list them with GET /api/events")
    return {"event_id": event_id, "items": items}


@router.get("/reviews", summary="Every review record, newest first")
def get_reviews(
    request: Request,
    reviewer_name: Annotated[str | None, Query(alias="reviewer", max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=16, description=f"One of {', '.join((*rv.EVENT_ACTIONS, *rv.ARTICLE_ACTIONS))}")] = None,
    target_kind: Annotated[Literal["event", "article"] | None, Query()] = None,
    orphaned: Annotated[bool | None, Query(description=(
        "true: only the records of orphaned reviews (no event reports their action since a re-coding "
        "or a delete) and, under `orphans`, their current state; false: the others"))] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    store = request.app.state.store
    try:
        out = rv.list_reviews(store, limit=limit, offset=offset, reviewer=reviewer_name,
                              action=action, target_kind=target_kind, orphaned=orphaned)
    except FilterError as exc:
        raise ApiError(422, "validation", f"{exc.param}: {exc.reason}",
                       [{"loc": ["query", exc.param], "msg": exc.reason, "valid": list(exc.valid)}]) from exc
    if orphaned:
        out["orphans"] = rv.orphans(store, limit=limit, offset=offset)["items"]
    return {**out, "counts": rv.counts(store)}


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    from ..geo.index import load

    return load()


@router.get("/places", summary="Gazetteer places whose name starts with q (to set an event's place)")
def get_places(
    q: Annotated[str, Query(min_length=1, max_length=100)],
    country: Annotated[str | None, Query(max_length=100, description="ISO alpha-3 or country name")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    from ..geo.search import search
    from ..store import filter_values as fv

    a3 = None
    if country and country.strip():
        try:
            a3 = fv.countries("country", [country])[0]
        except FilterError as exc:
            raise ApiError(422, "validation", str(exc),
                           [{"loc": ["query", "country"], "msg": exc.reason, "valid": list(exc.valid)}]) from exc
    return {"q": q, "items": search(_gazetteer(), q, limit=limit, country=a3)}


@router.get("/review-options", summary="What a review may set: PLOVER types, ACLED types, actions, whether writes are on")
def get_review_options(request: Request) -> dict[str, Any]:
    from ..events.tables import PLOVER_TYPES, acled_types

    return {
        "plover_types": list(PLOVER_TYPES),
        "acled": [{"event_type": e, "sub_event_type": s} for s, (e, _) in acled_types().items()],
        "event_actions": list(rv.EVENT_ACTIONS),
        "edit_fields": list(rv.EDIT_FIELDS),
        "writes": bool(write_tokens(request.app.state.settings)),
    }
