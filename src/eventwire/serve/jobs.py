"""Writes as queued jobs: ``POST /api/ingest`` puts its work on a bounded queue and answers
``202 Accepted`` with a job id at once; one background thread runs the jobs in order, and
``GET /api/jobs/{id}`` says where each stands (``queued``, ``running``, ``done`` with its ingest
report, ``failed`` with the reason).

Why a queue of its own: the API's reads run in the server's thread pool (40 threads). When
ingests ran there too, slow writes (a fetch that drips, a long article) could take every thread
and ``/api/health`` timed out (issue 13.6). Now a write holds a pool thread only for as long as
it takes to validate the body and enqueue it; the work happens on this module's single worker,
which is also the only writer the API puts on the store, so two API ingests never race each
other. When the queue is full the request is refused with ``503`` and ``Retry-After``.

Written by hand (a thread and :class:`queue.Queue`) because the job runs in this process, over
the store and pipeline the app already holds: a task-queue library (Celery, RQ, arq) would add a
broker and a second process that must load the models again.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from ..errors import EventwireError

log = logging.getLogger("eventwire.serve")

# Jobs waiting to run (the running one not counted). Each holds its request body, at most
# max_request_bytes (5 MB by default), so a full queue holds at most ~80 MB of input: a bound
# chosen from that memory budget, not measured against a workload.
QUEUE_SIZE = 16
# Finished jobs kept for polling, oldest dropped first. A report is small unless a JSONL batch
# rejects many lines (≤ 5 MB of input per job), so 200 keeps memory bounded while a client that
# polls within minutes always finds its job.
KEEP_FINISHED = 200
# Retry-After before any job has finished (no duration measured yet), in seconds; afterwards it
# is the mean duration of the last jobs times the jobs ahead.
RETRY_AFTER_DEFAULT = 5

Status = Literal["queued", "running", "done", "failed"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class QueueFull(Exception):
    """The job queue has no room; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int, closed: bool = False) -> None:
        super().__init__("ingest queue full" if not closed else "server is stopping")
        self.retry_after, self.closed = retry_after, closed


@dataclass
class Job:
    id: str
    run: Callable[[], dict[str, Any]] = field(repr=False)
    status: Status = "queued"
    submitted_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "submitted_at": self.submitted_at,
                "started_at": self.started_at, "finished_at": self.finished_at,
                "result": self.result, "error": self.error}


class JobQueue:
    """A bounded queue of jobs run one at a time by one daemon thread (started on the first
    job). ``submit`` never blocks: it raises :class:`QueueFull` instead."""

    def __init__(self, maxsize: int = QUEUE_SIZE, keep: int = KEEP_FINISHED) -> None:
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=maxsize)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._durations: deque[float] = deque(maxlen=10)

    # ------------------------------------------------------------------ client side
    def submit(self, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Queue ``run`` (it returns the job's result); return the new job as a dict."""
        with self._lock:
            if self._closed:
                raise QueueFull(self._retry_after(), closed=True)
            job = Job(id=uuid.uuid4().hex, run=run)
            try:
                self._queue.put_nowait(job)
            except queue.Full:
                raise QueueFull(self._retry_after()) from None
            self._jobs[job.id] = job
            self._forget_old()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="eventwire-ingest", daemon=True)
                self._thread.start()
            return job.to_dict()

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.to_dict() if job else None

    def close(self, timeout: float = 30.0) -> None:
        """Refuse new jobs, fail the queued ones, let the running one finish (up to ``timeout``
        seconds) so that the store can be closed after it."""
        with self._lock:
            first, self._closed = not self._closed, True
            thread = self._thread
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                self._finish(job, error={"code": "stopped", "message": "the server stopped before this job ran"})
        if thread is not None:
            if first:
                self._queue.put(None)  # the queue was just emptied: room for the stop mark
            thread.join(timeout)

    # ------------------------------------------------------------------ worker side
    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            with self._lock:
                job.status, job.started_at = "running", _now()
            t0 = time.monotonic()
            try:
                result = job.run()
            except EventwireError as exc:
                log.warning("ingest job %s failed: %s: %s", job.id, exc.code, exc)
                self._finish(job, error={"code": exc.code, "message": str(exc)})
            except Exception as exc:  # noqa: BLE001 - a job's failure is its own, never the worker's
                log.exception("ingest job %s crashed", job.id)
                self._finish(job, error={"code": "internal",
                                         "message": f"ingest failed ({type(exc).__name__}); the server log has the details"})
            else:
                self._finish(job, result=result)
            self._durations.append(time.monotonic() - t0)

    def _finish(self, job: Job, result: dict[str, Any] | None = None, error: dict[str, str] | None = None) -> None:
        with self._lock:
            job.status = "failed" if error else "done"
            job.result, job.error, job.finished_at = result, error, _now()
            job.run = _spent  # drop the request body the closure holds
            self._forget_old()

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
        for k in finished[: max(0, len(finished) - self._keep)]:
            del self._jobs[k]

    def _retry_after(self) -> int:
        if not self._durations:
            return RETRY_AFTER_DEFAULT
        mean = sum(self._durations) / len(self._durations)
        return max(1, min(300, math.ceil(mean * (self._queue.qsize() + 1))))


def _spent() -> dict[str, Any]:
    raise RuntimeError("job already ran")
