"""Shared services for the events tests: built once per session (spaCy, KB, gazetteer)."""

from __future__ import annotations

from typing import Any

import pytest

from eventwire.config import load_settings
from eventwire.records import Analysis, Article, Event


@pytest.fixture(scope="session")
def kb() -> Any:
    from eventwire.kb import KnowledgeBase

    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def analyzer(kb: Any) -> Any:
    from eventwire.nlp import Analyzer

    return Analyzer(load_settings(), kb)


@pytest.fixture(scope="session")
def geocoder() -> Any:
    from eventwire.geo import Geocoder

    return Geocoder.load(load_settings())


@pytest.fixture(scope="session")
def coder(kb: Any, geocoder: Any) -> Any:
    from eventwire.events import get_coder

    return get_coder("rules.v1", kb=kb, geocoder=geocoder)


@pytest.fixture(scope="session")
def code_one(analyzer: Any, coder: Any):  # type: ignore[no-untyped-def]
    """Code one sentence as a plain article body (the way the PLOVER eval does)."""

    def run(text: str) -> tuple[Event, ...]:
        art = Article.from_paragraphs("test", [text], title=None)
        (an,) = list(analyzer.analyze([art]))
        assert isinstance(an, Analysis)
        return coder.code(art, an, ())

    return run


@pytest.fixture(scope="session")
def learned_article(analyzer: Any, geocoder: Any, kb: Any):  # type: ignore[no-untyped-def]
    """Code an article of paragraphs with learned.v1 the way the pipeline does (places located
    first): ``run(*paragraphs, title=None, **article_fields) -> (article, events)``."""
    from eventwire.events import get_coder

    learned = get_coder("learned.v1", kb=kb, geocoder=geocoder)

    def run(*paras: str, title: str | None = None, **meta: Any) -> tuple[Article, tuple[Event, ...]]:
        art = Article.from_paragraphs("test", list(paras), title=title, **meta)
        (an,) = list(analyzer.analyze([art]))
        assert isinstance(an, Analysis)
        return art, learned.code(art, an, geocoder.places(art, an))

    return run
