"""Fixtures for the nlp stage: one Analyzer per test session (the model loads once)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.records import Article, Caption

TITLES = (
    "Iranian Proxy Militia Opens New Recruitment Center in Aleppo, Syria",
    "Spain Cancels Contract for Anti-tank Missiles Built by Israeli Subsidiary",
)
# The seed's second article is dated by its caption photo (June 2, 2025) and says "Tuesday";
# the cancellation was announced on Tuesday 16 September 2025.
PUBLISHED = (None, "2025-09-16")


def seed_articles(seed_path: Path) -> list[Article]:
    """The seed's two articles built from its body paragraphs (headline, captions and the
    font-size widget left out) — what the clean stage hands us, without depending on it."""
    raw = seed_path.read_text(encoding="utf-8")
    second = raw.index(TITLES[1])
    chunks = (raw[:second], raw[second:])
    arts = []
    for i, chunk in enumerate(chunks):
        paras, captions = [], []
        for block in re.split(r"\n\s*\n", chunk):
            lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
            for ln in lines:
                if ln in TITLES or ln in ("TT", "20"):
                    continue
                if ln.endswith(")") and re.search(r"\((Tasnim|Reuters)\)$", ln):
                    cap = re.sub(r"\s*\((Tasnim|Reuters)\)$", "", ln)
                    if cap not in captions:
                        captions.append(cap)
                    continue
                paras.append(ln)
        arts.append(
            Article.from_paragraphs(
                "seed", paras, title=TITLES[i], published_at=PUBLISHED[i],
                captions=tuple(Caption(c) for c in captions),
            )
        )
    return arts


@pytest.fixture(scope="session")
def kb():
    try:
        from eventwire.kb import KnowledgeBase
    except ImportError:
        return None
    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def analyzer(kb):
    from eventwire.config import load_settings
    from eventwire.nlp import Analyzer

    return Analyzer(load_settings(), kb)


@pytest.fixture(scope="session")
def seed(seed_path, analyzer):
    arts = seed_articles(seed_path)
    return list(zip(arts, analyzer.analyze(arts), strict=True))
