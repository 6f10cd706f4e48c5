"""Fixtures for the API and UI tests: a real store (SQLite file and PostgreSQL schema, via the
``store_url`` fixture) filled with the hand-built records of :mod:`tests.serve.sample`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.serve.sample import fill


@pytest.fixture()
def store(store_url: str):
    from eventwire.store import Store

    s = Store(store_url)
    fill(s)
    yield s
    s.close()


@pytest.fixture()
def make_client(tmp_path: Path):
    """Build a TestClient over a store with optional settings overrides."""
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app

    clients: list[Any] = []

    def make(store: Any, raise_server_exceptions: bool = True, **overrides: Any) -> TestClient:
        services = overrides.pop("_services", {})
        settings = load_settings(db=store.url, **overrides)
        c = TestClient(create_app(settings, store=store, **services),
                       raise_server_exceptions=raise_server_exceptions)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.app.state.jobs.close()  # the ingest worker stops before the store fixture closes
        c.close()


@pytest.fixture()
def client(store: Any, make_client: Any):
    # Every sample event, the 0.4-confidence THREATEN too: the filter tests count all five. The
    # default floor (the min_confidence setting) has its own tests in test_api.py.
    return make_client(store, min_confidence=0)
