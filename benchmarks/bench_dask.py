"""Ingest throughput on 1, 2 and 4 Dask workers of a process-based LocalCluster (issue 16.4).

    .venv/bin/python benchmarks/bench_dask.py [--pages N] [--partition N] [--workers 1,2,4] [--db URL]

One corpus for every run: the first N (default 32) English dev pages of
../shared/data/dev/extraction (as ``bench_pipeline.py``). Each worker count runs in its own
subprocess: a ``LocalCluster(n_workers=W, threads_per_worker=1, processes=True)`` (what
``eventwire ingest --executor dask --workers W`` starts), every worker warmed on one page first
(pipeline build: spaCy, KB, gazetteer; timed apart as ``startup_s``), then the whole corpus is
ingested with :func:`eventwire.exec.ingest` into a fresh store (the client upserts every result,
as the CLI does) and timed. ``--db`` defaults to a fresh SQLite file per run; a PostgreSQL URL
is emptied (``DROP SCHEMA public CASCADE``) before each run, so use a scratch database.

Partitions are small (default 4 pages) so that 4 workers have work: 32 pages = 8 partitions.
The machine's CPU count and load average are printed with the numbers: on this 2-core machine
shared with other jobs, 4 workers cannot run faster than 2 (``speedup`` is over 1 worker).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import _maxrss_kib, _warm_worker, corpus  # noqa: E402


def _reset_pg(url: str) -> None:
    import sqlalchemy as sa

    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()


def part(workers: int, files: list[str], tmp: str, db: str | None, partition: int) -> dict:
    from eventwire.config import load_settings
    from eventwire.exec import ingest
    from eventwire.exec.dask import DaskExecutor
    from eventwire.ingest import read
    from eventwire.store import Store

    url = db or f"sqlite:///{tmp}/dask{workers}.db"
    if url.startswith("postgresql"):
        _reset_pg(url)
    s = load_settings(db=url, workers=workers, executor="dask")
    store = Store(url)
    t0 = time.perf_counter()
    ex = DaskExecutor(s, partition_size=partition)
    ex.client.wait_for_workers(workers)
    ex.client.run(_warm_worker, files, s)  # build the pipeline on every worker
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    st = ingest(read(files, s), store, s, ex)
    secs = time.perf_counter() - t0
    rss = ex.client.run(_maxrss_kib)
    ex.close()
    n = store.count("articles")
    store.close()
    return {"workers": workers, "startup_s": round(startup, 1), "articles": st.new, "stored_articles": n,
            "events": st.events, "rejections": len(st.rejections), "seconds": round(secs, 1),
            "articles_per_s": round(st.new / secs, 3),
            "worker_peak_rss_mb": round(max(rss.values()) / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=32)
    # 4 pages per partition: 8 partitions of the 32 pages, so 4 workers each get 2.
    ap.add_argument("--partition", type=int, default=4)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--db", default=None, help="store URL (default: a fresh SQLite file per run)")
    ap.add_argument("--part", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    args = ap.parse_args()
    files = corpus(args.pages)
    if args.part:
        print(json.dumps(part(args.part, files, args.tmp, args.db, args.partition)))
        return
    out: dict = {"benchmark": "dask_ingest", "pages": len(files), "partition": args.partition,
                 "cpus": os.cpu_count(), "store": "postgresql" if args.db else "sqlite",
                 "load_avg_start": round(os.getloadavg()[0], 2)}
    for w in (int(x) for x in args.workers.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, __file__, "--part", str(w), "--pages", str(args.pages),
                   "--partition", str(args.partition), "--tmp", tmp]
            if args.db:
                cmd += ["--db", args.db]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if p.returncode:
            out[f"dask{w}"] = {"error": f"exit {p.returncode}"}
            continue
        res = json.loads(p.stdout.strip().splitlines()[-1])
        res["load_avg_end"] = round(os.getloadavg()[0], 2)
        out[f"dask{w}"] = res
    base = (out.get("dask1") or {}).get("articles_per_s")
    for k, v in list(out.items()):
        if k.startswith("dask") and base and isinstance(v, dict) and v.get("articles_per_s"):
            v["speedup"] = round(v["articles_per_s"] / base, 2)
    out["load_avg_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
