"""Event coding stays above its pinned floors on the public dev data and on the corpus's test
split (baselines/events.json for the default coder, learned.v1; events-rules.json for rules.v1,
whose lexicon was written beside the PLOVER dev sentences)."""

from __future__ import annotations

from pathlib import Path

from eventwire.config import load_settings
from eventwire.eval import below_floors, floors
from eventwire.eval import events as ev
from eventwire.events.corpus import CORPUS_DIR


def test_learned_coder_above_floors(shared: Path) -> None:
    data = [shared / "data/dev/events/plover-gsr.json", shared / "data/dev/events/petrarch2-unittests", CORPUS_DIR]
    metrics = ev.run(data, load_settings(), coder="learned.v1", split="test")
    assert floors("events"), "baselines/events.json is missing"
    assert below_floors("events", metrics) == []
    lab = metrics["labelled"]
    assert lab["calibration"]["ece"] <= 0.06, lab["calibration"]
    assert lab["non_acled_coded_as_violence_or_protest"] <= 0.03


def test_rules_coder_above_floors(shared: Path) -> None:
    data = [shared / "data/dev/events/plover-gsr.json", shared / "data/dev/events/petrarch2-unittests"]
    metrics = ev.run(data, load_settings(), coder="rules.v1")
    assert below_floors("events-rules", metrics) == []
