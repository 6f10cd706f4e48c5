"""Batch ingest: idempotent re-runs, near-duplicates linked and not re-coded, rejections counted."""

from __future__ import annotations

import json
from pathlib import Path

from eventwire.batch import ingest
from eventwire.config import load_settings
from eventwire.ingest import read
from eventwire.pipeline import Pipeline
from eventwire.store import Store
from eventwire.store.clusters import copy_ids

PARAS = [
    "Government forces shelled the northern town overnight, local officials said on Monday, "
    "and at least four civilians were killed when a market was hit near the main square.",
    "The army said it had targeted positions held by an armed group that had moved into the "
    "area last week, and denied that any civilian buildings had been struck in the operation.",
    "Aid agencies said hundreds of families had fled towards the border since the weekend, "
    "and that roads out of the town were blocked by checkpoints and damaged bridges.",
]


def _jsonl(path: Path, docs: list[dict]) -> str:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs) + "not json\n")
    return str(path)


def test_copies_linked_rerun_idempotent_bad_line_counted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    settings = load_settings(db=url)
    first = {"title": "Town shelled", "text": "\n\n".join(PARAS)}
    # A syndicated copy: new headline, last paragraph dropped, an editor's note added.
    copy = {"title": "Civilians killed in shelling", "text": "\n\n".join(PARAS[:2] + ["Editor's note: updated."])}
    src = _jsonl(tmp_path / "in.jsonl", [first, copy])
    pipe = Pipeline(settings, stages=("clean",))  # cheap stages: this tests the batch logic

    store = Store(url)
    rep = ingest(read([src], settings), settings, store, pipeline=pipe)
    assert (rep.articles, rep.new, rep.duplicates, len(rep.rejected)) == (2, 2, 1, 1)
    assert "line 3" in str(rep.rejected[0]) or rep.rejected[0].line == 3
    orig, dup = rep.new_ids
    assert store.article(dup)["duplicate_of"] == orig
    assert copy_ids(store, orig) == [dup]

    # Re-run in a new process-like state (fresh Store and linker): nothing new, nothing lost.
    store2 = Store(url)
    rep2 = ingest(read([src], settings), settings, store2, pipeline=pipe)
    assert (rep2.new, rep2.already) == (0, 2)
    assert store2.count("articles") == 2

    # The duplicate index survived the restart: a third copy is caught.
    third = {"title": "Market hit", "text": "\n\n".join(PARAS[:2])}
    src3 = _jsonl(tmp_path / "in3.jsonl", [third])
    rep3 = ingest(read([src3], settings), settings, store2, pipeline=pipe)
    assert rep3.duplicates == 1
