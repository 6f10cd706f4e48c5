"""Export speed and memory: N generated events in a SQLite store, written in every format.

    .venv/bin/python benchmarks/bench_export.py [--events N] [--formats a,b]

Default N is 100,000 (about a minute per run); the README table also reports a run with
``--events 1000000``. Events are generated (varied types, actors, places, quantities; 10 events
per article) and bulk-inserted straight into the store's tables, so the store is filled fast;
generation is not timed. Each format is exported in its own subprocess: rows/s and that
process's peak RSS (``ru_maxrss`` via ``wait4``). Peak RSS that does not grow with N is what
"streaming, constant memory" means. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("acled-csv", "plover-jsonl", "gdelt-tsv", "geojson", "parquet", "csv")
TYPES = [("ASSAULT", "Explosions/Remote violence", "Air/drone strike", "195"),
         ("ASSAULT", "Battles", "Armed clash", "190"),
         ("PROTEST", "Protests", "Peaceful protest", "141"),
         ("CONSULT", None, None, "040"),
         ("COERCE", "Strategic developments", "Arrests", "173")]
PLACES = [("Aleppo", "SYR", "Aleppo", 36.2, 37.16, 170063), ("Kidal", "MLI", "Kidal", 18.44, 1.41, 2455290),
          ("Kharkiv", "UKR", "Kharkivska", 49.98, 36.25, 706483), ("Goma", "COD", "North Kivu", -1.68, 29.22, 216281)]


def fill(db: str, n: int) -> None:
    """Bulk-insert n events (10 per article) with sqlite3 executemany: generation, not timed."""
    import sqlite3

    from eventwire.store import Store, event_row
    from eventwire.store.schema import articles, events

    Store(f"sqlite:///{db}").close()  # creates the schema (migrations)
    rnd = random.Random(7)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy SQLite DateTime text
    acols, ecols = [c.name for c in articles.columns], [c.name for c in events.columns]
    a_sql = f"INSERT INTO articles ({','.join(acols)}) VALUES ({','.join('?' * len(acols))})"
    e_sql = f"INSERT INTO events ({','.join(ecols)}) VALUES ({','.join('?' * len(ecols))})"
    con = sqlite3.connect(db)
    arts: list[tuple] = []
    evs: list[tuple] = []

    def flush() -> None:
        con.executemany(a_sql, arts)
        con.executemany(e_sql, evs)
        arts.clear()
        evs.clear()

    for i in range(n):
        aid = f"a{i // 10:015x}"
        if i % 10 == 0:
            a = {"id": aid, "source": f"https://news.example/{i // 10}", "url": f"https://news.example/{i // 10}",
                 "title": f"Story {i // 10}", "body": "x", "paragraphs": "[]", "captions": "[]",
                 "published_at": "2024-05-02", "ingested_at": now, "furniture_removed": 0}
            arts.append(tuple(a.get(c) for c in acols))
        t, acled, sub, cameo = TYPES[i % len(TYPES)]
        name, cc, adm1, lat, lon, gid = PLACES[rnd.randrange(len(PLACES))]
        ev = {
            "id": f"{i:016x}", "article_id": aid, "type": t, "sentence": [0, 80], "mode": None, "context": None,
            "acled_event_type": acled, "acled_sub_event_type": sub, "cameo": cameo,
            "actors": [{"text": "government forces", "entity_id": None, "country": cc, "sector": "MIL",
                        "start": None, "end": None}],
            "recipients": [{"text": "civilians", "entity_id": None, "country": cc, "sector": "CVL",
                            "start": None, "end": None}],
            "place": {"name": name, "country": cc, "admin1": adm1, "lat": lat + rnd.random() / 10,
                      "lon": lon + rnd.random() / 10, "geonameid": gid, "feature": "P.PPLA", "precision": 1,
                      "how": "trigger", "start": 0, "end": 5, "text": name},
            "date": {"date_start": f"2024-05-{1 + i % 28:02d}", "date_end": f"2024-05-{1 + i % 28:02d}",
                     "precision": "day"},
            "quantities": [{"start": 0, "end": 2, "text": "3 killed", "value": rnd.randrange(1, 50), "kind": "dead"}],
            "claim": None, "flags": {"negated": False, "future": False, "hypothetical": False, "historical": False},
            "procurement": None, "confidence": 0.7, "evidence": [], "trigger": [10, 16], "in_caption": False,
        }
        row = event_row(ev, aid)
        row["summary"] = f"Government forces struck {name} on day {i}, killing civilians, officials said."
        row["data"] = json.dumps(ev)
        evs.append(tuple(row.get(c) for c in ecols))
        if len(evs) >= 50_000:
            flush()
    flush()
    con.commit()
    con.close()


def export_one(db: str, fmt: str, out: str) -> dict:
    from eventwire.export import write
    from eventwire.store import Store

    store = Store(f"sqlite:///{db}", migrate=False)
    t0, c0 = time.perf_counter(), time.process_time()
    n = write(store, fmt, out)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU-time rate too: wall time depends on what else the machine runs.
    return {"rows": n, "seconds": round(secs, 2), "rows_per_s": round(n / secs),
            "cpu_seconds": round(cpu, 2), "rows_per_cpu_s": round(n / cpu),
            "mb": round(os.path.getsize(out) / 1e6, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # DB FORMAT OUT (child process)
    ap.add_argument("--fill", nargs=2, help=argparse.SUPPRESS)  # DB N (child process)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(export_one(*args.one)))
        return
    if args.fill:
        fill(args.fill[0], int(args.fill[1]))
        return
    out: dict = {"benchmark": f"export_{args.events}", "events": args.events}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "events.db")
        t0 = time.perf_counter()
        # Filling runs in its own process: on Linux a child's ru_maxrss starts at its parent's
        # RSS when forked, so a parent grown by filling would inflate every export's peak.
        subprocess.run([sys.executable, __file__, "--fill", db, str(args.events)], check=True)
        out["fill_seconds"] = round(time.perf_counter() - t0, 1)
        for fmt in args.formats.split(","):
            target = str(Path(tmp) / f"out.{fmt}")
            p = subprocess.Popen([sys.executable, __file__, "--one", db, fmt, target],
                                 stdout=subprocess.PIPE, text=True)
            assert p.stdout is not None
            text = p.stdout.read()
            _pid, status, usage = os.wait4(p.pid, 0)
            if os.waitstatus_to_exitcode(status):
                out[fmt] = {"error": f"exit {os.waitstatus_to_exitcode(status)}"}
                continue
            res = json.loads(text.strip().splitlines()[-1])
            res["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
            out[fmt] = res
            os.remove(target)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
