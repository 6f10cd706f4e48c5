"""`eventwire show` and `search` in the table style of the other commands (issue 15.5): show's
evidence column holds each event's sentence; search prints a table, JSON lines with --json."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from eventwire.cli import app


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.serve.sample import sample_db

    return sample_db(tmp_path_factory.mktemp("render") / "sample.db")


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").replace("┃", " ").split())


def test_show_fills_the_evidence_column(sample_db: str) -> None:
    import io

    from rich.console import Console

    from eventwire.cli.render import article_view
    from eventwire.store import Store

    with Store(sample_db) as s:
        art = next(a for a in s.articles(limit=10) if "Kharkiv" in (a.get("title") or ""))
        rec = s.article(art["id"])
    buf = io.StringIO()
    article_view(Console(file=buf, width=600), rec)  # wide: no cell wraps, a row is one line
    rows = [ln for ln in buf.getvalue().splitlines() if ln.startswith("│ ASSAULT")]
    assert rows, buf.getvalue()
    evidence = rows[0].split("│")[1:-1][-1].strip()  # the last column
    assert evidence.startswith("Three people were killed when drones struck"), evidence
    # And through the command, the same sentence is on screen.
    r = CliRunner().invoke(app, ["--db", sample_db, "show", art["id"][:10]])
    assert r.exit_code == 0 and "Three" in r.stdout.split("events", 1)[1], r.output


def test_search_prints_a_table_and_json_on_request(sample_db: str) -> None:
    table = CliRunner().invoke(app, ["--db", sample_db, "search", "Kharkiv"])
    assert table.exit_code == 0, table.output
    assert not table.stdout.lstrip().startswith("{")
    flat = _flat(table.stdout)
    assert "Drone strike on Kharkiv" in flat and "1 result for" in flat
    js = CliRunner().invoke(app, ["--db", sample_db, "search", "Kharkiv", "--json"])
    assert js.exit_code == 0, js.output
    rows = [json.loads(ln) for ln in js.stdout.splitlines() if ln.strip()]
    assert rows and all("id" in r for r in rows)
