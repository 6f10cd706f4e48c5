"""Throughput of the nlp stage (Analyzer) beside bare ``nlp.pipe`` with the same model.

    .venv/bin/python benchmarks/bench_extract.py [--data DIR ...] [--repeat N] [--rounds R]

Corpus: the dev NER documents (re3d + GUM news by default), each fed as one plain article body,
repeated ``--repeat`` times. Each system runs in its own child process so that its peak RSS is
its own; the model (and for eventwire the KB and rulers) is loaded and warmed up before the
clock starts, so the numbers are steady-state throughput. Systems alternate for ``--rounds``
rounds and the best round of each is kept (the machine is shared; the best run is the least
disturbed one). Prints one JSON line; ``ratio`` = eventwire articles per CPU-second ÷ bare
articles per CPU-second (``ratio_wall`` the same on wall time), and the issue requires ≥ 0.7.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared/data/dev/ner/re3d", ROOT.parent / "shared/data/dev/ner/gum-news"]


def corpus(paths: list[Path], repeat: int) -> list[str]:
    from eventwire.eval.ner import load

    texts = [t for p in paths for _, t, _ in load(p)[1]]
    return texts * repeat


def child(system: str, paths: list[Path], repeat: int, batch: int) -> dict[str, float]:
    from eventwire.config import load_settings

    settings = load_settings(batch_size=batch)
    texts = corpus(paths, repeat)
    t0 = time.perf_counter()
    if system == "bare":
        from eventwire.nlp.model import load_base

        nlp = load_base()
        list(nlp.pipe(texts[:8], batch_size=batch))  # warm-up
        load_s = time.perf_counter() - t0
        t, c = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, batch_size=batch):
            pass
    else:
        from eventwire.nlp import Analyzer
        from eventwire.records import Article

        try:
            from eventwire.kb import KnowledgeBase

            kb = KnowledgeBase.load(settings.kb_paths)
        except ImportError:
            kb = None
        analyzer = Analyzer(settings, kb)
        arts = [Article(id=str(i), source="bench", title=None, body=x, paragraphs=((0, len(x)),))
                for i, x in enumerate(texts)]
        list(analyzer.analyze(arts[:8]))  # warm-up
        load_s = time.perf_counter() - t0
        t, c = time.perf_counter(), time.process_time()
        for _ in analyzer.analyze(arts):
            pass
    secs = time.perf_counter() - t
    cpu = time.process_time() - c
    words = sum(len(x.split()) for x in texts)
    return {
        "system": system, "articles": len(texts), "words": words, "seconds": round(secs, 3),
        "cpu_seconds": round(cpu, 3),
        "articles_per_s": round(len(texts) / secs, 2), "words_per_s": round(words / secs, 1),
        "articles_per_cpu_s": round(len(texts) / cpu, 2), "words_per_cpu_s": round(words / cpu, 1),
        "load_seconds": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--child", choices=("bare", "eventwire"))
    a = ap.parse_args()
    paths = a.data or DEFAULT
    if a.child:
        print(json.dumps(child(a.child, paths, a.repeat, a.batch)))
        return 0
    best: dict[str, dict[str, float]] = {}
    for _ in range(a.rounds):
        for system in ("bare", "eventwire"):
            cmd = [sys.executable, __file__, "--child", system, "--repeat", str(a.repeat), "--batch", str(a.batch)]
            for p in paths:
                cmd += ["--data", str(p)]
            res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            if system not in best or res["articles_per_cpu_s"] > best[system]["articles_per_cpu_s"]:
                best[system] = res
    out = {
        "corpus": [str(p) for p in paths], "repeat": a.repeat, "rounds": a.rounds,
        "bare": best["bare"], "eventwire": best["eventwire"],
        # CPU-time ratio: on a shared machine wall time measures the neighbours as much as us.
        "ratio": round(best["eventwire"]["articles_per_cpu_s"] / best["bare"]["articles_per_cpu_s"], 3),
        "ratio_wall": round(best["eventwire"]["articles_per_s"] / best["bare"]["articles_per_s"], 3),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
