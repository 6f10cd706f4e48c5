"""Executors: where the pipeline runs. ``local`` (a process pool on this machine) and ``dask``
(a Dask cluster: a LocalCluster or ``tcp://HOST:8786``) are the two; only
:mod:`eventwire.exec.dask` imports dask (the optional ``eventwire[dask]`` extra).

Both cut the document stream into partitions (:func:`partitions`), run
:func:`eventwire.exec.partition.process` on each in a worker whose pipeline (spaCy model, KB,
gazetteer) is built once and reused, and hand results back **in input order**. The client
writes them with :meth:`Store.upsert`; ids are content hashes, so a re-run after a killed worker
or client stores nothing twice. :meth:`Executor.write_parquet_dir` instead has each worker write
its partition's Parquet files directly (named by the partition's content id: re-runs overwrite).

Interface (:class:`Executor`)::

    ex = get_executor(settings)
    for item in ex.run(raws, settings):   # Result | Rejection, input order
        ...
    ex.write_parquet_dir(raws, "out/", settings)
    ex.close()
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from .. import registry
from ..errors import EventwireError
from ..pipeline import ALL_STAGES
from ..records import Article, Rejection, Result
from .partition import Item, process, process_to_parquet

# Documents per partition. The full pipeline does ~1.6 pages per CPU-second (benchmarks/README.md,
# 2026-11-28), so 16 pages are ~10 s of work: task overhead (pickling, scheduling: milliseconds)
# is noise, a lost worker redoes little, and 2 workers had 1.65× (local) / 1.74× (Dask) the
# throughput of 1 on 32 pages.
PARTITION = 16
# Partitions in flight per worker: one running, one queued, so a worker never waits for the
# client, while memory holds at most 2 × workers partitions of results.
IN_FLIGHT = 2
# A partition whose worker process died is resubmitted this many times before it is rejected.
RETRIES = 2


class Executor(Protocol):
    workers: int

    def run(self, raws: Iterable[Item], settings: Any = None,
            stages: Sequence[str] = ALL_STAGES) -> Iterator[Result | Rejection]: ...

    def write_parquet_dir(self, raws: Iterable[Item], out_dir: str, settings: Any = None,
                          stages: Sequence[str] = ALL_STAGES) -> dict[str, Any]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def partitions(raws: Iterable[Item], size: int = PARTITION) -> Iterator[list[Item]]:
    it = iter(raws)
    while chunk := list(islice(it, size)):
        yield chunk


def _sum_parquet(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    tot: dict[str, Any] = {"partitions": 0, "articles": 0, "events": 0, "rejections": []}
    for p in parts:
        tot["partitions"] += 1
        tot["articles"] += p["articles"]
        tot["events"] += p["events"]
        tot["rejections"] += [Rejection(**r) for r in p["rejections"]]
    return tot


class PartitionExecutor:
    """What both executors share: ``run`` over ``_map`` (partitions in, results out in order)
    and use as a context manager. Subclasses provide ``_map`` and ``close``."""

    settings: Any

    def _map(self, fn: Any, raws: Iterable[Item], *args: Any) -> Iterator[Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def run(self, raws: Iterable[Item], settings: Any = None,
            stages: Sequence[str] = ALL_STAGES) -> Iterator[Result | Rejection]:
        for out in self._map(process, raws, settings or self.settings, tuple(stages)):
            yield from out

    def __enter__(self) -> PartitionExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalExecutor(PartitionExecutor):
    """``settings.workers`` processes on this machine; 1 worker runs in this process (no pool)."""

    def __init__(self, settings: Any, *, partition_size: int = PARTITION) -> None:
        self.settings = settings
        self.workers = settings.workers
        self.partition_size = partition_size
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: workers start clean (no inherited threads or sockets), as on macOS/Windows.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _map(self, fn: Any, raws: Iterable[Item], *args: Any) -> Iterator[Any]:
        """fn(part, *args) over partitions, results in order, bounded in flight, dead workers
        survived by rebuilding the pool and resubmitting what was pending."""
        if self.workers == 1:
            for part in partitions(raws, self.partition_size):
                yield fn(part, *args)
            return
        pending: deque[tuple[list[Item], Future[Any], int]] = deque()
        parts = partitions(raws, self.partition_size)
        exhausted = False
        while True:
            while not exhausted and len(pending) < IN_FLIGHT * self.workers:
                nxt = next(parts, None)
                if nxt is None:
                    exhausted = True
                    break
                pending.append((nxt, self._get_pool().submit(fn, nxt, *args), 0))
            if not pending:
                return
            part, fut, tries = pending[0]
            try:
                out = fut.result()
            except BrokenProcessPool:
                # A worker was killed (OOM, kill -9): every pending future is lost with the pool.
                self._pool = None
                if tries >= RETRIES:
                    pending.popleft()
                    yield [Rejection(str(getattr(p, "source", "?")), "worker process died repeatedly on this partition",
                                     stage="exec") for p in part]
                    continue
                old = list(pending)
                pending.clear()
                for p, f, t in old:
                    if f.done() and not f.cancelled() and f.exception() is None:
                        pending.append((p, f, t))  # finished before the crash: keep its result
                    else:
                        pending.append((p, self._get_pool().submit(fn, p, *args), t + 1 if p is part else t))
                continue
            pending.popleft()
            yield out

    def write_parquet_dir(self, raws: Iterable[Item], out_dir: str, settings: Any = None,
                          stages: Sequence[str] = ALL_STAGES) -> dict[str, Any]:
        res = self._map(process_to_parquet, raws, settings or self.settings, tuple(stages), str(out_dir))
        return _sum_parquet(r if isinstance(r, dict) else {"articles": 0, "events": 0, "rejections": [x.to_dict() for x in r]}
                            for r in res)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None



@registry.register("executor", "local")
def _local(settings: Any, **options: Any) -> LocalExecutor:
    return LocalExecutor(settings, **options)


@registry.register("executor", "dask")
def _dask(settings: Any, **options: Any) -> Any:
    try:
        from .dask import DaskExecutor
    except ImportError as exc:
        raise EventwireError(
            f"the dask executor needs dask[distributed] ({exc}); pip install 'eventwire[dask]'"
        ) from exc
    return DaskExecutor(settings, **options)


def get_executor(settings: Any, **options: Any) -> Executor:
    """The executor named by ``settings.executor`` (``local`` or ``dask``)."""
    return registry.get("executor", settings.executor)(settings, **options)  # type: ignore[no-any-return]


@dataclass
class IngestStats:
    new: int = 0  # articles stored now
    existing: int = 0  # articles already in the store (re-run)
    events: int = 0  # events of the new articles
    rejections: list[Rejection] = field(default_factory=list)


def ingest(raws: Iterable[Item], store: Any, settings: Any, executor: Executor | None = None,
           stages: Sequence[str] = ALL_STAGES, *, skip_existing: bool = False) -> IngestStats:
    """Run ``raws`` through ``executor`` (default: from settings) and upsert every result.

    ``skip_existing`` cleans on the client first and sends only articles the store does not hold
    to the workers: a re-ingest (watch loop, re-run after a crash) then costs the clean stage
    instead of the whole pipeline (benchmarks/README.md, "ingest idempotence"). It makes the
    client's clean stage serial, so leave it off for a first ingest of a large corpus.
    """
    own = executor is None
    ex = executor or get_executor(settings)
    stats = IngestStats()
    if skip_existing and "clean" in stages:
        from ..pipeline import Pipeline

        cleaner = Pipeline(settings, stages=("clean",))
        stages = tuple(s for s in stages if s != "clean")
        source = raws

        def fresh() -> Iterator[Item]:
            for item in cleaner.articles(source):  # type: ignore[arg-type]
                if isinstance(item, Article) and store.has_article(item.id):
                    stats.existing += 1
                    continue
                yield item

        raws = fresh()
    try:
        for item in ex.run(raws, settings, stages):
            if isinstance(item, Rejection):
                stats.rejections.append(item)
            elif store.upsert(item):
                stats.new += 1
                stats.events += len(item.events)
            else:
                stats.existing += 1
    finally:
        if own:
            ex.close()
    return stats


__all__ = ["Executor", "LocalExecutor", "get_executor", "ingest", "IngestStats", "partitions", "PARTITION"]
