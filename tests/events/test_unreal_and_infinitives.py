"""Stop 24 (issue 11): acts the sentence says did not, may not or are only foreseen to happen get
a confidence below the default ``min_confidence`` (docs/annotation.md makes them no events;
``learned.UNREAL_CAP``), and an infinitive's act takes the date of the clause it completes.
Sentences written for these tests (not in the corpus)."""

from __future__ import annotations

from typing import Any

import pytest

from eventwire.config import load_settings
from eventwire.events.learned import UNREAL_CAP


@pytest.fixture(scope="module")
def code(learned_article: Any):  # type: ignore[no-untyped-def]
    return learned_article


def _arrests(events: Any) -> list[Any]:
    return [e for e in events if e.type in ("COERCE", "THREATEN")]


def test_a_negated_arrest_falls_below_the_default_min_confidence(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("Three other men inside the house were not arrested, the sheriff said.")
    assert events, "the act is still listed (flagged), just not at the default threshold"
    for e in events:
        assert e.flags.negated
        assert e.confidence <= UNREAL_CAP < load_settings().min_confidence


def test_a_passive_future_charge_is_no_threat_at_default_confidence(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("The man was taken to the county jail and will be charged with evading arrest, the sheriff said.")
    threats = [e for e in events if e.type == "THREATEN"]
    assert threats and all(e.confidence <= UNREAL_CAP for e in threats)


def test_an_actor_stating_an_intent_keeps_the_classifier_confidence(code) -> None:  # type: ignore[no-untyped-def]
    # active voice: the police's own stated intent is PLOVER's THREATEN, not capped
    _, events = code("The prime minister said police would arrest any officials who refused to hand back the plates.")
    (ev,) = [e for e in events if e.type == "THREATEN"]
    assert ev.confidence > UNREAL_CAP


def test_a_real_arrest_keeps_its_confidence(code) -> None:  # type: ignore[no-untyped-def]
    _, events = code("Police arrested two men in Denver on Monday.")
    (ev,) = _arrests(events)
    assert ev.confidence > 0.9


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Deputies went to the house early Saturday to arrest the man.", "2009-03-21"),
        ("Officers returned on Tuesday to detain two more suspects.", "2009-03-24"),
    ],
)
def test_an_infinitive_takes_the_date_of_the_clause_it_completes(code, sentence: str, day: str) -> None:  # type: ignore[no-untyped-def]
    _, events = code(sentence, published_at="2009-03-25")
    (ev,) = _arrests(events)
    assert ev.date["date_start"] == day
    assert ev.date["source"] == "text"
