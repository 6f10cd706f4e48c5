"""Issue 14.3: names from real news that were wrong places — a water body split by the nlp stage
("the Gulf of" + "Aden" → a province of Papua New Guinea), a person's plural possessive
("Williams'" → Williams, California) and an English word read as a spelling of a town
("Ministers" → Münster). Each test switches its rule off to show the old answer comes back.
"""

from __future__ import annotations

import pytest

import eventwire.geo.geocoder as G
from eventwire.records import Analysis, Article, Mention


def _split_gulf() -> tuple[Article, Analysis]:
    # What the nlp stage gives for this sentence: the name cut in two mentions.
    text = "Somali pirates seized a tanker in the Gulf of Aden on Monday, the navy said."
    art = Article.from_paragraphs("test", [text], title=None)
    s = text.index("the Gulf of")
    a = text.index("Aden")
    return art, Analysis(mentions=(Mention(s, s + len("the Gulf of"), "the Gulf of", "LOC"), Mention(a, a + 4, "Aden", "GPE", country="YEM")))


def test_a_known_name_around_a_split_mention_is_taken_whole(geocoder, monkeypatch: pytest.MonkeyPatch) -> None:
    art, ana = _split_gulf()
    got = geocoder.places(art, ana)
    assert [(p.text, p.name) for p in got] == [("Gulf of Aden", "Gulf of Aden")], [(p.text, p.name, p.country) for p in got]
    assert all(p.country != "PNG" for p in got)
    monkeypatch.setattr(G, "LONGER_NAME", False)
    assert any(p.text == "Gulf" and p.country == "PNG" for p in geocoder.places(art, ana))


def test_a_persons_plural_possessive_is_no_town(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The vote on Williams' proposal in Fresno failed. Williams' supporters in California had hoped for more."
    art, ana = analyse(text)
    assert not [p for p in geocoder.places(art, ana) if p.text.startswith("Williams")]
    assert {p.text for p in geocoder.places(art, ana)} == {"Fresno", "California"}
    monkeypatch.setattr(G, "PLURAL_POSSESSIVE", False)
    assert [p.name for p in geocoder.places(art, ana) if p.text.startswith("Williams")] == ["Williams", "Williams"]


def test_an_english_word_is_no_loose_spelling_of_a_town(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:
    art, ana = analyse("The Ministers met in Brussels on Tuesday to discuss the budget.")
    assert [p.name for p in geocoder.places(art, ana)] == ["Brussels"]
    monkeypatch.setattr(G, "COMMON_WORD_ALT", False)
    assert "Münster" in [p.name for p in geocoder.places(art, ana)]
