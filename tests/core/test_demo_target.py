"""`make demo` ends by saying how to open the UI (issue 15.5)."""

from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def test_demo_ends_with_the_command_that_opens_the_ui() -> None:
    text = MAKEFILE.read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", text, re.M)
    assert recipe, "no demo target"
    last = recipe.group(1).strip().splitlines()[-1]
    assert last.lstrip("\t").startswith("@echo") and "eventwire serve" in last and "http://" in last, last
