"""Stop 23 fixes to the parse side of learned.v1 (issue 11), from reading its output on ECB+
documents of odd topics: a coordinated verb is no intent, a noun's own clause decides its
modality and its date, crowd words are parties, the offence or an instrument is no target, the
police of no stated country are the police of where it happened, one act told with two ACLED
readings is one event. Sentences written for these tests (not in the corpus)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def code(learned_article: Any):  # type: ignore[no-untyped-def]
    return learned_article


def test_set_up_barricades_and_attacked_is_no_threat(code) -> None:  # type: ignore[no-untyped-def]
    # "set" was an intent word wherever it stood ("is set to attack"), so the riot was THREATEN
    _, events = code("Dozens of students set up roadblocks and attacked riot police with stones in the city centre.")
    (ev,) = events
    assert ev.type == "PROTEST"
    assert not ev.flags.future


def test_an_intent_word_over_an_infinitive_still_makes_a_threat(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("The rebels are set to attack the town of Goma.")
    assert [e.type for e in events] == ["THREATEN"]


def test_a_noun_subject_does_not_take_its_clause_modality(code) -> None:  # type: ignore[no-untyped-def]
    # "will not affect" is the modality of "affect", not of the arrest (it was a negated THREATEN)
    _, events = code("An arrest for drunk driving will not affect the quarterback's playing status for Sunday's game.")
    assert not any(e.type == "THREATEN" for e in events)


def test_a_cue_in_a_relative_clause_does_not_date_the_act(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(
        "The marchers walked to the church where relatives of a boy killed by police last year had gathered."
    )
    (ev,) = [e for e in events if e.type == "PROTEST"]
    assert not ev.flags.historical
    _, events = code("Police arrested the man last year in Denver.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert ev.flags.historical


def test_the_protester_trigger_is_the_whole_actor(code) -> None:  # type: ignore[no-untyped-def]
    art, events = code("The protesters then walked back to the town hall.")
    (ev,) = [e for e in events if e.type == "PROTEST"]
    assert [a.text for a in ev.actors] == ["The protesters"]  # was "The"


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Rioters attacked a police station in Athens.", "Rioters"),
        ("Thousands of protesters marched in Kyiv against the government.", "protesters"),
    ],
)
def test_crowd_words_are_parties(code, sentence: str, actor: str) -> None:  # type: ignore[no-untyped-def]
    _, events = code(sentence)
    (ev,) = [e for e in events if e.type == "PROTEST"]
    assert actor in [a.text for a in ev.actors]


def test_the_offence_of_an_arrest_noun_is_no_recipient(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("The singer was serving probation for an earlier DUI arrest in Nashville, a spokesman said.")
    for ev in events:
        assert "DUI" not in [r.text for r in ev.recipients]


def test_police_of_no_stated_country_are_the_local_police(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("On Monday, police arrested two men in Denver.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    (actor,) = ev.actors
    assert (actor.country, actor.entity_id) == ("USA", "USA-police")


def test_one_shooting_told_twice_is_one_event(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code(
        "Two officers shot and killed a 19-year-old man in Memphis on Friday.",
        "Both officers opened fire on the man when he ran toward them, witnesses said.",
    )
    assert len([e for e in events if e.type == "ASSAULT"]) == 1


def test_an_offence_in_capitals_is_no_recipient(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("The driver was arrested for DWI in Queens on Saturday.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert [r.text for r in ev.recipients] == ["The driver"]  # "DWI" was read as an organisation


def test_a_group_of_pronouns_does_not_loop(code) -> None:  # type: ignore[no-untyped-def]
    # "A group of them … they": resolving the group through its pronoun recursed without end
    _, events = code("A group of them attacked the police station in Lagos, and they burned two cars.")
    assert events  # coded, no RecursionError


def test_a_town_in_a_partys_phrase_is_the_town_the_article_means(code) -> None:  # type: ignore[no-untyped-def]
    # "A Paris man" was France's, "an Alexandria grand jury" Egypt's, in US local news
    _, events = code("A Paris man was arrested Sunday afternoon in Paris, Tennessee, on five counts of theft.")
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert [(r.text, r.country) for r in ev.recipients] == [("A Paris man", "USA")]


def test_people_from_a_town_are_not_its_namesake_state(code) -> None:  # type: ignore[no-untyped-def]
    # stop 24: the KB made "A 36-year-old Palestine man" the State of Palestine; the geocoder
    # read Palestine as the Texas town (a person phrase is not the state the lookup found)
    _, events = code(
        "A 36-year-old Palestine man who fled a traffic stop was arrested Wednesday at a residence in "
        "Anderson County, Texas."
    )
    (ev,) = [e for e in events if e.type == "COERCE"]
    (man,) = ev.recipients
    assert man.country == "USA" and man.entity_id is None


def test_a_dateline_is_no_party(code_one) -> None:  # type: ignore[no-untyped-def]
    # stop 24 (LGL read): "ROANOKE" was the actor of Huckabee's praise (rules.v1: the roles are
    # the parse's whichever coder decides the type)
    events = code_one(
        "ROANOKE -- Former Arkansas Gov. Mike Huckabee campaigned with Bob McDonnell in Roanoke "
        "yesterday, praising him as the Republican who can restore the party's fortunes."
    )
    assert events and not any(a.text == "ROANOKE" for e in events for a in e.actors)



def test_the_classifiers_type_takes_the_verb_that_names_it(code) -> None:  # type: ignore[no-untyped-def]
    # judged sample D (stop 25): the rules drafted only the call for calm, so the classifier's
    # COERCE re-typed "called" and the governor became the arrest's actor, the DEA its target
    _, events = code(
        "Governor John Rankin Thursday called for calm after United States Drug Enforcement Agency "
        "(DEA) officials arrested the Caribbean Territory’s Premier Andrew Alturo Fahie, 51."
    )
    (ev,) = [e for e in events if e.type == "COERCE"]
    assert "DEA" in ev.actors[0].text
    assert [r.text for r in ev.recipients] == ["the Caribbean Territory’s Premier Andrew Alturo Fahie"]


def test_a_name_keeps_its_place_before_an_appositive_town(code_one) -> None:  # type: ignore[no-untyped-def]
    # judged sample D (stop 25): "Lebanon" (his home town, an appositive after his age) was the
    # arrested man; a description still gives way to the name ("the proxy militia, Kataib …")
    (ev,) = code_one("Terry Lee Jolly, 60, Lebanon, was arrested Thursday on a charge of possession of child pornography.")
    assert [r.text for r in ev.recipients] == ["Terry Lee Jolly"]
