"""CLI contract: usage errors exit 2, runtime failures exit 1 with one line, --help everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eventwire.cli import app

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


def run(*args: str, db: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    pre = ["--db", db] if db else []
    return subprocess.run(
        [sys.executable, "-m", "eventwire", *pre, *args], capture_output=True, text=True, input=stdin, timeout=300
    )


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_command_has_help(cmd: str) -> None:
    r = run(cmd, "--help")
    assert r.returncode == 0 and "Usage" in r.stdout


def test_unknown_option_is_a_usage_error() -> None:
    r = run("articles", "--bogus")
    assert r.returncode == 2


def test_bad_input_format_is_a_usage_error(tmp_path: Path) -> None:
    r = run("split", "--input-format", "pdf", str(tmp_path))
    assert r.returncode == 2 and "--input-format" in r.stderr


def test_missing_article_is_one_line_exit_1(tmp_path: Path) -> None:
    r = run("show", "deadbeef", db=f"sqlite:///{tmp_path / 'x.db'}")
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no article" in lines[0] and "eventwire articles" in lines[0]


def test_unreachable_db_is_one_line_exit_1() -> None:
    r = run("articles", db="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert r.returncode == 1
    assert len([ln for ln in r.stderr.splitlines() if ln.strip()]) == 1
    assert "EVENTWIRE_DB" in r.stderr


def test_bad_setting_is_exit_1(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("batch_size = -3\n")
    r = run("--config", str(cfg), "articles")
    assert r.returncode == 1 and "batch_size" in r.stderr


def test_empty_store_lists_nothing(tmp_path: Path) -> None:
    r = run("articles", "--json", db=f"sqlite:///{tmp_path / 'e.db'}")
    assert r.returncode == 0 and r.stdout == ""


@pytest.fixture()
def sample_db(tmp_path: Path) -> str:
    """The serve tests' five hand-built events; confidences 0.9, 0.85, 0.8, 0.6 and 0.4."""
    from tests.serve.sample import sample_db

    return sample_db(tmp_path / "sample.db")


def test_min_confidence_out_of_range_is_a_usage_error(sample_db: str) -> None:
    for cmd in (("events",), ("export", "-f", "csv")):
        r = run(*cmd, "--min-confidence", "1.5", db=sample_db)
        assert r.returncode == 2 and "--min-confidence" in r.stderr
    assert run("events", "--min-confidence", "-0.1", db=sample_db).returncode == 2


def test_min_confidence_hides_and_says_so(sample_db: str) -> None:
    # Default (the setting, 0.5): the 0.4 THREATEN is hidden, and the table says how to see it.
    r = run("events", db=sample_db)
    assert r.returncode == 0, r.stderr
    assert "4 events" in r.stdout and "THREATEN" not in r.stdout
    assert "1 more below confidence 0.5; --min-confidence 0 shows them" in " ".join(r.stdout.split())
    r = run("events", "--min-confidence", "0", db=sample_db)
    assert "5 events" in r.stdout and "THREATEN" in r.stdout and "below confidence" not in r.stdout
    r = run("events", "--json", "--min-confidence", "0.85", db=sample_db)
    assert len(r.stdout.splitlines()) == 2 and "3 more below confidence 0.85" in r.stderr
    r = run("export", "-f", "csv", "--min-confidence", "0.7", db=sample_db)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 4  # header + 3
    assert "3 events written" in r.stderr and "2 more below confidence 0.7" in r.stderr


def test_min_confidence_setting_is_the_default(sample_db: str) -> None:
    import os

    env = {**os.environ, "EVENTWIRE_MIN_CONFIDENCE": "0"}
    r = subprocess.run([sys.executable, "-m", "eventwire", "--db", sample_db, "export", "-f", "plover-jsonl"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 5, r.stderr
    env["EVENTWIRE_MIN_CONFIDENCE"] = "0.85"
    r = subprocess.run([sys.executable, "-m", "eventwire", "--db", sample_db, "events", "--json"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert len(r.stdout.splitlines()) == 2, r.stderr
