"""Sentence-level behaviour of rules.v1: types under frames and modality, roles, flags."""

from __future__ import annotations

import pytest


def first(events):  # type: ignore[no-untyped-def]
    assert events, "no event coded"
    return events[0]


def countries(actors) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.country for a in actors if a.country}


def test_passive_voice_swaps_roles(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("A camp for Congolese refugees was attacked by Burundian militiamen on Monday."))
    assert e.type == "ASSAULT"
    assert countries(e.actors) == {"BDI"}
    assert "BDI" not in countries(e.recipients)


def test_coordinated_actors_are_split_not_duplicated(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("Senior Hungarian and Romanian officials agreed on Wednesday to cooperate."))
    assert e.type == "AGREE"
    assert countries(e.actors) == {"HUN", "ROU"}
    assert len(e.actors) == 2


def test_joint_effort_with_names_co_actors(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("Spain formally recognized a Palestinian state in a coordinated effort with Norway and Ireland."))
    assert e.type == "SUPPORT"
    assert {"ESP", "NOR", "IRL"} <= countries(e.actors)
    assert "PSE" in countries(e.recipients)


def test_pronoun_takes_the_subject_antecedent(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("Hungary has said it will support a U.N. Security Council resolution."))
    assert e.type == "AGREE"  # intent to support: PLOVER codes the intent as AGREE
    assert countries(e.actors) == {"HUN"}
    assert e.flags.future


def test_possessive_gives_the_country(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("Taiwan's Vice Foreign Minister visited Russia today."))
    assert e.type == "CONSULT"
    assert countries(e.actors) == {"TWN"}
    assert countries(e.recipients) == {"RUS"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Iran threatened to launch a new military offensive against Iraq.", "THREATEN"),
        ("Syria says it will not accept any more refugees.", "REJECT"),
        ("The rebels refused to lay down their arms.", "REJECT"),
        ("Greece demanded that its partners refuse to recognize the new republic.", "REQUEST"),
        ("The army said it would blockade the capital unless the strike ends.", "THREATEN"),
        ("Police arrested 30 protesters in the capital on Sunday.", "COERCE"),
        ("Thousands of workers staged a rally against the new labour law.", "PROTEST"),
        ("The government expelled two Russian diplomats for spying.", "SANCTION"),
        ("Rebels shelled the regional capital for the first time in a year.", "ASSAULT"),
        ("The two leaders held talks in Geneva on Tuesday.", "CONSULT"),
    ],
)
def test_frames_and_modality(code_one, text: str, want: str) -> None:  # type: ignore[no-untyped-def]
    assert first(code_one(text)).type == want


def test_negated_hostile_act_is_flagged(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("The army did not attack the village."))
    assert e.type == "ASSAULT" and e.flags.negated
    ev = {x.field for x in e.evidence}
    assert "flags.negated" in ev


def test_hypothetical_flag(code_one) -> None:  # type: ignore[no-untyped-def]
    e = first(code_one("Officials warned that the militia could attack the airport."))
    assert any(x.flags.hypothetical for x in code_one("The militia could attack the airport."))
    assert e is not None


def test_no_trigger_no_event(code_one) -> None:  # type: ignore[no-untyped-def]
    assert code_one("The weather in the capital was mild for the season.") == ()


def test_every_event_has_type_evidence_inside_the_text(code_one) -> None:  # type: ignore[no-untyped-def]
    text = "Serbia lifted a night curfew in Montenegro where 28 people have been killed in riots."
    for e in code_one(text):
        assert any(x.field == "type" for x in e.evidence)
        for x in e.evidence:
            assert 0 <= x.start < x.end <= len(text)
        assert e.cameo and len(e.cameo) == 2
