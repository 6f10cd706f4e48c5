"""A store that stays fast at millions of events (issue 16.2): the visibility column, summary
tables, actor-name search and a spatial index, backfilled in place.

- ``events.canon_prev`` (see :mod:`eventwire.store.derived`): the canonical-event rule as a
  column test instead of a correlated subquery per row.
- ``ru_day``, ``ru_date``, ``ru_type``, ``ru_country``, ``ru_month``, ``ru_flags``,
  ``ru_actor_month``, ``ru_actor``: counts per view and dimension for totals, stats and the
  dashboard (filled by ``derived.rebuild``), each with a covering index.
- ``actor_texts``: each distinct actor text once, filled by a trigger on ``event_actors``, with a
  trigram index for substring search: SQLite FTS5 ``trigram`` (``actor_texts_fts``, kept by a
  trigger), PostgreSQL ``pg_trgm`` GIN on ``lower(text)`` (when the extension can be created;
  without it the same query scans the distinct texts). ``event_actors.text`` is indexed so the
  matching texts find their events.
- A spatial index: SQLite R*Tree ``events_rtree`` (one point box per located event, key = the
  event's rowid, kept by triggers), PostgreSQL GiST on ``point(lon, lat)``.
- PostgreSQL: ``articles.fts``, a stored (generated) tsvector with its GIN index, for ``q``.
- Covering indexes for the date and confidence sorts with the visibility columns, and for the
  largest fatality counts.

Measured on the benchmarks/bench_store.py stores (numbers in benchmarks/README.md).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_events_date_vis": ("events", ["date_start", "id", "confidence", "canon_prev", "historical", "future"]),
    "ix_events_conf_vis": ("events", ["confidence", "id", "canon_prev", "historical", "future"]),
    "ix_events_fatalities": ("events", ["fatalities", "id"]),
    # Counting the events an id set selects (actor, full text, bounding box) without reading the
    # wide rows: the visibility columns ride along in the index.
    "ix_events_id_vis": ("events", ["id", "confidence", "canon_prev", "historical", "future"]),
    "ix_events_article_vis": ("events", ["article_id", "confidence", "canon_prev", "historical", "future"]),
    "ix_events_lonlat_vis": ("events", ["lon", "lat", "confidence", "canon_prev", "historical", "future"]),
    "ix_event_actors_text": ("event_actors", ["text"]),
}

SQLITE_TRIGGERS = [
    # each distinct actor text once (INSERT OR IGNORE fires actor_texts' own trigger only when new)
    """CREATE TRIGGER ew_event_actors_text AFTER INSERT ON event_actors BEGIN
         INSERT OR IGNORE INTO actor_texts(text) VALUES (new.text); END""",
    """CREATE TRIGGER ew_event_actors_text_u AFTER UPDATE OF text ON event_actors BEGIN
         INSERT OR IGNORE INTO actor_texts(text) VALUES (new.text); END""",
    """CREATE TRIGGER ew_actor_texts_fts AFTER INSERT ON actor_texts BEGIN
         INSERT INTO actor_texts_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER ew_actor_texts_fts_d AFTER DELETE ON actor_texts BEGIN
         INSERT INTO actor_texts_fts(actor_texts_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER ew_events_rtree AFTER INSERT ON events
         WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
         INSERT OR REPLACE INTO events_rtree VALUES (new.rowid, new.lon, new.lon, new.lat, new.lat); END""",
    """CREATE TRIGGER ew_events_rtree_d AFTER DELETE ON events BEGIN
         DELETE FROM events_rtree WHERE k = old.rowid; END""",
    """CREATE TRIGGER ew_events_rtree_u AFTER UPDATE OF lat, lon ON events BEGIN
         DELETE FROM events_rtree WHERE k = old.rowid;
         INSERT INTO events_rtree SELECT new.rowid, new.lon, new.lon, new.lat, new.lat
           WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL; END""",
]

PG_FUNCTION = """CREATE OR REPLACE FUNCTION ew_actor_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO actor_texts(text) VALUES (NEW.text) ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$"""


COUNTS = ["n", "fatalities", "n_fatal"]


def _counts() -> list[sa.Column]:
    return [sa.Column("n", sa.Integer, nullable=False), sa.Column("fatalities", sa.Integer, nullable=False),
            sa.Column("n_fatal", sa.Integer, nullable=False)]


def _tables() -> None:
    op.create_table(
        "ru_day",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("date_start", sa.String(32)),
        sa.Column("date_end", sa.String(32)),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("offtl", sa.Boolean, nullable=False),
        *_counts(),
    )
    op.create_index("ix_ru_day_date", "ru_day", ["date_start"])
    op.create_index("ix_ru_day_cover", "ru_day", ["vw", "type", "date_start", "date_end", "offtl", *COUNTS])
    op.create_table(
        "ru_date",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("p", sa.String(32), nullable=False),
        sa.Column("date_start", sa.String(32)),
        sa.Column("date_end", sa.String(32)),
        sa.Column("offtl", sa.Boolean, nullable=False),
        *_counts(),
    )
    op.create_index("ix_ru_date_date", "ru_date", ["date_start"])
    op.create_index("ix_ru_date_cover", "ru_date", ["vw", "offtl", "date_start", "date_end", *COUNTS])
    op.create_table(
        "ru_type",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("p", sa.String(32), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("offtl", sa.Boolean, nullable=False),
        *_counts(),
    )
    op.create_index("ix_ru_type_p", "ru_type", ["p"])
    op.create_index("ix_ru_type_cover", "ru_type", ["vw", "type", "offtl", *COUNTS])
    op.create_table(
        "ru_country",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("p", sa.String(32), nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("offtl", sa.Boolean, nullable=False),
        *_counts(),
    )
    op.create_index("ix_ru_country_p", "ru_country", ["p"])
    op.create_index("ix_ru_country_cover", "ru_country", ["vw", "country", "offtl", *COUNTS])
    op.create_table(
        "ru_month",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("p", sa.String(32), nullable=False),
        sa.Column("ms", sa.String(32)),
        sa.Column("me", sa.String(32)),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("offtl", sa.Boolean, nullable=False),
        *_counts(),
    )
    op.create_index("ix_ru_month_p", "ru_month", ["p"])
    op.create_index("ix_ru_month_cover", "ru_month", ["vw", "country", "type", "ms", "me", "offtl", *COUNTS])
    op.create_table(
        "ru_flags",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("p", sa.String(32), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("certainty", sa.String(16)),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("future", sa.Boolean, nullable=False),
        sa.Column("hypothetical", sa.Boolean, nullable=False),
        sa.Column("historical", sa.Boolean, nullable=False),
        *_counts(),
    )
    op.create_index("ix_ru_flags_p", "ru_flags", ["p"])
    op.create_index("ix_ru_flags_cover", "ru_flags", ["vw", "certainty", "type", "negated", "future", "hypothetical",
                                                      "historical", *COUNTS])
    op.create_table(
        "ru_actor_month",
        sa.Column("vw", sa.Integer, nullable=False),
        sa.Column("p", sa.String(32), nullable=False),
        sa.Column("akey", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(128)),
        sa.Column("text", sa.Text),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_index("ix_ru_actor_month_p", "ru_actor_month", ["p"])
    op.create_table(
        "ru_actor",
        sa.Column("vw", sa.Integer, primary_key=True),
        sa.Column("akey", sa.Text, primary_key=True),
        sa.Column("entity_id", sa.String(128)),
        sa.Column("text", sa.Text),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_index("ix_ru_actor_vw_n", "ru_actor", ["vw", "n"])
    op.create_table(
        "actor_texts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text, nullable=False, unique=True),
    )


def upgrade() -> None:
    conn = op.get_bind()
    # Re-runnable: SQLite (pysqlite) commits DDL as it goes, so an upgrade killed half-way (it
    # takes minutes at 1M events) leaves some of these behind; the next run skips them.
    insp = sa.inspect(conn)
    if "canon_prev" not in {c["name"] for c in insp.get_columns("events")}:
        op.add_column("events", sa.Column("canon_prev", sa.Float))
    have = {i["name"] for t in ("events", "event_actors") for i in insp.get_indexes(t)}
    for name, (table, cols) in INDEXES.items():
        if name not in have:
            op.create_index(name, table, cols)
    for t in ("ru_day", "ru_date", "ru_type", "ru_country", "ru_month", "ru_flags", "ru_actor_month", "ru_actor",
              "actor_texts"):
        if insp.has_table(t):
            op.drop_table(t)
    if conn.dialect.name == "sqlite":
        for t in SQLITE_TRIGGERS:
            op.execute("DROP TRIGGER IF EXISTS " + t.split()[2])
        op.execute("DROP TABLE IF EXISTS actor_texts_fts")
        op.execute("DROP TABLE IF EXISTS events_rtree")
    _tables()
    if conn.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE actor_texts_fts USING fts5(text, content='actor_texts', "
                   "content_rowid='id', tokenize='trigram')")
        op.execute("CREATE VIRTUAL TABLE events_rtree USING rtree(k, min_lon, max_lon, min_lat, max_lat)")
        for t in SQLITE_TRIGGERS:
            op.execute(t)
        op.execute("INSERT INTO events_rtree SELECT rowid, lon, lon, lat, lat FROM events "
                   "WHERE lat IS NOT NULL AND lon IS NOT NULL")
    else:
        op.execute("CREATE INDEX ix_events_point ON events USING gist (point(lon, lat))")
        # A stored tsvector: the expression index made every match re-parse its article on the
        # heap recheck (q=full text at 20,000 events: ~2.3 s p95 for the four queries of a page).
        op.execute("ALTER TABLE articles ADD COLUMN fts tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED")
        op.execute("CREATE INDEX ix_articles_fts_col ON articles USING gin (fts)")
        schema = _trgm_schema(conn)
        if schema:
            op.execute(f'CREATE INDEX ix_actor_texts_trgm ON actor_texts USING gin (lower(text) "{schema}".gin_trgm_ops)')
        op.execute(PG_FUNCTION)
        op.execute("CREATE TRIGGER ew_event_actors_text AFTER INSERT OR UPDATE OF text ON event_actors "
                   "FOR EACH ROW EXECUTE FUNCTION ew_actor_text()")
    # every distinct actor text (the trigger on actor_texts fills the SQLite trigram index)
    op.execute("INSERT INTO actor_texts(text) SELECT DISTINCT text FROM event_actors ORDER BY text")
    from eventwire.store import derived

    derived.rebuild(conn)


def _trgm_schema(conn: sa.engine.Connection) -> str | None:
    """The schema holding pg_trgm, creating it in ``public`` when allowed; None without it."""
    found = conn.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                 "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar()
    if found:
        return str(found)
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except sa.exc.DBAPIError:
        return None  # not installed, or no right to create it: substring search scans actor_texts
    return "public"


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for t in SQLITE_TRIGGERS:
            op.execute("DROP TRIGGER IF EXISTS " + t.split()[2])
        op.execute("DROP TABLE IF EXISTS actor_texts_fts")
        op.execute("DROP TABLE IF EXISTS events_rtree")
    else:
        op.execute("DROP TRIGGER IF EXISTS ew_event_actors_text ON event_actors")
        op.execute("DROP FUNCTION IF EXISTS ew_actor_text()")
        op.execute("DROP INDEX IF EXISTS ix_events_point")
        op.execute("DROP INDEX IF EXISTS ix_articles_fts_col")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS fts")
    for t in ("actor_texts", "ru_actor", "ru_actor_month", "ru_flags", "ru_month", "ru_day", "ru_date", "ru_type",
              "ru_country"):
        op.drop_table(t)
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("events") as b:
        b.drop_column("canon_prev")
