"""Scoring helpers and `eventwire train` / `eventwire eval events` on a user's labelled JSONL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.events import training


def test_per_class_and_confusion() -> None:
    r = training.per_class(["A", "A", "B", "NONE"], ["A", "B", "B", "A"])
    assert r["per_class"]["A"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert r["per_class"]["B"]["precision"] == 0.5 and r["per_class"]["B"]["recall"] == 1.0
    assert r["confusion"]["A"] == {"A": 1, "B": 1}
    assert r["accuracy"] == 0.5


def test_reliability_and_ece() -> None:
    r = training.reliability([0.95, 0.95, 0.15, 0.15], [True, True, False, True])
    assert r["ece"] == round(0.5 * 0.05 + 0.5 * abs(0.15 - 0.5), 4)
    assert [row["n"] for row in r["table"]] == [2, 2]


def _user_file(path: Path) -> Path:
    rows = []
    for i, (t, p, s) in enumerate([
        ("Rebels shelled the town of Kupiansk overnight.", "ASSAULT", "Shelling/artillery/missile attack"),
        ("Artillery pounded the village of Urozhaine at dawn.", "ASSAULT", "Shelling/artillery/missile attack"),
        ("Howitzers hit the outskirts of Avdiivka on Friday.", "ASSAULT", "Shelling/artillery/missile attack"),
        ("The minister met her counterpart in Rome.", "CONSULT", None),
        ("Leaders held talks in Geneva on Monday.", "CONSULT", None),
        ("The envoy visited Ankara for talks.", "CONSULT", None),
        ("Shares fell sharply on Friday.", None, None),
        ("It rained all week in the capital.", None, None),
        ("The film opens in cinemas next month.", None, None),
    ]):  # fmt: skip
        rec = {"id": f"u{i}", "text": t, "event": p is not None, "plover": p, "acled_sub_event_type": s,
               "split": "dev" if i % 3 == 2 else "train"}  # fmt: skip
        rows.append(json.dumps(rec))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_train_then_eval_a_user_model(tmp_path: Path) -> None:
    data = _user_file(tmp_path / "mine.jsonl")
    out = tmp_path / "model.npz"
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--data", str(data), "--no-shipped", "--family", "tfidf", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.is_file()
    report = json.loads(res.stdout)
    assert report["meta"]["train_examples"] == 6 and report["meta"]["dev_examples"] == 3
    res = runner.invoke(app, ["eval", "events", "--data", str(data), "--model", str(out), "--split", "dev"])
    assert res.exit_code == 0, res.output
    m = json.loads(res.stdout)["labelled"]
    assert m["sentences"] == 3 and m["coder"] == "learned.v1"
    assert set(m["plover"]["per_class"]) <= {"ASSAULT", "CONSULT", "NONE"}
    assert "confusion" in m["acled_sub_event"]


def test_train_rejects_bad_user_data(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Police arrested him.", "event": true, "plover": "ARREST"}\n', encoding="utf-8")
    cmd = [sys.executable, "-m", "eventwire", "train", "--data", str(bad), "--no-shipped", "--family", "tfidf",
           "-o", str(tmp_path / "m.npz")]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1
    assert "bad.jsonl:1" in res.stderr and "PLOVER" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "m.npz").exists()
    res2 = CliRunner().invoke(app, ["eval", "events", "--coder", "nope"])
    assert res2.exit_code == 2
