"""The app factory: ``create_app(settings)`` opens the store and returns a FastAPI app serving the
API under ``/api``, its OpenAPI document at ``/openapi.json`` (browsable at ``/docs``) and the
built web UI at ``/``.

The UI is built from ``web/`` (``cd web && npm ci && npm run build``) into ``static/dist``; when
that folder is missing the pages say how to build it and the API still works.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..config import Settings
from . import api, errors
from .security import AllowedHosts, BodyLimit, NoNul, SecurityHeaders, WriteGuard, write_tokens

DIST = Path(__file__).parent / "static" / "dist"
BUILD_HINT = "cd web && npm ci && npm run build"

_MISSING_UI = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>eventwire — UI not built</title></head>
<body>
<h1>The eventwire web UI is not built</h1>
<p>The API works (see <a href="/api/health">/api/health</a> and <a href="/openapi.json">/openapi.json</a>),
but the page needs its JavaScript bundle. From the repository root run:</p>
<pre>{hint}</pre>
<p>then reload this page. The bundle is written to <code>{dist}</code>.</p>
</body></html>
"""


def _pipeline_factory(settings: Settings, pipeline: Any) -> Callable[[], Any]:
    """The ingest pipeline is built on the first write only (it loads spaCy and the gazetteer),
    then kept: models load once per process."""
    lock = threading.Lock()
    box: list[Any] = [pipeline] if pipeline is not None else []

    def get() -> Any:
        with lock:
            if not box:
                from ..pipeline import Pipeline

                box.append(Pipeline(settings))
            return box[0]

    return get


def allowed_hosts(settings: Settings) -> tuple[str, ...]:
    """The ``allowed_hosts`` setting, plus the address ``serve`` binds when it is a concrete one
    (``--host 192.0.2.7`` is then reachable by that address; ``0.0.0.0`` adds nothing)."""
    extra = () if settings.host in ("0.0.0.0", "::", "") else (settings.host,)
    return (*settings.allowed_hosts, *extra)


def create_app(settings: Settings, *, store: Any = None, pipeline: Any = None, jobs: Any = None,
               dist: Path | None = None) -> FastAPI:
    """Build the app. ``store`` (a :class:`eventwire.store.Store`), ``pipeline`` (anything with
    ``stages``, ``articles`` and ``enrich``, default :class:`eventwire.pipeline.Pipeline`) and
    ``jobs`` (the write queue, default a :class:`~eventwire.serve.jobs.JobQueue`) may be
    injected; by default the store is opened from ``settings.db`` now and the pipeline built on
    the first ingest job."""
    from ..store import Store
    from .jobs import JobQueue

    own_store = store is None
    store = store if store is not None else Store(settings.db)
    ui = dist or DIST
    jobs = jobs if jobs is not None else JobQueue()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        # The running ingest job finishes before the store closes; queued ones are failed.
        jobs.close()
        if own_store:
            store.close()

    app = FastAPI(
        title="eventwire",
        version=__version__,
        description="Events, articles and actors extracted from security and defence news. "
                    "Every error has the shape `{\"error\": {\"code\", \"message\", \"detail\"?}}`. "
                    "Event listings, exports, the map and stats hide events below a calibrated confidence: "
                    "`min_confidence` (0..1, 0 shows all) defaults to the server's setting, reported by "
                    "`GET /api/config`; JSON pages of `GET /api/events` say how many were hidden "
                    "(`below_confidence`).",
        docs_url=None,  # served below from the local bundle: no CDN, no inline script
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.pipeline = _pipeline_factory(settings, pipeline)
    app.state.jobs = jobs
    app.state.entities_loaded = False
    errors.install(app)
    app.include_router(api.router)
    base_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        return app.openapi_schema or api.document_formats(base_openapi())

    app.openapi = openapi  # type: ignore[method-assign]

    def page(name: str) -> Response:
        f = ui / name
        if f.is_file():
            return FileResponse(f, media_type="text/html", headers={"cache-control": "no-cache"})
        return HTMLResponse(_MISSING_UI.format(hint=BUILD_HINT, dist=ui), status_code=503)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> Response:
        return page("index.html")

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def docs() -> Response:
        return page("docs.html")

    if (ui / "assets").is_dir():
        app.mount("/static", StaticFiles(directory=ui), name="static")

    # Added innermost first. A request meets, in order: the security headers (they wrap every
    # answer, refusals included), the Host allow-list, the NUL check, the write token (before
    # any body is read), then the body size limit.
    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    writes = [getattr(r, "path", "") for r in api.router.routes if set(getattr(r, "methods", ())) - {"GET", "HEAD"}]
    app.add_middleware(WriteGuard, token=write_tokens(settings), paths=writes)
    app.add_middleware(NoNul)
    app.add_middleware(AllowedHosts, hosts=allowed_hosts(settings))
    app.add_middleware(SecurityHeaders, tile_url=settings.tile_url)
    return app
