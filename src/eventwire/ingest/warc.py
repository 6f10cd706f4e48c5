"""Web archives (``.warc``, ``.warc.gz``, e.g. Common Crawl news) → :class:`RawDocument` | :class:`Rejection`.

warcio streams the records (gzip per record or not, detected by warcio). Kept: ``response``
records with HTTP status 2xx and an HTML content type, and ``resource`` records with an HTML
content type (wget/browsertrix captures) → ``RawDocument(kind="html", url=WARC-Target-URI)``.
Everything else (requests, metadata, warcinfo, revisits, redirects, images, PDFs) is skipped and
counted: the counts are logged at the end of each file and given to the caller through
``stats``. A malformed archive yields one :class:`Rejection` naming the file (and the record
count reached); documents read before the damage are kept.
"""

from __future__ import annotations

import logging
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


def read_warc(path: str, settings: Any, stats: dict[str, Any] | None = None) -> Iterator[RawDocument | Rejection]:
    """Every HTML page in a WARC file, in archive order.

    ``stats`` (optional dict) receives ``html`` (pages yielded), ``skipped`` (count) and
    ``skipped_by`` (reason → count), also logged at INFO level.
    """
    html, skipped, n = 0, Counter[str](), 0
    failed = False
    try:
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
            yield Rejection(path, f"malformed WARC after {n} records ({exc})")
    except (ArchiveLoadFailed, ValueError, EOFError) as exc:
        failed = True
        msg = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        yield Rejection(path, f"malformed WARC after {n} records ({msg})")
    if n == 0 and not failed:
        yield Rejection(path, "malformed WARC: no records (empty or not a web archive)")
    total = sum(skipped.values())
    log.info("%s: %d HTML pages, %d records skipped %s", path, html, total, dict(skipped))
    if stats is not None:
        stats.update(html=html, skipped=total, skipped_by=dict(skipped))


__all__ = ["read_warc"]
