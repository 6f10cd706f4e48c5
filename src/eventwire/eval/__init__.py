"""Evaluation against the public gold data in ../shared/data/dev.

One module per task (``extraction``, ``ner``, ``geo``, ``events``, ``clusters``), each with
``run(data: list[Path], settings: Settings, **options) -> dict`` returning JSON-ready metrics.
Floors live in ``baselines/<task>.json`` as ``{"dotted.metric.path": floor}``; CI fails below
them (tests/eval/test_floors.py), and raising or lowering one is a reviewed change with the
measurement in the commit message.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from ..errors import EvalError

TASKS = ("extraction", "ner", "geo", "events", "clusters")
BASELINES = Path(__file__).parent / "baselines"

# Default data locations, relative to the repository checkout (../shared beside it).
DEFAULT_DATA = {
    "extraction": ["../shared/data/dev/extraction/trafilatura-eval-en"],
    "ner": ["../shared/data/dev/ner/re3d", "../shared/data/dev/ner/gum-news"],
    "geo": ["../shared/data/dev/geo/lgl.xml", "../shared/data/dev/geo/GeoVirus.xml"],
    "events": ["../shared/data/dev/events/plover-gsr.json", "../shared/data/dev/events/petrarch2-unittests",
               "src/eventwire/events/data/corpus"],
    "clusters": ["../shared/data/dev/clusters/ecbplus.tar.xz"],
}


def run(task: str, data: list[Path], settings: Any, **options: Any) -> dict[str, Any]:
    if task not in TASKS:
        raise EvalError(f"unknown eval task {task!r}; choose one of {', '.join(TASKS)}")
    for d in data:
        if not Path(d).exists():
            raise EvalError(f"{d}: evaluation data not found; pass --data with its path")
    mod = importlib.import_module(f".{task}", __name__)
    return mod.run([Path(d) for d in data], settings, **options)  # type: ignore[no-any-return]


def lookup(metrics: dict[str, Any], dotted: str) -> Any:
    cur: Any = metrics
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def floors(task: str) -> dict[str, float]:
    path = BASELINES / f"{task}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def below_floors(task: str, metrics: dict[str, Any], *, missing_ok: bool = False) -> list[str]:
    """Metrics under their pinned floor. A missing metric counts as a failure unless
    ``missing_ok`` (a run over other data than the default, where some floors do not apply)."""
    out = []
    for key, floor in floors(task).items():
        val = lookup(metrics, key)
        if val is None and missing_ok:
            continue
        if not isinstance(val, (int, float)) or val < floor:
            out.append(f"{task}: {key} = {val} < floor {floor}")
    return out
