"""Event coding stays above its pinned floors on the public dev data (baselines/events.json)."""

from __future__ import annotations

from pathlib import Path

from eventwire.config import load_settings
from eventwire.eval import below_floors, floors
from eventwire.eval import events as ev


def test_events_above_floors(shared: Path) -> None:
    data = [shared / "data/dev/events/plover-gsr.json", shared / "data/dev/events/petrarch2-unittests"]
    metrics = ev.run(data, load_settings())
    assert floors("events"), "baselines/events.json is missing"
    assert below_floors("events", metrics) == []
