"""Story clustering (ECB+ dev) and near-duplicate detection (syndication corpus) stay above
their pinned floors (src/eventwire/eval/baselines/clusters.json)."""

from __future__ import annotations

import json

from eventwire.eval import below_floors, floors
from eventwire.eval.clusters import run

# The syndication corpus from the first 60 dev pages (in name order) keeps the test under a
# minute on 2 cores; the full corpus (all pages) is `python -m eventwire.eval.clusters`.
NEAR_DUP_PAGES = 60


def test_clusters_above_floor(shared, settings, tmp_path):
    tarball = shared / "data" / "dev" / "clusters" / "ecbplus.tar.xz"
    pred = tmp_path / "pred.jsonl"
    metrics = run([tarball], settings, predictions=str(pred), near_duplicate_pages=NEAR_DUP_PAGES)
    print(json.dumps(metrics, indent=1))
    assert floors("clusters"), "no floors pinned for clusters"
    assert below_floors("clusters", metrics) == []
    # The predictions file is the external scorer's input: one line per document, all of them.
    lines = [json.loads(x) for x in pred.read_text().splitlines()]
    assert len(lines) == metrics["all"]["docs"] and all(set(x) == {"doc", "cluster"} for x in lines)
