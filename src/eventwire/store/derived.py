"""Derived structures that keep queries fast at millions of events (issue 16.2, alembic 0008).

Filled by :func:`rebuild` (the migration's backfill, bulk loads) and kept in step by the writer.
"""

from __future__ import annotations

from typing import Any

from .query import EventFilter


def fatalities(store: Any, f: EventFilter) -> tuple[int, int] | None:
    """(sum of fatalities, events reporting any) from the summary tables, or None when they do
    not cover ``f``."""
    return None


def top_actors(store: Any, f: EventFilter, top: int) -> list[tuple[str | None, str, int]] | None:
    """[(entity id or None, text, events)] from the summary tables, or None when they do not
    cover ``f``."""
    return None


def rebuild(conn: Any) -> None:
    """Fill every derived structure from the events table."""
