"""Cost of the cluster stage (near-duplicates, stories, canonical events) in the ingest loop.

    .venv/bin/python benchmarks/bench_cluster.py [--pages N] [--copies K] [--stages clean,nlp,geo,events]

Corpus: the first N (default 60) English dev pages of ../shared/data/dev/extraction, cleaned, plus
one syndicated copy (eval.clusters.syndicate, cycling over the transformations) of every K-th
page (default 3), copies after all originals. Both runs ingest the same articles into a fresh
SQLite store, batch by batch as the lead's loop does: ``off`` = enrich + upsert; ``on`` =
``Linker.before_nlp`` → enrich (copies skipped) → upsert → ``Linker.after_store``.

Services (spaCy, KB, gazetteer) are warmed on one page before timing; the Linker is built inside
the ``on`` run and timed apart as its startup (wordfreq table, stop words, loading stored
signatures and stories). A copy whose body is unchanged (new headline only) has the original's
content id and is the same article to the store. Reports throughput of both, the time spent inside the Linker, and its share
of the ``on`` run (the number the 15 % budget is about). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "dev" / "extraction" / "trafilatura-eval-en" / "html"


def corpus(n: int, every: int, settings):  # type: ignore[no-untyped-def]
    from eventwire.eval.clusters import SYNDICATIONS, syndicate
    from eventwire.ingest import read
    from eventwire.pipeline import Pipeline
    from eventwire.records import Article

    files = sorted(str(p) for p in PAGES.glob("*.html.gz"))[:n]
    arts = [a for a in Pipeline(settings, stages=("clean",)).articles(read(files, settings)) if isinstance(a, Article)]
    copies = []
    for i, a in enumerate(arts[::every]):
        paras = [a.body[s:e] for s, e in a.paragraphs]
        if len(paras) < 3:
            continue
        kind = SYNDICATIONS[i % len(SYNDICATIONS)]
        title, new = syndicate(paras, a.title, kind)
        copies.append(Article.from_paragraphs(f"copy:{a.source}", new, title=title, publisher="Copy Desk"))
    return arts, copies


def ingest(pipe, store, arts, linker=None):  # type: ignore[no-untyped-def]
    from eventwire.records import Result

    in_linker = 0.0
    bs = pipe.settings.batch_size
    for i in range(0, len(arts), bs):
        batch = arts[i : i + bs]
        dups = {}
        if linker is not None:
            t = time.perf_counter()
            dups = {a.id: linker.before_nlp(a) for a in batch}
            in_linker += time.perf_counter() - t
        todo = [a for a in batch if not dups.get(a.id)]
        coded = {r.article.id: r for r in pipe.enrich(todo)}
        for a in batch:
            r = coded.get(a.id) or Result(article=a)
            store.upsert(r)
            if linker is not None:
                t = time.perf_counter()
                linker.after_store(r)
                in_linker += time.perf_counter() - t
    return in_linker


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--copies", type=int, default=3, help="one copy of every K-th page")
    ap.add_argument("--stages", default="clean,nlp,geo,events")
    args = ap.parse_args()
    from eventwire.cluster import Linker
    from eventwire.config import load_settings
    from eventwire.pipeline import Pipeline
    from eventwire.store import Store

    stages = tuple(s for s in args.stages.split(",") if s)
    with tempfile.TemporaryDirectory() as tmp:
        s = load_settings(db=f"sqlite:///{tmp}/x.db")
        arts, copies = corpus(args.pages, args.copies, s)
        allarts = arts + copies
        words = sum(len(a.body.split()) for a in allarts)
        pipe = Pipeline(s, stages=stages)
        t = time.perf_counter()
        pipe.enrich(arts[:1])  # warm spaCy / KB / gazetteer
        warm = time.perf_counter() - t
        out = {"stages": list(stages), "articles": len(allarts), "copies": len(copies), "words": words,
               "warmup_s": round(warm, 2)}
        for mode in ("off", "on"):
            store = Store(f"sqlite:///{tmp}/{mode}.db")
            t = time.perf_counter()
            linker = None
            if mode == "on":
                linker = Linker(store, s)
            build = time.perf_counter() - t
            t = time.perf_counter()
            spent = ingest(pipe, store, allarts, linker)
            total = time.perf_counter() - t
            out[mode] = {"seconds": round(total, 2), "articles_per_s": round(len(allarts) / total, 2)}
            if mode == "on":
                distinct = [a for a in copies if a.id not in {x.id for x in arts}]
                out[mode].update({
                    "linker_startup_s": round(build, 2),
                    "linker_seconds": round(spent, 2), "linker_share": round(spent / total, 4),
                    "copies_with_own_text": len(distinct),
                    "linked_copies": sum(1 for a in distinct if store.article(a.id)["duplicate_of"]),
                    "stories": store.count("stories"), "canonical_events": store.count("canonical_events"),
                    "events": store.count("events"),
                })
            store.close()
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
