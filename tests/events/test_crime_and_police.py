"""Police acts and ordinary crime (issue 11): an arrest without a named agent is the police's, a
shooting told in a crime story is no political event, an instrument is no actor, a nationality
word before a noun is not the state. Sentences written for these tests (not in the corpus)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def code(learned_article: Any):  # type: ignore[no-untyped-def]
    """Code an article of paragraphs the way the pipeline does (places located first)."""
    return learned_article


def test_an_arrest_without_agent_is_the_police_of_where_it_happened(code) -> None:  # type: ignore[no-untyped-def]
    art, events = code("Gary Gomes, 35, was arrested on Tuesday in New Bedford, Massachusetts, on two counts of murder.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert ev.mode == "arrest"
    (actor,) = ev.actors
    assert (actor.kind, actor.sector, actor.country) == ("state_forces", "COP", "USA")
    assert actor.entity_id == "USA-police"
    # the span behind the implied actor is the word that implies it
    (span,) = [x for x in ev.evidence if x.field == "actors[0]"]
    assert art.body[span.start : span.end] == "arrested"


def test_a_named_arresting_force_is_kept(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("Nigerian soldiers arrested 12 suspected militants near Maiduguri on Sunday.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert [a.sector for a in ev.actors] == ["MIL"]


def test_a_charge_read_as_coercion_is_an_arrest_mode_act(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("Robert Pitman, 24, was charged with arson after a fire destroyed a supermarket in Taunton.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert ev.mode == "arrest"
    assert [a.sector for a in ev.actors] == ["COP"]


CRIME_STORY = (
    "A 32-year-old man was shot dead outside a bar in Springfield, Illinois, on Friday night.",
    "Detectives said the suspect fled on foot before officers arrived.",
    "Prosecutors on Monday charged Mark Allen, 28, with murder; he is being held without bail.",
)


def test_a_shooting_in_a_crime_story_is_no_event_but_the_charge_is(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(*CRIME_STORY)
    assert not [e for e in events if e.type == "ASSAULT"]
    assert [e for e in events if e.type == "COERCE"]


def test_the_same_shooting_in_a_conflict_story_is_an_event(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(
        "A 32-year-old man was shot dead outside a mosque in Kandahar on Friday night.",
        "Police blamed Taliban militants, who have killed several officials in the province this year.",
    )
    assert [e for e in events if e.type == "ASSAULT"]


def test_a_police_shooting_in_a_crime_story_stays(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(
        *CRIME_STORY[1:],
        "Officers shot and killed a second suspect in Springfield on Saturday after he fired at them.",
    )
    (ev,) = [e for e in events if e.type == "ASSAULT"]
    assert any(a.sector in ("COP", "MIL") for a in ev.actors)


def test_an_instrument_is_no_actor(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("A bomb exploded at a crowded market in Kano on Friday, killing four people.")
    (ev,) = [e for e in events if e.type == "ASSAULT"]
    assert not [a for a in ev.actors if a.kind in ("weapon", "platform")]


def test_a_nationality_before_a_noun_is_not_the_state(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("The Indian navy said it had arrested 23 Somali and Yemeni pirates in the Gulf of Aden.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert {r.country for r in ev.recipients} == {"SOM", "YEM"}
    assert not [r for r in ev.recipients if r.kind == "state"]


def test_the_reporting_verb_is_not_the_trigger(code) -> None:  # type: ignore[no-untyped-def]
    art, events = code("Two gunboats were shelling the port of Hodeidah on Sunday, a coalition statement said.")
    (ev,) = [e for e in events if e.type == "ASSAULT"]
    assert ev.trigger is not None
    assert art.body[ev.trigger[0] : ev.trigger[1]] != "said"


def test_the_offence_and_the_town_of_an_arrest_are_not_its_recipients(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(
        "Jamal Williams was arrested in San Diego on Sunday on suspicion of drunken driving.",
        "He was charged with Vehicular Manslaughter and Criminally Negligent Homicide on Monday.",
    )
    coerce = [e for e in events if e.type == "COERCE"]
    assert coerce
    for ev in coerce:
        texts = {r.text for r in ev.recipients}
        assert not texts & {"San Diego", "Vehicular Manslaughter", "Criminally Negligent Homicide"}, texts


def test_officers_of_a_police_story_are_police(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(
        "Two plainclothes officers shot and killed a 16-year-old in Brooklyn on Saturday night after he "
        "pointed a gun at them, police said.",
    )
    (ev,) = [e for e in events if e.type == "ASSAULT"]
    assert [a.sector for a in ev.actors] == ["COP"]


def test_officers_of_a_war_story_are_soldiers(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("Army officers and soldiers shelled rebel positions near Goma on Sunday, the military said.")
    ev = next(e for e in events if e.type == "ASSAULT")
    assert "COP" not in {a.sector for a in ev.actors}


def test_the_people_a_police_shooting_is_done_to_are_its_target(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("Police officers shot and killed a 24-year-old man during a traffic stop in Tulsa on Friday night.")
    (ev,) = [e for e in events if e.type == "ASSAULT"]
    assert [(r.kind, r.sector) for r in ev.recipients] == [("civilians", "CVL")]


def test_a_sheriffs_deputy_is_police(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("A woman died after being shot by a sheriff's deputy in rural Fresno County, officials said Monday.")
    (ev,) = [e for e in events if e.type == "ASSAULT"]
    assert [a.sector for a in ev.actors] == ["COP"]
