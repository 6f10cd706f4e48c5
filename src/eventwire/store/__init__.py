"""The store: SQLite by default, PostgreSQL for teams, behind one class.

Writes are per-article transactions (an article with all its mentions, events and actors lands
whole or not at all, so a ``kill -9`` mid-ingest leaves a consistent database and a re-run
completes the rest). Ids are content hashes, so writes are idempotent upserts.
"""

from __future__ import annotations

import datetime as dt
import errno
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import InputError, NotFound, StoreError
from ..records import Entity, Result
from . import derived, reviews, schema
from .schema import articles, entities, event_actors, events, mentions

MIGRATIONS = Path(__file__).parent / "migrations"

try:
    import fcntl
except ImportError:  # Windows: SQLite writers are serialised per process only
    fcntl = None  # type: ignore[assignment]


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        eng = sa.create_engine(url, connect_args={"timeout": 60})

        @sa.event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            # WAL: readers (serve) never block the writer (ingest); foreign keys for cascades.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return eng
    return sa.create_engine(url, pool_pre_ping=True)


def _insert(conn: Connection, table: sa.Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for the connection's dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).splitlines() or [orig.__class__.__name__])[0]


_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# How each backend words a full disk: SQLite's SQLITE_FULL, PostgreSQL's "could not extend file …:
# No space left on device" (SQLSTATE 53100 disk_full), the OS's ENOSPC text.
_FULL_TEXT = ("disk is full", "no space left", "disk full", "could not extend file")


def no_space(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or quota) under the store is full."""
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return True
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) == "53100":
        return True
    return any(t in str(orig or exc).lower() for t in _FULL_TEXT)


def store_error(what: str, exc: BaseException) -> StoreError:
    """The one-line :class:`StoreError` for a failed write; a full disk says what to do."""
    if no_space(exc):
        return StoreError(f"{what}: no space left on the store's disk ({_first_line(exc)}); free some "
                          "space and run again: everything stored before this is kept")
    return StoreError(f"{what}: {_first_line(exc)}")


def _safe_url(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "<unparseable URL>"


def event_row(ev: dict[str, Any], article_id: str) -> dict[str, Any]:
    place = ev.get("place") or {}
    date = ev.get("date") or {}
    claim = ev.get("claim") or {}
    flags = ev.get("flags") or {}
    dead = [q for q in ev.get("quantities") or [] if q.get("kind") == "dead"]
    return {
        "id": ev["id"],
        "article_id": article_id,
        "type": ev["type"],
        "mode": ev.get("mode"),
        "context": ev.get("context"),
        "acled_event_type": ev.get("acled_event_type"),
        "acled_sub_event_type": ev.get("acled_sub_event_type"),
        "cameo": ev.get("cameo"),
        "date_start": date.get("date_start"),
        "date_end": date.get("date_end"),
        "date_precision": date.get("precision"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "location": place.get("name"),
        "geo_precision": place.get("precision"),
        "certainty": claim.get("certainty") or "asserted",
        "negated": bool(flags.get("negated")),
        "future": bool(flags.get("future")),
        "hypothetical": bool(flags.get("hypothetical")),
        "historical": bool(flags.get("historical")),
        "confidence": ev.get("confidence"),
        "fatalities": int(max(q["value"] for q in dead)) if dead else None,
        "summary": None,
        "data": ev,
    }


def _sentence_text(ev: dict[str, Any], body: str, captions: list[str]) -> str | None:
    """The event's sentence: from the body, or from its caption for caption events (whose
    ``sentence`` offsets point into that caption, as their ``caption:N`` evidence says)."""
    s, e = ev.get("sentence") or (0, 0)
    text = body
    if ev.get("in_caption"):
        where = next((x["where"] for x in ev.get("evidence") or [] if str(x.get("where", "")).startswith("caption:")), None)
        idx = int(where.split(":", 1)[1]) if where else 0
        text = captions[idx] if idx < len(captions) else ""
    return text[s:e] if e > s else None


class Store:
    """Articles, their analysis, events and actors in one SQL database.

    ``url`` is an SQLAlchemy URL: ``sqlite:///eventwire.db`` (default) or
    ``postgresql+psycopg://user@host/db``. The schema is migrated to head on open.
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self._local_lock = threading.Lock()
        try:
            self.engine = _engine(url)
            if migrate:
                self.migrate()
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open store {_safe_url(url)}: {exc.__class__.__name__}: "
                f"{str(exc).splitlines()[0]}; check EVENTWIRE_DB and that the server is running"
            ) from exc

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the store's writer lock: concurrent ingests (processes, machines) store and
        link one batch at a time, so near-duplicate, story and merge decisions always see every
        article stored before them. PostgreSQL: a session advisory lock per schema (released if
        the process dies); SQLite: ``flock`` on ``<db>.lock`` beside the file."""
        if self.dialect == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                key = sa.text("hashtext('eventwire.write.' || current_schema())")
                conn.execute(sa.select(sa.func.pg_advisory_lock(key)))
                try:
                    yield
                finally:
                    conn.execute(sa.select(sa.func.pg_advisory_unlock(key)))
            return
        path = self.engine.url.database
        if not path or path == ":memory:" or fcntl is None:
            with self._local_lock:  # one process, or a platform without flock
                yield
            return
        try:
            fh = open(path + ".lock", "a+b")  # noqa: SIM115 - closed below, after the yield
        except OSError as exc:
            raise store_error(f"opening the writer lock {path}.lock", exc) from exc
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------- writes
    def upsert(self, result: Result, *, replace: bool = False) -> bool:
        """Store one article with everything known of it, atomically.

        Returns True when the article was new. An article already stored is left untouched
        (idempotent re-ingest) unless ``replace`` is set, which rewrites it and its events.
        """
        d = result.to_dict()
        art = result.article
        try:
            with self.engine.begin() as conn:
                exists = conn.execute(
                    sa.select(articles.c.id).where(articles.c.id == art.id)
                ).first()
                if exists and not replace:
                    return False
                kept: dict[str, Any] = {}
                merged: dict[str, str] = {}
                touched: tuple[set[str | None], set[str]] = (set(), set())
                held: list[dict[str, Any]] = []
                if exists:
                    # A replaced article keeps its place: its story (counted once, not again),
                    # its near-duplicate link, and for each event coded again (same id) its
                    # merged event; only events that are gone leave their merged events.
                    kept = dict(conn.execute(
                        sa.select(articles.c.duplicate_of, articles.c.story_id).where(articles.c.id == art.id)
                    ).mappings().one())
                    new_ids = {e["id"] for e in d["events"]}
                    merged = {i: c for i, c in conn.execute(
                        sa.select(events.c.id, events.c.canonical_id)
                        .where(events.c.article_id == art.id, events.c.canonical_id.is_not(None))
                    ).all() if i in new_ids}
                    # Reviews outlive the re-coding: each goes to the new event of the same action
                    # (reviews.carry, after the new events are in) or is kept as an orphan.
                    held = reviews.held(conn, art.id)
                    touched = self._delete_article(conn, art.id, keep_merged=set(merged))
                row = {
                    "id": art.id,
                    "source": art.source,
                    "url": art.url,
                    "title": art.title,
                    "body": art.body,
                    "paragraphs": d["paragraphs"],
                    "captions": d["captions"],
                    "published_at": art.published_at,
                    "byline": art.byline,
                    "publisher": art.publisher,
                    "language": art.language,
                    "furniture_removed": art.furniture_removed,
                    "external_id": art.external_id,
                    "analysis": {k: d[k] for k in ("mentions", "quantities", "dates", "claims")},
                    "places": d["places"],
                    "ingested_at": dt.datetime.now(dt.timezone.utc),
                    **kept,
                }
                # RETURNING, not rowcount: psycopg 3 reports -1 for both outcomes of an
                # ON CONFLICT DO NOTHING, so rowcount could not tell a concurrent writer's win.
                ins = _insert(conn, articles).values(**row).on_conflict_do_nothing().returning(articles.c.id)
                if conn.execute(ins).first() is None:
                    return False  # a concurrent writer stored it first
                if self.dialect == "sqlite":
                    conn.execute(
                        sa.text("INSERT INTO articles_fts(article_id, title, body) VALUES (:i, :t, :b)"),
                        {"i": art.id, "t": art.title or "", "b": art.body},
                    )
                seen = set()
                mrows = []
                for m in d["mentions"]:
                    key = (m["start"], m["end"], m["label"])
                    if key in seen:
                        continue
                    seen.add(key)
                    mrows.append({"article_id": art.id, **{k: m.get(k) for k in ("start", "end", "label", "text", "entity_id", "kind", "country")}})
                if mrows:
                    conn.execute(mentions.insert(), mrows)
                self._insert_events(conn, art.id, d["events"], art.body, [c.text for c in art.captions])
                if held:
                    reviews.carry(conn, art.id, held, d["events"])
                for ev_id, cid in merged.items():
                    conn.execute(events.update().where(events.c.id == ev_id).values(canonical_id=cid))
                days = touched[0] | {(e.get("date") or {}).get("date_start") for e in d["events"]}
                derived.touch(conn, days, touched[1] | set(merged.values()))
            return True
        except (sa.exc.DataError, ValueError) as exc:
            # The article's own values are unstorable (a NUL in a field on PostgreSQL, text that
            # does not encode): that article's rejection, not the run's end.
            raise InputError(art.source, f"cannot be stored ({_first_line(exc)})") from exc
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise store_error(f"writing article {art.id} from {art.source}", exc) from exc

    def _insert_events(
        self, conn: Connection, article_id: str, evs: list[dict[str, Any]], body: str, captions: list[str]
    ) -> None:
        rows, arows, seen = [], [], set()
        for ev in evs:
            if ev["id"] in seen:
                continue
            seen.add(ev["id"])
            row = event_row(ev, article_id)
            row["summary"] = _sentence_text(ev, body, captions)
            rows.append(row)
            for role in ("actors", "recipients"):
                for i, a in enumerate(ev.get(role) or []):
                    arows.append({
                        "event_id": ev["id"], "role": role[:-1], "position": i, "text": a.get("text") or "",
                        "entity_id": a.get("entity_id"), "country": a.get("country"), "sector": a.get("sector"),
                    })
        if rows:
            conn.execute(_insert(conn, events).on_conflict_do_nothing(), rows)
        if arows:
            conn.execute(_insert(conn, event_actors).on_conflict_do_nothing(), arows)

    def _delete_article(self, conn: Connection, article_id: str,
                        keep_merged: frozenset[str] | set[str] = frozenset()) -> tuple[set[str | None], set[str]]:
        """Delete one article and what hangs on it; returns the date_start values and canonical
        groups of its events, for :func:`derived.touch` once the caller's writes are done."""
        from .clusters import unmerge_events

        ev_ids = sa.select(events.c.id).where(events.c.article_id == article_id)
        gone = conn.execute(sa.select(events.c.date_start, events.c.canonical_id)
                            .where(events.c.article_id == article_id)).all()
        unmerge_events(conn, [i for i in conn.execute(ev_ids).scalars() if i not in keep_merged])
        conn.execute(event_actors.delete().where(event_actors.c.event_id.in_(ev_ids)))
        conn.execute(events.delete().where(events.c.article_id == article_id))
        conn.execute(mentions.delete().where(mentions.c.article_id == article_id))
        if self.dialect == "sqlite":
            conn.execute(sa.text("DELETE FROM articles_fts WHERE article_id = :i"), {"i": article_id})
        conn.execute(articles.delete().where(articles.c.id == article_id))
        return {d for d, _ in gone}, {c for _, c in gone if c}

    def delete(self, article_id: str) -> str:
        """Remove one stored article (a unique id prefix is accepted) with its mentions, events
        and signature; its events leave their merged events. Its oldest near-duplicate becomes
        the first copy in its place (in its story; stored bare, without events, until
        re-ingested with ``--replace``) and the other copies link to that one; with no copies,
        its story counts one article less. Returns the full id."""
        from .clusters import article_signatures, stories

        full = self.article(article_id)["id"]  # NotFound with the usual message
        with self.write_lock(), self.engine.begin() as conn:
            story = conn.execute(sa.select(articles.c.story_id).where(articles.c.id == full)).scalar()
            copies = conn.execute(
                sa.select(articles.c.id).where(articles.c.duplicate_of == full)
                .order_by(articles.c.ingested_at, articles.c.id)
            ).scalars().all()
            if copies:
                conn.execute(articles.update().where(articles.c.duplicate_of == full)
                             .values(duplicate_of=copies[0]))
                conn.execute(articles.update().where(articles.c.id == copies[0]).values(duplicate_of=None))
            elif story:
                conn.execute(stories.update().where(stories.c.id == story)
                             .values(n_articles=stories.c.n_articles - 1))
                conn.execute(stories.delete().where(stories.c.id == story, stories.c.n_articles <= 0))
            conn.execute(article_signatures.delete().where(article_signatures.c.article_id == full))
            held = reviews.held(conn, full)  # its events' reviews are kept, as orphans
            derived.touch(conn, *self._delete_article(conn, full))
            reviews.carry(conn, full, held, [])
        return str(full)

    def load_entities(self, items: Iterable[Entity]) -> int:
        """Upsert knowledge-base entities (so the API can show actors and relations)."""
        rows = []
        for e in items:
            d = e.to_dict()
            rows.append({
                "id": e.id, "name": e.name, "kind": e.kind, "country": e.country, "sector": e.sector,
                "aliases": d["aliases"], "relations": d["relations"], "valid_from": e.valid_from,
                "valid_to": e.valid_to, "description": e.description,
            })
        if not rows:
            return 0
        try:
            with self.engine.begin() as conn:
                stmt = _insert(conn, entities)
                stmt = stmt.on_conflict_do_update(
                    index_elements=[entities.c.id],
                    set_={c: stmt.excluded[c] for c in ("name", "kind", "country", "sector", "aliases", "relations", "valid_from", "valid_to", "description")},
                )
                for i in range(0, len(rows), 500):
                    conn.execute(stmt, rows[i : i + 500])
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise store_error("loading the knowledge-base entities", exc) from exc
        return len(rows)

    # ---------------------------------------------------------------------------- reads
    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    def article(self, article_id: str) -> dict[str, Any]:
        """One article as the `extract` JSON shape (fields, analysis, places, events)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
            if row is None:
                # Accept a unique id prefix, as git does: ids are long to type.
                rows = conn.execute(
                    sa.select(articles).where(articles.c.id.like(f"{article_id}%")).limit(2)
                ).mappings().all()
                if len(rows) != 1:
                    raise NotFound(f"no article with id {article_id!r}; list them with `eventwire articles`")
                row = rows[0]
            evs = conn.execute(
                sa.select(events.c.data).where(events.c.article_id == row["id"]).order_by(events.c.id)
            ).scalars().all()
        out = {k: row[k] for k in ("id", "source", "url", "title", "body", "paragraphs", "captions", "published_at", "byline", "publisher", "language", "furniture_removed", "duplicate_of", "story_id", "external_id")}
        out.update(row["analysis"] or {"mentions": [], "quantities": [], "dates": [], "claims": []})
        out["places"] = row["places"] or []
        out["events"] = sorted(evs, key=lambda e: (e.get("sentence") or [0])[0])
        out["ingested_at"] = row["ingested_at"].isoformat() if row["ingested_at"] else None
        from .clusters import copy_ids  # near-duplicates linked to this article (cluster stage)

        out["copies"] = copy_ids(self, row["id"])
        return out

    def articles(self, limit: int = 50, offset: int = 0, *, external_id: str | None = None) -> list[dict[str, Any]]:
        """Stored articles, newest first; with ``external_id``, those stored under that caller's
        id (exact match)."""
        n_ev = (
            sa.select(sa.func.count()).select_from(events).where(events.c.article_id == articles.c.id).scalar_subquery()
        )
        q = (
            sa.select(articles.c.id, articles.c.title, articles.c.source, articles.c.published_at,
                      articles.c.ingested_at, articles.c.duplicate_of, articles.c.external_id,
                      n_ev.label("events"))
            .order_by(articles.c.ingested_at.desc(), articles.c.id)
            .limit(limit)
            .offset(offset)
        )
        if external_id is not None:
            q = q.where(articles.c.external_id == external_id)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [
            {**dict(r), "ingested_at": r["ingested_at"].isoformat() if r["ingested_at"] else None}
            for r in rows
        ]

    def count(self, table: str = "articles", *, external_id: str | None = None) -> int:
        t = schema.metadata.tables[table]
        q = sa.select(sa.func.count()).select_from(t)
        if external_id is not None:
            q = q.where(articles.c.external_id == external_id)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search over article titles and bodies, best first.

        SQLite uses FTS5 (bm25), PostgreSQL a tsvector GIN index (ts_rank). The query is plain
        words; FTS syntax characters are neutralised so user input cannot break the query.
        """
        words = [w for w in "".join(ch if ch.isalnum() else " " for ch in query).split() if w]
        if not words:
            return []
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                match = " ".join(f'"{w}"' for w in words)
                rows = conn.execute(
                    sa.text(
                        "SELECT a.id, a.title, a.published_at, "
                        "snippet(articles_fts, 2, '[', ']', ' … ', 12) AS snippet "
                        "FROM articles_fts f JOIN articles a ON a.id = f.article_id "
                        "WHERE articles_fts MATCH :q ORDER BY bm25(articles_fts) LIMIT :l OFFSET :o"
                    ),
                    {"q": match, "l": limit, "o": offset},
                ).mappings().all()
            else:
                expr = ("a.fts" if derived.has_column(self, "articles", "fts")  # 0008: stored tsvector
                        else "to_tsvector('english', coalesce(a.title, '') || ' ' || a.body)")
                rows = conn.execute(
                    sa.text(
                        f"SELECT a.id, a.title, a.published_at, "
                        f"ts_headline('english', a.body, q, 'StartSel=[,StopSel=],MaxWords=24,MinWords=8') AS snippet "
                        f"FROM articles a, plainto_tsquery('english', :q) q "
                        f"WHERE {expr} @@ q ORDER BY ts_rank({expr}, q) DESC, a.id LIMIT :l OFFSET :o"
                    ),
                    {"q": " ".join(words), "l": limit, "o": offset},
                ).mappings().all()
        return [dict(r) for r in rows]


def open_store(url: str) -> Store:
    return Store(url)


__all__ = ["Store", "open_store", "event_row"]
