"""The pipeline: RawDocument → clean → nlp → geo → events → Result.

Heavy services (spaCy model, gazetteer index, actor KB) are loaded once per Pipeline, i.e. once
per process or Dask worker, never per document, and each lazily, when a stage first needs it.
What is slow to build (the KB and gazetteer indexes, the spaCy rulers, the unpacked encoder) is
built once per user and read from the cache directory after that (:mod:`eventwire.cache`); the
sentence encoder (torch) loads only when a sentence passes the event classifier's gate. Any stage can be left out (``stages=``): `split`
runs only clean, `extract` everything. A document that fails becomes a :class:`Rejection` with
the stage and reason; the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import islice
from typing import Any

from .config import Settings
from .errors import EventwireError, InputError
from .records import Analysis, Article, RawDocument, Rejection, Result

ALL_STAGES = ("clean", "nlp", "geo", "events")


class Pipeline:
    def __init__(self, settings: Settings, stages: Iterable[str] = ALL_STAGES) -> None:
        self.settings = settings
        self.stages = tuple(stages)
        unknown = set(self.stages) - set(ALL_STAGES)
        if unknown:
            raise ValueError(f"unknown stages {sorted(unknown)}")

    # Services are built lazily so that `split` never loads spaCy.
    @cached_property
    def kb(self):  # type: ignore[no-untyped-def]
        from .kb import KnowledgeBase

        return KnowledgeBase.load(self.settings.kb_paths)

    @cached_property
    def analyzer(self):  # type: ignore[no-untyped-def]
        from .nlp import Analyzer

        return Analyzer(self.settings, self.kb)

    @cached_property
    def geocoder(self):  # type: ignore[no-untyped-def]
        from .geo import Geocoder

        return Geocoder.load(self.settings)

    @cached_property
    def coder(self):  # type: ignore[no-untyped-def]
        from .events import get_coder

        s = self.settings
        return get_coder(s.coder, kb=self.kb, geocoder=self.geocoder, model=s.coder_model)

    def articles(self, raws: Iterable[RawDocument | Rejection]) -> Iterator[Article | Rejection]:
        """The clean stage over a stream; rejections pass through."""
        from .clean import clean

        for raw in raws:
            if isinstance(raw, Rejection):
                yield raw
                continue
            try:
                yield from clean(raw, self.settings)
            except InputError as exc:
                yield Rejection(raw.source, exc.reason, exc.line, stage="clean")
            except EventwireError as exc:
                yield Rejection(raw.source, str(exc), stage="clean")

    def enrich(self, articles: list[Article]) -> list[Result | Rejection]:
        """nlp, geo and events over one batch of clean articles.

        The batch goes through ``nlp.pipe`` at once; if that fails, each article is retried
        alone so one bad document becomes one Rejection and the rest of the batch goes on.
        """
        if "nlp" not in self.stages or not articles:
            return [Result(article=a) for a in articles]
        try:
            analyses: list[Analysis | Exception] = list(self.analyzer.analyze(articles))
        except Exception:  # noqa: BLE001 - isolate the culprit below
            analyses = []
            for art in articles:
                try:
                    analyses.extend(self.analyzer.analyze([art]))
                except Exception as exc:  # noqa: BLE001
                    analyses.append(exc)
        homes = self._homes(articles, analyses)
        out: list[Result | Rejection] = []
        for art, analysis in zip(articles, analyses, strict=True):
            if isinstance(analysis, Exception):
                out.append(Rejection(art.source, f"nlp failed on article {art.id}: {analysis}", stage="nlp"))
                continue
            stage = "geo"
            try:
                places = self.geocoder.places(art, analysis, homes.get(art.id)) if "geo" in self.stages else ()
                stage = "events"
                events = self.coder.code(art, analysis, places) if "events" in self.stages else ()
            except Exception as exc:  # noqa: BLE001 - a stage bug must not sink the batch
                out.append(Rejection(art.source, f"{stage} failed on article {art.id}: {exc!r}", stage=stage))
                continue
            out.append(Result(article=art, analysis=analysis, places=places, events=events))
        return out

    def _homes(self, articles: list[Article], analyses: list[Analysis | Exception]) -> dict[str, Any]:
        """Each article's publisher home (the state and country most of the batch's other
        articles of its publisher are about; ``Geocoder.homes``), so that a local paper's
        "Columbus" is its own state's. Empty when the geo stage is off or the homes fail."""
        if "geo" not in self.stages or not hasattr(self.geocoder, "homes"):
            return {}
        items = [(a, an) for a, an in zip(articles, analyses, strict=True) if isinstance(an, Analysis)]
        if sum(1 for a, _ in items if a.publisher or a.url) < 2:
            return {}  # a home needs the publisher's other articles
        try:
            return dict(self.geocoder.homes(items))
        except Exception:  # noqa: BLE001 - not lost: the article whose places fail is rejected below
            return {}

    def run(self, raws: Iterable[RawDocument | Rejection]) -> Iterator[Result | Rejection]:
        stream = self.articles(raws) if "clean" in self.stages else raws
        it = iter(stream)
        while True:
            chunk = list(islice(it, self.settings.batch_size))
            if not chunk:
                return
            arts = [a for a in chunk if isinstance(a, Article)]
            for item in chunk:
                if isinstance(item, Rejection):
                    yield item
            yield from self.enrich(arts)


__all__ = ["Pipeline", "ALL_STAGES", "Analysis"]
