"""Choosing and comparing event coders on the team's corpus (docs/events.md reports the output).

    python -m eventwire.eval.coders select    # hyper-parameters of each family, on the dev split
    python -m eventwire.eval.coders loso      # leave-one-source-out, the chosen settings
    python -m eventwire.eval.coders test      # the chosen model of each family on the test split

``select`` never looks at the test split; ``test`` is run once the choices are made. Both score
the classifier on sentences alone (the coder's pipeline-level numbers come from
``eventwire eval events --data src/eventwire/events/data/corpus --split test``). Prints JSON.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from ..events import classifier, training
from ..events.corpus import Example

GRID_C = (3.0, 10.0, 30.0, 100.0)
GRID_WEIGHT = (1.0, 2.0, 4.0)


def _summary(s: dict[str, Any]) -> dict[str, Any]:
    sub = s["acled_sub_event_on_acled_events"] or {}
    out = {
        "event_f1": s["event_detection"]["f1"],
        "plover_top1_on_events": s["plover_top1_on_events"],
        "acled_sub_weighted_f1": sub.get("weighted_f1"),
        "non_acled_coded_violent": s["non_acled_coded_as_violence_or_protest"],
        "ece": s["calibration"]["ece"],
        "gated_share": s["gated"],
    }
    out["mean3"] = round((out["event_f1"] + out["plover_top1_on_events"] + (out["acled_sub_weighted_f1"] or 0)) / 3, 4)
    return out


def _fit_score(examples: list[Example], on: str, **kw: Any) -> dict[str, Any]:
    t = time.time()
    m = training.train(examples, **kw)
    part = [e for e in examples if e.split == on]
    return _summary(training.score(m, part, emb=training.embeddings(m, part))) | {"fit_s": round(time.time() - t, 1)}


def select(examples: list[Example]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fam in classifier.FAMILIES:
        for c in GRID_C:
            out[f"{fam} C={c:g}"] = _fit_score(examples, "dev", family=fam, c=c)
            print(json.dumps({f"{fam} C={c:g}": out[f"{fam} C={c:g}"]}), file=sys.stderr)
    best_c = max(GRID_C, key=lambda c: out[f"tfidf+minilm C={c:g}"]["mean3"])
    for w in GRID_WEIGHT:
        if w != classifier.EMBEDDING_WEIGHT:
            key = f"tfidf+minilm C={best_c:g} w={w:g}"
            out[key] = _fit_score(examples, "dev", family="tfidf+minilm", c=best_c, embedding_weight=w)
            print(json.dumps({key: out[key]}), file=sys.stderr)
    return out


def main(argv: list[str]) -> None:
    what = argv[0] if argv else "select"
    examples = training.load_examples()
    if what == "select":
        res = select(examples)
    elif what == "loso":
        res = {fam: training.leave_one_source_out(examples, family=fam) for fam in classifier.FAMILIES}
    elif what == "test":
        res = {fam: _fit_score(examples, "test", family=fam) for fam in classifier.FAMILIES}
    else:
        raise SystemExit("usage: python -m eventwire.eval.coders select|loso|test")
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
