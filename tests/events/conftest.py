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
