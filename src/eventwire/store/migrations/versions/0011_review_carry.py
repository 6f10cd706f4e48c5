"""Reviews outlive a re-coding (issue 15): when ``ingest --replace`` re-codes an article and an
event's id changes (``Event.make_id`` hashes the type), its review is carried to the new event
that reports the same action (store/reviews.py ``carry``), or kept as an orphan.

- ``reviews.carried_from``: on an ``action = 'carry'`` record, the event id the review was made
  on (the older records keep that id as their ``target_id``: the history is never rewritten).
- ``event_reviews.article_id``, ``orphaned_at``, ``anchor``: the article of the reviewed event,
  when its action stopped having any event (NULL while it has one), and what the event reported
  (``{type, sentence, trigger, in_caption, summary}``) so a later re-coding can carry it still.

Re-runnable after a kill on SQLite (pysqlite commits DDL as it goes): columns already there are
skipped.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

def _columns() -> dict[str, list[sa.Column]]:
    return {
        "reviews": [sa.Column("carried_from", sa.String(64))],
        "event_reviews": [sa.Column("article_id", sa.String(64)),
                          sa.Column("orphaned_at", sa.DateTime(timezone=True)), sa.Column("anchor", sa.JSON)],
    }


def upgrade() -> None:
    insp = sa.inspect(op.get_bind())
    for table, cols in _columns().items():
        have = {c["name"] for c in insp.get_columns(table)}
        for col in cols:
            if col.name not in have:
                op.add_column(table, col)
    if "ix_event_reviews_article_id" not in {i["name"] for i in insp.get_indexes("event_reviews")}:
        op.create_index("ix_event_reviews_article_id", "event_reviews", ["article_id"])
    # Reviews written before: their article, and those the old code already lost (their event
    # re-coded under a new id, or its article deleted) listed as orphans with no anchor.
    op.execute("UPDATE event_reviews SET article_id = (SELECT events.article_id FROM events "
               "WHERE events.id = event_reviews.event_id) WHERE article_id IS NULL")
    op.execute("UPDATE event_reviews SET orphaned_at = CURRENT_TIMESTAMP WHERE orphaned_at IS NULL "
               "AND event_id NOT IN (SELECT id FROM events)")


def downgrade() -> None:
    op.drop_index("ix_event_reviews_article_id", table_name="event_reviews")
    for table, cols in _columns().items():
        with op.batch_alter_table(table) as b:
            for col in cols:
                b.drop_column(col.name)
