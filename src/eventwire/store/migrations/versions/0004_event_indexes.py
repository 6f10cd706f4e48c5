"""Composite indexes for the API's event listing: filter + sort by date served from one index.

Measured with benchmarks/bench_api.py on 100,000 SQLite events (query without the JSON column):
``type=ASSAULT`` newest-first page went from ~285 ms (index on type, then a sort of 21,884 full
rows) to 0.3 ms; ``country=UKR`` + a quarter from ~80 ms to 0.4 ms; sorting by confidence at
offset 50,000 from ~1,330 ms (table scan) to ~90 ms.

Revision ID: 0004
Revises: 0003

(Named 0004 because the cluster stage's 0003 already revises 0001; chaining after it keeps one
head.)
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_events_date_id": ["date_start", "id"],
    "ix_events_type_date": ["type", "date_start", "id"],
    "ix_events_country_date": ["country", "date_start", "id"],
    "ix_events_certainty_date": ["certainty", "date_start", "id"],
    "ix_events_confidence_id": ["confidence", "id"],
}


def upgrade() -> None:
    for name, cols in INDEXES.items():
        op.create_index(name, "events", cols)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="events")
