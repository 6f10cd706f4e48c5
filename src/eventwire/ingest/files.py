"""Reading input bytes safely: size limit checked before reading, gzip capped, format by name."""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib

from ..errors import InputError

FORMATS = ("text", "html", "jsonl", "warc")

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
}


def format_of(path: str) -> str | None:
    """Format named by the file extension: a FORMATS member, ``"sniff"`` (stdin, no extension)
    or ``None`` (unsupported)."""
    if path == "-":
        return "sniff"
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
        fmt = _BY_SUFFIX.get(os.path.splitext(name)[1])
        return fmt if fmt in ("html", "warc", "text", "jsonl") else None
    ext = os.path.splitext(name)[1]
    if not ext:
        return "sniff"
    return _BY_SUFFIX.get(ext)


def _too_big(size: int, limit: int) -> str:
    return f"file too large ({size:,} bytes > max_bytes {limit:,}); raise EVENTWIRE_MAX_BYTES to read it"


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The file's bytes (gunzipped for ``.gz``); never reads more than ``max_bytes`` + 1."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(path, _too_big(size, max_bytes))
        if path.lower().endswith(".gz") and not path.lower().endswith(".warc.gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(path, f"decompressed file exceeds max_bytes {max_bytes:,}")
            return data
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1)
    except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
        raise InputError(path, f"corrupt gzip file ({exc})") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None


def read_stdin(max_bytes: int) -> bytes:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError("-", f"standard input exceeds max_bytes {max_bytes:,}")
    return data


def sniff_format(data: bytes) -> str:
    """Guess text/html/jsonl from the first bytes of a file without a telling extension."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8")
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = head[:1024].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<head" in low:
        return "html"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"
