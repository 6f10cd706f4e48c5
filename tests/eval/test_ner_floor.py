"""The NER eval stays above its pinned floors and above bare en_core_web_sm on defence news."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.eval import below_floors, floors
from eventwire.eval.ner import run


@pytest.mark.slow
def test_ner_metrics_above_floors(shared: Path, settings) -> None:
    ner = shared / "data" / "dev" / "ner"
    metrics = run([ner / "re3d", ner / "gum-news"], settings)
    assert metrics["re3d"]["docs"] == 55 and metrics["gum-news"]["docs"] == 22
    assert floors("ner"), "src/eventwire/eval/baselines/ner.json is missing"
    assert below_floors("ner", metrics) == []
    # The point of the stage: better than the bare model on the defence documents.
    ours, bare = metrics["re3d"]["eventwire"]["exact"]["micro"], metrics["re3d"]["bare"]["exact"]["micro"]
    assert ours["f1"] > bare["f1"] + 0.1
    # ... and on every re3d source folder alone (leave-one-source-out, issue 14.4).
    per = metrics["re3d"]["loso"]["sources"]
    assert len(per) == 4
    for name, m in per.items():
        assert m["eventwire"]["exact"]["micro"]["f1"] > m["bare"]["exact"]["micro"]["f1"] + 0.05, name
