"""Run every benchmark script present and regenerate benchmarks/README.md's tables.

    .venv/bin/python benchmarks/run_all.py                     # every benchmarks/bench_*.py
    .venv/bin/python benchmarks/run_all.py --only export,pipeline
    .venv/bin/python benchmarks/run_all.py --only export --args "export=--events 1000000"

Each script prints one JSON object (its last stdout line). Results are kept per run key (script
name plus its arguments) in benchmarks/results.json, so running one script updates its table and
keeps the others; README.md is rewritten from all kept results, nested keys flattened to
``a.b`` rows. A script that fails is reported with its exit code and stderr tail, not dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
README = HERE / "README.md"

INTRO = """# Benchmarks

Speed and memory are measured here, never in tests. Every table below is written by

    .venv/bin/python benchmarks/run_all.py

which runs each `benchmarks/bench_*.py` that exists (each prints one JSON object) and rewrites
this file from `benchmarks/results.json`. Run one script with `--only NAME` (e.g.
`--only export --args "export=--events 1000000"`); the other tables are kept. Numbers depend on
the machine and on what else runs on it: each table says when and where it was measured, and
the pipeline benchmark records the load average at start and end.

What each script measures is in its docstring. Headlines:

- **pipeline** (`bench_pipeline.py`): full pipeline articles/s and words/s beside bare spaCy
  `nlp.pipe` on the same clean texts in the same run (`pipeline_over_spacy_speed`), peak RSS per
  process, local executor with 1 and 2 processes and Dask with 1 and 2 workers
  (`local_2_over_1`, `dask_2_over_1`; startup timed apart), and the cost of re-ingesting a
  corpus already stored (`reingest.again_over_first`, and with `skip_existing`).
- **export** (`bench_export.py`): rows/s and peak RSS per format for N generated events; peak
  RSS that stays flat from 100k to 1M events is the streaming claim.
- **store** (`bench_store.py`): p50/p95 (wall, and process CPU) of every API filter, stats, the
  dashboard, deep pages and the map on a generated store of N events, SQLite and PostgreSQL
  (`--events 1000000`; stores kept in `--dir` and a `bench_N` schema of database
  `eventwire_bench`). The `before 0008` runs are the code of 00b19dc (`PYTHONPATH` set to its
  `git archive`) on the same stores before their in-place upgrade.
- **startup** (`bench_startup.py`): wall, CPU and peak RSS of one whole `eventwire extract`
  process on one short file, cold (empty cache directory) and warm, each for the seed (the
  sentence encoder loads) and for one quiet sentence (it does not), with the 1-minute load
  average at the start of each run (`load_1m`) and the CPU per service (`phases`). The
  `--src /tmp/ewc/before/src` run is the code before the start-up cache (`git archive 8c22b25
  src`); `--src /tmp/su/base/src` is the code before the lean imports (`git archive 4538f9a src`:
  sentence-transformers, transformers and scikit-learn still imported).
"""


def flatten(obj: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(obj, dict):
        out: list[tuple[str, Any]] = []
        for k, v in obj.items():
            out += flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    if isinstance(obj, list) and obj and all(isinstance(v, dict) for v in obj):
        out = []
        for i, v in enumerate(obj):
            out += flatten(v, f"{prefix}[{i}]")
        return out
    return [(prefix, obj)]


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, (list, dict)):
        return f"`{json.dumps(v)}`"
    return str(v).replace("|", "\\|").replace("\n", " ")


def run(script: Path, extra: str, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(script), *shlex.split(extra)]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    meta = {"command": " ".join([".venv/bin/python", f"benchmarks/{script.name}", *shlex.split(extra)]),
            "wall_seconds": round(time.perf_counter() - t0, 1)}
    lines = [ln for ln in p.stdout.splitlines() if ln.strip().startswith("{")]
    if p.returncode or not lines:
        tail = " / ".join(p.stderr.strip().splitlines()[-3:])
        return {**meta, "error": f"exit {p.returncode}: {tail or 'no JSON output'}"}
    try:
        return {**meta, "result": json.loads(lines[-1])}
    except json.JSONDecodeError as exc:
        return {**meta, "error": f"last line is not JSON ({exc})"}


def render(results: dict[str, Any]) -> str:
    parts = [INTRO]
    for key in sorted(results):
        r = results[key]
        parts.append(f"\n## {key}\n")
        parts.append(f"`{r.get('command', key)}` — {r.get('when', '?')} on {r.get('machine', '?')}"
                     f" ({r.get('wall_seconds', '?')} s)\n")
        if "error" in r:
            parts.append(f"\n**failed**: {_fmt(r['error'])}\n")
            continue
        parts.append("\n| metric | value |\n|---|---|\n")
        for name, value in flatten(r["result"]):
            parts.append(f"| {name} | {_fmt(value)} |\n")
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated names: clean,pipeline,export,… (bench_NAME.py)")
    ap.add_argument("--args", action="append", default=[], help='NAME="--flag value" extra arguments')
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per script")
    ap.add_argument("--render-only", action="store_true", help="rewrite README.md from results.json")
    ns = ap.parse_args()
    extra = dict(a.split("=", 1) for a in ns.args)
    results: dict[str, Any] = json.loads(RESULTS.read_text("utf-8")) if RESULTS.is_file() else {}
    scripts = sorted(HERE.glob("bench_*.py"))
    if ns.only:
        wanted = {n.strip() for n in ns.only.split(",")}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    if not ns.render_only:
        for script in scripts:
            name = script.stem.removeprefix("bench_")
            args = extra.get(name, "")
            key = name + (f" {args}" if args else "")
            print(f"running {key} …", file=sys.stderr, flush=True)
            r = run(script, args, ns.timeout)
            r["when"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            r["machine"] = machine
            # Re-read before writing: another run_all (e.g. a long export run) may have finished.
            results = json.loads(RESULTS.read_text("utf-8")) if RESULTS.is_file() else {}
            results[key] = r
            RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", "utf-8")
    results = json.loads(RESULTS.read_text("utf-8")) if RESULTS.is_file() else results
    README.write_text(render(results), "utf-8")
    print(f"wrote {README.relative_to(HERE.parent)} ({len(results)} benchmark runs)", file=sys.stderr)


if __name__ == "__main__":
    main()
