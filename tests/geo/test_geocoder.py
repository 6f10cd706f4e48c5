"""The geocoder on the seed places, mislabelled names, spelling variants, context and locate."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eventwire.errors import InputError
from eventwire.geo.text import fold, skeleton
from eventwire.records import Analysis, Article, Mention

# name -> (alpha-3, lat, lon): GeoNames points (towns) and GeoNames country-feature points.
SEED = {
    "Aleppo": ("SYR", 36.20, 37.16),
    "Damascus": ("SYR", 33.51, 36.29),
    "Madrid": ("ESP", 40.42, -3.70),
    "Gaza": ("PSE", 31.50, 34.47),
    "Syria": ("SYR", 35.0, 38.0),
    "Spain": ("ESP", 40.0, -4.0),
    "Israel": ("ISR", 31.5, 34.75),
    "Iran": ("IRN", 32.0, 53.0),
    "Russia": ("RUS", 60.0, 100.0),
    "Lebanon": ("LBN", 33.83, 35.83),
    "Norway": ("NOR", 62.0, 10.0),
    "Ireland": ("IRL", 53.0, -8.0),
    "South Africa": ("ZAF", -29.0, 24.0),
}


def km(a: float, b: float, c: float, d: float) -> float:
    p = math.pi / 180
    h = math.sin((c - a) * p / 2) ** 2 + math.cos(a * p) * math.cos(c * p) * math.sin((d - b) * p / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


@pytest.mark.parametrize("name", sorted(SEED))
def test_seed_names_resolve_to_country_and_point(geocoder, name: str) -> None:
    place = geocoder.resolve(name)
    assert place is not None
    alpha3, lat, lon = SEED[name]
    assert place.country == alpha3
    assert km(lat, lon, place.lat, place.lon) < 25, (place.name, place.lat, place.lon)
    assert place.precision == (4 if name in ("Syria", "Spain", "Israel", "Iran", "Russia", "Lebanon",
                                             "Norway", "Ireland", "South Africa") else 1)


def test_seed_article_places(geocoder, analyse, seed_path) -> None:
    art, ana = analyse(seed_path.read_text(encoding="utf-8"))
    places = geocoder.places(art, ana)
    got = {(p.text, p.country) for p in places}
    for name in ("Aleppo", "Damascus", "Madrid", "Gaza", "Syria", "Spain", "Israel", "Iran",
                 "Russia", "Lebanon", "Norway", "Ireland", "South Africa"):
        assert (name, SEED[name][0]) in got, name
    for p in places:
        assert art.body[p.start : p.end] == p.text
        assert p.text not in ("Iranian", "Israeli", "Spanish", "Syrian", "Palestinian")
    aleppo = [p for p in places if p.text == "Aleppo"]
    assert all(p.country == "SYR" for p in aleppo)  # not Aleppo, Pennsylvania
    # "Lebanon-based Hezbollah": Lebanon is recognised as a place ...
    based = [p for p in places if art.body[p.end : p.end + 6] == "-based"]
    assert any(p.name == "Lebanon" for p in based)


def _analysis(body: str, *ments: tuple[str, str]) -> tuple[Article, Analysis]:
    art = Article.from_paragraphs("t", [body], title=None)
    out = []
    for text, label in ments:
        s = body.index(text)
        out.append(Mention(s, s + len(text), text, label))
    return art, Analysis(mentions=tuple(out))


def test_names_the_small_model_mislabels_are_recovered(geocoder) -> None:
    body = ("Clashes in Syria spread from Aleppo to Al-Bukamal, while in Gaza fighting reached "
            "Khan Younis. In Congo, rebels entered Goma.")
    art, ana = _analysis(body, ("Syria", "GPE"), ("Aleppo", "NORP"), ("Al-Bukamal", "ORG"),
                         ("Gaza", "GPE"), ("Khan Younis", "PERSON"), ("Congo", "GPE"), ("Goma", "PERSON"))
    got = {p.text: p for p in geocoder.places(art, ana)}
    assert got["Aleppo"].country == "SYR"
    assert got["Al-Bukamal"].country == "SYR"
    assert got["Khan Younis"].country == "PSE"
    assert got["Goma"].country == "COD"


def test_person_names_are_not_taken_for_places(geocoder) -> None:
    body = "Spokesperson Pilar Alegría said Madrid would not buy from Rafael Advanced Defense Systems."
    art, ana = _analysis(body, ("Pilar Alegría", "PERSON"), ("Madrid", "GPE"),
                         ("Rafael Advanced Defense Systems", "ORG"))
    assert [p.text for p in geocoder.places(art, ana)] == ["Madrid"]


@pytest.mark.parametrize(
    "variants",
    [("Deir ez-Zor", "Deir al-Zour", "Dayr az Zawr", "Deir el-Zor"), ("Ma'rib", "Marib"),
     ("Rafaḩ", "Rafah"), ("Khan Younis", "Khan Yunis", "Khān Yūnis")],
)
def test_transliteration_variants_resolve_to_one_place(geocoder, variants: tuple[str, ...]) -> None:
    ids = {geocoder.resolve(v).geonameid for v in variants}
    assert len(ids) == 1 and None not in ids


def test_text_keys() -> None:
    assert fold("Rafaḩ") == "rafah" and fold("Ma'rib") == "marib"
    assert skeleton("Deir al-Zour") == skeleton("Dayr az Zawr") == skeleton("Deir ez-Zor")
    assert skeleton("Rafael") != skeleton("Rafah")


@pytest.mark.parametrize("country,alpha3", [("Libya", "LBY"), ("Lebanon", "LBN")])
def test_tripoli_follows_the_article_context(geocoder, country: str, alpha3: str) -> None:
    body = f"Fighting broke out in Tripoli on Sunday. {country} has seen clashes for weeks."
    art, ana = _analysis(body, ("Tripoli", "GPE"), (country, "GPE"))
    tripoli = geocoder.places(art, ana)[0]
    assert tripoli.text == "Tripoli" and tripoli.country == alpha3


def test_demonym_context_picks_the_namesake(geocoder) -> None:
    body = "Syrian troops retook Aleppo."
    art, ana = _analysis(body, ("Syrian", "NORP"), ("Aleppo", "GPE"))
    assert [(p.text, p.country) for p in geocoder.places(art, ana)] == [("Aleppo", "SYR")]


def test_modifiers_set_precision(geocoder) -> None:
    body = "Rockets hit southern Israel and the outskirts of Madrid, and the Gaza Strip."
    art, ana = _analysis(body, ("Israel", "GPE"), ("Madrid", "GPE"), ("the Gaza Strip", "GPE"))
    got = {p.text: p for p in geocoder.places(art, ana)}
    assert got["Israel"].precision == 3
    assert got["Madrid"].precision == 2 and got["Madrid"].country == "ESP"
    assert got["Gaza Strip"].country == "PSE" and got["Gaza Strip"].precision == 3


def test_locate_fallback_order(geocoder, analyse) -> None:
    text = ("Syrian government forces shelled rebel positions near Idlib on Monday.\n\n"
            "The UN said it was concerned. Aid agencies called for a ceasefire in Aleppo.\n\n"
            "Officials met to discuss the crisis.")
    art, ana = analyse(text)
    places = geocoder.places(art, ana)
    assert {p.text for p in places} >= {"Idlib", "Aleppo"}
    s1 = ana.parse.sentences[0]
    trig = (art.body.index("shelled"), art.body.index("shelled") + 7)
    place, how = geocoder.locate(art, ana, places, s1, trig)
    assert (place.text, how) == ("Idlib", "trigger")
    # A sentence without a place: the paragraph's place, precision at least 2.
    para2 = art.paragraphs[1]
    s2 = next(s for s in ana.parse.sentences if s[0] == para2[0])
    place, how = geocoder.locate(art, ana, places, s2, (s2[0] + 8, s2[0] + 12))
    assert (place.text, how) == ("Aleppo", "paragraph") and place.precision >= 2
    # A paragraph without a place: the article's main place, precision at least 3.
    s3 = (art.body.index("Officials"), len(art.body))  # the small parser merges it with the one before
    place, how = geocoder.locate(art, ana, places, s3, None)
    assert how == "article" and place.precision >= 3 and place.country == "SYR"


def test_locate_skips_based_and_handles_no_place(geocoder) -> None:
    body = "A Lebanon-based group said it will respond."
    art, ana = _analysis(body, ("Lebanon", "GPE"))
    places = geocoder.places(art, ana)
    assert [p.name for p in places] == ["Lebanon"]
    assert geocoder.locate(art, ana, places, (0, len(body)), (2, 9)) is None
    with pytest.raises(InputError):
        geocoder.locate(art, ana, places, (0, len(body) + 5), None)


def test_bad_input_raises(geocoder) -> None:
    with pytest.raises(InputError):
        geocoder.places("not an article", Analysis())  # type: ignore[arg-type]


WORDS = ["Aleppo", "Madrid", "Syria", "the", "Deir", "ez-Zor", "near", "US", "Gaza", "Strip",
         "Iranian", "outskirts", "of", "southern", "Israel", ",", "Ma'rib", "Rafaḩ", "Lebanon-based", "é", "\n\n"]


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_places_offsets_stay_in_the_body(geocoder, words: list[str]) -> None:
    body = " ".join(words).strip() or "x"
    art = Article.from_paragraphs("h", [body], title=None)
    for p in geocoder.places(art, Analysis()):
        assert 0 <= p.start < p.end <= len(body)
        assert body[p.start : p.end] == p.text
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180
        assert p.precision in (1, 2, 3, 4)


@pytest.mark.parametrize("text,name,alpha3", [
    ("Turkish drones struck Qamishli in Syria on Sunday.", "Qamishli", "SYR"),
    ("Israeli strikes hit Nabatiyeh in south Lebanon.", "Nabatiyeh", "LBN"),
    ("Gaza health officials said strikes hit Khan Yunes.", "Khan Yunes", "PSE"),
])
def test_spellings_no_alternate_name_lists(geocoder, analyse, text: str, name: str, alpha3: str) -> None:
    art, ana = analyse(text)
    got = {p.text: p.country for p in geocoder.places(art, ana)}
    assert got.get(name) == alpha3, got


def test_loose_spellings_stay_inside_the_article_countries(geocoder) -> None:
    # "Qamishli" only meets Al Qāmishlī through the loose key; with no Syrian context it is
    # not forced onto a place.
    body = "The band Qamishli played in Oslo."
    art, ana = _analysis(body, ("Oslo", "GPE"))
    assert [p.text for p in geocoder.places(art, ana)] == ["Oslo"]


def test_main_place_weighs_mentions_by_specificity(geocoder) -> None:
    body = "Spain cancelled the deal. Spain said so. Spain and Madrid officials met. Spain agreed."
    spans = [("Spain", i) for i in range(4)] + [("Madrid", 0)]
    ments = []
    for text, k in spans:
        s = -1
        for _ in range(k + 1):
            s = body.index(text, s + 1)
        ments.append(Mention(s, s + len(text), text, "GPE"))
    art = Article.from_paragraphs("m", [body], title=None)
    places = geocoder.places(art, Analysis(mentions=tuple(ments)))
    assert geocoder.main_place(art, places).name == "Spain"
    body2 = "Aleppo was shelled. Syria said Aleppo and Syria's north were hit in Aleppo."
    art2, ana2 = _analysis(body2)
    ments2 = tuple(Mention(m.start(), m.end(), m.group(), "GPE") for m in re.finditer(r"Aleppo|Syria", body2))
    places2 = geocoder.places(art2, Analysis(mentions=ments2))
    assert geocoder.main_place(art2, places2).name == "Aleppo"


def test_analysis_of_another_text_is_rejected(geocoder) -> None:
    art = Article.from_paragraphs("short", ["Aleppo."], title=None)
    with pytest.raises(InputError, match="outside the body"):
        geocoder.places(art, Analysis(mentions=(Mention(40, 46, "Aleppo", "GPE"),)))
    assert geocoder.places(Article.from_paragraphs("empty", [""], title=None), Analysis()) == ()
