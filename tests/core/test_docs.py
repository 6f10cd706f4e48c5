"""Docs that cannot go stale: README commands, every CLI command and setting documented."""

from __future__ import annotations

import re
from pathlib import Path

from eventwire.cli import app
from eventwire.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README Quick start has no ```sh block"
    return [ln.split("#", 1)[0].strip() for ln in block.group(1).splitlines() if ln.split("#", 1)[0].strip()]


def test_readme_names_exactly_the_two_commands() -> None:
    assert _quickstart_commands() == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_makefile_has_both_targets() -> None:
    mk = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", mk, re.M) and re.search(r"^test:", mk, re.M)


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    missing = [n for n in names if f"eventwire {n}" not in readme]
    assert not missing, f"commands missing from README: {missing}"


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text()
    missing = [n for n in Settings.model_fields if f"`{n}`" not in doc or f"EVENTWIRE_{n.upper()}" not in doc]
    assert not missing, f"settings missing from docs/settings.md: {missing}"
