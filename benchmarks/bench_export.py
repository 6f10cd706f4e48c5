"""Export speed and memory: N generated events in a SQLite and/or PostgreSQL store, written in
every format.

    .venv/bin/python benchmarks/bench_export.py [--events N] [--formats a,b] [--backends sqlite,postgresql]
        [--path columnar|rows|api] [--dir KEEP]

Default N is 100,000; the README also reports ``--events 1000000 --backends sqlite,postgresql``
(issue 16.3). Events are generated (varied types, actors, places, quantities, undated and
historical ones; 10 events per article; ACLED actor columns as the coder stores them) and
bulk-inserted straight into the store's tables (events, event_actors, articles), so the store is
filled fast; the PostgreSQL store is a COPY of the SQLite one into schema ``bench_export_N`` of
the test database (``EVENTWIRE_TEST_PG``). Stores are kept in ``--dir`` between runs; filling is
not timed. Each format is exported in its own subprocess: rows/s (wall and per CPU-second of that
process) and that process's peak RSS (``ru_maxrss`` via ``wait4``). Peak RSS that does not grow
with N is what "streaming, constant memory" means. ``--path rows`` measures the event-dict
writers instead of the columnar path; ``--path api`` the API's download of a whole match
(``GET /api/events?format=F`` in its default sort, newest first): ``export.iter_store_bytes``, the
export's writer in its thread handing 64 kB chunks over a queue, written to the file, without HTTP. Prints one JSON object.
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

BACKENDS = ("sqlite", "postgresql")
PG_URL = os.environ.get("EVENTWIRE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TYPES = [("ASSAULT", "Explosions/Remote violence", "Air/drone strike", "195"),
         ("ASSAULT", "Battles", "Armed clash", "190"),
         ("PROTEST", "Protests", "Peaceful protest", "141"),
         ("CONSULT", None, None, "040"),
         ("COERCE", "Strategic developments", "Arrests", "173")]
PLACES = [("Aleppo", "SYR", "Aleppo", 36.2, 37.16, 170063), ("Kidal", "MLI", "Kidal", 18.44, 1.41, 2455290),
          ("Kharkiv", "UKR", "Kharkivska", 49.98, 36.25, 706483), ("Goma", "COD", "North Kivu", -1.68, 29.22, 216281)]
# ACLED actor columns as the coder stores them (Event.acled_actors), per event type.
ACLED_ACTORS = {
    "Explosions/Remote violence": {"actor1": "Military Forces of {c}", "assoc_actor_1": None, "inter1": 1,
                                   "actor2": "Civilians ({c})", "assoc_actor_2": None, "inter2": 7,
                                   "interaction": 17},
    "Battles": {"actor1": "Military Forces of {c}", "assoc_actor_1": None, "inter1": 1,
                "actor2": "Unidentified Armed Group ({c})", "assoc_actor_2": None, "inter2": 3, "interaction": 13},
    "Protests": {"actor1": "Protesters ({c})", "assoc_actor_1": None, "inter1": 6, "actor2": None,
                 "assoc_actor_2": None, "inter2": None, "interaction": 60},
    "Strategic developments": {"actor1": "Police Forces of {c}", "assoc_actor_1": None, "inter1": 1,
                               "actor2": "Civilians ({c})", "assoc_actor_2": None, "inter2": 7, "interaction": 17},
}


def generate(n: int):  # type: ignore[no-untyped-def]
    """(article row | None, event row, actor rows) for n events, 10 per article; deterministic.

    Varied on purpose: every 50th event is undated (the article's date stands in), every 100th
    is historical (the export's second part), every 7th has a second, unnamed actor, quantities
    of three kinds, a formula-looking summary now and then (neutralised in CSV exports)."""
    from eventwire.store import event_row
    from eventwire.store.schema import articles, events

    rnd = random.Random(7)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy SQLite DateTime text
    acols, ecols = [c.name for c in articles.columns], [c.name for c in events.columns]
    for i in range(n):
        aid = f"a{i // 10:015x}"
        art = None
        if i % 10 == 0:
            a = {"id": aid, "source": f"https://news.example/{i // 10}", "url": f"https://news.example/{i // 10}",
                 "title": f"Story {i // 10}", "body": "x", "paragraphs": "[]", "captions": "[]",
                 "published_at": f"2024-05-{1 + (i // 10) % 28:02d}", "ingested_at": now, "furniture_removed": 0}
            art = tuple(a.get(c) for c in acols)
        t, acled, sub, cameo = TYPES[i % len(TYPES)]
        name, cc, adm1, lat, lon, gid = PLACES[rnd.randrange(len(PLACES))]
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        actors = [{"text": "government forces", "entity_id": f"gov.{cc.lower()}" if i % 3 else None, "country": cc,
                   "sector": "MIL", "kind": "state_forces", "start": None, "end": None}]
        if i % 7 == 0:
            actors.append({"text": "", "entity_id": None, "country": None, "sector": None, "start": None, "end": None})
        quantities = [{"start": 0, "end": 2, "text": "3 killed", "value": rnd.randrange(1, 50), "kind": "dead"}]
        if i % 4 == 0:
            quantities.append({"start": 3, "end": 5, "text": "dozens hurt", "value": 24, "value_max": 36,
                               "kind": "injured"})
        if i % 5 == 4:
            quantities.append({"start": 6, "end": 8, "text": "5 arrested", "value": 5, "kind": "arrested"})
        ac = ACLED_ACTORS.get(acled or "")
        ev = {
            "id": f"{i:016x}", "article_id": aid, "type": t, "sentence": [(i % 5) * 100, (i % 5) * 100 + 80],
            "mode": "aerial" if i % 5 == 0 else None, "context": "military" if i % 5 < 2 else None,
            "acled_event_type": acled, "acled_sub_event_type": sub, "cameo": cameo,
            "actors": actors,
            "recipients": [{"text": "civilians", "entity_id": None, "country": cc, "sector": "CVL",
                            "start": None, "end": None}],
            "place": {"name": name, "country": cc, "admin1": adm1, "lat": lat + rnd.random() / 10,
                      "lon": lon + rnd.random() / 10, "geonameid": gid, "feature": "P.PPLA", "precision": 1 + i % 4,
                      "how": "trigger", "start": 0, "end": 5, "text": name},
            "date": {} if i % 50 == 0 else {"date_start": day, "date_end": day, "precision": "day"},
            "quantities": quantities,
            "claim": {"certainty": "reported"} if i % 3 == 0 else None,
            "flags": {"negated": False, "future": False, "hypothetical": i % 11 == 0, "historical": i % 100 == 1},
            "procurement": None, "confidence": round(0.5 + (i % 50) / 100, 2), "evidence": [],
            "trigger": [10, 16], "in_caption": False,
            "acled_actors": {k: v.format(c=cc) if isinstance(v, str) else v for k, v in ac.items()} if ac else None,
        }
        row = event_row(ev, aid)
        row["summary"] = ("=HYPERLINK(1)" if i % 1000 == 3 else
                          f"Government forces struck {name} on day {i}, killing civilians, officials said.")
        row["data"] = json.dumps(ev)
        arows = []
        for role in ("actors", "recipients"):
            for pos, x in enumerate(ev[role]):
                arows.append((ev["id"], role[:-1], pos, x["text"] or "", x["entity_id"], x["country"], x["sector"]))
        yield art, tuple(row.get(c) for c in ecols), arows


def fill(db: str, n: int) -> None:
    """Bulk-insert n events (10 per article, their actors) with sqlite3 executemany: not timed."""
    import sqlite3

    from eventwire.store import Store
    from eventwire.store.schema import articles, event_actors, events

    Store(f"sqlite:///{db}").close()  # creates the schema (migrations)
    acols, ecols = [c.name for c in articles.columns], [c.name for c in events.columns]
    a_sql = f"INSERT INTO articles ({','.join(acols)}) VALUES ({','.join('?' * len(acols))})"
    e_sql = f"INSERT INTO events ({','.join(ecols)}) VALUES ({','.join('?' * len(ecols))})"
    x_sql = f"INSERT INTO event_actors ({','.join(c.name for c in event_actors.columns)}) VALUES (?,?,?,?,?,?,?)"
    con = sqlite3.connect(db)
    arts: list[tuple] = []
    evs: list[tuple] = []
    acts: list[tuple] = []

    def flush() -> None:
        con.executemany(a_sql, arts)
        con.executemany(e_sql, evs)
        con.executemany(x_sql, acts)
        arts.clear()
        evs.clear()
        acts.clear()

    for art, ev, arows in generate(n):
        if art:
            arts.append(art)
        evs.append(ev)
        acts += arows
        if len(evs) >= 50_000:
            flush()
    flush()
    con.commit()
    con.close()


def fill_pg(db: str, url: str) -> None:
    """Copy the filled SQLite store into a fresh PostgreSQL schema (COPY): not timed."""
    import sqlite3

    import psycopg
    import sqlalchemy as sa

    from eventwire.store import Store

    schema = url.rsplit("search_path%3D", 1)[1]
    eng = sa.create_engine(PG_URL)
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    Store(url).close()  # the schema through the migrations
    src = sqlite3.connect(db)
    bools = {"negated", "future", "hypothetical", "historical"}
    with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"),
                         options=f"-csearch_path={schema}") as pg:
        for table in ("articles", "events", "event_actors"):
            cur = src.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description]
            fix = [i for i, n in enumerate(names) if n in bools]
            with pg.cursor().copy(f"COPY {table} ({','.join(names)}) FROM STDIN") as cp:
                for r in cur:
                    if fix:
                        r = list(r)
                        for i in fix:
                            r[i] = bool(r[i])
                    cp.write_row(r)
        pg.execute("ANALYZE")
    src.close()


def _api_download(store, fmt: str, out: str) -> None:  # type: ignore[no-untyped-def]
    """What GET /api/events?format=FMT sends for a whole match (min_confidence 0, sort -date),
    written to ``out``."""
    from eventwire.export import iter_store_bytes
    from eventwire.store.query import EventFilter

    with open(out, "wb") as fh:
        for chunk in iter_store_bytes(store, fmt, EventFilter(), sort="date", desc=True):
            fh.write(chunk)


def _rows_in(fmt: str, out: str) -> int:
    """Rows of a written export, read back (not timed)."""
    import csv

    if fmt == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(out).metadata.num_rows)
    with open(out, encoding="utf-8", newline="") as fh:
        if fmt == "geojson":  # a header line, one feature per line, a closing line
            return sum(1 for _ in fh) - 2
        if fmt.endswith("csv"):
            return sum(1 for _ in csv.reader(fh)) - 1
        return sum(1 for _ in fh)


def export_one(url: str, fmt: str, out: str, path: str) -> dict:
    from eventwire.export import write
    from eventwire.store import Store

    store = Store(url, migrate=False)
    t0, c0 = time.perf_counter(), time.process_time()
    if path == "api":
        _api_download(store, fmt, out)
    else:
        n = write(store, fmt, out, columnar=None if path == "columnar" else False)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    if path == "api":
        n = _rows_in(fmt, out)
    # CPU-time rate too: wall time depends on what else the machine runs (this process's CPU
    # only: on PostgreSQL the server's share of the work is not in it).
    return {"rows": n, "seconds": round(secs, 2), "rows_per_s": round(n / secs),
            "cpu_seconds": round(cpu, 2), "rows_per_cpu_s": round(n / cpu),
            "mb": round(os.path.getsize(out) / 1e6, 1)}


# Events generated one by one (the fill above) are the seed; bigger stores are copies of it made
# in SQL: 1M events generated in Python took >45 min on the loaded test machine, 10 copies of
# 100k a minute or two.
SEED = 100_000


def _copy_sql(k: int, src: str, dst: str, pg: bool) -> list[str]:
    """INSERT … SELECT statements adding copy ``k`` (0-9) of the seed store: ids get their
    first free hex digit replaced by k (event ids 0000… → k000…, article ids a000… → ak00…)."""
    from eventwire.store.schema import articles, event_actors, events

    def cols(t):  # type: ignore[no-untyped-def]
        return [c.name for c in t.columns]

    def sub(col: str, keep: int) -> str:  # the id with character keep+1 replaced by k
        return f"substr({col}, 1, {keep}) || '{k:x}' || substr({col}, {keep + 2})"

    def sel(t, fix: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
        return ", ".join(fix.get(c, f'"{c}"') for c in cols(t))

    out = []
    for t, fix in ((articles, {"id": sub("id", 1)}),
                   (events, {"id": sub("id", 0), "article_id": sub("article_id", 1)}),
                   (event_actors, {"event_id": sub("event_id", 0)})):
        names = ", ".join(f'"{c}"' for c in cols(t))
        out.append(f"INSERT INTO {dst}{t.name} ({names}) SELECT {sel(t, fix)} FROM {src}{t.name}")
    return out


def replicate(n: int, keep: Path, backend: str, url: str) -> None:
    """The n-event store as n / SEED copies of the seed store (SQLite file or PG schema)."""
    import sqlalchemy as sa

    from eventwire.store import Store

    copies = n // SEED
    assert n % SEED == 0 and copies <= 16, "--events must be a multiple of 100,000, at most 1.6M"
    if backend == "sqlite":
        Store(url).close()
        eng = sa.create_engine(url)
        with eng.begin() as c:
            c.execute(sa.text(f"ATTACH DATABASE '{keep / f'events_{SEED}.db'}' AS seed"))
            for k in range(copies):
                for q in _copy_sql(k, "seed.", "main.", False):
                    c.execute(sa.text(q))
        eng.dispose()
        return
    schema = url.rsplit("search_path%3D", 1)[1]
    eng = sa.create_engine(PG_URL)
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    Store(url).close()
    eng.dispose()
    eng = sa.create_engine(url)  # the new schema on the search path: its triggers find their tables
    with eng.begin() as c:
        for k in range(copies):
            for q in _copy_sql(k, f"bench_export_{SEED}.", f'"{schema}".', True):
                c.execute(sa.text(q))
        c.execute(sa.text(f'ANALYZE "{schema}".events'))
    eng.dispose()


def _store(backend: str, n: int, keep: Path) -> str:
    """The URL of a filled store of n events, made once and kept in ``keep`` (SQLite file) or
    schema ``bench_export_N`` (PostgreSQL, copied from the SQLite file)."""
    keep.mkdir(parents=True, exist_ok=True)
    if n > SEED:
        _store(backend, SEED, keep)  # the seed, generated
        sep = "&" if "?" in PG_URL else "?"
        url = (f"sqlite:///{keep / f'events_{n}.db'}" if backend == "sqlite"
               else f"{PG_URL}{sep}options=-csearch_path%3Dbench_export_{n}")
        done = keep / f"events_{n}.{backend}.done"
        if not done.exists():
            if backend == "sqlite":
                (keep / f"events_{n}.db").unlink(missing_ok=True)
            subprocess.run([sys.executable, __file__, "--replicate", str(n), str(keep), backend, url], check=True)
            done.write_text("ok")
        return url
    db = keep / f"events_{n}.db"
    done = keep / f"events_{n}.done"
    if not done.exists():
        # Filling runs in its own process: on Linux a child's ru_maxrss starts at its parent's
        # RSS when forked, so a parent grown by filling would inflate every export's peak.
        db.unlink(missing_ok=True)
        subprocess.run([sys.executable, __file__, "--fill", str(db), str(n)], check=True)
        done.write_text("ok")
    if backend == "sqlite":
        return f"sqlite:///{db}"
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3Dbench_export_{n}"
    pg_done = keep / f"events_{n}.pg.done"
    if not pg_done.exists():
        subprocess.run([sys.executable, __file__, "--fill-pg", str(db), url], check=True)
        pg_done.write_text("ok")
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--formats", default=None, help="comma-separated (default: every registered exporter)")
    ap.add_argument("--backends", default="sqlite", help="sqlite,postgresql")
    ap.add_argument("--path", default="columnar", choices=("columnar", "rows", "api"),
                    help="columnar (SQL to Arrow, the default export), rows (the event-dict writers) or "
                         "api (the API's download: export.iter_store_bytes, newest first)")
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "eventwire-bench-export"),
                    help="where filled stores are kept between runs")
    ap.add_argument("--one", nargs=4, help=argparse.SUPPRESS)  # URL FORMAT OUT PATH (child process)
    ap.add_argument("--fill", nargs=2, help=argparse.SUPPRESS)  # DB N (child process)
    ap.add_argument("--fill-pg", nargs=2, help=argparse.SUPPRESS)  # DB URL (child process)
    ap.add_argument("--replicate", nargs=4, help=argparse.SUPPRESS)  # N KEEP BACKEND URL (child process)
    args = ap.parse_args()
    if args.replicate:
        replicate(int(args.replicate[0]), Path(args.replicate[1]), args.replicate[2], args.replicate[3])
        return
    if args.one:
        print(json.dumps(export_one(*args.one)))
        return
    if args.fill:
        fill(args.fill[0], int(args.fill[1]))
        return
    if args.fill_pg:
        fill_pg(*args.fill_pg)
        return
    if args.formats:
        formats = args.formats.split(",")
    else:
        from eventwire.export import formats as registered

        formats = registered()
    out: dict = {"benchmark": f"export_{args.events}", "events": args.events, "path": args.path,
                 "cpus": os.cpu_count(), "load_avg_start": round(os.getloadavg()[0], 2)}
    for backend in args.backends.split(","):
        t0 = time.perf_counter()
        url = _store(backend, args.events, Path(args.dir))
        res_b: dict = {"store_ready_s": round(time.perf_counter() - t0, 1)}
        with tempfile.TemporaryDirectory() as tmp:
            for fmt in formats:
                target = str(Path(tmp) / f"out.{fmt}")
                p = subprocess.Popen([sys.executable, __file__, "--one", url, fmt, target, args.path],
                                     stdout=subprocess.PIPE, text=True)
                assert p.stdout is not None
                text = p.stdout.read()
                _pid, status, usage = os.wait4(p.pid, 0)
                if os.waitstatus_to_exitcode(status):
                    res_b[fmt] = {"error": f"exit {os.waitstatus_to_exitcode(status)}"}
                    continue
                res = json.loads(text.strip().splitlines()[-1])
                res["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
                res["load_avg"] = round(os.getloadavg()[0], 2)
                res_b[fmt] = res
                print(backend, fmt, json.dumps(res), file=sys.stderr, flush=True)
                os.remove(target)
        out[backend] = res_b
    out["load_avg_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
