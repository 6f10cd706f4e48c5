"""``eventwire dump`` / ``eventwire restore`` (issue 13, item 8): a whole store as JSONL and back,
on SQLite and PostgreSQL, across backends too: every row of every table comes back equal
(articles, analysis, events, actors, entities, signatures, stories, merged events, links), and
search works on the restored store."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Any

import pytest
import sqlalchemy as sa

from eventwire.records import Entity
from eventwire.store import Store
from tests.store.helpers import make_result, store_linked


def _fill(url: str) -> None:
    with Store(url) as st:
        results = [make_result(i) for i in range(6)]
        # A near-duplicate (same text, other source) and its link; merged events across articles.
        copy = dataclasses.replace(results[0], article=dataclasses.replace(
            results[0].article, source="test://copy", id="0" * 16, external_id="wire:copy/1"))
        store_linked(st, url, [*results, dataclasses.replace(copy, events=())])
        st.load_entities([Entity(id="grp1", name="Group One", kind="armed_group", aliases=("G1",), country="SYR")])
        from eventwire.store.clusters import article_signatures

        with st.engine.begin() as c:  # a binary column: a MinHash signature
            c.execute(article_signatures.insert().values(article_id=results[1].article.id, num_perm=4, shingles=9,
                                                         hashvalues=bytes(range(256)) + b"\x00\xff"))


def _everything(url: str) -> dict[str, list[Any]]:
    from eventwire.store.dump import TABLES

    out = {}
    with Store(url) as st, st.engine.connect() as c:
        for t in TABLES:
            rows = c.execute(sa.select(t)).mappings().all()
            out[t.name] = sorted(json.dumps({k: _plain(v) for k, v in r.items()}, sort_keys=True) for r in rows)
    return out


def _plain(v: Any) -> Any:
    if hasattr(v, "isoformat"):  # PostgreSQL gives aware datetimes, SQLite naive ones (UTC)
        import datetime as dt

        return (v.astimezone(dt.timezone.utc).replace(tzinfo=None) if getattr(v, "tzinfo", None) else v).isoformat()
    if isinstance(v, (bytes, memoryview)):
        return bytes(v).hex()
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def _cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventwire", "--db", url, *args], capture_output=True, text=True,
                          input=stdin, timeout=300)


@pytest.fixture(params=["sqlite", "postgresql"])
def other_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.db'}"
    import uuid

    pg = request.getfixturevalue("pg_url")
    name = f"ew_test_{uuid.uuid4().hex[:10]}"
    eng = sa.create_engine(pg)
    with eng.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    request.addfinalizer(lambda: _drop(eng, name))
    return f"{pg}?options=-csearch_path%3D{name}"


def _drop(eng: Any, name: str) -> None:
    with eng.begin() as c:
        c.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    eng.dispose()


def test_dump_then_restore_gives_the_same_store(tmp_path, store_url, other_url):
    _fill(store_url)
    before = _everything(store_url)
    assert all(before[t] for t in ("articles", "events", "canonical_events", "stories", "article_signatures",
                                   "entities", "mentions", "event_actors"))
    dump = tmp_path / "store.jsonl"
    r = _cli(store_url, "dump", "-o", str(dump))
    assert r.returncode == 0, r.stderr
    head = json.loads(dump.read_text("utf-8").splitlines()[0])
    assert head["eventwire_dump"] == 1 and head["counts"]["articles"] == 7
    r = _cli(other_url, "restore", str(dump))
    assert r.returncode == 0, r.stderr
    assert "7 articles" in r.stderr
    assert _everything(other_url) == before
    with Store(other_url) as st:
        assert [x["id"] for x in st.search("militants shelling")]  # full-text index rebuilt
        assert st.articles(external_id="wire:copy/1")
    # Restoring into a store that holds data is refused (nothing is mixed), unless asked.
    r = _cli(other_url, "restore", str(dump))
    assert r.returncode == 1 and "not empty" in r.stderr and "Traceback" not in r.stderr
    # stdout / stdin work too.
    out = _cli(store_url, "dump")
    assert out.returncode == 0
    assert out.stdout.splitlines()[1:] == dump.read_text("utf-8").splitlines()[1:]  # all but "created"


def test_restore_refuses_a_damaged_dump_and_writes_nothing(tmp_path, store_url):
    _fill(store_url)
    dump = tmp_path / "store.jsonl"
    assert _cli(store_url, "dump", "-o", str(dump)).returncode == 0
    lines = dump.read_text("utf-8").splitlines()
    target = f"sqlite:///{tmp_path / 'empty.db'}"
    for bad, why in ((lines[:-3], "counts"), (lines[:5] + ["{not json"] + lines[5:], "line 6"),
                     (['{"something": "else"}'] + lines[1:], "not an eventwire dump")):
        p = tmp_path / "bad.jsonl"
        p.write_text("\n".join(bad) + "\n", "utf-8")
        r = _cli(target, "restore", str(p))
        assert r.returncode == 1 and why in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
        with Store(target) as st:
            assert st.count("articles") == 0 and st.count("events") == 0
