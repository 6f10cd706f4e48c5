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

Exporters register under the ``exporter`` kind of :mod:`eventwire.registry`, as a plugin would:
the CLI's ``--format`` choices, the API's ``format`` parameter and its OpenAPI enum are
:func:`formats`, and every consumer writes through the registered callable, so each format has
one writer (the CLI's file and the API's download are the same bytes; CSV-like formats neutralise
spreadsheet formulas in that one writer). An exporter is ``write(events, out) -> rows``
(``out`` a text stream, or a binary one when the exporter has ``binary = True``); it may also
carry ``suffix`` (file suffix, default ``"." + name``) and ``media_type`` (HTTP content type,
default ``application/octet-stream`` for binary, ``text/plain; charset=utf-8`` for text)
attributes. :func:`iter_bytes` turns any exporter into a stream of byte chunks (the API's
downloads).
"""

from __future__ import annotations

import io
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from .. import registry
from ..errors import InputError
from . import acled, csvfile, gdelt, geojson, plover

Out = BinaryIO | TextIO | str | os.PathLike[str]
KIND = "exporter"


def _parquet(events: Iterable[dict[str, Any]], out: Any, **options: Any) -> int:
    """The Parquet row writer, imported on first use: ``import eventwire.export`` (which every
    CLI start now pays, for ``--format``'s help) took 230-290 ms with pyarrow imported eagerly,
    140-155 ms without (``python -X importtime``, 3 runs each, load average 1.2-2.4)."""

    from . import parquet

    return parquet.write(events, out, **options)


def _describe(fn: Callable[..., Any], suffix: str, media_type: str, binary: bool = False) -> Callable[..., Any]:
    for k, v in (("suffix", suffix), ("media_type", media_type), ("binary", binary)):
        setattr(fn, k, v)
    return fn


_CSV = "text/csv; charset=utf-8"
_BUILTIN: dict[str, Callable[..., Any]] = {
    "acled-csv": _describe(acled.write, ".csv", _CSV),
    "plover-jsonl": _describe(plover.write, ".jsonl", "application/x-ndjson; charset=utf-8"),
    "gdelt-tsv": _describe(gdelt.write, ".tsv", "text/tab-separated-values; charset=utf-8"),
    "geojson": _describe(geojson.write, ".geojson", "application/geo+json"),
    "parquet": _describe(_parquet, ".parquet", "application/vnd.apache.parquet", binary=True),
    "csv": _describe(csvfile.write, ".csv", _CSV),
}
for _name, _fn in _BUILTIN.items():
    registry.register(KIND, _name)(_fn)


def formats() -> list[str]:
    """Every registered export format (plug-ins included): the one list."""
    return registry.names(KIND)


def binary(fmt: str) -> bool:
    """Whether ``fmt`` writes bytes (its writer gets a binary stream) rather than UTF-8 text."""
    return bool(getattr(registry.get(KIND, fmt), "binary", False))


def suffix(fmt: str) -> str:
    return str(getattr(registry.get(KIND, fmt), "suffix", None) or "." + fmt)


def media_type(fmt: str) -> str:
    default = "application/octet-stream" if binary(fmt) else "text/plain; charset=utf-8"
    return str(getattr(registry.get(KIND, fmt), "media_type", None) or default)


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
          sort: str = "date", desc: bool = False, **options: Any) -> int:
    """Write every event matching ``filters`` (an :class:`EventFilter`) to ``out`` in ``fmt``.

    ``out`` is a path, a text stream or a binary stream (a binary format needs a path or binary
    stream). Returns the number of rows (events) written. CSV, ACLED CSV, GDELT TSV and Parquet
    go through :mod:`.columnar` (SQL to Arrow batches, ~50× the row writers' rate, the same
    bytes) unless ``columnar=False`` or the exporter was replaced in the registry (a plug-in's
    writer gets event dicts); the other formats iterate event dicts. Rows come in
    :func:`~eventwire.store.query.iter_events`' order for ``sort``/``desc``.
    """
    from ..store.query import EventFilter, iter_events
    from . import columnar as C

    exporter = registry.get(KIND, fmt)
    f = filters or EventFilter()
    if columnar is None:
        columnar = fmt in C.FORMATS and exporter is _BUILTIN.get(fmt) and not options
    is_binary = binary(fmt)
    if is_binary and isinstance(out, io.TextIOBase):
        raise InputError(str(getattr(out, "name", "-")), f"{fmt} is binary; write it to a file (-o FILE)")
    if isinstance(out, (str, os.PathLike)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if columnar:
        if fmt == "parquet":
            return C.write(store, fmt, out, f, sort, desc)
        with _binary(out) as sink:
            return C.write(store, fmt, sink, f, sort, desc)
    events = iter_events(store, f, sort=sort, desc=desc)
    if is_binary:
        return int(exporter(events, out, **options))
    with _text(out) as fh:
        return int(exporter(events, fh, **options))


def stream(events: Iterable[dict[str, Any]], fmt: str, out: IO[Any] | io.IOBase, **options: Any) -> int:
    """Write already-loaded event dicts (same shape as ``iter_events``) in ``fmt``."""
    exporter = registry.get(KIND, fmt)
    if binary(fmt):
        return int(exporter(iter(events), out, **options))
    with _text(out) as fh:
        return int(exporter(iter(events), fh, **options))


# Bytes per chunk handed to the consumer of iter_bytes, and chunks buffered ahead of it: at most
# CHUNK × (QUEUE + 2) bytes in memory whatever the export's size. 64 kB is the chunk the API's
# own CSV stream (serve/formats.py) used; not tuned.
CHUNK = 64_000
QUEUE = 8


class _Cancelled(Exception):
    """The consumer of iter_bytes went away (a closed download): the writer stops."""


class _Pipe(io.BufferedIOBase):
    """A binary sink that hands chunks of ``CHUNK`` bytes to a bounded queue (back-pressure:
    the writer waits while the consumer is ``QUEUE`` chunks behind)."""

    def __init__(self, q: queue.Queue[Any], stop: threading.Event) -> None:
        super().__init__()
        self.q, self.stop = q, stop
        self.buf = bytearray()
        self.pos = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        b = bytes(data)
        self.buf += b
        self.pos += len(b)
        if len(self.buf) >= CHUNK:
            self.drain()
        return len(b)

    def tell(self) -> int:  # pyarrow's ParquetWriter asks a Python stream where it is
        return self.pos

    def drain(self) -> None:
        if self.buf:
            put(self.q, self.stop, bytes(self.buf))
            self.buf.clear()


def put(q: queue.Queue[Any], stop: threading.Event, item: Any) -> None:
    while True:
        if stop.is_set():
            raise _Cancelled
        try:
            q.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


_DONE = object()


def iter_bytes(events: Iterable[dict[str, Any]], fmt: str, **options: Any) -> Iterator[bytes]:
    """``fmt``'s registered writer over ``events``, as a stream of byte chunks (text formats in
    UTF-8). The writer runs in a thread writing into a bounded queue, so memory stays flat and
    the first bytes go out before the last event is read; closing the iterator (a client that
    hangs up) stops the writer at its next write. Errors of the writer or of ``events`` are
    raised here."""
    registry.get(KIND, fmt)  # an unknown format fails before any thread starts
    return _piped(lambda sink: stream(events, fmt, sink, **options), f"export-{fmt}")


def iter_store_bytes(store: Any, fmt: str, filters: Any = None, *, sort: str = "date", desc: bool = False,
                     **options: Any) -> Iterator[bytes]:
    """:func:`write` of the store's matching events as a stream of byte chunks (the API's
    download of a whole match: the columnar path where :func:`write` takes it), with
    :func:`iter_bytes`' memory bound and hang-up handling."""
    registry.get(KIND, fmt)
    return _piped(lambda sink: write(store, fmt, sink, filters, sort=sort, desc=desc, **options), f"export-{fmt}")


def _piped(produce: Callable[[Any], Any], name: str) -> Iterator[bytes]:
    q: queue.Queue[Any] = queue.Queue(maxsize=QUEUE)
    stop = threading.Event()

    def run() -> None:
        try:
            pipe = _Pipe(q, stop)
            produce(pipe)
            pipe.drain()
            put(q, stop, _DONE)
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the consumer, which raises it
            try:
                put(q, stop, exc)
            except _Cancelled:
                pass

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                worker.join()
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()  # not joined when cancelled: the writer stops at its next write, on its own


__all__ = ["write", "stream", "iter_bytes", "iter_store_bytes", "formats", "binary", "suffix", "media_type"]
