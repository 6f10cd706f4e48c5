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


def _published(analyse, texts: list[str], publisher: str | None):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    out = []
    for n, text in enumerate(texts):
        art, ana = analyse(text)
        out.append((replace(art, id=f"a{n}", publisher=publisher), ana))
    return out


_GEORGIA_PAPER = [
    "A fire damaged a store in Macon, Georgia, on Monday.",
    "Savannah, Georgia, police arrested two men after a chase.",
    "Voters in Augusta, Georgia, waited for hours on Tuesday.",
    "A man was arrested in Athens on Tuesday after a short chase.",
]


def test_a_local_papers_namesake_is_in_its_home_state(geocoder, analyse) -> None:
    # "Athens" with no state named: the largest namesake is the Greek capital; the publisher's
    # other articles are all about Georgia, so its Athens is Athens, Georgia.
    pairs = _published(analyse, _GEORGIA_PAPER, "athens-banner.example")
    homes = geocoder.homes(pairs)
    art, ana = pairs[-1]
    assert homes[art.id].admin1 == "US.GA" and homes[art.id].country == "US"
    athens = [p for p in geocoder.places(art, ana, homes[art.id]) if p.text == "Athens"]
    assert athens and athens[0].admin1 == "Georgia" and athens[0].how == "publisher home Georgia", [(p.admin1, p.how) for p in athens]
    assert [p.country for p in geocoder.places(art, ana) if p.text == "Athens"] == ["GRC"]


def test_no_publisher_no_home(geocoder, analyse) -> None:
    assert geocoder.homes(_published(analyse, _GEORGIA_PAPER, None)) == {}
    # Too few other articles (HOME_MIN_ARTICLES): an article never votes for its own home.
    assert geocoder.homes(_published(analyse, _GEORGIA_PAPER[2:], "x.example")) == {}


@pytest.mark.parametrize(("name", "check"), [
    # Queensland spans 138–153.5°E, settled along its east coast: the trimmed box of its towns put it at 149.4°E.
    ("Queensland", lambda p: p.lon < 147.0),
    # Alaska's towns sit along its south coast: the trimmed box put it at 61.1°N.
    ("Alaska", lambda p: p.lat > 62.0),
])
def test_a_huge_edge_settled_admin1_is_not_placed_on_its_settled_edge(geocoder, name: str, check) -> None:  # type: ignore[no-untyped-def]
    p = geocoder.resolve(name)
    assert p is not None and p.feature == "A.ADM1" and check(p), (p.lat, p.lon) if p else None
