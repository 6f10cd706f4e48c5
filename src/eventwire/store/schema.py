"""The store's tables (SQLAlchemy Core). Changes go through a new Alembic revision in
``migrations/versions``; this module mirrors the head revision for queries.

Big nested values (analysis, event detail) are JSON columns; everything a filter or a join needs
is a real, indexed column.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("paragraphs", sa.JSON, nullable=False),
    sa.Column("captions", sa.JSON, nullable=False),
    sa.Column("published_at", sa.String(32), index=True),
    sa.Column("byline", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("language", sa.String(8)),
    sa.Column("furniture_removed", sa.Integer, nullable=False, default=0),
    sa.Column("analysis", sa.JSON),  # mentions, quantities, dates, claims (no parse)
    sa.Column("places", sa.JSON),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("duplicate_of", sa.String(64), index=True),
    sa.Column("story_id", sa.String(64), index=True),
    sa.Column("external_id", sa.String(200), index=True),  # the caller's id (JSONL "id"), 0006
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("start", sa.Integer, primary_key=True),
    sa.Column("end", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(32), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("entity_id", sa.String(128), index=True),
    sa.Column("kind", sa.String(32)),
    sa.Column("country", sa.String(3)),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("type", sa.String(16), nullable=False, index=True),
    sa.Column("mode", sa.String(32)),
    sa.Column("context", sa.String(64)),
    sa.Column("acled_event_type", sa.String(64), index=True),
    sa.Column("acled_sub_event_type", sa.String(64)),
    sa.Column("cameo", sa.String(8)),
    sa.Column("date_start", sa.String(32), index=True),
    sa.Column("date_end", sa.String(32)),
    sa.Column("date_precision", sa.String(16)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("country", sa.String(3), index=True),
    sa.Column("admin1", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("certainty", sa.String(16), index=True),
    sa.Column("negated", sa.Boolean, nullable=False, default=False),
    sa.Column("future", sa.Boolean, nullable=False, default=False),
    sa.Column("hypothetical", sa.Boolean, nullable=False, default=False),
    sa.Column("historical", sa.Boolean, nullable=False, default=False),
    sa.Column("confidence", sa.Float),
    sa.Column("fatalities", sa.Integer),
    sa.Column("summary", sa.Text),  # the sentence, for tables and exports
    sa.Column("canonical_id", sa.String(64), index=True),
    sa.Column("data", sa.JSON, nullable=False),  # Event.to_dict()
    # 0008 (store/derived.py): NULL = shown for its canonical group without a floor; else the best
    # confidence of its group's smaller-id members (-1: none has one).
    sa.Column("canon_prev", sa.Float),
)

event_actors = sa.Table(
    "event_actors",
    metadata,
    sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.String(16), primary_key=True),  # actor | recipient
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("entity_id", sa.String(128), index=True),
    sa.Column("country", sa.String(3)),
    sa.Column("sector", sa.String(16)),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False, index=True),
    sa.Column("country", sa.String(3), index=True),
    sa.Column("sector", sa.String(16)),
    sa.Column("aliases", sa.JSON, nullable=False),
    sa.Column("relations", sa.JSON, nullable=False),
    sa.Column("valid_from", sa.String(32)),
    sa.Column("valid_to", sa.String(32)),
    sa.Column("description", sa.Text),
)

# ------------------------------------------------------------------ reviews (0007, store/reviews.py)
# An analyst's review never overwrites the machine's output: ``reviews`` is the append-only
# history (who, when, before, after); ``event_reviews`` / ``article_reviews`` hold the current
# state, read as an overlay on ``events`` (a NULL overlay column = the machine value stands).
# No foreign keys to events/articles: a re-ingest with --replace deletes and re-inserts an
# article's events, and their reviews must survive that (under a new id too: reviews.carry, 0011).
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_kind", sa.String(16), nullable=False),  # event | article
    sa.Column("target_id", sa.String(64), nullable=False),
    sa.Column("reviewer", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # accept|reject|edit|out_of_scope|in_scope|clear
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("note", sa.Text),
    # 0011: on a "carry" record (the machine re-coded the event under a new id), the id the
    # review was made on; the older records keep that id as their target_id.
    sa.Column("carried_from", sa.String(64)),
    sa.Index("ix_reviews_target", "target_kind", "target_id", "id"),
    sa.Index("ix_reviews_created_at", "created_at"),
)

event_reviews = sa.Table(
    "event_reviews",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),  # accepted | rejected | edited
    sa.Column("reviewer", sa.String(100), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("type", sa.String(16)),
    sa.Column("acled_event_type", sa.String(64)),
    sa.Column("acled_sub_event_type", sa.String(64)),
    sa.Column("country", sa.String(3)),
    sa.Column("admin1", sa.Text),
    sa.Column("location", sa.Text),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("date_start", sa.String(32)),
    sa.Column("date_end", sa.String(32)),
    sa.Column("fatalities", sa.Integer),
    sa.Column("actors", sa.JSON),  # {"actors": [{"text", "entity_id"?}], "recipients": [...]}
    # 0011 (reviews.carry): the reviewed event's article; when its action stopped having any event
    # (NULL while it has one: an orphaned review, kept and listed); what that event reported.
    sa.Column("article_id", sa.String(64), index=True),
    sa.Column("orphaned_at", sa.DateTime(timezone=True)),
    sa.Column("anchor", sa.JSON),  # {"type", "sentence", "trigger", "in_caption", "summary"}
)

article_reviews = sa.Table(
    "article_reviews",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("out_of_scope", sa.Boolean, nullable=False),
    sa.Column("reviewer", sa.String(100), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
)


# ------------------------------------------------------------------ summaries (0008, store/derived.py)
# Event counts per view (vw 0: canonical events, no floor; vw k: canonical events at floor k/10) and
# per a few dimensions, refreshed by the writer per day / month (``p`` = month of date_start, '' =
# undated). Same column names and values as ``events`` so the filter comparisons apply as they are.
def _counts() -> list[sa.Column]:
    return [sa.Column("n", sa.Integer, nullable=False), sa.Column("fatalities", sa.Integer, nullable=False),
            sa.Column("n_fatal", sa.Integer, nullable=False)]


ru_day = sa.Table(
    "ru_day",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("date_start", sa.String(32)),
    sa.Column("date_end", sa.String(32)),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("offtl", sa.Boolean, nullable=False),  # historical or future
    *_counts(),
    sa.Index("ix_ru_day_date", "date_start"),
    sa.Index("ix_ru_day_cover", "vw", "type", "date_start", "date_end", "offtl", "n", "fatalities", "n_fatal"),
)

ru_date = sa.Table(  # ru_day without the type: totals, timelines, deep-page seeks
    "ru_date",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("p", sa.String(32), nullable=False),
    sa.Column("date_start", sa.String(32)),
    sa.Column("date_end", sa.String(32)),
    sa.Column("offtl", sa.Boolean, nullable=False),
    *_counts(),
    sa.Index("ix_ru_date_date", "date_start"),
    sa.Index("ix_ru_date_cover", "vw", "offtl", "date_start", "date_end", "n", "fatalities", "n_fatal"),
)

ru_type = sa.Table(  # counts by type
    "ru_type",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("p", sa.String(32), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("offtl", sa.Boolean, nullable=False),
    *_counts(),
    sa.Index("ix_ru_type_p", "p"),
    sa.Index("ix_ru_type_cover", "vw", "type", "offtl", "n", "fatalities", "n_fatal"),
)

ru_country = sa.Table(  # counts by country
    "ru_country",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("p", sa.String(32), nullable=False),
    sa.Column("country", sa.String(3)),
    sa.Column("offtl", sa.Boolean, nullable=False),
    *_counts(),
    sa.Index("ix_ru_country_p", "p"),
    sa.Index("ix_ru_country_cover", "vw", "country", "offtl", "n", "fatalities", "n_fatal"),
)

ru_month = sa.Table(
    "ru_month",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("p", sa.String(32), nullable=False),
    sa.Column("ms", sa.String(32)),  # YYYY-MM-00 of a full date_start, else date_start
    sa.Column("me", sa.String(32)),  # YYYY-MM-99 of a full date_end, else date_end
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("country", sa.String(3)),
    sa.Column("offtl", sa.Boolean, nullable=False),
    *_counts(),
    sa.Index("ix_ru_month_p", "p"),
    sa.Index("ix_ru_month_cover", "vw", "country", "type", "ms", "me", "offtl", "n", "fatalities", "n_fatal"),
)

ru_flags = sa.Table(
    "ru_flags",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("p", sa.String(32), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("certainty", sa.String(16)),
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.Column("future", sa.Boolean, nullable=False),
    sa.Column("hypothetical", sa.Boolean, nullable=False),
    sa.Column("historical", sa.Boolean, nullable=False),
    *_counts(),
    sa.Index("ix_ru_flags_p", "p"),
    sa.Index("ix_ru_flags_cover", "vw", "certainty", "type", "negated", "future", "hypothetical", "historical",
             "n", "fatalities", "n_fatal"),
)

ru_actor_month = sa.Table(
    "ru_actor_month",
    metadata,
    sa.Column("vw", sa.Integer, nullable=False),
    sa.Column("p", sa.String(32), nullable=False),
    sa.Column("akey", sa.Text, nullable=False),  # entity id, else the lower-cased text
    sa.Column("entity_id", sa.String(128)),
    sa.Column("text", sa.Text),
    sa.Column("n", sa.Integer, nullable=False),
    # 0012: ru_month's dimensions, for the top actors of a type, a country or whole months
    sa.Column("ms", sa.String(32)),
    sa.Column("me", sa.String(32)),
    sa.Column("type", sa.String(16)),
    sa.Column("country", sa.String(3)),
    sa.Index("ix_ru_actor_month_p", "p"),
    sa.Index("ix_ru_actor_month_type", "vw", "type", "country"),
    sa.Index("ix_ru_actor_month_country", "vw", "country"),
    sa.Index("ix_ru_actor_month_vw_p", "vw", "p"),
)

ru_actor = sa.Table(
    "ru_actor",
    metadata,
    sa.Column("vw", sa.Integer, primary_key=True),
    sa.Column("akey", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.String(128)),
    sa.Column("text", sa.Text),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Index("ix_ru_actor_vw_n", "vw", "n"),
)

# Each distinct actor text once (0008): substring search runs over these (SQLite FTS5 trigram
# ``actor_texts_fts``, PostgreSQL pg_trgm), then finds events by ``event_actors.text``. Filled by
# a trigger on event_actors.
actor_texts = sa.Table(
    "actor_texts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("text", sa.Text, nullable=False, unique=True),
)

# For each event start date, the latest end date of the events starting then (0009): a date_from
# filter (on date_end) then also bounds date_start from below (store/derived.py start_bound).
ru_span = sa.Table(
    "ru_span",
    metadata,
    sa.Column("date_start", sa.String(32), primary_key=True),
    sa.Column("max_end", sa.String(32)),
)
