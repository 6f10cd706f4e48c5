"""A caller's id is never the article id (issue 13, item 5): article ids always come from the
text, so a crafted JSONL ``id`` can neither overwrite a stored article (with ``--replace``) nor
hide new text as "already stored". The caller's id is kept, validated, as ``external_id``, and
articles can be found by it (store, API, CLI). Existing stores gain the column in place."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from eventwire.batch import IngestReport, ingest
from eventwire.config import load_settings
from eventwire.ingest import read
from eventwire.pipeline import Pipeline
from eventwire.records import Article
from eventwire.store import Store

SEED = "A drone struck an ammunition depot near Aleppo on Tuesday, officials said."


def _ingest(path: Path, url: str, replace: bool = False) -> IngestReport:
    s = load_settings(db=url, cluster=False)
    with Store(url) as store:
        return ingest(read([str(path)], s), s, store, pipeline=Pipeline(s, stages=("clean",)), replace=replace)


def _jsonl(path: Path, *objs: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), "utf-8")
    return path


def test_crafted_id_cannot_overwrite_or_hide_behind_a_stored_article(tmp_path, store_url):
    first = _ingest(_jsonl(tmp_path / "seed.jsonl", {"text": SEED}), store_url)
    (stored_id,) = first.new_ids
    crafted = _jsonl(tmp_path / "crafted.jsonl", {"id": stored_id, "text": "Nothing happened today."})
    for replace in (True, False):
        report = _ingest(crafted, store_url, replace=replace)
        assert report.rejected == []
        with Store(store_url) as store:
            assert store.article(stored_id)["body"] == SEED  # never overwritten
            new = [a for a in store.articles() if a["id"] != stored_id]
            assert len(new) == 1, new  # stored (not "already stored"), once
            rec = store.article(new[0]["id"])
        assert rec["id"] == Article.make_id("", "Nothing happened today.")
        assert rec["external_id"] == stored_id and rec["body"] == "Nothing happened today."


def test_hostile_ids_are_rejected_with_a_reason_and_the_rest_stored(tmp_path, store_url):
    bad = ["../../etc/passwd", "x" * 5000, "a b", "/abs", "id\u202e", ""]
    lines = [{"id": b, "text": f"Troops withdrew from town number {i}."} for i, b in enumerate(bad)]
    p = _jsonl(tmp_path / "bad.jsonl", *lines, {"id": "reuters:2024/abc-7#2", "text": SEED})
    report = _ingest(p, store_url)
    assert len(report.rejected) == len(bad) - 1, report.rejected  # "" is no id at all
    assert all("external_id" in r.reason for r in report.rejected), report.rejected
    assert all(len(str(r)) < 400 for r in report.rejected)  # the 5,000 characters are not echoed
    with Store(store_url) as store:
        rows = {a["external_id"] for a in store.articles()}
        assert rows == {"reuters:2024/abc-7#2", None}
        with store.engine.connect() as c:
            ids = c.execute(sa.text("select id from articles")).scalars().all()
        assert all(len(i) == 16 and set(i) <= set("0123456789abcdef") for i in ids)


def test_found_by_external_id_in_store_api_and_cli(tmp_path, store_url):
    from fastapi.testclient import TestClient

    from eventwire.serve import create_app

    p = _jsonl(tmp_path / "a.jsonl", {"id": "doc-7", "text": SEED}, {"text": "Talks resumed in Geneva."})
    _ingest(p, store_url)
    with Store(store_url) as store:
        (row,) = store.articles(external_id="doc-7")
        assert row["external_id"] == "doc-7" and store.article(row["id"])["body"] == SEED
        assert store.articles(external_id="doc-") == []  # exact, not a prefix
        with TestClient(create_app(load_settings(db=store_url), store=store)) as client:
            got = client.get("/api/articles", params={"external_id": "doc-7"}).json()
            assert [a["id"] for a in got["items"]] == [row["id"]] and got["total"] == 1
            assert client.get("/api/articles", params={"external_id": "x" * 300}).status_code == 422
    r = subprocess.run([sys.executable, "-m", "eventwire", "--db", store_url, "articles", "--json",
                        "--external-id", "doc-7"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == [row["id"]]


def test_plain_and_pipe_ids_are_kept_as_external_id(tmp_path):
    """``--plain`` evaluation inputs keep their ids for scorers (``extract`` prints ``id`` = the
    input's id); a ``split --jsonl`` record piped back is its own content id, not an external one."""
    from eventwire.clean import clean
    from eventwire.ingest.jsonl import parse_jsonl

    (doc,) = parse_jsonl(b'{"id": "lgl-7", "text": "  body  kept "}\n', "in.jsonl")
    (art,) = clean(dataclasses.replace(doc, kind="plain"))
    assert art.id == Article.make_id("", "  body  kept ") and art.external_id == "lgl-7"
    (piped,) = clean(next(parse_jsonl(json.dumps({"id": Article.make_id("", SEED), "body": SEED}).encode(), "-")))
    assert piped.external_id is None
    p = _jsonl(tmp_path / "in.jsonl", {"id": "lgl-7", "text": SEED})
    r = subprocess.run([sys.executable, "-m", "eventwire", "split", "--jsonl", "--input-format", "jsonl", str(p)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["id"], out["external_id"]) == ("lgl-7", "lgl-7")


def test_migration_adds_external_id_to_an_existing_store(tmp_path):
    from alembic import command
    from alembic.config import Config

    from eventwire.store import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    eng = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        for aid in ("doc-7", Article.make_id("", SEED)):  # a caller's id stored by an old version
            conn.execute(sa.text(
                "insert into articles (id, source, body, paragraphs, captions, furniture_removed, ingested_at) "
                "values (:i, 's', :b, '[]', '[]', 0, '2024-01-01 00:00:00')"), {"i": aid, "b": SEED})
    eng.dispose()
    with Store(url) as store:
        got = {a["id"]: a["external_id"] for a in store.articles()}
    assert got == {"doc-7": "doc-7", Article.make_id("", SEED): None}
