"""Waiting for an ingest job: ``POST /api/ingest`` answers 202 with a job; the report comes from
polling ``GET /api/jobs/{id}`` until the job is done or failed."""

from __future__ import annotations

import time
from typing import Any

DEADLINE = 600.0  # seconds; a failure bound only (a stuck worker), never a speed check


def finished(get: Any, accepted: Any, deadline: float = DEADLINE) -> dict[str, Any]:
    """Poll the job of the 202 response ``accepted`` with ``get`` (``client.get`` or
    ``httpx.get``-like, taking a path) until it has finished; return the job."""
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert accepted.headers["location"] == f"/api/jobs/{job['id']}"
    end = time.monotonic() + deadline
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < end, f"job {job['id']} still {job['status']} after {deadline} s"
        time.sleep(0.02)
        r = get(f"/api/jobs/{job['id']}")
        assert r.status_code == 200, r.text
        job = r.json()
    return job  # type: ignore[no-any-return]


def report(get: Any, accepted: Any) -> dict[str, Any]:
    """The ingest report of a job that must succeed."""
    job = finished(get, accepted)
    assert job["status"] == "done", job
    return job["result"]  # type: ignore[no-any-return]
