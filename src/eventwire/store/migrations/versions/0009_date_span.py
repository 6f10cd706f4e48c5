"""``ru_span``: for each event start date, the latest end date of the events starting then, so a
``date_from`` filter (on ``date_end``) also bounds ``date_start`` from below and the date indexes
walk only the range (issue 16.2; store/derived.py ``start_bound``). Without it a page of a rare
combination (``type`` + ``country`` + a quarter, 45 matches in 100,000 events) walked every older
event of the country: ~120 ms at 100,000 events, 10x that at 1M (benchmarks/bench_store.py).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ru_span",
        sa.Column("date_start", sa.String(32), primary_key=True),
        sa.Column("max_end", sa.String(32)),
    )
    # events without a start date are the '' row (then no bound is taken from it)
    op.execute("INSERT INTO ru_span (date_start, max_end) SELECT coalesce(date_start, ''), max(date_end) FROM events "
               "GROUP BY coalesce(date_start, '')")


def downgrade() -> None:
    op.drop_table("ru_span")
