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
