"""The geo eval stays above its pinned floors.

To keep within the CI budget the test scores a fixed prefix of each dev file (LIMIT articles of
LGL and of GeoVirus, ~1,000 gold toponyms), not the whole of it; the floors in
baselines/geo.json are for that prefix (the full-file numbers are in docs/geo.md). The same run
scores the naive baseline, which the geocoder must beat.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.eval import below_floors, floors
from eventwire.eval.geo import run

LIMIT = 80


@pytest.mark.slow
def test_geo_metrics_above_floors(shared: Path, settings) -> None:
    geo = shared / "data" / "dev" / "geo"
    metrics = run([geo / "lgl.xml", geo / "GeoVirus.xml"], settings, limit=LIMIT, analysis="spacy")
    assert metrics["limit"] == LIMIT
    assert floors("geo"), "src/eventwire/eval/baselines/geo.json is missing"
    assert below_floors("geo", metrics) == []
    for f in ("lgl", "GeoVirus"):
        sysm, base = metrics["files"][f]["system"], metrics["files"][f]["baseline"]
        assert sysm["end_to_end_acc161"] > base["end_to_end_acc161"], f
