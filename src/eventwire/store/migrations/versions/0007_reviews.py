"""Reviews (issue 15.1): an analyst accepts, rejects or edits an event, or marks an article out
of scope. ``reviews`` is the append-only history (who, when, before, after, note);
``event_reviews`` and ``article_reviews`` hold each target's current state, read as an overlay
on the machine's ``events`` (which are never rewritten). See ``store/reviews.py``.

No foreign keys: ``ingest --replace`` deletes and re-inserts an article's events under the same
ids, and their reviews must outlive that.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_reviews_target", "reviews", ["target_kind", "target_id", "id"])
    op.create_index("ix_reviews_created_at", "reviews", ["created_at"])
    op.create_table(
        "event_reviews",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
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
        sa.Column("actors", sa.JSON),
    )
    op.create_index("ix_event_reviews_status", "event_reviews", ["status"])
    op.create_table(
        "article_reviews",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("out_of_scope", sa.Boolean, nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for t in ("article_reviews", "event_reviews", "reviews"):
        op.drop_table(t)
