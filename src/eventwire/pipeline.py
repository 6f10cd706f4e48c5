"""The pipeline: RawDocument → clean → nlp → geo → events → Result.

Heavy services (spaCy model, gazetteer index, actor KB) are built once per Pipeline, i.e. once
per process or Dask worker, never per document. Any stage can be left out (``stages=``): `split`
runs only clean, `extract` everything. A document that fails becomes a :class:`Rejection` with
the stage and reason; the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import islice

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

        return get_coder("rules.v1", kb=self.kb, geocoder=self.geocoder)

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

    def enrich(self, articles: list[Article]) -> list[Result]:
        """nlp, geo and events over one batch of clean articles."""
        if "nlp" not in self.stages:
            return [Result(article=a) for a in articles]
        out = []
        for art, analysis in zip(articles, self.analyzer.analyze(articles), strict=True):
            places = self.geocoder.places(art, analysis) if "geo" in self.stages else ()
            events = (
                self.coder.code(art, analysis, places) if "events" in self.stages else ()
            )
            out.append(Result(article=art, analysis=analysis, places=places, events=events))
        return out

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
