"""What a worker does with one partition of documents (local process or Dask worker alike).

The pipeline (spaCy model, actor KB, gazetteer) is built once per worker process and kept in a
module-level cache keyed by the settings and stages, so every partition after the first reuses
it. Nothing here imports dask.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..records import Article, RawDocument, Rejection, Result, content_id

#: What partitions hold: raw documents, or clean articles when the client cleaned (skip_existing).
Item = RawDocument | Article | Rejection

#: Schema of ``articles/part-*.parquet`` from :func:`process_to_parquet`.
ARTICLE_SCHEMA = pa.schema([("id", pa.string()), ("source", pa.string()), ("url", pa.string()),
                            ("title", pa.string()), ("published_at", pa.string()),
                            ("publisher", pa.string()), ("body", pa.string())])

_PIPELINES: dict[tuple[str, tuple[str, ...]], Any] = {}
_LOCK = threading.Lock()
# One lock per pipeline: with thread workers (Dask processes=False) two partitions never run one
# spaCy pipeline at once; with process workers (the default) it is never contended.
_RUN_LOCKS: dict[tuple[str, tuple[str, ...]], threading.Lock] = {}


def pipeline(settings: Any, stages: Sequence[str]) -> Any:
    """This process's pipeline for ``settings`` and ``stages``, built on first use."""
    from ..pipeline import Pipeline

    key = (settings.model_dump_json(), tuple(stages))
    with _LOCK:
        p = _PIPELINES.get(key)
        if p is None:
            p = _PIPELINES[key] = Pipeline(settings, stages=stages)
            _RUN_LOCKS[key] = threading.Lock()
        return p


def built_pipelines() -> int:
    """How many pipelines this process has built (tests check "once per worker")."""
    return len(_PIPELINES)


def process(part: Sequence[Item], settings: Any, stages: Sequence[str]) -> list[Result | Rejection]:
    """Run the pipeline over one partition; rejections pass through, failures become rejections."""
    p = pipeline(settings, stages)
    with _RUN_LOCKS[(settings.model_dump_json(), tuple(stages))]:
        return list(p.run(part))


def partition_id(part: Sequence[Item]) -> str:
    """Content id of a partition: the same documents give the same file name on a re-run."""
    keys = []
    for it in part:
        if isinstance(it, RawDocument):
            keys.append(f"{it.source}\x1e{content_id(it.text)}")
        elif isinstance(it, Article):
            keys.append(f"{it.source}\x1e{it.id}")
        else:
            keys.append(f"{it.source}\x1e{it.reason}")
    return content_id(*keys)


def event_dicts(result: Result) -> Iterable[dict[str, Any]]:
    """Events of a result in the shape :func:`eventwire.store.query.iter_events` streams."""
    art = result.article
    for ev in result.events:
        d = ev.to_dict()
        s, e = ev.sentence
        d["article"] = {"id": art.id, "title": art.title, "source": art.source, "url": art.url,
                        "published_at": art.published_at}
        d["summary"] = art.body[s:e] if e > s else None
        yield d


def process_to_parquet(part: Sequence[Item], settings: Any, stages: Sequence[str], out_dir: str) -> dict[str, Any]:
    """Run one partition and write its events and articles as Parquet files named by the
    partition's content id (``events/part-<id>.parquet``, ``articles/part-<id>.parquet``).

    Files are written to a temporary name and renamed, so a killed worker leaves no half file and
    a re-run overwrites the same names: no duplicates. Returns counts for the client.
    """
    from ..export import parquet as P

    out = process(part, settings, stages)
    results = [r for r in out if isinstance(r, Result)]
    rejections = [r for r in out if isinstance(r, Rejection)]
    pid = partition_id(part)
    evs = [P.record(d) for r in results for d in event_dicts(r)]
    arts = [{"id": r.article.id, "source": r.article.source, "url": r.article.url,
             "title": r.article.title, "published_at": r.article.published_at,
             "publisher": r.article.publisher, "body": r.article.body} for r in results]
    for sub, rows, schema in (("events", evs, P.SCHEMA), ("articles", arts, ARTICLE_SCHEMA)):
        d = Path(out_dir) / sub
        d.mkdir(parents=True, exist_ok=True)
        final = d / f"part-{pid}.parquet"
        tmp = d / f".part-{pid}.{os.getpid()}.tmp"
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp, compression="zstd")
        os.replace(tmp, final)
    return {"partition": pid, "articles": len(results), "events": len(evs),
            "rejections": [r.to_dict() for r in rejections]}
