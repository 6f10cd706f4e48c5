"""The ingest summary names source events and the merged events `eventwire events` lists
(issue 15.5: it said "22 events" and `events` then said "19 events")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from eventwire.cli import app


def test_summary_names_source_and_merged_events(tmp_path: Path, monkeypatch: Any) -> None:
    import eventwire.batch as batch
    import eventwire.kb as kb
    from eventwire.store import Store
    from eventwire.store.query import EventFilter, count_events
    from tests.serve.sample import fill

    url = f"sqlite:///{tmp_path / 's.db'}"

    def fake_ingest(raws: Any, settings: Any, store: Any, **_: Any) -> Any:
        fill(store)  # the five sample events, as if this batch had coded them
        return batch.IngestReport(documents=4, articles=4, new=4, events=7)

    class NoKB:
        def entities(self) -> list[Any]:
            return []

    monkeypatch.setattr(batch, "ingest", fake_ingest)
    monkeypatch.setattr(kb.KnowledgeBase, "load", classmethod(lambda cls, *a, **k: NoKB()))
    (tmp_path / "a.txt").write_text("x")
    r = CliRunner().invoke(app, ["--db", url, "ingest", str(tmp_path / "a.txt")])
    assert r.exit_code == 0, r.output
    with Store(url) as s:  # what `eventwire events` lists: canonical events above the 0.5 floor
        listed = count_events(s, EventFilter(min_confidence=0.5))
    said = " ".join(r.stderr.split())
    assert "7 source events" in said, said
    assert f"{listed} events in the store" in said and "eventwire events" in said, said
    # --json says the same two numbers
    r = CliRunner().invoke(app, ["--db", url, "ingest", str(tmp_path / "a.txt"), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["events"] == 7 and out["events_listed"] == listed and out["min_confidence"] == 0.5, out
