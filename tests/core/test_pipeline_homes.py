"""The pipeline gives the geocoder each article's publisher home (the state most of the batch's
other articles of its publisher are about): a local paper's "Athens" is then Athens, Georgia."""

from __future__ import annotations

from eventwire.config import load_settings
from eventwire.pipeline import Pipeline
from eventwire.records import RawDocument, Result

_GEORGIA_PAPER = [
    "A fire damaged a store in Macon, Georgia, on Monday, the fire chief said.",
    "Savannah, Georgia, police arrested two men after a chase on Sunday.",
    "Voters in Augusta, Georgia, waited for hours on Tuesday to cast their ballots.",
    "A man was arrested in Athens on Tuesday after a short chase, police said.",
]


def _athens(publisher: str | None) -> str | None:
    pipe = Pipeline(load_settings(), stages=("clean", "nlp", "geo"))
    raws = [RawDocument(source=f"a{k}.jsonl", text=t, kind="article", publisher=publisher) for k, t in enumerate(_GEORGIA_PAPER)]
    (last,) = [r for r in pipe.run(raws) if isinstance(r, Result) and "Athens" in r.article.body]
    return next((p.admin1 for p in last.places if p.text == "Athens"), None)


def test_a_batch_of_one_publisher_places_its_namesake_at_home() -> None:
    assert _athens("athens-banner.example") == "Georgia"
    # without a publisher the largest namesake stands (the Greek capital's region)
    assert _athens(None) != "Georgia"
