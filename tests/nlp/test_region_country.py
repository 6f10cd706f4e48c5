"""A first-level region names its country ("Ohio" is the United States'), so the article's main
country and the country of an unplaced official come from it, not from the largest namesake of
the first town ("Hamilton" is Canada's largest). Text written for the test."""

from __future__ import annotations

import pytest

from eventwire.nlp.mentions import _gazetteer_country


@pytest.mark.parametrize(
    ("name", "country"),
    [("Ohio", "USA"), ("Texas", "USA"), ("Ontario", "CAN"), ("Helmand", "AFG"), ("Idlib", "SYR"),
     ("Georgia", "GEO"),  # the country's name comes first
     ("Punjab", None)],  # India's and Pakistan's: no one country
)
def test_region_names_its_country(name: str, country: str | None) -> None:
    assert _gazetteer_country(name) == country


def test_an_ohio_story_is_american_whatever_town_comes_next(analyzer) -> None:
    an = analyzer.analyze_text(
        "Health centers in Ohio will get federal funds. The money will go to clinics in Hamilton and "
        "Middletown. On March 2, President Obama announced grants worth $155 million to 126 new centers."
    )
    (obama,) = [m for m in an.mentions if m.text == "President Obama"]
    assert obama.country == "USA"


def test_a_nationality_opening_a_persons_phrase_is_their_country(analyzer) -> None:
    # Kouchner was Saudi Arabia's (the article's country) in a story from Riyadh: the stop-24 LGL read
    an = analyzer.analyze_text(
        "Saudi clerics urged the information minister in Riyadh, Saudi Arabia, to ban women from TV. "
        "French Foreign Minister Bernard Kouchner, in town for meetings with Saudi officials, spoke on Sunday."
    )
    (k,) = [m for m in an.mentions if "Kouchner" in m.text]
    assert k.country == "FRA"
