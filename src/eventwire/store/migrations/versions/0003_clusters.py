"""Cluster stage tables: MinHash signatures, story clusters, canonical events.

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("num_perm", sa.Integer, nullable=False),
        sa.Column("shingles", sa.Integer, nullable=False),
        sa.Column("hashvalues", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("date_start", sa.String(32), index=True),
        sa.Column("date_end", sa.String(32), index=True),
        sa.Column("title", sa.Text),
        sa.Column("vector", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "canonical_events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(16), nullable=False, index=True),
        sa.Column("mode", sa.String(32)),
        sa.Column("acled_event_type", sa.String(64), index=True),
        sa.Column("acled_sub_event_type", sa.String(64)),
        sa.Column("cameo", sa.String(8)),
        sa.Column("date_start", sa.String(32), index=True),
        sa.Column("date_end", sa.String(32)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(3), index=True),
        sa.Column("admin1", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("flags", sa.String(64), nullable=False),
        sa.Column("story_id", sa.String(64), index=True),
        sa.Column("num_mentions", sa.Integer, nullable=False),
        sa.Column("num_sources", sa.Integer, nullable=False),
        sa.Column("num_articles", sa.Integer, nullable=False),
        sa.Column("fatalities_min", sa.Integer),
        sa.Column("fatalities_max", sa.Integer),
        sa.Column("actors", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("values", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for t in ("canonical_events", "stories", "article_signatures"):
        op.drop_table(t)
