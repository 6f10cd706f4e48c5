"""kill -9 in the middle of a large ingest leaves a consistent store; a re-run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from eventwire.store import Store

WRITER = """
import sys
sys.path.insert(0, {tests!r})
from store.helpers import make_result
from eventwire.store import Store
st = Store({url!r})
for i in range({n}):
    st.upsert(make_result(i))
    if i == 20:
        print("started", flush=True)
"""

N = 400


def _run(url: str, tests: str) -> subprocess.Popen[str]:
    code = WRITER.format(tests=tests, url=url, n=N)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_kill_9_mid_ingest_then_rerun(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    tests = str(Path(__file__).resolve().parents[1])
    Store(url)  # migrate first so the kill lands in the write loop
    proc = _run(url, tests)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    st = Store(url)
    with st.engine.connect() as c:
        n_art = c.execute(sa.text("select count(*) from articles")).scalar_one()
        n_fts = c.execute(sa.text("select count(*) from articles_fts")).scalar_one()
        n_ev = c.execute(sa.text("select count(*) from events")).scalar_one()
        orphans = c.execute(sa.text("select count(*) from events e left join articles a on a.id = e.article_id where a.id is null")).scalar_one()
    assert 0 < n_art < N, "the kill should land mid-ingest"
    assert n_fts == n_art == n_ev and orphans == 0
    proc = _run(url, tests)
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert st.count("articles") == N and st.count("events") == N
