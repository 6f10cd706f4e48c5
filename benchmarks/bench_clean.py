"""Speed of the clean stage over all extraction dev pages: HTML pages and their naive renderings.

    .venv/bin/python benchmarks/bench_clean.py [DATA_DIR]

Prints one JSON line: articles per second for each path, then peak memory: the process's
ru_maxrss and, from a second untimed pass with tracemalloc on, the Python-heap peak while cleaning.
Rendering the dumps and reading the pages is not timed.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from eventwire.clean import clean
from eventwire.config import load_settings
from eventwire.errors import InputError
from eventwire.eval import dumps
from eventwire.records import RawDocument


def _run(docs: list[RawDocument], settings) -> tuple[int, int]:
    n_art = n_err = 0
    for d in docs:
        try:
            n_art += len(clean(d, settings))
        except InputError:
            n_err += 1
    return n_art, n_err


def _time(docs: list[RawDocument], settings) -> dict[str, float]:
    chars = sum(len(d.text) for d in docs)
    t0 = time.perf_counter()
    n_art, n_err = _run(docs, settings)
    dt = time.perf_counter() - t0
    tracemalloc.start()  # tracing slows Python several-fold: a separate, untimed pass
    _run(docs[:40], settings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "docs": len(docs),
        "articles": n_art,
        "rejected": n_err,
        "seconds": round(dt, 3),
        "articles_per_s": round(n_art / dt, 1),
        "mb_per_s": round(chars / dt / 1e6, 2),
        "tracemalloc_peak_mb_first40": round(peak / 1e6, 1),
    }


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/dev/extraction/trafilatura-eval-en")
    settings = load_settings()
    pages = dumps.load_pages(root, with_reference=False)
    html_docs = [RawDocument(source=p.file, text=p.html, kind="html") for p in pages]
    text_docs = [RawDocument(source=d.file, text=d.text, kind="text") for d in dumps.build(pages)]
    # Warm up imports (trafilatura, jusText stoplist) outside the timed loops.
    clean(text_docs[0], settings)
    clean(html_docs[0], settings)
    out = {
        "bench": "clean",
        "pages": len(pages),
        "html_bytes": sum(len((root / "html" / (p.file + ".gz")).read_bytes()) for p in pages),
        "rendering": _time(text_docs, settings),
        "html": _time(html_docs, settings),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    out["html_bytes_gz"] = out.pop("html_bytes")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
