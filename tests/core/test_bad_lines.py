"""One bad line must not sink a batch (issue 13, item 2): a lone surrogate, JSON nested past the
recursion limit, a NUL in a field PostgreSQL cannot hold, an impossible date. Each becomes that
document's rejection with its reason; every other document of the batch is stored, on both
backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eventwire.batch import IngestReport, _store_one, ingest
from eventwire.config import load_settings
from eventwire.errors import InputError
from eventwire.ingest import read
from eventwire.pipeline import Pipeline
from eventwire.records import Article, Result
from eventwire.store import Store
from tests.serve.polling import report

GOOD = [
    "A drone struck an ammunition depot near Aleppo on Tuesday, officials said.",
    "Protesters marched in Bamako on Friday against the transitional government.",
]
BAD = [
    '{"text": "x \\ud800 a lone surrogate in the body."}',
    '{"text": "Fine body text here.", "title": "bad \\udfff title"}',
    "[" * 100_000 + "]" * 100_000,
    '{"text": "Troops withdrew from the town on Monday.", "url": "http://a\\u0000b"}',
    '{"text": "Talks resumed in Geneva on Monday.", "byline": "desk\\u0000"}',
    '{"text": "Talks ended in Doha on Monday.", "published_at": "9999-99-99"}',
]


def _lines(*bad: str) -> str:
    good = [json.dumps({"text": t}) for t in GOOD]
    return "\n".join([good[0], *bad, good[1]]) + "\n"


def _ingest(path: Path, url: str, plain: bool = False) -> tuple[IngestReport, Store]:
    s = load_settings(db=url, cluster=False)
    store = Store(url)
    report = ingest(read([str(path)], s, plain=plain), s, store, pipeline=Pipeline(s, stages=("clean",)))
    return report, store


def test_each_bad_line_is_its_own_rejection(tmp_path, store_url):
    p = tmp_path / "batch.jsonl"
    p.write_text(_lines(*BAD), "utf-8")
    report, store = _ingest(p, store_url)
    reasons = [r.reason for r in report.rejected]
    assert len(reasons) == len(BAD), reasons
    assert "lone surrogate" in reasons[0] and reasons[0].startswith("text")
    assert reasons[1].startswith("title") and "lone surrogate" in reasons[1]
    assert "nested too deeply" in reasons[2]
    assert reasons[3].startswith("url contains a NUL") and reasons[4].startswith("byline contains a NUL")
    assert "9999-99-99" in reasons[5]
    assert report.new == 2 and store.count("articles") == 2
    bodies = {store.article(a["id"])["body"] for a in store.articles()}
    assert bodies == set(GOOD)


def test_nul_in_plain_text_is_a_rejection(tmp_path, store_url):
    # A file holding NUL is "binary" already; a JSONL string may hold one (\u0000).
    p = tmp_path / "plain.jsonl"
    p.write_text(_lines('{"text": "Before\\u0000after: a NUL kept byte for byte."}'), "utf-8")
    report, store = _ingest(p, store_url, plain=True)
    assert [r.reason.split(" (")[0] for r in report.rejected] == ["text contains a NUL character"]
    assert report.new == 2 and store.count("articles") == 2


def test_an_unstorable_article_is_rejected_by_the_store_not_the_run(store_url):
    """Past the ingest checks (a stage that put a NUL in a field), the store still turns the
    failure into that article's rejection and the next article is stored."""
    store = Store(store_url)
    bad = Article.from_paragraphs("x", ["Body one is fine."], title=None, byline="desk\x00")
    good = Article.from_paragraphs("y", ["Body two is fine."], title=None)
    report = IngestReport()
    if store.dialect == "postgresql":
        with pytest.raises(InputError, match="cannot be stored"):
            store.upsert(Result(article=bad))
    for art in (bad, good):
        _store_one(store, None, Result(article=art), False, report)
    assert report.new + len(report.rejected) == 2 and store.has_article(good.id)
    if store.dialect == "postgresql":
        assert report.rejected[0].stage == "store" and "NUL" in report.rejected[0].reason


def test_cli_prints_rejections_not_a_traceback(tmp_path):
    p = tmp_path / "batch.jsonl"
    p.write_text(_lines(*BAD[:3]), "utf-8")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    r = subprocess.run([sys.executable, "-m", "eventwire", "--db", db, "ingest", str(p)],
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "EVENTWIRE_CLUSTER": "0"})
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.stderr.count("rejected ") >= 3 and "2 new" in r.stderr
    assert Store(db).count("articles") == 2


def test_api_rejects_the_line_instead_of_500(tmp_path):
    from fastapi.testclient import TestClient

    from eventwire.serve import create_app

    store = Store(f"sqlite:///{tmp_path / 'api.db'}")
    s = load_settings(db=store.url, token="t0k", cluster=False)
    with TestClient(create_app(s, store=store, pipeline=Pipeline(s, stages=("clean",)))) as c:
        h = {"Authorization": "Bearer t0k", "content-type": "application/json"}
        rep = report(c.get, c.post("/api/ingest", content=b'{"text": "x \\ud800 y."}', headers=h))
        assert "lone surrogate" in rep["rejected"][0]["reason"]  # the job's rejection, not a failure
        rep = report(c.get, c.post("/api/ingest", json={"jsonl": _lines(*BAD)}, headers=h))
        assert rep["new"] == 2 and len(rep["rejected"]) == len(BAD)


# Any code point, surrogates included (hypothesis leaves them out unless asked).
_any_text = st.text(st.characters(exclude_categories=()), max_size=40)
_values = st.one_of(_any_text, st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False),
                    st.lists(_any_text, max_size=2))
_objects = st.dictionaries(
    st.sampled_from(["text", "title", "url", "published_at", "publisher", "byline", "id", "x"]),
    _values, max_size=5,
).map(lambda d: json.dumps(d))
_lines_st = st.lists(st.one_of(_objects, st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
                               _any_text.map(lambda t: json.dumps({"text": t}))), max_size=6)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_lines_st, raw=st.binary(max_size=200))
def test_property_arbitrary_lines_never_sink_the_batch(request, tmp_path, backend, lines, raw):
    url = (f"sqlite:///{tmp_path / 'prop.db'}" if backend == "sqlite"
           else request.getfixturevalue("pg_schema_url"))
    path = tmp_path / "in.jsonl"
    good = [json.dumps({"text": t}) for t in GOOD]
    data = "\n".join([good[0], *lines, good[1]]).encode("utf-8", "surrogatepass") + b"\n" + raw
    path.write_bytes(data)
    report, store = _ingest(path, url)  # must not raise
    stored = {store.article(a["id"])["body"] for a in store.articles(limit=1000)}
    assert set(GOOD) <= stored
    store.close()
