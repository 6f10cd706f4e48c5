"""Reading input bytes safely: size limit checked before reading, gzip capped.

Which format a file is (extension, sniffing) is the registered formats' knowledge:
:mod:`eventwire.ingest.formats`.
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib

from ..errors import InputError


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
