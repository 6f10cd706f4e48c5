"""``articles.external_id``: the caller's own id for an article (a JSONL ``"id"``), kept and
indexed for lookups, no longer used as the article id (issue 13, item 5: a crafted id could
overwrite a stored article with ``--replace``, or hide new text as "already stored").

An existing store is upgraded in place: every article whose id is not a content id (16 lowercase
hex characters, :func:`eventwire.records.content_id`) was stored under a caller's id by an older
version; that id is copied into ``external_id`` so it can be found by it. The article keeps its
id (its events' ids derive from it).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CONTENT_ID = re.compile(r"[0-9a-f]{16}")


def upgrade() -> None:
    op.add_column("articles", sa.Column("external_id", sa.String(200)))
    op.create_index("ix_articles_external_id", "articles", ["external_id"])
    conn = op.get_bind()
    ids = [i for i in conn.execute(sa.text("SELECT id FROM articles")).scalars()
           if not _CONTENT_ID.fullmatch(i)]
    for i in range(0, len(ids), 500):
        conn.execute(sa.text("UPDATE articles SET external_id = substr(id, 1, 200) WHERE id = :i"),
                     [{"i": x} for x in ids[i : i + 500]])


def downgrade() -> None:
    op.drop_index("ix_articles_external_id", table_name="articles")
    op.drop_column("articles", "external_id")
