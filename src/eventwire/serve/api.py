"""The read and write endpoints under ``/api``. Routes parse parameters and call the store and
the library; no processing logic lives here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, field_validator, model_validator

from .. import __version__, export
from ..errors import FilterError
from ..records import RawDocument, Rejection
from ..store import filter_values as fv
from ..store import query
from ..store.query import EventFilter
from .errors import ERROR_RESPONSES, ApiError
from .security import token_problem, write_tokens

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

FLAG_NAMES = ("negated", "future", "hypothetical", "historical")
CERTAINTIES = fv.CERTAINTIES
SORT_KEYS = tuple(query.SORTS)
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
JSON_LIMIT_MAX = 1000  # largest page of JSON events; the export formats stream without a cap
FORMAT_HELP = ("json (default) or any registered export format (csv, geojson, acled-csv, …: the enum); "
               "also chosen by the Accept header")


def _store(request: Request) -> Any:
    return request.app.state.store


def _split(values: list[str] | None, upper: bool = False) -> tuple[str, ...]:
    """Repeated (``type=A&type=B``) and comma-separated (``type=A,B``) values, de-duplicated."""
    out: list[str] = []
    for v in values or []:
        for part in v.split(","):
            part = part.strip()
            if part:
                part = part.upper() if upper else part
                if part not in out:
                    out.append(part)
    return tuple(out)


def _bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    if not raw:
        return None
    try:
        vals = [float(x) for x in raw.split(",")]
    except ValueError:
        vals = []
    if len(vals) != 4 or any(v != v for v in vals):
        raise ApiError(422, "validation", "bbox: give min_lon,min_lat,max_lon,max_lat as four numbers",
                       [{"loc": ["query", "bbox"], "msg": "four comma-separated numbers expected"}])
    x0, y0, x1, y1 = vals
    if not (-180 <= x0 <= 180 and -180 <= x1 <= 180 and -90 <= y0 <= 90 and -90 <= y1 <= 90) or x0 > x1 or y0 > y1:
        raise ApiError(422, "validation", "bbox: longitudes within ±180, latitudes within ±90, min ≤ max",
                       [{"loc": ["query", "bbox"], "msg": "out of range or min > max"}])
    return (x0, y0, x1, y1)


def _real_date(name: str, value: str | None) -> None:
    """The pattern lets ``9999-99-99`` through; a date must also exist."""
    from ..ingest.checks import valid_date

    if value is not None and not valid_date(value):
        raise ApiError(422, "validation", f"{name}: {value[:40]!r} is not an ISO 8601 date that exists",
                       [{"loc": ["query", name], "msg": "not a date that exists"}])


@contextmanager
def _checked() -> Iterator[None]:
    """A filter value that names nothing is a 422 naming the parameter and the valid values."""
    try:
        yield
    except FilterError as exc:
        raise ApiError(422, "validation", str(exc),
                       [{"loc": ["query", exc.param], "msg": exc.reason, "valid": list(exc.valid)}]) from exc


def event_filter(
    request: Request,
    type: Annotated[list[str] | None, Query(description="PLOVER type(s), e.g. ASSAULT,PROTEST")] = None,
    acled_type: Annotated[list[str] | None, Query(description="ACLED event_type(s)")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor or recipient: entity id (exact) or text (substring)")] = None,
    country: Annotated[list[str] | None, Query(description="Country of the event place: ISO 3166-1 alpha-3 or name, e.g. SYR or Syria")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    date_from: Annotated[str | None, Query(pattern=_DATE, description="ISO date, inclusive")] = None,
    date_to: Annotated[str | None, Query(pattern=_DATE, description="ISO date, inclusive")] = None,
    certainty: Annotated[list[str] | None, Query(description=f"One or more of {', '.join(CERTAINTIES)}")] = None,
    negated: bool | None = None,
    future: bool | None = None,
    hypothetical: bool | None = None,
    historical: bool | None = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text query over the source articles")] = None,
    article_id: Annotated[str | None, Query(max_length=64)] = None,
    source_events: Annotated[
        bool, Query(description="Every source event instead of one canonical event per real-world action")
    ] = False,
    min_confidence: Annotated[float | None, Query(
        ge=0, le=1,
        description="Hide events below this calibrated confidence, 0..1; 0 shows all. Default: the server's "
        "`min_confidence` setting (see GET /api/config). Events without a confidence count as 0; a "
        "canonical event passes when any of its source events does.",
    )] = None,
    reviewed: Annotated[Literal["only", "exclude"] | None, Query(
        description="only: reviewed events (accepted or edited); exclude: events no one has reviewed")] = None,
    rejected: Annotated[Literal["hide", "include", "only"], Query(
        description="Rejected events and those of out-of-scope articles: hidden (default), included, or alone")] = "hide",
) -> EventFilter:
    floor = request.app.state.settings.min_confidence if min_confidence is None else min_confidence
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        _real_date(name, value)
    with _checked():
        types = fv.plover_types("type", _split(type))
        acled = fv.acled_event_types("acled_type", _split(acled_type))
        countries = fv.countries("country", _split(country))
        certainties = fv.certainties("certainty", _split(certainty))
    return EventFilter(
        type=types,
        acled_event_type=acled,
        actor=actor.strip() or None if actor else None,
        country=countries,
        bbox=_bbox(bbox),
        date_from=date_from,
        date_to=date_to,
        certainty=certainties,
        negated=negated,
        future=future,
        hypothetical=hypothetical,
        historical=historical,
        q=q.strip() or None if q else None,
        article_id=article_id or None,
        canonical_only=not source_events,
        min_confidence=floor,
        reviewed=reviewed,
        rejected=rejected,
    )


Filter = Annotated[EventFilter, Depends(event_filter)]


def formats() -> list[str]:
    """What ``format`` takes: ``json`` and every registered exporter (plug-ins included)."""
    return ["json", *export.formats()]


def _format(request: Request, fmt: str | None) -> str:
    if fmt:
        if fmt not in formats():
            raise ApiError(422, "validation", f"format: choose one of {', '.join(formats())}",
                           [{"loc": ["query", "format"], "msg": "not a format", "valid": formats()}])
        return fmt
    # Accept: the plainest registered format of a wanted media type (text/csv → csv, not acled-csv).
    wanted = {m.split(";")[0].strip().lower() for m in request.headers.get("accept", "").split(",")}
    offered = [f for f in export.formats() if export.media_type(f).split(";")[0].strip().lower() in wanted]
    return min(offered, key=lambda f: (len(f), f)) if offered else "json"


def document_formats(schema: dict[str, Any]) -> dict[str, Any]:
    """Put the registered formats into the OpenAPI schema's ``format`` enum (the registry is read
    when the schema is first asked for, so plug-ins are listed)."""
    for item in schema.get("paths", {}).values():
        for op in item.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                if param.get("name") == "format" and param.get("in") == "query":
                    param["schema"] = {"anyOf": [{"type": "string", "enum": formats()}, {"type": "null"}],
                                       "title": "Format"}
    return schema


def _download(store: Any, f: EventFilter, fmt: str, sort: str, desc: bool, limit: int | None,
              offset: int) -> StreamingResponse:
    """``fmt``'s registered exporter over the matching events, streamed: the bytes
    `eventwire export` writes (a whole match through :func:`export.write`, its columnar path
    included; a page through the writer over that page's events)."""
    if limit is None and not offset:
        body = export.iter_store_bytes(store, fmt, f, sort=sort, desc=desc)
    else:
        body = export.iter_bytes(query.iter_events(store, f, sort=sort, desc=desc, limit=limit, offset=offset), fmt)
    stem = "events" if fmt == export.suffix(fmt).lstrip(".") else f"events-{fmt}"
    return StreamingResponse(body, media_type=export.media_type(fmt),
                             headers={"content-disposition": f'attachment; filename="{stem}{export.suffix(fmt)}"'})


def _sort(sort: str) -> tuple[str, bool]:
    return sort.lstrip("-"), sort.startswith("-")


# ------------------------------------------------------------------------------------ events
@router.get("/events", summary="Events matching the filters (JSON, or any export format: CSV, GeoJSON, …)")
def get_events(
    request: Request,
    f: Filter,
    limit: Annotated[int | None, Query(ge=1, le=1_000_000, description=f"Page size (JSON: default 100, at most {JSON_LIMIT_MAX}; export formats: default all)")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    sort: Annotated[str, Query(pattern=r"^-?(" + "|".join(SORT_KEYS) + r")$", description="Sort key, '-' for descending")] = "-date",
    format: Annotated[str | None, Query(description=FORMAT_HELP)] = None,
) -> Any:
    store = _store(request)
    fmt = _format(request, format)
    key, desc = _sort(sort)
    if fmt == "json":
        n = min(limit or 100, JSON_LIMIT_MAX)
        total = query.count_events(store, f)
        return {
            "total": total,
            "limit": n,
            "offset": offset,
            "sort": sort,
            "min_confidence": f.min_confidence,
            "below_confidence": query.count_below_confidence(store, f, shown=total),
            "items": query.list_events(store, f, limit=n, offset=offset, sort=key, desc=desc),
        }
    return _download(store, f, fmt, key, desc, limit, offset)


@router.get("/map", summary="Located events as compact GeoJSON points for the map (newest first)")
def get_map(
    request: Request,
    f: Filter,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 5000,
) -> dict[str, Any]:
    pts = query.map_points(_store(request), f, limit=limit)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": p["id"], "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
         "properties": {k: p[k] for k in ("type", "date_start", "location", "country", "summary", "article_id",
                                          "article_title", "review_status")}}
        for p in pts]}


@router.get("/events/{event_id}", summary="One event with its article summary")
def get_event(request: Request, event_id: str) -> dict[str, Any]:
    from ..errors import NotFound

    found = query.get_event(_store(request), event_id)
    if found is None:
        raise NotFound(f"no event with id {event_id!r}; list them with GET /api/events")
    return found


@router.get("/stats", summary="Counts of matching events by type, country, month and a timeline")
def get_stats(
    request: Request,
    f: Filter,
    bucket: Annotated[Literal["day", "week", "month"], Query(description="Timeline bucket")] = "day",
) -> dict[str, Any]:
    return query.stats(_store(request), f, bucket=bucket)


@router.get("/dashboard", summary="The dashboard's numbers for the filter: counts by type, country and week/month, "
            "fatalities with their sources, top actors, share reviewed")
def get_dashboard(
    request: Request,
    f: Filter,
    bucket: Annotated[Literal["auto", "week", "month"], Query(
        description="Timeline bucket; auto: by week when the filter's date range (or the data's) spans at most "
        "26 weeks, else by month")] = "auto",
    top: Annotated[int, Query(ge=1, le=100, description="How many top actors and top fatality events")] = 10,
) -> dict[str, Any]:
    from ..store.dashboard import dashboard

    return dashboard(_store(request), f, bucket=bucket, top=top)


# ------------------------------------------------------------------------------------ articles
@router.get("/articles", summary="Stored articles, newest first, or full-text matches with q")
def get_articles(
    request: Request,
    q: Annotated[str | None, Query(max_length=500)] = None,
    external_id: Annotated[str | None, Query(
        max_length=200, description="Only the articles stored under this caller's id (the JSONL \"id\"), exact")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    store = _store(request)
    if external_id is not None:
        return {"total": store.count("articles", external_id=external_id), "limit": limit, "offset": offset,
                "items": store.articles(limit=limit, offset=offset, external_id=external_id)}
    if q and q.strip():
        items = store.search(q, limit=limit, offset=offset)
        return {"total": None, "limit": limit, "offset": offset, "items": items}
    return {"total": store.count("articles"), "limit": limit, "offset": offset,
            "items": store.articles(limit=limit, offset=offset)}


@router.get("/articles/{article_id}",
            summary="One article: body, captions, mentions, places, events and their evidence")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,128}", article_id):
        from ..errors import NotFound

        raise NotFound(f"no article with id {article_id!r}; list them with GET /api/articles")
    from ..store import reviews

    store = _store(request)
    art = store.article(article_id)
    reviews.overlay_events(store, art["events"])  # the reviewed values, the machine's under "machine"
    art["review"] = reviews.article_state(store, art["id"])
    return art  # type: ignore[no-any-return]


@router.get("/search", summary="Full-text search over article titles and bodies, best first")
def get_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    return {"q": q, "limit": limit, "offset": offset,
            "items": _store(request).search(q, limit=limit, offset=offset)}


# ------------------------------------------------------------------------------------ actors
@router.get("/actors", summary="Actors of the knowledge base, most active first")
def get_actors(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Substring of id, name or alias")] = None,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    country: Annotated[str | None, Query(max_length=100, description="ISO 3166-1 alpha-3 or country name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    with _checked():
        a3 = fv.countries("country", [country])[0] if country and country.strip() else None
        kind = fv.actor_kind("kind", kind)
    out = query.list_actors(_store(request), q=q, kind=kind, country=a3, limit=limit, offset=offset)
    return {"limit": limit, "offset": offset, **out}


@router.get("/actors/{actor_id:path}", summary="One actor: aliases, kind, country, relations and events")
def get_actor(request: Request, actor_id: str) -> dict[str, Any]:
    return query.actor_detail(_store(request), actor_id)


# ------------------------------------------------------------------------------------ meta
@router.get("/health", summary="Liveness and store reachability")
def get_health(request: Request) -> dict[str, Any]:
    store = _store(request)
    return {"status": "ok", "version": __version__, "store": store.dialect,
            "articles": store.count("articles"), "events": store.count("events")}


@router.get("/config", summary="Settings the web UI needs (tile URL, whether writes are on, default confidence floor)")
def get_config(request: Request) -> dict[str, Any]:
    s = request.app.state.settings
    return {"version": __version__, "tile_url": s.tile_url, "writes": bool(write_tokens(s)),
            "certainties": list(CERTAINTIES), "flags": list(FLAG_NAMES), "sorts": list(SORT_KEYS),
            "min_confidence": s.min_confidence}


# ------------------------------------------------------------------------------------ writes
class IngestRequest(BaseModel):
    """Exactly one of ``text`` (one article; with ``dump`` a raw scrape that may hold several
    articles and page furniture), ``html`` (a web page), ``jsonl`` (one article per line:
    ``{"text", "title"?, "url"?, "published_at"?}``) or ``url``."""

    text: str | None = None
    dump: bool = Field(False, description="text is a raw dump: split it into articles and strip furniture")
    html: str | None = None
    jsonl: str | None = None
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    source: str | None = Field(None, max_length=500, description="Name recorded as the article source")
    title: str | None = Field(None, max_length=1000)
    published_at: str | None = Field(None, pattern=_DATE + r"|^\d{4}-\d{2}-\d{2}T[0-9:.+\-Z]+$")

    @field_validator("published_at")
    @classmethod
    def _exists(cls, v: str | None) -> str | None:
        from ..ingest.checks import valid_date

        if v is not None and not valid_date(v):
            raise ValueError(f"published_at {v[:40]!r} is not an ISO 8601 date that exists")
        return v

    @model_validator(mode="after")
    def _one(self) -> IngestRequest:
        given = [k for k in ("text", "html", "jsonl", "url") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html, jsonl or url")
        return self


def require_token(request: Request) -> None:
    """The route's own check (documents the token in OpenAPI); the same check already ran in the
    :class:`~eventwire.serve.security.WriteGuard` middleware, before the body was read."""
    problem = token_problem(write_tokens(request.app.state.settings), request.headers.get("authorization"))
    if problem:
        status, code, message = problem
        raise ApiError(status, code, message, headers={"www-authenticate": "Bearer"} if status == 401 else None)


def _raws(body: IngestRequest, settings: Any) -> Iterator[RawDocument | Rejection]:
    source = body.source or "api"
    meta: dict[str, Any] = {"title": body.title, "published_at": body.published_at}
    if body.text:
        yield RawDocument(source=source, text=body.text, kind="text" if body.dump else "article", **meta)
    elif body.html:
        yield RawDocument(source=source, text=body.html, kind="html", **meta)
    elif body.jsonl:
        from ..ingest.jsonl import parse_jsonl

        yield from parse_jsonl(body.jsonl.encode("utf-8"), source)
    elif body.url:
        from ..ingest import read

        yield from read([body.url], settings)


class JobOut(BaseModel):
    """An ingest job: ``queued``, ``running``, ``done`` (``result`` is the ingest report) or
    ``failed`` (``error`` says why)."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    submitted_at: str
    started_at: str | None = None
    finished_at: str | None = None
    result: dict[str, Any] | None = Field(
        None, description='The ingest report: {"documents", "articles", "new", "already_stored", '
        '"near_duplicates", "events", "rejected": [{"source", "reason", "line", "stage"}], "new_ids"}')
    error: dict[str, str] | None = Field(None, description='{"code", "message"} of a failed job')


def _ingest_job(app: Any, body: IngestRequest) -> Callable[[], dict[str, Any]]:
    """The job that ``POST /api/ingest`` queues: the same library call as `eventwire ingest`."""

    def run() -> dict[str, Any]:
        from ..batch import ingest

        store = app.state.store
        pipeline = app.state.pipeline()
        if not app.state.entities_loaded and "nlp" in pipeline.stages:
            # Actors and their relations, for /api/actors (as the CLI does before ingesting).
            store.load_entities(pipeline.kb.entities())
            app.state.entities_loaded = True
        report = ingest(_raws(body, app.state.settings), app.state.settings, store, pipeline=pipeline)
        return {**report.to_dict(), "new_ids": report.new_ids}

    return run


@router.post("/ingest", status_code=202, response_model=JobOut, dependencies=[Depends(require_token)],
             summary="Queue text, HTML, JSONL or a URL for ingest; poll GET /api/jobs/{id} for the report",
             responses={401: ERROR_RESPONSES[400] | {"description": "Missing or wrong token"},
                        403: ERROR_RESPONSES[400] | {"description": "Writes are off (no token set)"},
                        413: ERROR_RESPONSES[400] | {"description": "Request too large"},
                        503: ERROR_RESPONSES[400] | {"description": "Ingest queue full: retry after Retry-After seconds"}})
def post_ingest(request: Request, response: Response, body: IngestRequest) -> dict[str, Any]:
    """Validates the body and queues it as a job (202 + the job, `Location: /api/jobs/{id}`).
    One background worker runs the jobs in order through :func:`eventwire.batch.ingest` (clean,
    skip what is stored, link near-duplicates, nlp/geo/events, store); reads never wait for it.
    Bad documents are counted in the report's ``rejected`` with their reason; they never fail
    the job."""
    from .jobs import QueueFull

    try:
        job = request.app.state.jobs.submit(_ingest_job(request.app, body))
    except QueueFull as full:
        code, what = ("stopping", "the server is stopping") if full.closed else ("busy", "the ingest queue is full")
        raise ApiError(503, code, f"{what}; retry in {full.retry_after} s",
                       headers={"retry-after": str(full.retry_after)}) from None
    response.headers["location"] = f"/api/jobs/{job['id']}"
    return job  # type: ignore[no-any-return]


@router.get("/jobs/{job_id}", response_model=JobOut,
            summary="One ingest job: queued, running, done (with the ingest report) or failed (with the reason)")
def get_job(request: Request, job_id: str) -> dict[str, Any]:
    from ..errors import NotFound

    job = request.app.state.jobs.get(job_id) if re.fullmatch(r"[0-9a-f]{32}", job_id) else None
    if job is None:
        raise NotFound(f"no ingest job with id {job_id[:80]!r} (finished jobs are kept for a while, then "
                       "forgotten); POST /api/ingest answers with a job id")
    return job  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------ reviews
from .review_api import router as _review_router  # noqa: E402 - routes that share this prefix

router.include_router(_review_router)
