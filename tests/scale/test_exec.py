"""Executors: local (in-process and process pool) and Dask give the same stored events; re-runs
store nothing twice; a killed worker process is survived."""

from __future__ import annotations

import glob
from itertools import islice

import pyarrow.dataset as ds
import pytest

from eventwire.config import load_settings
from eventwire.exec import LocalExecutor, get_executor, ingest
from eventwire.ingest import read
from eventwire.store import Store
from eventwire.store.query import EventFilter, iter_events

from . import _workers


@pytest.fixture(scope="module")
def corpus(shared):
    """The seed dump (two articles) and 3 dev pages: small, but every stage has work."""
    pages = sorted(glob.glob(str(shared / "data/dev/extraction/trafilatura-eval-en/html/*.html.gz")))
    return [str(shared / "data/seed/000_18be8ac06041186b.txt"), *pages[:3]]


@pytest.fixture(scope="module")
def full_settings(tmp_path_factory):
    # One settings object for the whole module: the in-process pipeline cache is keyed by it,
    # so the spaCy pipeline is built once here and reused by the thread-based Dask workers.
    return load_settings(db=f"sqlite:///{tmp_path_factory.mktemp('exec') / 'unused.db'}")


def _events(store: Store) -> list[dict]:
    return sorted(iter_events(store, EventFilter()), key=lambda e: e["id"])


@pytest.fixture(scope="module")
def local_store(corpus, full_settings, tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('local') / 'local.db'}")
    with LocalExecutor(full_settings, partition_size=2) as ex:  # workers=1: in this process
        stats = ingest(read(corpus, full_settings), store, full_settings, ex)
    assert stats.new >= 5 and stats.events > 0, stats
    yield store
    store.close()


def test_dask_localcluster_stores_identical_events(corpus, full_settings, local_store, tmp_path):
    from eventwire.exec.dask import DaskExecutor

    settings = full_settings.model_copy(update={"executor": "dask", "workers": 2})
    store = Store(f"sqlite:///{tmp_path / 'dask.db'}")
    # processes=False: two worker threads in this process (the pipeline is already built here);
    # benchmarks/bench_pipeline.py runs the process-based cluster for speed.
    with DaskExecutor(settings, partition_size=2, processes=False) as ex:
        assert ex.workers == 2
        stats = ingest(read(corpus, full_settings), store, full_settings, ex)
        used = ex.pipelines_per_worker()
    assert stats.new == local_store.count("articles")
    assert set(used.values()) == {1}  # the pipeline was built once, not per partition
    got, want = _events(store), _events(local_store)
    assert len(got) == len(want) > 0
    assert got == want


def test_rerun_stores_nothing_twice(corpus, full_settings, local_store):
    before = (local_store.count("articles"), local_store.count("events"))
    with LocalExecutor(full_settings, partition_size=2) as ex:
        again = ingest(read(corpus, full_settings), local_store, full_settings, ex)
    assert again.new == 0 and again.existing == before[0]
    assert (local_store.count("articles"), local_store.count("events")) == before


def test_parquet_dir_rerun_overwrites_partitions(corpus, full_settings, tmp_path):
    out = tmp_path / "pq"
    docs = corpus[:1]  # the seed: two articles, many events
    with LocalExecutor(full_settings, partition_size=1) as ex:
        a = ex.write_parquet_dir(read(docs, full_settings), str(out))
        files = sorted(p.name for p in (out / "events").iterdir())
        b = ex.write_parquet_dir(read(docs, full_settings), str(out))
    assert a["events"] == b["events"] > 0 and a["articles"] == 2
    assert sorted(p.name for p in (out / "events").iterdir()) == files  # same names, overwritten
    ids = ds.dataset(out / "events", format="parquet").to_table().column("id").to_pylist()
    assert len(ids) == len(set(ids)) == a["events"]
    assert ds.dataset(out / "articles", format="parquet").count_rows() == 2


# ------------------------------------------------------------------ process pool (clean only)
def test_process_pool_survives_a_killed_worker(tmp_path):
    s = load_settings(db=f"sqlite:///{tmp_path / 's.db'}", workers=2)
    docs = list(range(7))
    with LocalExecutor(s, partition_size=2) as ex:
        out = list(ex._map(_workers.die_once, docs, str(tmp_path / "died")))
    assert out == [2, 2, 2, 1]  # every partition done once, in order, after the pool was rebuilt
    assert (tmp_path / "died").exists()


def test_killed_client_rerun_with_process_pool(corpus, store_url):
    s = load_settings(db=store_url, workers=2)
    store = Store(store_url)
    with LocalExecutor(s.model_copy(update={"workers": 1})) as one:
        want = sorted({r.article.id for r in one.run(read(corpus, s), s, stages=("clean",))})
    with get_executor(s, partition_size=2) as ex:
        assert isinstance(ex, LocalExecutor) and ex.workers == 2
        # The "killed" client got through the first documents only; the re-run finishes the job.
        first = ingest(islice(read(corpus, s), 2), store, s, ex, stages=("clean",))
        again = ingest(read(corpus, s), store, s, ex, stages=("clean",))
    assert first.new > 0 and again.existing == first.new and again.new == len(want) - first.new
    assert store.count("articles") == len(want) >= 5
    store.close()


def test_unknown_executor_is_a_config_error(tmp_path):
    from eventwire.errors import ConfigError

    s = load_settings(db=f"sqlite:///{tmp_path / 's.db'}", executor="spark")
    with pytest.raises(ConfigError, match="dask, local"):
        get_executor(s)


def test_skip_existing_reingest_sends_only_new_articles(corpus, store_url):
    s = load_settings(db=store_url)
    store = Store(store_url)
    with LocalExecutor(s) as ex:
        first = ingest(read(corpus[:2], s), store, s, ex, stages=("clean",), skip_existing=True)
        again = ingest(read(corpus[:2], s), store, s, ex, stages=("clean",), skip_existing=True)
    assert first.new == store.count("articles") >= 3 and first.existing == 0
    assert again.new == 0 and again.existing == first.new
    store.close()
