"""Inputs that used to grow without bound (issue 13, item 6): a ``**`` glob through symlink
loops. (The fetch deadline for a dripping server is tests/scale/test_ssrf.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from eventwire.ingest import _expand
print("\\n".join(str(x) for x in _expand(sys.argv[1])))
"""


def test_glob_through_symlink_loops_ends_and_lists_each_file_once(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "x.txt").write_text("Troops withdrew from the town.\n")
    (root / "y.txt").write_text("Talks resumed in Geneva.\n")
    # Two loops: glob.glob(recursive=True) follows both, and the paths it builds double per level.
    os.symlink(root, root / "a" / "loop1")
    os.symlink(root, root / "a" / "b" / "loop2")
    r = subprocess.run([sys.executable, "-c", CODE, str(root / "**" / "*.txt")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == [str(root / "a" / "b" / "x.txt"), str(root / "y.txt")]
