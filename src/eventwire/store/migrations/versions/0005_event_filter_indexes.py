"""Covering indexes for counting events by bounding box and by certainty + flags.

The API returns a total with every page, and a count over a column without an index reads every
(wide) event row. Measured on 100,000 SQLite events (benchmarks/bench_api.py store, count only):
bbox (Levant) 237 ms → 4 ms; certainty=reported & future=true 154 ms → 1 ms.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_events_lon_lat": ["lon", "lat"],
    "ix_events_certainty_flags": ["certainty", "future", "hypothetical", "negated", "historical"],
}


def upgrade() -> None:
    for name, cols in INDEXES.items():
        op.create_index(name, "events", cols)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="events")
