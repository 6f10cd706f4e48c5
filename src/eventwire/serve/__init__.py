"""The serve stage: a FastAPI app over the store, and the built web UI.

``create_app(settings)`` is the only entry point (``eventwire serve`` calls it and hands the app
to uvicorn). Importing this package imports nothing heavy: FastAPI is loaded by the factory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..config import Settings


def create_app(settings: Settings, **services: Any) -> FastAPI:
    """Build the API + UI app. See :func:`eventwire.serve.app.create_app`."""
    from .app import create_app as _create

    return _create(settings, **services)


__all__ = ["create_app"]
