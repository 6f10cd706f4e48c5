"""Schemathesis drives every endpoint of the OpenAPI schema with generated requests, valid and
invalid (a few examples each, to stay within the CI budget), and finds no 5xx; every error
response has the one JSON error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.serve.sample import fill

EXAMPLES = 6  # per operation and mode: 13 operations × 2 modes ≈ 15 s of CPU on this machine


def check(case: Any) -> None:
    response = case.call()
    where = f"{case.method} {case.formatted_path} query={case.query} body={str(case.body)[:200]}"
    assert response.status_code < 500, f"{where} → {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), f"{where} → {body}"


def test_no_server_errors(tmp_path: Path) -> None:
    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.store import Store

    store = Store(f"sqlite:///{tmp_path / 'schema.db'}")
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
