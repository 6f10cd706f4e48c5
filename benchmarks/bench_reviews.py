"""What the review overlay (store/reviews.py, issue 15.1) costs the read side.

    .venv/bin/python benchmarks/bench_reviews.py [--events 100000] [--dir /tmp/ew_bench_reviews] [--runs 5]

Builds (or reuses) a synthetic SQLite store with benchmarks/bench_store.py's generator, then times
through the real app in-process (FastAPI TestClient) a page of events (count + list), a type
filter, the map's points and a full CSV export, three ways:

- ``baseline``: the review hooks patched out (join, columns, filter terms, reviewed-value
  matching): the read path as it was before reviews;
- ``no_reviews``: the shipped code over a store without any review (the common case);
- ``reviews``: the same after 1,000 reviews (500 type edits, 250 rejections, 250 acceptances);
- ``reviews_hooks_off``: those reviews stored, the hooks patched out: what the summary tables'
  fallback to SQL (store/derived.py serves counts only while no review is stored) costs alone.

Prints one JSON object: median seconds per request and mode.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

REQUESTS = {
    "page": "/api/events?limit=25",
    "type_filter": "/api/events?limit=25&type=PROTEST",
    "country_filter": "/api/events?limit=25&country=UKR",
    "map": "/api/map?limit=5000",
}


@contextmanager
def baseline() -> Any:
    """The read path without the review hooks."""
    import sqlalchemy as sa

    from eventwire.store import reviews as rv
    from eventwire.store.schema import events

    saved = {k: getattr(rv, k) for k in ("join", "columns", "filter_conditions", "matching", "reviewed_columns",
                                          "shown_column", "source")}
    rv.join = lambda q: q  # type: ignore[assignment]
    rv.columns = lambda: []  # type: ignore[assignment]
    rv.filter_conditions = lambda *a, **k: []  # type: ignore[assignment]
    rv.matching = lambda store: (lambda col, make: make(events.c[col]))  # type: ignore[assignment]
    rv.reviewed_columns = lambda: [*(events.c[c] for c in rv.OVERLAY), sa.null().label("review_status"),  # type: ignore[assignment]
                                   sa.null().label("reviewer")]
    rv.shown_column = lambda store, c: events.c[c]  # type: ignore[assignment]
    rv.source = lambda col: events  # type: ignore[assignment]
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(rv, k, v)


def timed(client: Any, path: str, runs: int) -> float:
    client.get(path)  # warm-up
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(path)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text[:200]
    return round(statistics.median(out), 4)


def measure(client: Any, runs: int) -> dict[str, float]:
    res = {name: timed(client, path, runs) for name, path in REQUESTS.items()}
    res["csv_export_all"] = timed(client, "/api/events?format=csv&min_confidence=0", 1)
    return res


def add_reviews(store: Any, n: int = 1000) -> None:
    import sqlalchemy as sa

    from eventwire.store import reviews as rv
    from eventwire.store.schema import events

    with store.engine.connect() as c:
        ids = c.execute(sa.select(events.c.id).order_by(events.c.id).limit(n)).scalars().all()
    for i, eid in enumerate(ids):
        if i < n // 2:
            rv.review_event(store, eid, "bench", "edit", {"type": "PROTEST", "country": "UKR"})
        elif i < 3 * n // 4:
            rv.review_event(store, eid, "bench", "reject")
        else:
            rv.review_event(store, eid, "bench", "accept")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/ew_bench_reviews")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("EVENTWIRE_ALLOWED_HOSTS", "testserver")
    import bench_store
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.store import Store
    from eventwire.store.schema import event_reviews, reviews

    Path(args.dir).mkdir(parents=True, exist_ok=True)
    path = Path(args.dir) / f"store_{args.events}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        bench_store.generate(url, args.events)
    store = Store(url)
    with store.engine.begin() as c:  # a rerun starts without reviews
        c.execute(reviews.delete())
        c.execute(event_reviews.delete())
    client = TestClient(create_app(load_settings(db=url), store=store))
    result: dict[str, Any] = {"benchmark": f"reviews_{args.events}", "events": store.count("events"),
                              "runs": args.runs, "load_avg_start": round(os.getloadavg()[0], 2)}
    with baseline():
        result["baseline"] = measure(client, args.runs)
    result["no_reviews"] = measure(client, args.runs)
    t = time.perf_counter()
    add_reviews(store)
    result["seconds_per_review_write"] = round((time.perf_counter() - t) / 1000, 4)
    result["reviews"] = measure(client, args.runs)
    with baseline():  # the same SQL fallback (summary tables off while reviews exist), no review terms
        result["reviews_hooks_off"] = measure(client, args.runs)
    result["load_avg_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
