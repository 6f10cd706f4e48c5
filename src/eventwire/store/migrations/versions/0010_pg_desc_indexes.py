"""PostgreSQL: indexes in the listing's own order (issue 16.2). The newest-first sort is
``date_start DESC NULLS LAST, id DESC`` (undated events last, as on SQLite); an ascending index
read backwards gives NULLS FIRST, so PostgreSQL sorted every match instead: the first page of
1M events took ~1.1 s (top-N heapsort over 740k index entries, benchmarks/bench_store.py).
SQLite puts NULLs last when descending already and needs nothing.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

VIS = "confidence, canon_prev, historical, future"
INDEXES = {
    "ix_events_date_desc": f"date_start DESC NULLS LAST, id DESC, {VIS}",
    "ix_events_type_date_desc": "type, date_start DESC NULLS LAST, id DESC",
    "ix_events_country_date_desc": "country, date_start DESC NULLS LAST, id DESC",
    "ix_events_certainty_date_desc": "certainty, date_start DESC NULLS LAST, id DESC",
    "ix_events_confidence_desc": "confidence DESC NULLS LAST, id DESC, canon_prev, historical, future",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, cols in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON events ({cols})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
