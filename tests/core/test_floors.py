"""The floor check itself: missing metrics fail the gate, unless the run used other data."""

from __future__ import annotations

from eventwire.eval import below_floors, floors


def test_missing_metric_fails_unless_missing_ok() -> None:
    pinned = floors("ner")
    assert pinned, "ner floors are pinned"
    assert len(below_floors("ner", {})) == len(pinned)
    assert below_floors("ner", {}, missing_ok=True) == []


def test_value_under_floor_is_reported() -> None:
    key, floor = next(iter(floors("ner").items()))
    nested: dict = {}
    cur = nested
    parts = key.split(".")
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = floor - 0.01
    assert any(key in f for f in below_floors("ner", nested, missing_ok=True))
    cur[parts[-1]] = floor
    assert below_floors("ner", nested, missing_ok=True) == []
