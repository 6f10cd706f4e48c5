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


def test_the_event_cut_is_the_lowest_of_the_tied_best() -> None:
    # stop 25: F1 on dev is flat over 0.30-0.55, so the arg-max moved with each retraining (0.30
    # -> 0.50, 2.6 points of recall lost at equal F1); within THRESHOLD_F1_TIE the lowest cut wins
    from types import SimpleNamespace

    from eventwire.events import training
    from eventwire.events.corpus import Example

    # 100 events at p 0.9 and one at 0.32; 100 non-events at 0.1 and two at 0.32: F1 0.9902 at
    # cuts <= 0.30 (two false positives), 0.9950 at 0.35 (one event missed): within the tie, so
    # the lowest cut (0.2); the arg-max would take 0.35
    def cut(n_false_at_032: int) -> float:
        ps = [0.9] * 100 + [0.32] + [0.1] * 100 + [0.32] * n_false_at_032
        gold = [True] * 101 + [False] * (100 + n_false_at_032)
        dev = [Example(f"x{i}", "t", g, "ASSAULT" if g else None, None, None, None, "w", "dev") for i, g in enumerate(gold)]
        model = SimpleNamespace(predict=lambda texts, emb=None: [SimpleNamespace(p_event=p) for p in ps])
        return training.choose_threshold(model, dev)  # type: ignore[arg-type]

    assert cut(2) == 0.2
    assert cut(10) == 0.35  # F1 0.953 below 0.35: no tie, the best cut
