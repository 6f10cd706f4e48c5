"""Schemathesis drives every endpoint of the OpenAPI schema with generated requests, valid and
invalid (a few examples each, to stay within the CI budget), and finds no 5xx; every error
response has the one JSON error shape. It runs on both stores (the ``store_url`` fixture: a
SQLite file and a fresh PostgreSQL schema, which skips with instructions where no server runs
and fails in CI): PostgreSQL refuses what SQLite takes (NUL bytes, issue 13.7)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.serve.sample import fill

# Per operation and mode: 14 operations × 2 modes. Measured with `pytest tests/serve/test_schema.py
# --durations=3` while another job loaded the machine: 26 s (SQLite) + 21 s (PostgreSQL) wall,
# 20 s of user CPU for both (`time`).
EXAMPLES = 6


def check(case: Any) -> None:
    response = case.call()
    where = f"{case.method} {case.formatted_path} query={case.query} body={str(case.body)[:200]}"
    assert response.status_code < 500, f"{where} → {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), f"{where} → {body}"


def test_no_server_errors(store_url: str) -> None:
    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.store import Store

    store = Store(store_url)
    fill(store)
    # Writes stay off (no token): the ingest endpoint must still answer with a 4xx, never crash.
    app = create_app(load_settings(db=store.url), store=store)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    ran = 0
    for result in schema.get_all_operations():
        op = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case: Any) -> None:
                check(case)

            try:
                run()
            except Unsatisfiable:
                # An operation without parameters or body has no invalid variant to generate.
                assert mode == GenerationMode.NEGATIVE, op.label
                continue
            ran += 1
    assert ran >= 15  # every documented endpoint was exercised, most both ways
    store.close()
