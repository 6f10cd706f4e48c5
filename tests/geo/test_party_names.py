"""Issue 14: a party's name, or a headline's "Man", is no town ("the Liberal government" was Liberal, Kansas, in an
Ontario paper's budget story; the stop-25 LGL read). Text written for the test, read by the
whole nlp stage (bare spaCy tags "Liberal" NORP; the pipeline's model left it to the matcher)."""

from __future__ import annotations

TEXT = (
    "Local leaders liked aspects of the Liberal budget, but had misgivings about the sales tax. "
    "Hardeman was critical of the Liberal government's approach. Harrison said the Liberal government "
    "was wise to delay the tax until July 2010, speaking in Woodstock, Ontario."
)


def _analysed(text: str):  # type: ignore[no-untyped-def]
    from eventwire.config import load_settings
    from eventwire.kb import KnowledgeBase
    from eventwire.nlp import Analyzer
    from eventwire.records import Article

    art = Article.from_paragraphs("test", [text], title=None)
    (ana,) = list(Analyzer(load_settings(), KnowledgeBase.load()).analyze([art]))
    return art, ana


def test_a_party_name_is_no_place(geocoder) -> None:  # type: ignore[no-untyped-def]
    names = [p.text for p in geocoder.places(*_analysed(TEXT))]
    assert "Liberal" not in names and "Woodstock" in names


def test_a_headlines_man_is_no_town(geocoder) -> None:  # type: ignore[no-untyped-def]
    # judged sample D (stop 25): "Man accused of threatening tax worker" was Man, Côte d'Ivoire
    text = "Man accused of threatening tax worker. Authorities have charged a South St. Paul man with threats."
    assert "Man" not in [p.text for p in geocoder.places(*_analysed(text))]
