"""Initial tables: articles (+ full-text index), mentions, events, event_actors, entities.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FTS_EXPR = "to_tsvector('english', coalesce(title, '') || ' ' || body)"


def upgrade() -> None:
    op.create_table(
        "articles",
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
        sa.Column("furniture_removed", sa.Integer, nullable=False),
        sa.Column("analysis", sa.JSON),
        sa.Column("places", sa.JSON),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duplicate_of", sa.String(64), index=True),
        sa.Column("story_id", sa.String(64), index=True),
    )
    op.create_table(
        "mentions",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True),
        sa.Column("end", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(32), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(128), index=True),
        sa.Column("kind", sa.String(32)),
        sa.Column("country", sa.String(3)),
    )
    op.create_table(
        "events",
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
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("future", sa.Boolean, nullable=False),
        sa.Column("hypothetical", sa.Boolean, nullable=False),
        sa.Column("historical", sa.Boolean, nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("fatalities", sa.Integer),
        sa.Column("summary", sa.Text),
        sa.Column("canonical_id", sa.String(64), index=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("entity_id", sa.String(128), index=True),
        sa.Column("country", sa.String(3)),
        sa.Column("sector", sa.String(16)),
    )
    op.create_table(
        "entities",
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
    if op.get_bind().dialect.name == "sqlite":
        # External-content-free FTS5 table, kept in step by Store.upsert in the same transaction.
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, body)")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_articles_fts ON articles USING gin ({FTS_EXPR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for t in ("event_actors", "events", "mentions", "entities", "articles"):
        op.drop_table(t)
