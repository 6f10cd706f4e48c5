"""Issue 14.3 / 11: a person's surname, tagged as a place when it stands alone, is no place (ECB+
crime reports put "Timmons" in Timmins, Ontario and "Rossi" in Italy, and the arrest's police
then in Canada and Italy). The rule is switched off to show the old answer comes back."""

from __future__ import annotations

import pytest

import eventwire.geo.geocoder as G
from eventwire.records import Analysis, Article, Mention


def _article() -> tuple[Article, Analysis]:
    # the nlp stage's mentions: the full name a PERSON, the lone surname later a GPE
    text = "Marcus Timmons, 19, was arrested in Albany on Friday. Detectives said Timmons had a gun."
    art = Article.from_paragraphs("test", [text], title=None)
    full = text.index("Marcus Timmons")
    alb = text.index("Albany")
    lone = text.rindex("Timmons")
    return art, Analysis(mentions=(
        Mention(full, full + 14, "Marcus Timmons", "PERSON"),
        Mention(alb, alb + 6, "Albany", "GPE"),
        Mention(lone, lone + 7, "Timmons", "GPE"),
    ))


def test_a_surname_of_a_named_person_is_no_place(geocoder, monkeypatch: pytest.MonkeyPatch) -> None:
    art, ana = _article()
    assert [p.text for p in geocoder.places(art, ana)] == ["Albany"]
    monkeypatch.setattr(G, "SURNAME_NOT_PLACE", False)
    assert "Timmons" in [p.text for p in geocoder.places(art, ana)]
