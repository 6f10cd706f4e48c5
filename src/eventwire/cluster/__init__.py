"""The cluster stage: near-duplicates, story clusters, merged events (docs/clusters.md).

The ingest loop drives it through one object::

    linker = Linker(store, settings)
    for article in pipeline.articles(raws):          # clean stage
        dup = linker.before_nlp(article)              # id of the first copy, or None
        result = Result(article=article) if dup else <nlp → geo → events>(article)
        store.upsert(result)
        linker.after_store(result)                     # links copy / assigns story / merges events

A near-duplicate is stored without analysis (not re-coded) and linked to its first copy;
everything else is put in a story and its events merged into canonical events.

Read side: :func:`canonical_events`, :func:`count_canonical_events`,
:func:`iter_canonical_events`, :func:`canonical_event`, :func:`copies`, :func:`copy_ids`,
:func:`story_articles` (re-exported from :mod:`eventwire.store.clusters`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..records import Article, Record, Result
from ..store import clusters as db
from ..store.clusters import (
    canonical_event,
    canonical_events,
    copies,
    copy_ids,
    count_canonical_events,
    iter_canonical_events,
    story_articles,
)
from .dedup import Deduper
from .merge import EventMerger
from .stories import StoryClusterer, StoryIndex


@dataclass(frozen=True)
class Link(Record):
    """What the cluster stage did with one stored article."""

    article_id: str
    duplicate_of: str | None = None
    story_id: str | None = None
    canonical_ids: tuple[str, ...] = ()


class Linker:
    """Near-duplicates, stories and canonical events for one store; build once per process.

    With ``settings.cluster`` off every call is a no-op (``before_nlp`` returns None).
    """

    def __init__(self, store: Any, settings: Any = None) -> None:
        self.store = store
        self.enabled = bool(getattr(settings, "cluster", True))
        if not self.enabled:
            return
        from .features import warm

        warm()
        self.dedup = Deduper(store)
        self.stories = StoryClusterer(store)
        self.merger = EventMerger(store)
        self._pending: dict[str, str] = {}
        with store.engine.connect() as conn:
            self._token = db.change_token(conn)

    def sync(self) -> None:
        """Catch up with other writers (call holding ``Store.write_lock``): index the signatures
        and reload the stories they stored since this linker last wrote. Costs one query when
        nobody else wrote."""
        if not self.enabled:
            return
        with self.store.engine.connect() as conn:
            if db.change_token(conn) == self._token:
                return
            self.dedup.refresh(conn)
            self.stories.refresh(conn)

    def synced(self) -> None:
        """Record the state this linker leaves (call before releasing the write lock)."""
        if self.enabled:
            with self.store.engine.connect() as conn:
                self._token = db.change_token(conn)

    def recheck(self, article: Article) -> str | None:
        """After :meth:`sync`: the first copy of an article judged new before nlp, when another
        writer stored one meanwhile (then it is stored as that copy's near-duplicate)."""
        if not self.enabled or article.id in self._pending:
            return None
        dup = self.dedup.recheck(article)
        if dup and dup != article.id:
            self.dedup.first[article.id] = dup
            self._pending[article.id] = dup
            return dup
        return None

    def before_nlp(self, article: Article) -> str | None:
        """Id of the first copy when ``article`` is a near-duplicate (skip nlp for it), else None.
        The article is indexed at once, so a copy later in the same batch is caught."""
        if not self.enabled:
            return None
        dup = self.dedup.check(article)
        if dup == article.id:
            dup = None
        self.dedup.add(article, dup)
        if dup:
            self._pending[article.id] = dup
        return dup

    def after_store(self, result: Result) -> Link:
        """Record what is known of a stored article: copy link, story, canonical events. One
        transaction; call it after ``Store.upsert`` (whether or not the article was new)."""
        art = result.article
        if not self.enabled:
            return Link(art.id)
        if art.id not in self.dedup.sigs and art.id not in self._pending:
            self.before_nlp(art)  # the caller skipped before_nlp: index it now
        dup = self._pending.pop(art.id, None)
        with self.store.engine.begin() as conn:
            self.dedup.persist(conn, art.id)
            if dup:
                db.link_duplicate(conn, art.id, dup)
                return Link(art.id, duplicate_of=dup, story_id=db.story_of(conn, art.id))
            story = self.stories.assign(result, conn)
            canon = self.merger.merge(result, story, conn)
        return Link(art.id, story_id=story, canonical_ids=tuple(canon))


__all__ = [
    "Linker", "Link", "Deduper", "StoryClusterer", "StoryIndex", "EventMerger", "canonical_events",
    "count_canonical_events", "iter_canonical_events", "canonical_event", "copies", "copy_ids",
    "story_articles",
]
