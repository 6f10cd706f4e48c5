"""The canonical seed dump splits into exactly its two articles."""

from __future__ import annotations

import re
from pathlib import Path

from eventwire.clean import clean
from eventwire.ingest import read
from eventwire.records import RawDocument

TITLES = [
    "Iranian Proxy Militia Opens New Recruitment Center in Aleppo, Syria",
    "Spain Cancels Contract for Anti-tank Missiles Built by Israeli Subsidiary",
]


def test_seed_splits_into_two_clean_articles(seed_path: Path, settings) -> None:
    docs = list(read([str(seed_path)], settings))
    assert len(docs) == 1 and isinstance(docs[0], RawDocument)
    arts = clean(docs[0], settings)
    assert [a.title for a in arts] == TITLES
    assert [len(a.paragraphs) for a in arts] == [12, 8]
    assert arts[0].body.startswith("Syrian opposition media outlets are reporting")
    assert arts[1].body.startswith("Spain has cancelled a deal")
    assert arts[0].body.endswith("Lebanon-based Hezbollah militia.")
    assert arts[1].body.endswith("Israel strongly denies the charge.")
    assert [c.credit for a in arts for c in a.captions] == ["Tasnim", "Reuters"]
    assert arts[0].captions[0].text.startswith("The head of the Harakat Hezbollah al-Nujaba")
    assert arts[1].captions[0].text.startswith("Israeli soldiers fire a mortar towards Gaza")
    for a, title in zip(arts, TITLES, strict=True):
        lines = [ln.strip() for ln in a.body.splitlines()]
        assert "TT" not in lines and "20" not in lines
        assert title not in a.body
        assert a.captions[0].text not in a.body
        assert a.furniture_removed >= 2  # at least the TT / 20 widget
        assert len(re.split(r"\n\s*\n", a.body)) == len(a.paragraphs)
        for s, e in a.paragraphs:
            assert a.body[s:e].strip() == a.body[s:e] and a.body[s:e]
    assert arts[0].id != arts[1].id
