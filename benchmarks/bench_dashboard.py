"""The analyst dashboard's API calls (issue 15.2: p95 <= 100 ms on 100k events), SQLite and PostgreSQL,
before and after a desk's reviews.

    .venv/bin/python benchmarks/bench_dashboard.py [--events 100000] [--backends sqlite,postgresql]
        [--runs 20] [--reviews 1000] [--dir /tmp/ew_bench]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/eventwire_bench]

The dashboard page (web/src/dashboard.ts) asks ``GET /api/config`` once and ``GET
/api/dashboard?...&bucket=auto&top=10`` for each filter it shows; this times both, through the
real app in-process (FastAPI TestClient: routing, validation, SQL, JSON; no network), each
``--runs`` times after one warm-up, with the server's default confidence floor (0.5), for the
filters a desk clicks (none, a type, a country, a year or a quarter, an actor, reviewed only).

Two states of the same store (benchmarks/bench_store.py's generator and store locations: the
SQLite file in ``--dir``, PostgreSQL schema ``bench_<N>`` of ``--pg``; generated when missing):

- ``no_reviews``: the machine's events only;
- ``reviews``: after ``--reviews`` reviews written through :func:`eventwire.store.reviews.review_event`
  (half edits of type and country, a fifth of those also of the actors; a quarter rejections; a
  quarter acceptances) and 20 articles marked out of scope. The reviews are deleted again at the
  end (and at the start, after an interrupted run), so bench_store's numbers stay review-free.

Prints one JSON object: per backend, state and call, p50/p95 wall ms, p95 process CPU ms and
the events matched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_store  # noqa: E402 - the generator and store locations are bench_store's

DASH = {"bucket": "auto", "top": "10"}  # what the page adds to every call


def calls() -> dict[str, tuple[str, dict[str, str]]]:
    return {
        "config": ("/api/config", {}),
        "dashboard": ("/api/dashboard", dict(DASH)),
        "dashboard type=ASSAULT": ("/api/dashboard", {**DASH, "type": "ASSAULT"}),
        "dashboard country=SYR": ("/api/dashboard", {**DASH, "country": "SYR"}),
        "dashboard one year": ("/api/dashboard", {**DASH, "date_from": "2024-01-01", "date_to": "2024-12-31"}),
        "dashboard one quarter (weeks)": ("/api/dashboard", {**DASH, "date_from": "2024-01-01",
                                                             "date_to": "2024-03-31"}),
        "dashboard country=SYR & one year": ("/api/dashboard", {**DASH, "country": "SYR", "date_from": "2024-01-01",
                                                                "date_to": "2024-12-31"}),
        "dashboard type+country+quarter": ("/api/dashboard", {**DASH, "type": "ASSAULT,COERCE", "country": "SYR",
                                                              "date_from": "2024-01-01", "date_to": "2024-03-31"}),
        "dashboard actor=entity id": ("/api/dashboard", {**DASH, "actor": "ent:00042"}),
        "dashboard reviewed=only": ("/api/dashboard", {**DASH, "reviewed": "only"}),
    }


def time_calls(client: Any, runs: int, only: set[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (path, params) in calls().items():
        if only and not any(o in name for o in only):
            continue
        out[name] = bench_store.time_get(client, name, path, params, runs)
    return out


def clear_reviews(store: Any) -> None:
    from eventwire.store.schema import article_reviews, event_reviews, reviews

    with store.engine.begin() as c:
        for t in (reviews, event_reviews, article_reviews):
            c.execute(t.delete())


def add_reviews(store: Any, n: int) -> dict[str, Any]:
    """``n`` event reviews spread over the store (ids are hashes: the first ``n`` by id are a
    sample) and 20 out-of-scope articles; returns what was written and the seconds per write."""
    import sqlalchemy as sa

    from eventwire.store import reviews as rv
    from eventwire.store.schema import articles, events

    with store.engine.connect() as c:
        ids = c.execute(sa.select(events.c.id).order_by(events.c.id).limit(n)).scalars().all()
        arts = c.execute(sa.select(articles.c.id).order_by(articles.c.id.desc()).limit(20)).scalars().all()
    t = time.perf_counter()
    for i, eid in enumerate(ids):
        if i < n // 2:
            fields: dict[str, Any] = {"type": "PROTEST", "country": "UKR"}
            if i % 5 == 0:  # a fifth of the edits correct the actors too
                fields["actors"] = [{"text": "Students"}, {"text": "a named group", "entity_id": "ent:00042"}]
            rv.review_event(store, eid, "bench", "edit", fields)
        elif i < 3 * n // 4:
            rv.review_event(store, eid, "bench", "reject")
        else:
            rv.review_event(store, eid, "bench", "accept")
    for a in arts:
        rv.review_article(store, a, "bench", True)
    s = time.perf_counter() - t
    return {"event_reviews": len(ids), "out_of_scope_articles": len(arts),
            "seconds_per_write": round(s / max(1, len(ids) + len(arts)), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--reviews", type=int, default=1000, help="0: time the review-free store only")
    ap.add_argument("--dir", default="/tmp/ew_bench")
    ap.add_argument("--pg", default=os.environ.get("EVENTWIRE_BENCH_PG", bench_store.DEFAULT_PG))
    ap.add_argument("--only", default="", help="comma-separated substrings of call names to time")
    args = ap.parse_args()
    os.environ.setdefault("EVENTWIRE_ALLOWED_HOSTS", "localhost,127.0.0.1,::1,testserver")
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.store import Store

    only = {o for o in args.only.split(",") if o} or None
    result: dict[str, Any] = {"benchmark": f"dashboard_{args.events}", "events": args.events, "runs": args.runs,
                              "cpu_count": os.cpu_count(), "python": sys.version.split()[0],
                              "load_avg_start": round(os.getloadavg()[0], 2)}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            Path(args.dir).mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{Path(args.dir) / f'store_{args.events}.db'}"
        else:
            bench_store._ensure_pg_db(args.pg)
            url = bench_store._pg_url(args.pg, args.events)
        res: dict[str, Any] = {}
        have = bench_store._count(url)
        if have != args.events:
            if have:
                raise SystemExit(f"{backend} store holds {have} events, not {args.events}: bench_store.py --regen")
            print(f"generating {args.events} events on {backend}", file=sys.stderr, flush=True)
            res["generate"] = bench_store.generate(url, args.events)
        store = Store(url)  # migrates an existing store to head (upgrade in place)
        try:
            clear_reviews(store)
            with TestClient(create_app(load_settings(db=url), store=store)) as client:
                print(f"timing {backend}, no reviews", file=sys.stderr, flush=True)
                res["no_reviews"] = time_calls(client, args.runs, only)
                if args.reviews:
                    res["reviews_written"] = add_reviews(store, args.reviews)
                    print(f"timing {backend}, {res['reviews_written']}", file=sys.stderr, flush=True)
                    res["reviews"] = time_calls(client, args.runs, only)
        finally:
            clear_reviews(store)
            store.close()
        result[backend] = res
    result["load_avg_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
