"""``ingest --replace`` and ``eventwire delete`` keep merged events, stories and links right
(issue 13, item 4): re-ingesting with ``--replace`` gives the store a first ingest gave; deleting
an article removes exactly its events from their merged events, its member from its story and
its near-duplicates' links, leaving every count equal to the rows it counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from eventwire.errors import NotFound
from eventwire.store import Store
from tests.store.test_concurrent import _corpus, _env, _ingest, _snapshot


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("replace") / "corpus")


def _consistent(url: str) -> None:
    """Merged events, stories and links agree with the rows they count."""
    st = Store(url)
    with st.engine.connect() as c:
        def q(sql: str) -> list[Any]:
            return list(c.execute(sa.text(sql)).all())

        ev_canon = dict(q("select id, canonical_id from events"))
        for cid, srcs, n, n_art in q("select id, sources, num_mentions, num_articles from canonical_events"):
            srcs = srcs if isinstance(srcs, list) else json.loads(srcs)
            refs = [x["event_id"] for x in srcs]
            assert len(refs) == len(set(refs)) == n, cid
            assert {e for e, k in ev_canon.items() if k == cid} == set(refs), cid
            assert n_art == len({x["article_id"] for x in srcs})
        canon_ids = {r[0] for r in q("select id from canonical_events")}
        assert {k for k in ev_canon.values() if k} <= canon_ids
        # A story counts its coded members; near-duplicates join it uncounted.
        members = dict(q("select story_id, count(*) from articles where story_id is not null "
                         "and duplicate_of is null group by story_id"))
        assert dict(q("select id, n_articles from stories")) == members
        art_ids = {r[0] for r in q("select id from articles")}
        assert {r[0] for r in q("select duplicate_of from articles where duplicate_of is not null")} <= art_ids
    st.close()


def test_replace_gives_the_same_store(corpus, store_url):
    _ingest(corpus, store_url, 1)
    first = _snapshot(store_url)
    _ingest(corpus, store_url, 1, "--replace")
    assert _snapshot(store_url) == first
    _consistent(store_url)


def test_delete_updates_stories_merged_events_and_links(corpus, store_url):
    _ingest(corpus, store_url, 1)
    before = _snapshot(store_url)
    st = Store(store_url)
    with st.engine.connect() as c:
        # 001.txt: a first report, with a wire copy (a near-duplicate) and events merged with
        # another outlet's report of the same attack.
        victim = c.execute(sa.text("select id from articles where source like '%001.txt'")).scalar_one()
        gone = set(c.execute(sa.text("select id from events where article_id = :a"), {"a": victim}).scalars())
        copies = set(c.execute(sa.text("select id from articles where duplicate_of = :a"), {"a": victim}).scalars())
    assert gone and copies
    r = subprocess.run([sys.executable, "-m", "eventwire", "delete", victim[:10]], env=_env(store_url),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and victim in r.stderr, r.stderr
    after = _snapshot(store_url)
    assert victim not in {a[0] for a in after["articles"]}
    assert {a[0] for a in after["articles"] if a[0] in copies and a[1] is None} == copies  # unlinked
    assert not gone & {e[0] for e in after["events"]}
    assert [e for e in before["events"] if e[0] not in gone] == after["events"]
    assert sum(x[1] for x in after["canonical"]) == sum(x[1] for x in before["canonical"]) - len(gone)
    _consistent(store_url)
    with pytest.raises(NotFound):
        st.delete(victim)
    st.close()
