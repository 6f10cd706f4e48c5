"""Issue 14.3: recognition and namesakes read from the rest of the article.

Each test names the rule of ``eventwire.geo.geocoder`` it is about and, where a switch exists,
shows that the outcome is the rule's doing (switched off, the old answer comes back).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import eventwire.geo.geocoder as G


def _places(geocoder, analyse, text: str):  # type: ignore[no-untyped-def]
    art, ana = analyse(text)
    return geocoder.places(art, ana)


def test_a_place_mentions_own_country_is_not_evidence(geocoder, analyse) -> None:
    # The nlp stage gives a place mention its own guess of the country ("Dublin" → IRL); that
    # is the name voting for itself, not what the article says (it names Ohio).
    text = "Dublin's council met on Monday. Dublin residents asked the Ohio Department of Transportation for a bridge."
    art, ana = analyse(text)
    ana = replace(ana, mentions=tuple(replace(m, country="IRL") if m.text == "Dublin" else m for m in ana.mentions))
    got = [p for p in geocoder.places(art, ana) if p.text == "Dublin"]
    assert got and all(p.country == "USA" and p.admin1 == "Ohio" for p in got), [(p.name, p.country) for p in got]
    assert all("IRL" not in (p.how or "") for p in got)


def test_states_listed_beside_states_are_states(geocoder, analyse) -> None:
    # Not Georgia the country, Nevada or Louisiana the towns in Missouri, nor "Illinois" an
    # alternate name of Riverside qualified by the next item of the list.
    text = "Cases were reported in Arizona, California, Georgia, Illinois, Missouri, Nevada and Louisiana."
    places = _places(geocoder, analyse, text)
    assert [p.text for p in places] == ["Arizona", "California", "Georgia", "Illinois", "Missouri", "Nevada", "Louisiana"]
    assert all(p.feature == "A.ADM1" and p.country == "USA" and p.admin1 == p.text for p in places), [
        (p.text, p.name, p.admin1, p.feature) for p in places
    ]


def test_washington_dc_keeps_its_qualifier(geocoder, analyse) -> None:
    places = _places(geocoder, analyse, "The march ended in Washington, D.C., on Saturday.")
    w = [p for p in places if p.text == "Washington"]
    assert w and w[0].admin1 == "District of Columbia", [(p.text, p.admin1, p.how) for p in places]


def test_towns_facing_each_other_across_a_state_line(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:
    # Columbus, Georgia faces Phenix City, Alabama across the Chattahoochee: the grid-cell spread
    # of both names' readings picks that Columbus, not the bigger one in Ohio.
    text = "Voters waited in line at precincts in Columbus and in Phenix City on Tuesday."
    got = {p.text: p for p in _places(geocoder, analyse, text)}
    assert got["Columbus"].admin1 == "Georgia", (got["Columbus"].admin1, got["Columbus"].how)
    monkeypatch.setattr(G, "W_NEAR_SPREAD", 0.0)
    assert {p.text: p for p in _places(geocoder, analyse, text)}["Columbus"].admin1 == "Ohio"


def test_a_small_town_dateline_is_a_place(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Fire destroys home. BYESVILLE -- Firefighters are searching for the cause of a fire that destroyed a home."
    got = [p for p in _places(geocoder, analyse, text) if p.text == "BYESVILLE"]
    assert got and got[0].country == "USA" and got[0].admin1 == "Ohio"
    monkeypatch.setattr(G, "DATELINE_ANY_TOWN", False)
    assert not [p for p in _places(geocoder, analyse, text) if p.text == "BYESVILLE"]


def test_a_name_is_a_place_wherever_the_article_writes_it(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:
    # spaCy tags the first Whitestown only (the parser reads the second as an adjective).
    text = "Residents of Whitestown, Indiana, gathered on Monday. Whitestown thanks its donors with a ceremony."
    w = [p for p in _places(geocoder, analyse, text) if p.text == "Whitestown"]
    assert len(w) == 2 and all(p.admin1 == "Indiana" for p in w), [(p.start, p.admin1) for p in w]
    monkeypatch.setattr(G, "SAME_NAME_EVERYWHERE", False)
    assert len([p for p in _places(geocoder, analyse, text) if p.text == "Whitestown"]) == 1


def test_a_known_place_glued_to_an_institution_word_is_no_event_place(geocoder, analyse) -> None:
    # "Lee" of "Lee Academy" is not taken from "Lee County" elsewhere: glued to a word that is no
    # institution word, it is part of a longer name; "Whitestown Town Hall" is the town's, but
    # an office's place, never an event's.
    text = ("Residents of Whitestown, Indiana, gathered on Monday. The Whitestown Town Hall will open "
            "late, said a teacher at the Lee Academy in Lee County.")
    art, ana = analyse(text)
    places = geocoder.places(art, ana)
    hall = [p for p in places if p.text == "Whitestown" and p.start > 20]
    assert hall and (hall[0].how or "").endswith(G.INSIDE_NOTE), [(p.text, p.start, p.how) for p in places]
    assert not [p for p in places if p.text == "Lee"]
    s0 = text.index("The Whitestown")
    got = geocoder.locate(art, ana, tuple(hall), (s0, len(text)), None)
    assert got is None


def test_an_acronym_a_place_defines_is_that_place(geocoder, analyse) -> None:
    text = ("Horses in New South Wales (NSW) were quarantined on Monday. The NSW government said the "
            "ban would last three days. CANBERRA (AP) — Officials agreed.")
    places = _places(geocoder, analyse, text)
    nsw = [p for p in places if p.text == "NSW"]
    assert len(nsw) == 2 and all(p.name == "New South Wales" for p in nsw), [(p.text, p.name) for p in places]
    assert not [p for p in places if p.text == "AP"]  # "(AP)" is no initials of Canberra


def test_a_legislators_party_tag_names_a_place_no_event_is_at(geocoder, analyse) -> None:
    text = "The sponsor of the bill, Delegate Brent Boggs, D-Braxton, spoke in Charleston, W.Va., on Monday."
    art, ana = analyse(text)
    places = geocoder.places(art, ana)
    b = [p for p in places if p.text == "Braxton"]
    assert b and b[0].admin1 == "West Virginia", [(p.text, p.name, p.admin1) for p in places]
    got = geocoder.locate(art, ana, tuple(b), (0, len(text)), None)
    assert got is None


def test_admin1_short_names_and_breakaway_regions(geocoder, analyse) -> None:
    places = _places(geocoder, analyse, "Clashes are frequent in Dagestan, and fighting flared in breakaway South Ossetia.")
    got = {p.text: p for p in places}
    assert got["Dagestan"].country == "RUS" and got["Dagestan"].name == "Dagestan"
    assert got["South Ossetia"].country == "GEO"


def test_dotted_state_abbreviation_anywhere(geocoder, analyse) -> None:
    places = _places(geocoder, analyse, "John Nichols, past president of the S.C. Trial Lawyers Association, spoke.")
    assert [p.name for p in places if p.text == "S.C."] == ["South Carolina"]
