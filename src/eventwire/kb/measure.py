"""Measurements behind the knowledge base's tuned constants: ``python -m eventwire.kb.measure``.

- ``load``: median wall time of ``KnowledgeBase.load()`` in fresh processes, cold (index built
  from the data files) and warm (index read from the cache), plus ``patterns()``.
- ``fuzzy``: picks ``FUZZY_THRESHOLD``. Queries are aliases (non-generated entities, keys of 8+
  characters) with 1-2 random character edits (seeded). At each threshold it reports, with the
  entity present in the KB, precision and recall of the top fuzzy hit; and with the entity
  absent (its own keys excluded) the false-match rate: how often some other entity would be
  returned for a name the KB does not know.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
from typing import Any

_LOAD = """
import time
t0 = time.perf_counter()
from eventwire.kb import KnowledgeBase
t1 = time.perf_counter()
kb = KnowledgeBase.load(cache={cache})
t2 = time.perf_counter()
kb.patterns()
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def measure_load(runs: int = 5) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, cache in (("cold", False), ("warm", True)):
        if cache:  # make sure the cache exists
            subprocess.run([sys.executable, "-c", _LOAD.format(cache=True)], check=True, capture_output=True)
        rows = []
        for _ in range(runs):
            res = subprocess.run(
                [sys.executable, "-c", _LOAD.format(cache=cache)], check=True, capture_output=True, text=True
            )
            rows.append([float(x) for x in res.stdout.split()])
        out[label] = {
            "import_s": round(statistics.median(r[0] for r in rows), 3),
            "load_s": round(statistics.median(r[1] for r in rows), 3),
            "patterns_s": round(statistics.median(r[2] for r in rows), 3),
            "runs": runs,
        }
    return out


def _perturb(s: str, rng: random.Random, edits: int) -> str:
    chars = list(s)
    for _ in range(edits):
        i = rng.randrange(len(chars))
        op = rng.choice(("del", "sub", "swap", "ins"))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        if op == "del" and len(chars) > 1:
            del chars[i]
        elif op == "sub":
            chars[i] = letter
        elif op == "swap" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars.insert(i, letter)
    return "".join(chars)


def measure_fuzzy(samples: int = 1500, seed: int = 13) -> dict[str, Any]:
    from rapidfuzz import fuzz, process

    from .base import KnowledgeBase
    from .normalize import key

    kb = KnowledgeBase.load()
    ix = kb._ix  # noqa: SLF001 - a measurement of the internals on purpose
    rng = random.Random(seed)
    pool = [
        (key(a), e.id)
        for e in kb.entities()
        if "-" not in e.id[:4] and e.kind != "state" and not e.id[:3].isupper()
        for a in (e.name, *e.aliases)
        if len(key(a)) >= 8
    ]
    rng.shuffle(pool)
    queries = []
    for k, eid in pool[:samples]:
        q = _perturb(k, rng, rng.choice((1, 2)))
        if q in ix.aliases:  # an edit that lands on a real alias is no fuzzy case
            continue
        queries.append((q, eid))
    present: list[tuple[float, bool]] = []  # (top score, top is right)
    absent: list[float] = []  # best score among other entities
    for q, eid in queries:
        hits = process.extract(q, ix.fuzzy_keys, scorer=fuzz.ratio, limit=15)
        top = hits[0]
        present.append((top[1], eid in ix.fuzzy_ids[top[2]]))
        others = [h[1] for h in hits if eid not in ix.fuzzy_ids[h[2]]]
        absent.append(others[0] if others else 0.0)
    table = []
    for t in range(80, 100, 2):
        predicted = [ok for s, ok in present if s >= t]
        correct = sum(predicted)
        table.append(
            {
                "threshold": t,
                "precision": round(correct / len(predicted), 3) if predicted else None,
                "recall": round(correct / len(present), 3),
                "false_match_when_absent": round(sum(s >= t for s in absent) / len(absent), 3),
            }
        )
    return {"queries": len(queries), "seed": seed, "table": table}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "what", nargs="*", default=["load", "fuzzy", "counts"], choices=["load", "fuzzy", "counts"]
    )
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    if "counts" in args.what:
        from .base import KnowledgeBase

        kb = KnowledgeBase.load()
        out["counts"] = dict(sorted(kb.counts().items()))
        out["entities"] = len(kb)
        out["patterns"] = len(kb.patterns())
    if "load" in args.what:
        out["load"] = measure_load(args.runs)
    if "fuzzy" in args.what:
        out["fuzzy"] = measure_fuzzy()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
