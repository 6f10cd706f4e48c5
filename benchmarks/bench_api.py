"""API latency over 100,000 stored events (SQLite): p50/p95 of /api/events with filters.

    .venv/bin/python benchmarks/bench_api.py [--events 100000] [--runs 30] [--db PATH] [--keep]

Generates a synthetic store (10 events per article; 16 PLOVER types, 30 countries, 600 actors,
two years of dates; the same row shapes Store.upsert writes, bulk-inserted for speed), then
times requests through the real app in-process (FastAPI TestClient: routing, validation, SQL,
JSON encoding; no network). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
# Skewed like news: conflict types dominate.
WEIGHTS = [3, 4, 3, 1, 2, 2, 1, 3, 5, 3, 4, 6, 3, 4, 6, 14]
COUNTRIES = {
    "UKR": (49.0, 32.0), "RUS": (55.7, 37.6), "SYR": (35.0, 38.0), "IRQ": (33.3, 44.4),
    "ISR": (31.8, 35.2), "PSE": (31.5, 34.45), "LBN": (33.9, 35.5), "YEM": (15.4, 44.2),
    "SDN": (15.5, 32.5), "SSD": (4.85, 31.6), "ETH": (9.0, 38.7), "SOM": (2.0, 45.3),
    "MLI": (12.6, -8.0), "BFA": (12.4, -1.5), "NER": (13.5, 2.1), "NGA": (9.1, 7.5),
    "COD": (-4.3, 15.3), "LBY": (32.9, 13.2), "AFG": (34.5, 69.2), "PAK": (33.7, 73.1),
    "IND": (28.6, 77.2), "MMR": (19.8, 96.1), "COL": (4.7, -74.1), "MEX": (19.4, -99.1),
    "ESP": (40.4, -3.7), "FRA": (48.9, 2.35), "DEU": (52.5, 13.4), "USA": (38.9, -77.0),
    "CHN": (39.9, 116.4), "TWN": (25.0, 121.5),
}
CERTAINTY = ["asserted"] * 5 + ["reported"] * 4 + ["hedged", "predicted", "denied"]
WORDS = ("strike attack talks ceasefire border drone missile protest sanctions convoy militia "
         "troops ministry election refugees shelling aid corridor blockade naval exercise").split()


def generate(url: str, n_events: int, seed: int = 7) -> float:
    """Fill a fresh store with ``n_events`` events; returns seconds taken."""
    import sqlalchemy as sa

    from eventwire.records import Article, Event
    from eventwire.store import Store, event_row
    from eventwire.store.schema import articles, event_actors, events

    rnd = random.Random(seed)
    actors = [(f"actor_{i:03d}" if i % 2 == 0 else None, f"Group {i} {rnd.choice(WORDS).title()}")
              for i in range(600)]
    t0 = time.perf_counter()
    store = Store(url)
    day0 = dt.date(2024, 1, 1)
    per_article = 10
    arts, evs, acts, fts = [], [], [], []
    with store.engine.begin() as conn:
        for a in range(n_events // per_article):
            words = " ".join(rnd.choice(WORDS) for _ in range(60))
            body = f"Report {a}. {words}."
            aid = Article.make_id("bench", body)
            pub = day0 + dt.timedelta(days=rnd.randrange(730))
            arts.append({"id": aid, "source": f"bench/{a}.txt", "url": None, "title": f"Report {a}: {words[:40]}",
                         "body": body, "paragraphs": [[0, len(body)]], "captions": [],
                         "published_at": pub.isoformat(), "byline": None, "publisher": "Bench",
                         "language": "en", "furniture_removed": 0, "analysis": None, "places": [],
                         "ingested_at": dt.datetime.now(dt.timezone.utc)})
            fts.append({"i": aid, "t": arts[-1]["title"], "b": body})
            for k in range(per_article):
                typ = rnd.choices(TYPES, WEIGHTS)[0]
                cc = rnd.choice(list(COUNTRIES))
                lat, lon = COUNTRIES[cc]
                date = (pub - dt.timedelta(days=rnd.randrange(3))).isoformat()
                actor = rnd.choice(actors)
                span = (k * 10, k * 10 + 9)
                ev = {
                    "id": Event.make_id(aid, span, typ), "article_id": aid, "type": typ, "sentence": list(span),
                    "acled_event_type": "Battles" if typ == "ASSAULT" else None,
                    "actors": [{"text": actor[1], "entity_id": actor[0], "country": cc}],
                    "recipients": [],
                    "place": {"name": f"Place {cc}", "lat": lat + rnd.uniform(-2, 2), "lon": lon + rnd.uniform(-2, 2),
                              "country": cc, "admin1": None, "precision": rnd.choice([1, 2, 3, 4])},
                    "date": {"date_start": date, "date_end": date, "precision": "day"},
                    "quantities": [], "claim": {"certainty": rnd.choice(CERTAINTY)},
                    "flags": {"negated": rnd.random() < 0.03, "future": rnd.random() < 0.08,
                              "hypothetical": rnd.random() < 0.04, "historical": rnd.random() < 0.06},
                    "confidence": round(rnd.random(), 3), "evidence": [],
                }
                row = event_row(ev, aid)
                row["summary"] = body[:120]
                evs.append(row)
                acts.append({"event_id": ev["id"], "role": "actor", "position": 0, "text": actor[1],
                             "entity_id": actor[0], "country": cc, "sector": None})
            if len(evs) >= 20_000:
                _flush(conn, sa, articles, events, event_actors, arts, evs, acts, fts)
        _flush(conn, sa, articles, events, event_actors, arts, evs, acts, fts)
    store.close()
    return time.perf_counter() - t0


def _flush(conn: Any, sa: Any, articles: Any, events: Any, event_actors: Any, arts: list, evs: list,
           acts: list, fts: list) -> None:
    if arts:
        conn.execute(articles.insert(), arts)
        conn.execute(sa.text("INSERT INTO articles_fts(article_id, title, body) VALUES (:i, :t, :b)"), fts)
    if evs:
        conn.execute(events.insert().prefix_with("OR IGNORE"), evs)
        conn.execute(event_actors.insert().prefix_with("OR IGNORE"), acts)
    for x in (arts, evs, acts, fts):
        x.clear()


QUERIES = {
    "all (page 1, newest first)": {},
    "type=ASSAULT": {"type": "ASSAULT"},
    "type=PROTEST,COERCE & country=SDN": {"type": "PROTEST,COERCE", "country": "SDN"},
    "country=UKR & one quarter": {"country": "UKR", "date_from": "2025-01-01", "date_to": "2025-03-31"},
    "actor=entity id": {"actor": "actor_042"},
    "actor=text substring": {"actor": "group 17"},
    "bbox (Levant)": {"bbox": "34,29,40,37"},
    "certainty=reported & future=true": {"certainty": "reported", "future": "true"},
    "q=full text": {"q": "blockade corridor"},
    "deep page (offset 50000, by confidence)": {"sort": "-confidence", "offset": "50000"},
    "stats (UI counts + timeline)": {"_path": "/api/stats"},
    "map 5000 points (UI map load)": {"_path": "/api/map", "limit": "5000"},
    "geojson export, first 5000": {"format": "geojson", "limit": "5000"},
}


def measure(url: str, runs: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app

    out: dict[str, Any] = {}
    with TestClient(create_app(load_settings(db=url))) as client:
        for name, params in QUERIES.items():
            params = dict(params)
            path = params.pop("_path", "/api/events")
            r = client.get(path, params=params)  # warm-up (and correctness: must be 200)
            assert r.status_code == 200, (name, r.text[:200])
            total = r.json().get("total") if "format" not in params and path != "/api/map" else None
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                client.get(path, params=params)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                         "matches": total}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--db", help="SQLite file to use (reused if it exists; default: a temporary file)")
    args = ap.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench_api.db"
    url = f"sqlite:///{path}"
    gen_s = None
    if not path.exists():
        gen_s = round(generate(url, args.events), 1)
    res = measure(url, args.runs)
    from eventwire.store import Store

    with Store(url) as s:
        n = s.count("events")
    print(json.dumps({"benchmark": "api_events_latency", "store": "sqlite", "events": n, "runs": args.runs,
                      "generate_s": gen_s, "cpu_count": os.cpu_count(), "python": sys.version.split()[0],
                      "results": res}, indent=2))


if __name__ == "__main__":
    main()
