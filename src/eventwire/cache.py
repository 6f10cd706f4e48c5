"""The per-user cache directory and the one way files are written into it.

Everything heavy that can be built once is kept here between processes: the actor KB index
(:mod:`eventwire.kb.base`), the gazetteer index (:mod:`eventwire.geo.index`), the entity
rulers of the spaCy pipeline (:mod:`eventwire.nlp.model`) and the unpacked sentence encoder
(:mod:`eventwire.events.encoder`). Each file is named by a key that hashes what it was built
from (package versions, data files, the code that builds it), so an upgrade or an edited KB file
builds a new one and never reads a stale one.

The directory is ``$EVENTWIRE_CACHE`` if set, else ``$XDG_CACHE_HOME/eventwire``, else
``~/.cache/eventwire``. Dask workers and the local process pool use the same rule, so workers on
one machine (or sharing a home directory) build each file once between them.

Writes go to a temporary file in the same directory and are renamed into place
(:func:`write_atomic`): a reader sees the old file, the new file or none, never half of one,
and two processes building the same file at once both succeed (the last rename wins; both wrote
the same content).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def cache_dir() -> Path:
    """The cache directory (not created here; :func:`write_atomic` creates it)."""
    env = os.environ.get("EVENTWIRE_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "eventwire"


def digest(parts: Iterable[str | bytes], size: int = 24) -> str:
    """A short hex key over ``parts`` (each part is delimited, so ("ab", "c") != ("a", "bc"))."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:size]


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename. False (and nothing left
    behind) when the directory is not writable: a cache that cannot be written only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the ``keep`` newest files matching ``pattern`` (stale keys pile up as the
    KB or the packages change). A file another process removes first is no error."""
    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    for stale in sorted(folder.glob(pattern), key=mtime, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            stale.unlink()


def read(path: Path) -> bytes | None:
    """The file's bytes, or None when it is missing or unreadable."""
    try:
        return path.read_bytes()
    except OSError:
        return None


__all__ = ["cache_dir", "digest", "write_atomic", "read", "prune"]
