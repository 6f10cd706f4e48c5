"""The Dask executor: the only module in eventwire that imports dask.

``settings.scheduler`` (``tcp://HOST:8786``) connects to a running cluster (``dask scheduler`` +
``dask worker``, or dask-jobqueue on Slurm; see docs/scale.md); without it a LocalCluster of
``settings.workers`` single-threaded worker processes starts here. Each task is one partition;
the worker's pipeline is built once per worker process (:mod:`eventwire.exec.partition`) and
reused. Dask reschedules the tasks of a worker that dies; results are upserts, so nothing is
stored twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from distributed import Client, LocalCluster

from ..errors import ConfigError
from ..pipeline import ALL_STAGES
from . import IN_FLIGHT, PARTITION, PartitionExecutor, _sum_parquet, partitions
from .partition import Item, built_pipelines, process_to_parquet

# Task retries on top of Dask's own rescheduling after a worker death (allowed-failures).
RETRIES = 2


class DaskExecutor(PartitionExecutor):
    def __init__(self, settings: Any, *, partition_size: int = PARTITION, client: Any = None,
                 processes: bool = True) -> None:
        self.settings = settings
        self.partition_size = partition_size
        self.cluster: LocalCluster | None = None
        if client is not None:
            self.client = client
        elif settings.scheduler:
            try:
                self.client = Client(settings.scheduler, timeout=30)
            except OSError as exc:
                raise ConfigError(f"cannot reach Dask scheduler {settings.scheduler} ({exc}); "
                                  "start `dask scheduler` there or fix EVENTWIRE_SCHEDULER") from exc
        else:
            # One thread per worker: spaCy pipelines are not shared across threads, and the GIL
            # would serialise them anyway. Processes give real parallelism.
            self.cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1,
                                        processes=processes, dashboard_address=None)
            self.client = Client(self.cluster)

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def _map(self, fn: Any, raws: Iterable[Item], *args: Any) -> Iterator[Any]:
        pending: deque[Any] = deque()
        limit = IN_FLIGHT * self.workers
        for part in partitions(raws, self.partition_size):
            pending.append(self.client.submit(fn, part, *args, pure=False, retries=RETRIES))
            while len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def write_parquet_dir(self, raws: Iterable[Item], out_dir: str, settings: Any = None,
                          stages: Sequence[str] = ALL_STAGES) -> dict[str, Any]:
        return _sum_parquet(self._map(process_to_parquet, raws, settings or self.settings,
                                      tuple(stages), str(out_dir)))

    def pipelines_per_worker(self) -> dict[str, int]:
        """How many pipelines each worker built (1 each after any number of partitions)."""
        return dict(self.client.run(built_pipelines))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

