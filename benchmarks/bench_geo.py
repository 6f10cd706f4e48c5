"""Geo stage speed: index load time and memory, places resolved per second.

    .venv/bin/python benchmarks/bench_geo.py [--articles N]

Loads the cached index in a fresh process (building it first if the cache is cold, reported
apart), then runs ``Geocoder.places`` over the first N LGL + GeoVirus articles from ../shared,
with their spaCy analyses computed beforehand so only the geo stage is timed. Prints one JSON
line.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "dev" / "geo"

_LOAD = """
import json, resource, time
t, c = time.perf_counter(), time.process_time()
from eventwire.geo import Geocoder
g = Geocoder.load()
print(json.dumps({"load_s": time.perf_counter() - t, "load_cpu_s": time.process_time() - c,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "entries": len(g.index)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args()

    from eventwire.geo import index

    t = time.perf_counter()
    cold = not any(index.cache_dir().glob("geo-*.pickle"))
    index.load()  # builds the cache when cold
    build_s = time.perf_counter() - t if cold else None
    # Load time and memory in a fresh interpreter, as a pipeline worker would see them.
    loads = [json.loads(subprocess.check_output([sys.executable, "-c", _LOAD], text=True)) for _ in range(3)]

    from eventwire.config import load_settings
    from eventwire.eval.geo import analyses, read_gold
    from eventwire.geo import Geocoder
    from eventwire.records import Article

    docs = read_gold(DATA / "lgl.xml", args.articles // 2) + read_gold(DATA / "GeoVirus.xml", args.articles // 2)
    arts = [Article.from_paragraphs(d, [text], id=d, title=None) for d, text, _ in docs]
    anas = list(analyses(arts, load_settings(), "spacy"))
    geo = Geocoder.load()
    t, c = time.perf_counter(), time.process_time()
    n = sum(len(geo.places(a, an)) for a, an in zip(arts, anas, strict=True))
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    print(json.dumps({
        "index_build_s": round(build_s, 1) if build_s is not None else "cached",
        "index_load_s_median": round(sorted(x["load_s"] for x in loads)[1], 3),
        "index_load_cpu_s_median": round(sorted(x["load_cpu_s"] for x in loads)[1], 3),
        "index_rss_mb_max": round(max(x["rss_mb"] for x in loads), 1),
        "index_entries": loads[0]["entries"],
        "articles": len(arts),
        "places": n,
        "places_per_s": round(n / secs, 1),
        "places_per_cpu_s": round(n / cpu, 1),
        "articles_per_s": round(len(arts) / secs, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
