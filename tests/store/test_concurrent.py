"""Two and four ``eventwire ingest DIR`` at once on one store end with the store a single run
gives: same article ids, near-duplicate links, stories, events and merged-event counts (issue 13,
item 3). Real processes, real SQLite file and real PostgreSQL schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from eventwire.store import Store

PLACES = ["Aleppo", "Idlib", "Homs", "Raqqa"]
ACTORS = ["Syrian government forces", "Turkish drones", "Islamic State militants", "Russian warplanes"]


def _corpus(d: Path) -> Path:
    """Twelve short articles: four reports, a wire copy of each (a near-duplicate) and a second
    outlet's own wording of the same event (merged into the same canonical event)."""
    d.mkdir()
    n = 0
    for i, (place, actor) in enumerate(zip(PLACES, ACTORS, strict=True)):
        day = 3 + i
        report = (f"{actor} shelled a market in {place} on {day} May 2024, killing {i + 4} civilians "
                  f"and wounding {i + 10} others, the Syrian Observatory for Human Rights said. "
                  f"Residents said the attack began before dawn and lasted two hours. "
                  f"Local officials said rescue teams were still searching the rubble of the "
                  f"market in {place} on Sunday evening. Schools in the area were closed.")
        copy = report + " Reporting by the wire desk; editing by the night editor."
        other = (f"At least {i + 4} civilians were killed when {actor} shelled a market in {place} on "
                 f"{day} May 2024, a monitoring group reported.")
        for text in (report, other, copy):  # the copy comes last in file order
            n += 1
            (d / f"{n:03d}.txt").write_text(f"Attack on {place} market\n\n{text}\n", "utf-8")
    return d


def _env(url: str) -> dict[str, str]:
    # Batches of two: many lock turns, so the writers really interleave.
    # rules.v1: the released coder, so this test does not depend on a trained model file.
    return {**os.environ, "EVENTWIRE_DB": url, "EVENTWIRE_BATCH_SIZE": "2", "EVENTWIRE_CODER": "rules.v1"}


def _ingest(corpus: Path, url: str, n: int, *extra: str) -> None:
    procs = [subprocess.Popen([sys.executable, "-m", "eventwire", "ingest", str(corpus), *extra], env=_env(url),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(n)]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]


def _snapshot(url: str) -> dict[str, Any]:
    st = Store(url)
    with st.engine.connect() as c:
        def rows(q: str) -> list[tuple[Any, ...]]:
            return sorted(tuple(r) for r in c.execute(sa.text(q)).all())

        snap = {
            "articles": rows("select id, duplicate_of, story_id from articles"),
            "events": rows("select id, article_id, canonical_id from events"),
            "canonical": rows("select id, num_mentions, num_sources, num_articles from canonical_events"),
            "stories": rows("select id, n_articles from stories"),
            "signatures": rows("select article_id from article_signatures"),
        }
    st.close()
    return snap


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("concurrent") / "corpus")


@pytest.fixture()
def second_url(request, tmp_path: Path, store_url: str) -> str:
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'single.db'}"
    return str(request.getfixturevalue("pg_schema_url_2"))


@pytest.fixture()
def pg_schema_url_2(pg_url: str):
    import uuid

    name = f"ew_test_{uuid.uuid4().hex[:10]}"
    eng = sa.create_engine(pg_url)
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    yield f"{pg_url}{'&' if '?' in pg_url else '?'}options=-csearch_path%3D{name}"
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    eng.dispose()


_SINGLE: dict[str, dict[str, Any]] = {}  # one single-run snapshot per backend


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_ingests_equal_a_single_run(corpus, store_url, second_url, writers):
    backend = store_url.split(":", 1)[0]
    if backend not in _SINGLE:
        _ingest(corpus, second_url, 1)
        _SINGLE[backend] = _snapshot(second_url)
    single = _SINGLE[backend]
    assert len(single["articles"]) == 12
    assert sum(1 for a in single["articles"] if a[1]) == 4  # the four wire copies are linked
    assert any(c[1] > 1 for c in single["canonical"])  # some events merged across outlets

    Store(store_url).close()  # migrate once: the writers race on data, not on the schema

    _ingest(corpus, store_url, writers)
    assert _snapshot(store_url) == single
