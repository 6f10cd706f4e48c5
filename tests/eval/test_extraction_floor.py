"""The extraction eval (HTML path and naive-rendering path) stays above its pinned floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.eval import below_floors, floors
from eventwire.eval.extraction import run


@pytest.mark.slow
def test_extraction_metrics_above_floors(shared: Path, settings) -> None:
    data = shared / "data" / "dev" / "extraction" / "trafilatura-eval-en"
    metrics = run([data], settings)
    assert metrics["html"]["pages"] == 165
    assert floors("extraction"), "src/eventwire/eval/baselines/extraction.json is missing"
    assert below_floors("extraction", metrics) == []
