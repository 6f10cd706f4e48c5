"""Web archives (``.warc``, ``.warc.gz``, e.g. Common Crawl news) → :class:`RawDocument` | :class:`Rejection`.

warcio streams the records (gzip per record or not, detected by warcio). Kept: ``response``
records with HTTP status 2xx and an HTML content type, and ``resource`` records with an HTML
content type (wget/browsertrix captures) → ``RawDocument(kind="html", url=WARC-Target-URI)``.
Everything else (requests, metadata, warcinfo, revisits, redirects, images, PDFs) is skipped and
counted: the counts are logged at the end of each file and given to the caller through
``stats``. A malformed archive yields one :class:`Rejection` naming the file (and the record
count reached); documents read before the damage are kept.

Bounded work: a file over ``max_warc_bytes`` is refused before it is opened, a file whose first
bytes are not a WARC header (``WARC/``, or a gzip member holding one) is refused at once (warcio
would read a newline-less file whole as its first "line": 50 MB of zeros took 59 s and 676 MB),
and every record's body is read up to ``max_bytes``. Reasons quote at most 80 characters.
"""

from __future__ import annotations

import gzip
import logging
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import InputError
from ..records import RawDocument, Rejection
from .web import Fetched, decode_html, is_html

log = logging.getLogger(__name__)


def _skip_reason(rec: Any) -> str | None:
    """Why a record is not an HTML page (None when it is one)."""
    rtype = rec.rec_type
    if rtype == "response":
        if rec.http_headers is None:
            return "response without HTTP headers"
        status = rec.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return f"HTTP status {status or '?'}"
        ctype = rec.http_headers.get_header("Content-Type") or ""
    elif rtype == "resource":
        ctype = rec.rec_headers.get_header("Content-Type") or ""
    else:
        return f"{rtype} record"
    kind = ctype.split(";")[0].strip().lower()
    if kind not in ("text/html", "application/xhtml+xml"):
        return f"content-type {kind or 'missing'}"
    return None


def _short(text: str, n: int = 80) -> str:
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= n else text[:n] + "…"


def _not_warc(path: str) -> str | None:
    """Why the file is not a web archive, from its first bytes (None when it may be one)."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head[:2] == b"\x1f\x8b":
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            head = d.decompress(head, 64)
        except zlib.error as exc:
            return f"malformed WARC: not a WARC file, damaged gzip ({exc})"
        if len(head) < 5:  # a tiny gzip member: let the full reader decide
            try:
                with gzip.open(path, "rb") as g:
                    head = g.read(8)
            except (OSError, EOFError) as exc:
                return f"malformed WARC: not a WARC file, damaged gzip ({exc})"
    if not head.lstrip(b"\r\n").startswith(b"WARC/"):
        return f"malformed WARC: not a WARC file, it starts with {_short(repr(head[:24])[2:-1])!r}, not a WARC/1.x header"
    return None


def read_warc(path: str, settings: Any, stats: dict[str, Any] | None = None) -> Iterator[RawDocument | Rejection]:
    """Every HTML page in a WARC file, in archive order.

    ``stats`` (optional dict) receives ``html`` (pages yielded), ``skipped`` (count) and
    ``skipped_by`` (reason → count), also logged at INFO level.
    """
    html, skipped, n = 0, Counter[str](), 0
    failed = False
    try:
        size = os.path.getsize(path)
        if size > settings.max_warc_bytes:
            yield Rejection(path, f"file is {size:,} bytes, over max_warc_bytes {settings.max_warc_bytes:,} "
                            "(EVENTWIRE_MAX_WARC_BYTES); split it or raise the setting")
            return
        why = _not_warc(path)
        if why:
            yield Rejection(path, why)
            return
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                n += 1
                if rec.format != "warc":
                    # warcio reads anything as ARC; a .warc that parses only as ARC is not one.
                    yield Rejection(path, f"malformed WARC: record {n} has no WARC/1.x header")
                    break
                reason = _skip_reason(rec)
                if reason is not None:
                    skipped[reason] += 1
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI") or f"{path}#record-{n}"
                data = rec.content_stream().read(settings.max_bytes + 1)
                if len(data) > settings.max_bytes:
                    yield Rejection(path, f"record {n} ({url}) exceeds max_bytes {settings.max_bytes:,}")
                    continue
                if getattr(rec.raw_stream, "limit", 0) > 0:
                    yield Rejection(path, f"malformed WARC: record {n} ({url}) is truncated")
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers
                         else rec.rec_headers.get_header("Content-Type")) or ""
                got = Fetched(url, 200, data, ctype)
                if not data.strip() or not is_html(got):
                    skipped["empty body"] += 1
                    continue
                try:
                    text, encoding = decode_html(got, url)
                except InputError as exc:
                    yield Rejection(path, f"record {n} ({url}): {exc.reason}")
                    continue
                html += 1
                yield RawDocument(source=url, text=text, kind="html", url=url, encoding=encoding)
    except OSError as exc:
        failed = True
        if isinstance(exc, FileNotFoundError | IsADirectoryError | PermissionError):
            yield Rejection(path, f"cannot read file ({exc.strerror or exc})")
        else:  # zlib/gzip damage surfaces as OSError subclasses
            yield Rejection(path, f"malformed WARC after {n} records ({_short(str(exc))})")
    except (ArchiveLoadFailed, ValueError, EOFError) as exc:
        failed = True
        msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        yield Rejection(path, f"malformed WARC after {n} records ({_short(msg)})")
    if n == 0 and not failed:
        yield Rejection(path, "malformed WARC: no records (empty or not a web archive)")
    total = sum(skipped.values())
    log.info("%s: %d HTML pages, %d records skipped %s", path, html, total, dict(skipped))
    if stats is not None:
        stats.update(html=html, skipped=total, skipped_by=dict(skipped))


__all__ = ["read_warc"]
