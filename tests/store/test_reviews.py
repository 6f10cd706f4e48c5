"""Reviews (issue 15.1): the store side, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

REVIEW_TABLES = {"reviews", "event_reviews", "article_reviews"}


def test_migration_matches_the_review_tables(store_url):
    """Alembic 0007 builds exactly the review tables that store/schema.py declares (columns,
    types, nullability, indexes); the other tables are checked by their own migrations' tests."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from eventwire.store import Store
    from eventwire.store.schema import metadata

    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return getattr(table, "name", name) in REVIEW_TABLES

    with Store(store_url) as s, s.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(ctx, metadata) == []
