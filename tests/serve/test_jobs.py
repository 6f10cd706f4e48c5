"""API writes are queued jobs (issue 13.6): ``POST /api/ingest`` answers 202 with a job at once,
one background worker runs the jobs, reads answer while a job runs, a full queue is a 503 with
Retry-After, and a job's result (or failure) is polled from ``GET /api/jobs/{id}``.

The slow ingest is a pipeline whose enrich stage waits on an event the test sets: the job is
held "running" for exactly as long as the test needs, with no sleep deciding the outcome."""

from __future__ import annotations

import json
import threading
from typing import Any

from tests.serve.polling import finished, report
from tests.serve.test_api import assert_error

AUTH = {"authorization": "Bearer s3cret"}
HOLD = 120  # seconds: a failure bound for the worker to reach the gate, never a speed check
TEXT = ("Port authorities closed the harbour of Valletta after a fuel tanker ran aground on Sunday "
        "morning, officials said.\n\nSalvage teams were expected to arrive within two days.")


class Gated:
    """The clean-only pipeline, whose enrich stage blocks until ``release`` is set."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.stages = inner, inner.stages
        self.entered, self.release = threading.Event(), threading.Event()

    def articles(self, raws: Any) -> Any:
        return self.inner.articles(raws)

    def enrich(self, articles: Any) -> Any:
        self.entered.set()
        assert self.release.wait(HOLD), "the test never released the gate"
        return self.inner.enrich(articles)


class Broken(Gated):
    def enrich(self, articles: Any) -> Any:
        raise RuntimeError("disk on fire at /secret/path")


def _clean_pipeline(store: Any) -> Any:
    from eventwire.config import load_settings
    from eventwire.pipeline import Pipeline

    return Pipeline(load_settings(db=store.url), stages=("clean",))


def test_reads_answer_while_an_ingest_job_runs(store: Any, make_client: Any) -> None:
    from eventwire.serve.jobs import JobQueue

    gated = Gated(_clean_pipeline(store))
    c = make_client(store, token="s3cret", min_confidence=0,
                    _services={"pipeline": gated, "jobs": JobQueue(maxsize=1)})
    before = c.get("/api/health").json()["articles"]

    slow = c.post("/api/ingest", json={"text": TEXT, "title": "Harbour closed"}, headers=AUTH)
    assert slow.status_code == 202 and slow.json()["status"] in ("queued", "running"), slow.text
    assert gated.entered.wait(HOLD), "the worker never started the job"
    job_id = slow.json()["id"]
    assert c.get(f"/api/jobs/{job_id}").json()["status"] == "running"

    # The write is in progress on the worker: every read still answers, with the store as it was.
    health = c.get("/api/health")
    assert health.status_code == 200 and health.json()["articles"] == before
    assert c.get("/api/events").json()["total"] == 5
    assert c.get("/api/articles").status_code == 200

    # One more job waits in the queue (size 1); the next is refused, with when to retry.
    bad = c.post("/api/ingest", json={"jsonl": "\n".join([
        json.dumps({"text": "A second report about shipping in the Mediterranean, filed on Monday."}),
        "not json"])}, headers=AUTH)
    assert bad.status_code == 202 and bad.json()["status"] == "queued"
    full = c.post("/api/ingest", json={"text": "One more."}, headers=AUTH)
    assert_error(full, 503, "busy")
    assert int(full.headers["retry-after"]) >= 1

    gated.release.set()
    rep = report(c.get, slow)
    assert (rep["documents"], rep["articles"], rep["new"], rep["rejected"]) == (1, 1, 1, [])
    [new_id] = rep["new_ids"]
    assert c.get(f"/api/articles/{new_id}").json()["title"] == "Harbour closed"
    done = c.get(f"/api/jobs/{job_id}").json()
    assert done["status"] == "done" and done["started_at"] and done["finished_at"] and done["error"] is None

    # The bad line is that job's rejection, not a failed job; the good line is stored.
    second = finished(c.get, bad)
    assert second["status"] == "done", second
    assert second["result"]["new"] == 1 and [r["line"] for r in second["result"]["rejected"]] == [2]
    assert c.get("/api/health").json()["articles"] == before + 2
    # Room again once the queue drained.
    assert report(c.get, c.post("/api/ingest", json={"text": TEXT}, headers=AUTH))["already_stored"] == 1


def test_a_crashing_job_fails_alone(store: Any, make_client: Any) -> None:
    c = make_client(store, token="s3cret", _services={"pipeline": Broken(_clean_pipeline(store))})
    job = finished(c.get, c.post("/api/ingest", json={"text": TEXT}, headers=AUTH))
    assert job["status"] == "failed" and job["result"] is None
    assert job["error"]["code"] == "internal" and "RuntimeError" in job["error"]["message"]
    assert "/secret" not in json.dumps(job)  # internals stay in the server log
    assert c.get("/api/health").status_code == 200  # the worker and the API live on


def test_jobs_are_looked_up_by_id(client: Any, store: Any, make_client: Any) -> None:
    for bad in ("0" * 32, "nope", "A" * 32, "x" * 500):
        err = assert_error(client.get(f"/api/jobs/{bad}"), 404, "not_found")
        assert len(err["message"]) < 300
    assert_error(client.get("/api/jobs/../../etc/passwd"), 404, "http_404")
    # Validation and auth are answered at once; only accepted work becomes a job.
    c = make_client(store, token="s3cret")
    assert_error(c.post("/api/ingest", json={"text": "a", "html": "<p>b</p>"}, headers=AUTH), 422, "validation")
    assert_error(c.post("/api/ingest", json={"text": "a"}), 401, "unauthorized")
    spec = c.get("/openapi.json").json()
    assert "202" in spec["paths"]["/api/ingest"]["post"]["responses"]
    assert "503" in spec["paths"]["/api/ingest"]["post"]["responses"]


def test_stopping_fails_queued_jobs_and_refuses_new_ones(store: Any, make_client: Any) -> None:
    from eventwire.serve.jobs import JobQueue

    gated = Gated(_clean_pipeline(store))
    jobs = JobQueue(maxsize=4)
    c = make_client(store, token="s3cret", _services={"pipeline": gated, "jobs": jobs})
    running = c.post("/api/ingest", json={"text": TEXT}, headers=AUTH)
    assert gated.entered.wait(HOLD)
    waiting = c.post("/api/ingest", json={"text": TEXT + " Later."}, headers=AUTH)
    closer = threading.Thread(target=jobs.close)
    closer.start()
    while closer.is_alive() and jobs.get(waiting.json()["id"])["status"] == "queued":
        closer.join(0.01)  # close() fails the queued job first, then waits for the running one
    assert_error(c.post("/api/ingest", json={"text": "x"}, headers=AUTH), 503, "stopping")
    gated.release.set()
    closer.join(HOLD)
    assert finished(c.get, running)["status"] == "done"  # the running job finished its write
    assert finished(c.get, waiting)["error"]["code"] == "stopped"
