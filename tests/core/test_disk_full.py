"""A full disk mid-ingest (issue 13.7): the rejections gathered so far are printed, the error is one
line (no traceback, exit 1), what was stored stays stored and whole, and the next run works.

The disk is filled in a child process running the real entry point: either the store's write path
raises ``OSError(ENOSPC)`` after two articles, or SQLite itself answers every write with
"database or disk is full" (what it raises on ENOSPC), which also hits the next run's first write.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from eventwire.store import Store

GOOD = [
    "A drone struck an ammunition depot near Aleppo on Tuesday, officials said.",
    "Protesters marched in Bamako on Friday against the transitional government.",
    "Police arrested twelve people in Nairobi after clashes on Sunday.",
    "Rebels attacked an army post near Goma on Monday, killing two soldiers.",
]

FILL = r"""
import errno, os, sqlite3
import sqlalchemy as sa
from eventwire import store as S
from eventwire.cli import main

mode, allow = os.environ["EW_FULL"], int(os.environ["EW_FULL_AFTER"])
done = [0]
if mode == "oserror":
    orig = S.Store.upsert
    def upsert(self, result, *, replace=False):
        if done[0] >= allow:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done[0] += 1
        return orig(self, result, replace=replace)
    S.Store.upsert = upsert
else:
    @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
    def full(conn, cursor, statement, params, context, executemany):
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE", "CREATE", "REPLACE"}:
            if statement.upper().split()[:3] == ["INSERT", "INTO", "ARTICLES"]:
                done[0] += 1
            if done[0] > allow or (allow == 0 and verb != "CREATE"):
                raise sqlite3.OperationalError("database or disk is full")
main()
"""


def _ingest(db: str, folder: Path, fill: tuple[str, int] | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVENTWIRE_CLUSTER": "0"}
    if fill:
        env |= {"EW_FULL": fill[0], "EW_FULL_AFTER": str(fill[1])}
    cmd = ["-c", FILL, "--db", db] if fill else ["-m", "eventwire", "--db", db]
    return subprocess.run([sys.executable, *cmd, "ingest", "--plain", str(folder)],
                          capture_output=True, text=True, timeout=600, env=env)


def _one_error_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 1, (r.returncode, r.stderr[-3000:])
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, r.stderr[-3000:]
    assert "space" in errors[0].lower() or "full" in errors[0].lower(), errors[0]
    return errors[0]


def _intact(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_full_disk_prints_rejections_one_line_and_keeps_what_was_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_text("", "utf-8")
    (folder / "b_binary.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    for i, text in enumerate(GOOD):
        (folder / f"c{i}.txt").write_text(text, "utf-8")
    path = tmp_path / "full.db"
    db = f"sqlite:///{path}"

    r = _ingest(db, folder, ("oserror", 2))
    line = _one_error_line(r)
    assert "a_empty.txt" in r.stderr and "b_binary.txt" in r.stderr  # the rejections so far
    assert sum(ln.startswith("rejected ") for ln in r.stderr.splitlines()) == 2
    assert "no space left" in line.lower()
    _intact(path)
    assert Store(db).count("articles") == 2

    # The disk is still full: SQLite itself refuses every write of the next run.
    r = _ingest(db, folder, ("sqlite", 0))
    _one_error_line(r)
    _intact(path)
    assert Store(db).count("articles") == 2

    # Space freed: the next run stores the rest; nothing stored before is lost or re-coded.
    r = _ingest(db, folder, None)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-3000:]
    assert "2 new" in r.stderr and "2 already stored" in r.stderr, r.stderr[-1000:]
    _intact(path)
    assert Store(db).count("articles") == 4


def test_database_full_mid_batch_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_text("", "utf-8")
    for i, text in enumerate(GOOD):
        (folder / f"c{i}.txt").write_text(text, "utf-8")
    path = tmp_path / "full.db"
    r = _ingest(f"sqlite:///{path}", folder, ("sqlite", 1))
    _one_error_line(r)
    assert "a_empty.txt" in r.stderr
    _intact(path)
    assert Store(f"sqlite:///{path}").count("articles") == 1
