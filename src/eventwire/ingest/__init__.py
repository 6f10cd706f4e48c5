"""The ingest stage: paths, globs, stdin and URLs → :class:`RawDocument` | :class:`Rejection`.

``read`` never raises for one bad input: each becomes a :class:`Rejection` with a one-line reason
naming the file (and line), and the rest of the batch goes on. Formats are the ones registered
under the registry kind ``input_format`` (:mod:`eventwire.ingest.formats`, plug-ins too);
``input_format="auto"`` picks by extension, then by sniffing the first bytes for stdin and
extension-less files. Built in:

- text dumps (``.txt``, ``.text``, no extension) → ``kind="text"`` (clean splits and strips them);
- HTML (``.html``, ``.htm``, optionally ``.gz``) → ``kind="html"``;
- JSONL (``.jsonl``, ``.ndjson``), one article per line → ``kind="article"``;
- WARC (``.warc``, ``.warc.gz``) → :func:`eventwire.ingest.warc.read_warc`;
- ``http(s)://`` URLs → :func:`eventwire.ingest.web.read_url`.

``plain=True`` turns every document into ``kind="plain"``: its text is kept byte for byte as the
article body (evaluation inputs).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import RawDocument, Rejection
from . import formats
from .checks import check
from .files import read_bytes, read_stdin

__all__ = ["read", "input_formats"]


def input_formats() -> list[str]:
    """The registered input format names (built-in and plug-in), sorted."""
    return formats.names()

_GLOB_CHARS = frozenset("*?[")


def _expand(path: str) -> Iterator[str | Rejection]:
    """A path argument → the files it names, sorted; a Rejection when it names nothing."""
    if path == "-" or path.startswith(("http://", "https://")):
        yield path
        return
    p = Path(path)
    if p.is_dir():
        found = False
        for root, dirs, files in os.walk(p):
            # Hidden files and folders (.git, .DS_Store) are never news input.
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    found = True
                    yield os.path.join(root, name)
        if not found:
            yield Rejection(path, "directory holds no files")
        return
    if p.exists():
        yield path
        return
    if _GLOB_CHARS & set(path):
        matches = sorted(_glob(path))
        if not matches:
            yield Rejection(path, "no file matches this pattern")
        yield from matches
        return
    yield Rejection(path, "no such file or directory")


def _glob(pattern: str) -> Iterator[str]:
    """Files matching ``pattern``. ``**`` walks the tree without following symlinked folders
    (``glob.glob`` follows them, and a symlink loop then grows memory without end); each real
    file is listed once."""
    if "**" not in pattern:
        yield from (m for m in glob.glob(pattern) if Path(m).is_file())
        return
    head, _, _ = pattern.partition("**")
    root = os.path.dirname(head.rstrip("*?[")) if _GLOB_CHARS & set(head) else head or "."
    # "**/" also matches no folder at all, as in glob.
    variants = {pattern, pattern.replace("**/", "").replace("**" + os.sep, "")}
    seen: set[str] = set()
    for dirpath, dirs, files in os.walk(root or ".", followlinks=False):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            rel = full[2:] if (root or ".") == "." and full.startswith("./") else full
            if any(fnmatch.fnmatch(rel, v) for v in variants) and os.path.isfile(full):
                real = os.path.realpath(full)
                if real not in seen:
                    seen.add(real)
                    yield rel


def _plain(doc: RawDocument) -> RawDocument:
    return dataclasses.replace(doc, kind="plain")


def _read_file(path: str, settings: Any, input_format: str) -> Iterator[RawDocument | Rejection]:
    fmt: str | None = input_format
    if fmt == "auto":
        fmt = formats.format_of(path)
    if fmt is None:
        yield Rejection(path, f"unsupported extension {Path(path).suffix or '(none)'!r}; "
                        f"use {formats.suffix_hint()}, or pass --input-format")
        return
    if fmt != "sniff":
        yield from formats.get(fmt).read(path, settings)
        return
    try:
        data = read_stdin(settings.max_bytes) if path == "-" else read_bytes(path, settings.max_bytes)
    except InputError as exc:
        yield Rejection(exc.source, exc.reason, exc.line)
        return
    yield from formats.sniff(data).parse_guarded(data, path)


def read(
    paths: Iterable[str],
    settings: Any,
    input_format: str = "auto",
    plain: bool = False,
) -> Iterator[RawDocument | Rejection]:
    """Read every input named by ``paths``, lazily, in argument order (directories sorted).

    ``input_format`` is ``auto`` or a registered input format (:func:`input_formats`).
    """
    known = formats.names()
    if input_format not in ("auto", *known):
        raise InputError("--input-format", f"unknown input format {input_format!r}; "
                         f"choose auto, {', '.join(known)}")
    for arg in paths:
        for item in _expand(str(arg)):
            if isinstance(item, Rejection):
                yield item
                continue
            if item.startswith(("http://", "https://")):
                stream = _read_url(item, settings)
            else:
                fmt = input_format
                if item == "-" and fmt == "auto":
                    fmt = "sniff"
                stream = _read_file(item, settings, fmt)
            for doc in stream:
                # One broken document (lone surrogate, NUL, impossible date) is its own rejection.
                yield check(_plain(doc) if plain and isinstance(doc, RawDocument) else doc)


def _read_url(url: str, settings: Any) -> Iterator[RawDocument | Rejection]:
    try:
        from .web import read_url
    except ImportError as exc:
        yield Rejection(url, f"URL input is not available ({exc})")
        return
    try:
        yield from read_url(url, settings)
    except InputError as exc:  # a fetcher that raises instead of yielding: still one rejection
        yield Rejection(exc.source, exc.reason, exc.line)

