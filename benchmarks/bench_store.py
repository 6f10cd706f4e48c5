"""Store latency at scale: p50/p95 of every filter the API and UI offer, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_store.py [--events 1000000] [--backends sqlite,postgresql]
        [--runs 20] [--dir /tmp/ew_bench] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/eventwire_bench]
        [--regen]

Generates a synthetic store per backend (reused when it already holds ``--events`` events; the
SQLite file lives in ``--dir``, the PostgreSQL one in schema ``bench_<N>`` of a dedicated
database, created when missing, so the tests' database is never touched). Shapes follow news
coding: 10 events per article over ten years (volume rising), 16 PLOVER types skewed to
conflict, ~150 countries (Zipf), 6,000 knowledge-base actors (Zipf, names of two or three
words) plus unresolved actor texts, half the events with a recipient, certainties, flags,
calibrated-looking confidences, fatalities on a fifth of the violent events, a sentence summary
per event, article bodies of common words for full-text search, and 12 % of the events merged in
pairs (canonical events). Rows are bulk-inserted (``executemany`` on SQLite, ``COPY`` on
PostgreSQL) into a store migrated to head, then the migrations' derived structures are filled
(``eventwire.store.derived.rebuild``, when it exists).

Then times requests through the real app in-process (FastAPI TestClient: routing, validation,
SQL, JSON encoding; no network), each ``--runs`` times after one warm-up, with the server's
default confidence floor (0.5). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# the synthetic store's distributions are bench_api's (one generator's tables, not two)
from bench_api import CERTAINTY, TYPES, WEIGHTS  # noqa: E402
from bench_api import COUNTRIES as CENTROIDS  # noqa: E402

ACLED = {"ASSAULT": ("Battles", "Armed clash"), "COERCE": ("Violence against civilians", "Attack"),
         "PROTEST": ("Protests", "Peaceful protest"), "MOBILIZE": ("Strategic developments", "Other")}
COMMON = ("strike attack talks ceasefire border drone missile protest sanctions convoy militia troops "
          "ministry election refugees shelling aid corridor blockade naval exercise police village "
          "killed wounded arrested army rebels government minister president forces city province").split()
SYLL = ["al", "ba", "da", "ka", "ma", "na", "ra", "sa", "ta", "za", "ri", "mo", "ku", "el", "ha",
        "jo", "lu", "ne", "po", "vi", "ash", "dar", "fen", "gor", "hal", "ist", "kel", "mar", "nor", "tan"]
GROUP = ["Brigade", "Front", "Movement", "Army", "Police", "Ministry", "Party", "Council", "Union", "Forces",
         "Militia", "Coalition", "Government", "Guard", "Battalion"]
DAYS = 3653  # 2016-01-01 .. 2025-12-31
DAY0 = dt.date(2016, 1, 1)
PER_ARTICLE = 10
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/eventwire_bench"


def _word(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(SYLL) for _ in range(n))


def _countries() -> list[str]:
    from eventwire.store.filter_values import _countries as kb_countries

    codes = sorted(kb_countries()[0])
    rnd = random.Random(3)
    rnd.shuffle(codes)
    first = list(CENTROIDS)
    return first + [c for c in codes if c not in CENTROIDS][: 150 - len(first)]


def _centroid(cc: str) -> tuple[float, float]:
    if cc in CENTROIDS:
        return CENTROIDS[cc]
    r = random.Random(cc)
    return (r.uniform(-45, 62), r.uniform(-170, 170))


class Gen:
    """Deterministic synthetic rows (same seed, same store on both backends)."""

    def __init__(self, seed: int = 7) -> None:
        self.rnd = rnd = random.Random(seed)
        self.countries = _countries()
        self.cweights = [1 / (i + 1) ** 1.1 for i in range(len(self.countries))]
        self.ccum = _cum(self.cweights)
        self.vocab = COMMON + [_word(rnd, rnd.randint(2, 4)) for _ in range(3000)]
        self.vcum = _cum([1 / (i + 1) for i in range(len(self.vocab))])
        self.entities = []
        for i in range(6000):
            cc = self.countries[_pick(rnd, self.ccum)]
            name = f"{_word(rnd, 2).title()} {_word(rnd, 3).title()} {rnd.choice(GROUP)}"
            self.entities.append((f"ent:{i:05d}", name, cc))
        self.ecum = _cum([1 / (i + 1) ** 0.9 for i in range(len(self.entities))])
        self.unresolved = [f"{_word(rnd, 2).title()} {rnd.choice(GROUP).lower()}" for _ in range(20000)]
        self.tcum = _cum(WEIGHTS)
        # Volume rises over the decade (more sources online): day weight grows linearly 1 -> 3.
        self.dcum = _cum([1 + 2 * d / DAYS for d in range(DAYS)])
        self.publishers = [f"{_word(rnd, 2).title()} {rnd.choice(['Times', 'Post', 'Wire', 'News', 'Herald'])}"
                           for _ in range(200)]

    def words(self, n: int) -> str:
        return " ".join(self.vocab[_pick(self.rnd, self.vcum)] for _ in range(n))

    def actor(self) -> tuple[str | None, str, str | None]:
        rnd = self.rnd
        if rnd.random() < 0.25:
            return (None, rnd.choice(self.unresolved), None)
        return self.entities[_pick(rnd, self.ecum)]

    def article(self, a: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        from eventwire.records import Article, Event
        from eventwire.store import event_row

        rnd = self.rnd
        body = f"Report {a}. {self.words(60)}."
        aid = Article.make_id("bench", body)
        pub = DAY0 + dt.timedelta(days=_pick(rnd, self.dcum))
        publisher = rnd.choice(self.publishers)
        art = {"id": aid, "source": f"bench/{publisher.split()[0].lower()}/{a}.txt", "url": f"https://example.org/{a}",
               "title": f"Report {a}: {self.words(8)}", "body": body, "paragraphs": [[0, len(body)]],
               "captions": [], "published_at": pub.isoformat(), "byline": None, "publisher": publisher,
               "language": "en", "furniture_removed": 0, "analysis": None, "places": [],
               "ingested_at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "duplicate_of": None,
               "story_id": None, "external_id": None}
        evs, acts = [], []
        for k in range(PER_ARTICLE):
            typ = TYPES[_pick(rnd, self.tcum)]
            cc = self.countries[_pick(rnd, self.ccum)]
            lat, lon = _centroid(cc)
            date = (pub - dt.timedelta(days=rnd.randrange(3))).isoformat()
            actors = [self.actor()]
            recips = [self.actor()] if rnd.random() < 0.5 else []
            span = (k * 10, k * 10 + 9)
            dead = []
            if typ in ("ASSAULT", "COERCE") and rnd.random() < 0.2:
                dead = [{"kind": "dead", "value": min(500, int(rnd.paretovariate(1.2)))}]
            acled = ACLED.get(typ)
            ev = {
                "id": Event.make_id(aid, span, typ), "article_id": aid, "type": typ, "sentence": list(span),
                "acled_event_type": acled[0] if acled else None, "acled_sub_event_type": acled[1] if acled else None,
                "actors": [{"text": t, "entity_id": e, "country": c} for e, t, c in actors],
                "recipients": [{"text": t, "entity_id": e, "country": c} for e, t, c in recips],
                "place": {"name": f"Place {cc} {rnd.randrange(40)}", "lat": round(lat + rnd.uniform(-3, 3), 5),
                          "lon": round(lon + rnd.uniform(-3, 3), 5), "country": cc, "admin1": None,
                          "precision": rnd.choice([1, 2, 3, 4])} if rnd.random() < 0.93 else None,
                "date": {"date_start": date, "date_end": date, "precision": "day"},
                "quantities": dead, "claim": {"certainty": rnd.choice(CERTAINTY)},
                "flags": {"negated": rnd.random() < 0.03, "future": rnd.random() < 0.05,
                          "hypothetical": rnd.random() < 0.04, "historical": rnd.random() < 0.03},
                "confidence": round(rnd.betavariate(4, 2), 3), "evidence": [],
            }
            row = event_row(ev, aid)
            row["summary"] = f"{actors[0][1]} {self.words(14)}"
            row["canonical_id"] = None
            evs.append(row)
            for role, items in (("actor", actors), ("recipient", recips)):
                for i, (e, t, c) in enumerate(items):
                    acts.append({"event_id": ev["id"], "role": role, "position": i, "text": t, "entity_id": e,
                                 "country": c, "sector": None})
        return art, evs, acts


def _cum(weights: list[float]) -> list[float]:
    out, s = [], 0.0
    for w in weights:
        s += w
        out.append(s)
    return out


def _pick(rnd: random.Random, cum: list[float]) -> int:
    import bisect

    return min(bisect.bisect_left(cum, rnd.random() * cum[-1]), len(cum) - 1)


ART_COLS = ["id", "source", "url", "title", "body", "paragraphs", "captions", "published_at", "byline",
            "publisher", "language", "furniture_removed", "analysis", "places", "ingested_at", "duplicate_of",
            "story_id", "external_id"]
EV_COLS = ["id", "article_id", "type", "mode", "context", "acled_event_type", "acled_sub_event_type", "cameo",
           "date_start", "date_end", "date_precision", "lat", "lon", "country", "admin1", "location",
           "geo_precision", "certainty", "negated", "future", "hypothetical", "historical", "confidence",
           "fatalities", "summary", "canonical_id", "data"]
ACT_COLS = ["event_id", "role", "position", "text", "entity_id", "country", "sector"]
JSON_COLS = {"paragraphs", "captions", "analysis", "places", "data"}


def generate(url: str, n_events: int, seed: int = 7) -> dict[str, float]:
    """Fill a fresh store with ``n_events`` events; returns the seconds per phase."""
    import sqlalchemy as sa

    from eventwire.store import Store
    from eventwire.store.clusters import canon  # imported before the long fill (no mixed versions)

    try:
        from eventwire.store import derived
    except ImportError:
        derived = None  # type: ignore[assignment]
    t0 = time.perf_counter()
    store = Store(url)
    gen = Gen(seed)
    pg = store.dialect == "postgresql"
    n_art = n_events // PER_ARTICLE
    canon_rows: list[dict[str, Any]] = []
    prev: list[dict[str, Any]] = []
    with store.engine.begin() as conn:
        ents = [{"id": e, "name": n, "kind": "armed_group" if n.endswith(("Brigade", "Front", "Militia", "Battalion"))
                 else "organization", "country": c, "sector": None, "aliases": [], "relations": [],
                 "valid_from": None, "valid_to": None, "description": None} for e, n, c in gen.entities]
        from eventwire.store.schema import entities

        conn.execute(entities.insert(), ents)
    arts: list[dict[str, Any]] = []
    evs: list[dict[str, Any]] = []
    acts: list[dict[str, Any]] = []
    raw = store.engine.raw_connection()
    try:
        for a in range(n_art):
            art, e, ac = gen.article(a)
            # 12 % of events are merged with the same-slot event of the previous article (pairs).
            for k, ev in enumerate(e):
                if prev and gen.rnd.random() < 0.12 and prev[k]["canonical_id"] is None:
                    cid = "c" + prev[k]["id"][1:]
                    prev[k]["canonical_id"] = ev["canonical_id"] = cid
                    canon_rows.append(_canon_row(cid, prev[k]))
            arts.append(art)
            evs += e
            acts += ac
            if len(arts) >= 2000:
                # keep the previous article's events in memory for the merge above
                keep = evs[-PER_ARTICLE:]
                _flush(raw, pg, arts[:-1], evs[:-PER_ARTICLE], [x for x in acts if x["event_id"] not in
                                                                  {k["id"] for k in keep}])
                arts, evs = arts[-1:], keep
                acts = [x for x in acts if x["event_id"] in {k["id"] for k in keep}]
            prev = e
        _flush(raw, pg, arts, evs, acts)
        raw.commit()
    finally:
        raw.close()
    t_rows = time.perf_counter() - t0
    with store.engine.begin() as conn:
        for i in range(0, len(canon_rows), 5000):
            conn.execute(canon.insert(), canon_rows[i : i + 5000])
    t1 = time.perf_counter()
    derived_s = None
    if derived is not None:
        with store.engine.begin() as conn:
            derived.rebuild(conn)
        derived_s = round(time.perf_counter() - t1, 1)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    store.close()
    return {"rows_s": round(t_rows, 1), "derived_s": derived_s, "total_s": round(time.perf_counter() - t0, 1)}


def _canon_row(cid: str, ev: dict[str, Any]) -> dict[str, Any]:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    return {"id": cid, "type": ev["type"], "date_start": ev["date_start"], "date_end": ev["date_end"],
            "lat": ev["lat"], "lon": ev["lon"], "country": ev["country"], "flags": "", "num_mentions": 2,
            "num_sources": 2, "num_articles": 2, "fatalities_min": ev["fatalities"],
            "fatalities_max": ev["fatalities"], "actors": [], "sources": [], "values": {}, "data": ev["data"],
            "updated_at": now}


def _flush(raw: Any, pg: bool, arts: list[dict[str, Any]], evs: list[dict[str, Any]],
           acts: list[dict[str, Any]]) -> None:
    cur = raw.cursor()
    for table, cols, rows in (("articles", ART_COLS, arts), ("events", EV_COLS, evs), ("event_actors", ACT_COLS, acts)):
        if not rows:
            continue
        if pg:
            _copy(cur, table, cols, rows)
        else:
            tuples = [tuple(json.dumps(r[c]) if c in JSON_COLS and r[c] is not None else
                            (r[c].isoformat(sep=" ") if isinstance(r[c], dt.datetime) else r[c]) for c in cols)
                      for r in rows]
            cur.executemany(f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES "
                            f"({', '.join('?' * len(cols))})", tuples)
    if not pg and arts:
        cur.executemany("INSERT INTO articles_fts(article_id, title, body) VALUES (?, ?, ?)",
                        [(a["id"], a["title"], a["body"]) for a in arts])
    cur.close()


def _q(c: str) -> str:
    return f'"{c}"'


def _copy(cur: Any, table: str, cols: list[str], rows: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    for r in rows:
        vals = []
        for c in cols:
            v = r[c]
            if v is None:
                vals.append("\\N")
                continue
            if c in JSON_COLS:
                v = json.dumps(v)
            elif isinstance(v, bool):
                v = "t" if v else "f"
            elif isinstance(v, dt.datetime):
                v = v.isoformat()
            s = str(v)
            vals.append(s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))
        buf.write("\t".join(vals) + "\n")
    with cur.copy(f"COPY {table} ({', '.join(_q(c) for c in cols)}) FROM STDIN") as cp:
        cp.write(buf.getvalue())


# ------------------------------------------------------------------------------------ queries
def queries(n_events: int) -> dict[str, dict[str, str]]:
    """``n_events``: the events the unfiltered listing matches (deep pages go to 90 % of it)."""
    deep = str(int(n_events * 0.9))
    return {
        "all (page 1, newest first)": {},
        "type=ASSAULT": {"type": "ASSAULT"},
        "country=UKR": {"country": "UKR"},
        "date range (one quarter)": {"date_from": "2024-01-01", "date_to": "2024-03-31"},
        "actor=entity id": {"actor": "ent:00042"},
        "actor=text substring": {"actor": "kelmar"},
        "actor=text substring, common": {"actor": "brigade"},
        "bbox (Levant)": {"bbox": "34,29,40,37"},
        "bbox (Europe, wide)": {"bbox": "-10,35,40,60"},
        "certainty=reported": {"certainty": "reported"},
        "flags future=true": {"future": "true"},
        "q=full text": {"q": "blockade corridor"},
        "type+country+quarter": {"type": "ASSAULT,COERCE", "country": "SYR", "date_from": "2024-01-01",
                                 "date_to": "2024-03-31"},
        "type+certainty+bbox": {"type": "PROTEST", "certainty": "asserted", "bbox": "25,10,60,45"},
        f"deep page (offset {deep}, newest first)": {"offset": deep},
        f"deep page (offset {deep}, by confidence)": {"sort": "-confidence", "offset": deep},
        "stats (UI counts + timeline)": {"_path": "/api/stats"},
        "stats type=ASSAULT": {"_path": "/api/stats", "type": "ASSAULT"},
        "dashboard": {"_path": "/api/dashboard"},
        "dashboard type=ASSAULT": {"_path": "/api/dashboard", "type": "ASSAULT"},
        "dashboard country=SYR & one year": {"_path": "/api/dashboard", "country": "SYR", "date_from": "2024-01-01",
                                             "date_to": "2024-12-31"},
        "map 5000 points": {"_path": "/api/map", "limit": "5000"},
        "actors list": {"_path": "/api/actors"},
    }


def measure(url: str, runs: int, n_events: int, only: set[str] | None = None) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app

    # The TestClient sends "Host: testserver"; the app answers allowed hosts only.
    os.environ.setdefault("EVENTWIRE_ALLOWED_HOSTS", "localhost,127.0.0.1,::1,testserver")
    out: dict[str, Any] = {}
    with TestClient(create_app(load_settings(db=url))) as client:
        shown = client.get("/api/events", params={"limit": "1"}).json()["total"]
        for name, params in queries(shown).items():
            if only and not any(o in name for o in only):
                continue
            params = dict(params)
            path = params.pop("_path", "/api/events")
            out[name] = time_get(client, name, path, params, runs, missing_ok=True)
    return out


def time_get(client: Any, name: str, path: str, params: dict[str, Any], runs: int,
             missing_ok: bool = False) -> dict[str, Any]:
    """One warm-up GET (it must answer 200; a 404 is ``{"missing": True}`` when ``missing_ok``),
    then ``runs`` timed GETs: p50/p95 wall, p95 of this process's CPU (all of SQLite's work; on
    PostgreSQL the server's is apart), the first call's wall and the body's ``total``. Printed
    to stderr as it goes."""
    t = time.perf_counter()
    r = client.get(path, params=params)
    first = (time.perf_counter() - t) * 1000
    if missing_ok and r.status_code == 404:
        return {"missing": True}
    assert r.status_code == 200, (name, r.text[:300])
    body = r.json()
    total = body.get("total") if isinstance(body, dict) else None
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        client.get(path, params=params)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    cpu.sort()
    p95 = max(0, math.ceil(len(times) * 0.95) - 1)
    got = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[p95], 1),
           "cpu_p95_ms": round(cpu[p95], 1), "first_ms": round(first, 1), "matches": total}
    print(f"  {name}: p95 {got['p95_ms']} ms (p50 {got['p50_ms']}, n={total})", file=sys.stderr, flush=True)
    return got


def _pg_url(base: str, n: int) -> str:
    import sqlalchemy as sa

    schema = f"bench_{n}"
    eng = sa.create_engine(base)
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    eng.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _ensure_pg_db(base: str) -> None:
    import sqlalchemy as sa

    u = sa.engine.make_url(base)
    eng = sa.create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        if not c.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": u.database}).first():
            c.execute(sa.text(f'CREATE DATABASE "{u.database}"'))
    eng.dispose()


def _count(url: str) -> int:
    import sqlalchemy as sa

    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            return int(c.execute(sa.text("SELECT count(*) FROM events")).scalar_one())
    except sa.exc.SQLAlchemyError:
        return 0
    finally:
        eng.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--dir", default="/tmp/ew_bench")
    ap.add_argument("--pg", default=os.environ.get("EVENTWIRE_BENCH_PG", DEFAULT_PG))
    ap.add_argument("--regen", action="store_true", help="drop and regenerate the stores")
    ap.add_argument("--only", default="", help="comma-separated substrings of query names to time")
    ap.add_argument("--generate-only", action="store_true")
    args = ap.parse_args()
    result: dict[str, Any] = {"benchmark": f"store_{args.events}", "events": args.events, "runs": args.runs,
                              "cpu_count": os.cpu_count(), "python": sys.version.split()[0],
                              "load_avg_start": round(os.getloadavg()[0], 2)}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            Path(args.dir).mkdir(parents=True, exist_ok=True)
            path = Path(args.dir) / f"store_{args.events}.db"
            if args.regen and path.exists():
                for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    p.unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        else:
            _ensure_pg_db(args.pg)
            if args.regen:
                import sqlalchemy as sa

                eng = sa.create_engine(args.pg)
                with eng.begin() as c:
                    c.execute(sa.text(f'DROP SCHEMA IF EXISTS "bench_{args.events}" CASCADE'))
                eng.dispose()
            url = _pg_url(args.pg, args.events)
        res: dict[str, Any] = {}
        have = _count(url)
        if have != args.events:
            if have:
                raise SystemExit(f"{backend} store holds {have} events, not {args.events}: use --regen")
            print(f"generating {args.events} events on {backend}", file=sys.stderr, flush=True)
            res["generate"] = generate(url, args.events)
            print(f"  {res['generate']}", file=sys.stderr, flush=True)
        if not args.generate_only:
            from eventwire.store import Store

            with Store(url):  # migrate an existing store to head before timing (upgrade in place)
                pass
            print(f"timing {backend}", file=sys.stderr, flush=True)
            only = {o for o in args.only.split(",") if o} or None
            res["results"] = measure(url, args.runs, args.events, only)
        result[backend] = res
    result["load_avg_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
