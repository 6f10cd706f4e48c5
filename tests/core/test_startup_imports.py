"""`eventwire extract` imports only what the command needs (issue 16.1: start-up in seconds).

Each case runs the real CLI in a fresh interpreter and lists the heavy modules left in
``sys.modules``: a sentence the event classifier's gate rules out never loads torch, and no
extract ever loads scikit-learn, sentence-transformers, transformers, the web server, the store
or Dask.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("torch", "sklearn", "sentence_transformers", "transformers", "pandas", "pyarrow", "fastapi",
         "uvicorn", "sqlalchemy", "alembic", "dask", "distributed")  # fmt: skip

PROBE = """
import json, runpy, sys
sys.argv = ["eventwire", "extract", "--jsonl", sys.argv[1]]
try:
    runpy.run_module("eventwire", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps(sorted(m for m in %r if m in sys.modules)), file=sys.stderr)
"""


def _loaded(path: Path) -> tuple[list[str], str]:
    p = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), str(path)], capture_output=True, text=True,
                       check=True, timeout=600)  # fmt: skip
    return json.loads(p.stderr.strip().splitlines()[-1]), p.stdout


def test_a_quiet_sentence_never_imports_torch(tmp_path: Path) -> None:
    f = tmp_path / "quiet.txt"
    f.write_text("The weather in the capital was mild on Sunday and the museums stayed open late.\n", encoding="utf-8")
    loaded, out = _loaded(f)
    assert json.loads(out.splitlines()[0])["body"].startswith("The weather")
    assert loaded == []


def test_an_event_loads_torch_and_nothing_else_heavy(tmp_path: Path) -> None:
    f = tmp_path / "event.txt"
    f.write_text("Police arrested 12 protesters in Nairobi on Tuesday after clashes near parliament.\n", encoding="utf-8")
    loaded, out = _loaded(f)
    if "torch" not in loaded:  # pragma: no cover - the gate ruled it out with another model
        pytest.skip("the sentence did not reach the encoder")
    assert json.loads(out.splitlines()[0])["events"]
    assert loaded == ["torch"]
