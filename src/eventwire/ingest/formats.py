"""Input formats, registered under the registry kind ``input_format``: one list for ingest and CLI.

An input format is a class registered with ``@register("input_format", name)`` (a third party's
too, through the ``eventwire.plugins`` entry point group). It declares the file extensions it
claims (``suffixes``; each also with ``.gz``) and turns one path into documents (``read``).
Formats whose files fit in memory subclass :class:`BytesFormat` and only write
``parse(data, source)``: the bytes are read under ``max_bytes`` (gzip capped) and an
:class:`InputError` becomes one :class:`Rejection`. Only these can recognise stdin and files
without a telling extension from their first bytes (``sniff``, tried in ``sniff_rank`` order,
text last as the fallback): the bytes are read once, then parsed by the format that claims them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any, ClassVar, Protocol

from .. import registry
from ..errors import InputError
from ..records import RawDocument, Rejection
from .files import read_bytes, read_stdin

KIND = "input_format"
Item = RawDocument | Rejection


class InputFormat(Protocol):
    suffixes: ClassVar[tuple[str, ...]]

    def read(self, path: str, settings: Any) -> Iterator[Item]: ...


class BytesFormat:
    """A format read whole into memory: subclasses write :meth:`parse`."""

    suffixes: ClassVar[tuple[str, ...]] = ()
    sniff_rank: ClassVar[int] = 50  # built-ins: html 10, jsonl 20, text 1000 (the fallback)

    def sniff(self, head: bytes) -> bool:
        return False

    def parse(self, data: bytes, source: str) -> Iterator[Item]:
        raise NotImplementedError

    def read(self, path: str, settings: Any) -> Iterator[Item]:
        try:
            data = read_stdin(settings.max_bytes) if path == "-" else read_bytes(path, settings.max_bytes)
        except InputError as exc:
            yield Rejection(exc.source, exc.reason, exc.line)
            return
        yield from self.parse_guarded(data, path)

    def parse_guarded(self, data: bytes, source: str) -> Iterator[Item]:
        try:
            yield from self.parse(data, source)
        except InputError as exc:
            yield Rejection(exc.source, exc.reason, exc.line)


def _head(data: bytes) -> bytes:
    """The first bytes, UTF-16 re-encoded as UTF-8 and leading BOM/whitespace stripped."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8")
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _decoded(data: bytes, source: str, kind: str) -> Iterator[Item]:
    from .decode import decode

    text, encoding = decode(data, source, html=kind == "html")
    yield RawDocument(source=source, text=text, kind=kind, encoding=encoding)


@registry.register(KIND, "text")
class TextFormat(BytesFormat):
    """Text dumps → ``kind="text"`` (clean splits and strips them); the sniffing fallback."""

    suffixes = (".txt", ".text")
    sniff_rank = 1000

    def sniff(self, head: bytes) -> bool:
        return True

    def parse(self, data: bytes, source: str) -> Iterator[Item]:
        return _decoded(data, source, "text")


@registry.register(KIND, "html")
class HtmlFormat(BytesFormat):
    """One HTML page → ``kind="html"``."""

    suffixes = (".html", ".htm", ".xhtml")
    sniff_rank = 10

    def sniff(self, head: bytes) -> bool:
        low = head[:1024].lower()
        return low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<head" in low

    def parse(self, data: bytes, source: str) -> Iterator[Item]:
        return _decoded(data, source, "html")


@registry.register(KIND, "jsonl")
class JsonlFormat(BytesFormat):
    """One article per line → ``kind="article"`` (:mod:`eventwire.ingest.jsonl`)."""

    suffixes = (".jsonl", ".ndjson")
    sniff_rank = 20

    def sniff(self, head: bytes) -> bool:
        if not head.startswith(b"{"):
            return False
        try:
            return isinstance(json.loads(head.split(b"\n", 1)[0]), dict)
        except ValueError:
            return False

    def parse(self, data: bytes, source: str) -> Iterator[Item]:
        from .jsonl import parse_jsonl

        return parse_jsonl(data, source)


@registry.register(KIND, "warc")
class WarcFormat:
    """Web archives, streamed record by record (:func:`eventwire.ingest.warc.read_warc`); never
    sniffed (a WARC without its extension reads as text, as before the registry)."""

    suffixes: ClassVar[tuple[str, ...]] = (".warc",)

    def read(self, path: str, settings: Any) -> Iterator[Item]:
        try:
            from .warc import read_warc
        except ImportError as exc:
            yield Rejection(path, f"WARC input is not available ({exc})")
            return
        yield from read_warc(path, settings)


def names() -> list[str]:
    """Every registered input format (built-in and plug-in), sorted."""
    return registry.names(KIND)


def get(name: str) -> InputFormat:
    fmt: InputFormat = registry.get(KIND, name)()
    return fmt


def _suffixes(name: str) -> tuple[str, ...]:
    suffixes: tuple[str, ...] = getattr(registry.get(KIND, name), "suffixes", ())
    return suffixes


def format_of(path: str) -> str | None:
    """The format a path's extension names, ``"sniff"`` (stdin, no extension) or ``None``
    (an extension no registered format claims). ``.gz`` is stripped first."""
    if path == "-":
        return "sniff"
    name = os.path.basename(path).lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    if not ext:
        return None if gz else "sniff"
    for fmt in names():
        if ext in _suffixes(fmt):
            return fmt
    return None


def sniff(data: bytes) -> BytesFormat:
    """The format the first bytes look like: the :class:`BytesFormat` formats in ``sniff_rank``
    order (text, the fallback, claims anything)."""
    head = _head(data)
    found = [registry.get(KIND, n) for n in names()]
    ranked = sorted((f for f in found if isinstance(f, type) and issubclass(f, BytesFormat)),
                    key=lambda f: (f.sniff_rank, f.__name__))
    for cls in ranked:
        fmt = cls()
        if fmt.sniff(head):
            return fmt
    return TextFormat()


def suffix_hint() -> str:
    """``.html, .jsonl, .txt or .warc``: one extension per registered format, for messages."""
    firsts = [s[0] for s in map(_suffixes, names()) if s]
    return ", ".join(firsts[:-1]) + " or " + firsts[-1] if len(firsts) > 1 else "".join(firsts)
