"""Top actors from the summary tables for a type, a country or whole months (issue 15.2):
``ru_actor_month`` gains the dimensions ``ms``, ``me`` (the month keys of the dates, as
``ru_month``), ``type`` and ``country``, so the dashboard's top actors of a filtered view are
summed from it instead of counted over every matching event's actors (SQL over 16k events of
one type: ~180 ms on SQLite at 100k events, benchmarks/bench_dashboard.py). ``ru_actor`` (the
whole-store counts) keeps its values. Upgrades a store in place: the columns are added and
the table refilled from the events (re-runnable after a kill: columns and indexes already
there are skipped).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = (("ms", 32), ("me", 32), ("type", 16), ("country", 3))
INDEXES = {"ix_ru_actor_month_type": ["vw", "type", "country"], "ix_ru_actor_month_country": ["vw", "country"],
           "ix_ru_actor_month_vw_p": ["vw", "p"]}


def upgrade() -> None:
    conn = op.get_bind()
    insp = sa.inspect(conn)
    if not insp.has_table("ru_actor_month"):  # 0008 creates it already in this shape
        return
    have = {c["name"] for c in insp.get_columns("ru_actor_month")}
    for name, size in COLUMNS:
        if name not in have:
            op.add_column("ru_actor_month", sa.Column(name, sa.String(size)))
    idx = {i["name"] for i in insp.get_indexes("ru_actor_month")}
    for name, cols in INDEXES.items():
        if name not in idx:
            op.create_index(name, "ru_actor_month", cols)
    from eventwire.store import derived

    conn.execute(sa.text("DELETE FROM ru_actor_month"))
    conn.execute(sa.text(derived._fill_sql("1 = 1", actor_dims=True)["ru_actor_month"]))


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="ru_actor_month")
    with op.batch_alter_table("ru_actor_month") as b:
        for name, _ in COLUMNS:
            b.drop_column(name)
