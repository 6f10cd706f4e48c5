"""Batch ingest: read → clean → (skip stored, link near-duplicates) → nlp/geo/events → store.

This is the library function behind `eventwire ingest`, `POST /api/ingest` and `watch`; the
CLI only parses arguments and prints the :class:`IngestReport`.

Order per batch of clean articles (documented because it decides what costs what):
1. an article whose id is already stored is counted as ``already`` and not processed again
   (re-ingesting a corpus costs a read and a hash per article, not a parse);
2. a near-duplicate of an article already seen (cluster.Linker) is set aside: not re-coded;
3. the rest go through nlp → geo → events in one ``nlp.pipe`` batch, then are stored one
   transaction per article, then assigned to stories and merged events;
4. the near-duplicates are stored bare, linked to their first copy and put in its story.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .config import Settings
from .errors import InputError, StoreError
from .pipeline import Pipeline
from .records import Article, RawDocument, Rejection, Result
from .store import Store


@dataclass
class IngestReport:
    documents: int = 0  # raw documents read (files, JSONL lines, pages, WARC records)
    articles: int = 0  # clean articles found in them
    new: int = 0
    already: int = 0
    duplicates: int = 0
    events: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A batch fails only when nothing at all could be processed."""
        return self.articles > 0 or not self.rejected

    def counting(self, raws: Iterable[RawDocument | Rejection]) -> Iterator[RawDocument | Rejection]:
        """Pass ``raws`` through, counting the documents read."""
        from .ingest.checks import check

        for item in raws:
            if isinstance(item, RawDocument):
                self.documents += 1
            # Every path into the store (files, feeds, API text) passes the same checks.
            yield check(item)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "articles": self.articles,
            "new": self.new,
            "already_stored": self.already,
            "near_duplicates": self.duplicates,
            "events": self.events,
            "rejected": [r.to_dict() for r in self.rejected],
        }


class IngestAborted(StoreError):
    """The store stopped taking writes mid-batch (a full disk, a lost server): ``report`` holds what
    was done before, its rejections included, so the caller can still show them."""

    def __init__(self, message: str, report: IngestReport) -> None:
        super().__init__(message)
        self.report = report


@contextmanager
def _aborts(report: IngestReport) -> Iterator[None]:
    try:
        yield
    except IngestAborted:
        raise
    except StoreError as exc:
        raise IngestAborted(str(exc), report) from exc


def _linker(store: Store, settings: Settings) -> Any:
    if not settings.cluster:
        return None
    from .cluster import Linker

    return Linker(store, settings)


def ingest(
    raws: Iterable[RawDocument | Rejection],
    settings: Settings,
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    replace: bool = False,
    on_progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    pipeline = pipeline or Pipeline(settings)
    report = IngestReport()
    linker = _linker(store, settings)

    if pipeline.stages and "clean" not in pipeline.stages:
        raise ValueError("ingest needs the clean stage")
    stream = iter(pipeline.articles(report.counting(raws)))
    with _aborts(report):
        _ingest_chunks(stream, pipeline, settings, store, linker, replace, report, on_progress)
    return report


def _ingest_chunks(stream: Iterator[Article | Rejection], pipeline: Pipeline, settings: Settings,
                   store: Store, linker: Any, replace: bool, report: IngestReport,
                   on_progress: Callable[[IngestReport], None] | None) -> None:
    while True:
        chunk = list(islice(stream, settings.batch_size))
        if not chunk:
            break
        todo: list[Article] = []
        copies: list[Article] = []
        for item in chunk:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            report.articles += 1
            if not replace and store.has_article(item.id):
                report.already += 1
                continue
            if linker and linker.before_nlp(item):
                copies.append(item)
                continue
            todo.append(item)
        results = pipeline.enrich(todo) if todo else []
        # Another ingest may write to the same store at the same time: each batch is stored and
        # linked under the store's writer lock, after catching up with what the others stored.
        with store.write_lock():
            if linker:
                linker.sync()
            for result in results:
                if isinstance(result, Rejection):
                    report.rejected.append(result)
                elif linker and linker.recheck(result.article):
                    # Another writer stored a first copy of it meanwhile: a near-duplicate after all.
                    copies.insert(0, result.article)
                else:
                    _store_one(store, linker, result, replace, report)
            # Near-duplicates are stored bare (not re-coded), after the batch's first copies so
            # that the linker can put each in its first copy's story; it also persists their
            # signatures.
            for item in copies:
                before = report.new
                _store_one(store, linker, Result(article=item), replace, report)
                report.duplicates += report.new - before
            if linker:
                linker.synced()
        if on_progress:
            on_progress(report)


def ingest_with(
    executor: Any,
    raws: Iterable[RawDocument | Rejection],
    settings: Settings,
    store: Store,
    *,
    replace: bool = False,
    on_progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Ingest through an executor (process pool, Dask): workers clean and analyse, this process
    stores, links near-duplicates and clusters (its indexes live here). Same accounting as
    :func:`ingest`."""
    report = IngestReport()
    linker = _linker(store, settings)

    with _aborts(report):
        for item in executor.run(report.counting(raws), settings):
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            report.articles += 1
            with store.write_lock():  # as in ingest(): concurrent writers store one at a time
                if linker:
                    linker.sync()
                _store_one(store, linker, item, replace, report)
                if linker:
                    linker.synced()
            if on_progress:
                on_progress(report)
    return report


def _store_one(store: Store, linker: Any, result: Result, replace: bool, report: IngestReport) -> None:
    try:
        stored = store.upsert(result, replace=replace)
    except InputError as exc:  # this article's data cannot be stored; the next one may
        report.rejected.append(Rejection(exc.source, exc.reason, exc.line, stage="store"))
        return
    except OSError as exc:  # the disk under the store (a full one: ENOSPC), not this article
        from .store import store_error

        raise store_error(f"writing article {result.article.id} from {result.article.source}", exc) from exc
    if stored:
        report.new += 1
        report.events += len(result.events)
        report.new_ids.append(result.article.id)
        if linker:
            linker.after_store(result)
    else:
        report.already += 1
