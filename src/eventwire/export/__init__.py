"""The export stage: stored events → the formats the field already uses, streamed.

``write(store, fmt, out, filters)`` iterates :func:`eventwire.store.query.iter_events` (chunked,
server-side cursor on PostgreSQL) and writes each event as it comes, so memory stays flat however
many events match. Formats (docs/scale.md has every column):

========== ======================================================================= ============
format     what                                                                    module
========== ======================================================================= ============
acled-csv  ACLED codebook columns (events with an ACLED event type only)           ``acled``
plover-jsonl PLOVER JSON lines (manual's field names: actor/recipient, event_loc…) ``plover``
gdelt-tsv  GDELT 2.0 event table, 61 tab-separated columns, no header               ``gdelt``
geojson    RFC 7946 FeatureCollection of located events (Point, [lon, lat])        ``geojson``
parquet    one row per event, typed columns, actors as list<struct>                ``parquet``
csv        flat CSV, one row per event (lists joined with "; ")                    ``csvfile``
========== ======================================================================= ============

Exporters register under the ``exporter`` kind of :mod:`eventwire.registry`, as a plugin would.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from .. import registry
from ..errors import InputError
from . import acled, csvfile, gdelt, geojson, parquet, plover

Out = BinaryIO | TextIO | str | os.PathLike[str]

registry.register("exporter", "acled-csv")(acled.write)
registry.register("exporter", "plover-jsonl")(plover.write)
registry.register("exporter", "gdelt-tsv")(gdelt.write)
registry.register("exporter", "geojson")(geojson.write)
registry.register("exporter", "csv")(csvfile.write)
registry.register("exporter", "parquet")(parquet.write)

_BUILTIN = {"acled-csv": acled.write, "gdelt-tsv": gdelt.write, "csv": csvfile.write, "parquet": parquet.write}

#: Formats written as binary (the others are UTF-8 text).
BINARY = frozenset({"parquet"})
FORMATS = ("acled-csv", "plover-jsonl", "gdelt-tsv", "geojson", "parquet", "csv")
SUFFIX = {"acled-csv": ".csv", "plover-jsonl": ".jsonl", "gdelt-tsv": ".tsv", "geojson": ".geojson",
          "parquet": ".parquet", "csv": ".csv"}


@contextmanager
def _text(out: Any) -> Iterator[TextIO]:
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            yield fh
    elif isinstance(out, io.TextIOBase):
        yield out  # type: ignore[misc]
    else:
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()  # leave the caller's binary stream open


@contextmanager
def _binary(out: Any) -> Iterator[Any]:
    """A binary sink over ``out`` (path, binary stream, or text stream given decoded text)."""
    if isinstance(out, (str, os.PathLike)):
        with open(out, "wb") as fh:
            yield fh
    elif isinstance(out, io.TextIOBase):
        yield _TextSink(out)
    else:
        yield out


class _TextSink:
    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        return self.out.write(data.decode("utf-8"))


def write(store: Any, fmt: str, out: Out, filters: Any = None, *, columnar: bool | None = None,
          **options: Any) -> int:
    """Write every event matching ``filters`` (an :class:`EventFilter`) to ``out`` in ``fmt``.

    ``out`` is a path, a text stream or a binary stream (Parquet needs a path or binary stream).
    Returns the number of rows (events) written. CSV, ACLED CSV, GDELT TSV and Parquet go
    through :mod:`.columnar` (SQL to Arrow batches, ~50× the row writers' rate) unless
    ``columnar=False`` or the exporter was replaced in the registry (a plug-in's writer gets
    event dicts); the other formats iterate event dicts.
    """
    from ..store.query import EventFilter, iter_events
    from . import columnar as C

    exporter = registry.get("exporter", fmt)
    f = filters or EventFilter()
    if columnar is None:
        columnar = fmt in C.FORMATS and exporter is _BUILTIN.get(fmt) and not options
    if fmt in BINARY and isinstance(out, io.TextIOBase):
        raise InputError(str(getattr(out, "name", "-")), f"{fmt} is binary; write it to a file (-o FILE)")
    if columnar:
        if isinstance(out, (str, os.PathLike)):
            Path(out).parent.mkdir(parents=True, exist_ok=True)
        if fmt == "parquet":
            return C.write(store, fmt, out, f)
        with _binary(out) as sink:
            return C.write(store, fmt, sink, f)
    events = iter_events(store, f)
    if fmt in BINARY:
        if isinstance(out, io.TextIOBase):
            raise InputError(str(getattr(out, "name", "-")), f"{fmt} is binary; write it to a file (-o FILE)")
        if isinstance(out, (str, os.PathLike)):
            Path(out).parent.mkdir(parents=True, exist_ok=True)
        return int(exporter(events, out, **options))
    with _text(out) as fh:
        return int(exporter(events, fh, **options))


def stream(events: Any, fmt: str, out: IO[Any], **options: Any) -> int:
    """Write already-loaded event dicts (same shape as ``iter_events``) in ``fmt``."""
    exporter = registry.get("exporter", fmt)
    if fmt in BINARY:
        return int(exporter(iter(events), out, **options))
    with _text(out) as fh:
        return int(exporter(iter(events), fh, **options))


__all__ = ["write", "stream", "FORMATS", "SUFFIX"]
