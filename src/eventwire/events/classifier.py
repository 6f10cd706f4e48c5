"""The sentence classifier of the learned coder: event or not, PLOVER type, ACLED sub-event type.

Multinomial logistic regressions predict a *joint* label: ``NONE`` (no event, the commonest
answer) or ``PLOVER|ACLED sub-event`` (``ASSAULT|Air/drone strike``, ``CONSULT|-``). P(event) is
1 − P(NONE); the type is the most probable event label.

Two heads, because the good features are slow:

1. the **gate** reads TF-IDF features of the sentence (word 1–2-grams and character 2–5-grams
   inside word boundaries, digits folded to ``0``): thousands of sentences a second. A sentence
   whose gate P(event) is below ``gate_threshold`` (chosen on dev to keep ≥ 98 % of the dev
   events) is "no event" at once;
2. the **full head** reads the same TF-IDF features plus the sentence's all-MiniLM-L6-v2
   embedding (:mod:`eventwire.events.encoder`), and decides the rest.

A ``tfidf`` family model has the gate only. Probabilities are temperature-scaled and the
confidence Platt-scaled on the corpus's dev split, so ``confidence`` is a calibrated chance that
the coded event is right (docs/events.md has the reliability table and the family comparison).

A model is one ``.npz`` file (vocabularies, idf weights, coefficients, a JSON header) read with
``allow_pickle=False``: a model file from a user cannot run code. ``eventwire train`` writes one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from . import tables
from .corpus import NONE, Example

FORMAT = "eventwire.sentence-classifier/1"
SHIPPED = tables.DATA / "model" / "learned-v1.npz"
_DIGITS = re.compile(r"\d")

#: Feature extraction (both the training and the prediction side read these).
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _prep(text: str) -> str:
    return _DIGITS.sub("0", text.lower())


def _vectorizers(word_vocab: Sequence[str] | None = None, char_vocab: Sequence[str] | None = None,
                 min_df: int = 1) -> tuple[Any, Any]:  # fmt: skip
    from sklearn.feature_extraction.text import CountVectorizer

    kw: dict[str, Any] = {"preprocessor": _prep, "dtype": np.float32}
    word = CountVectorizer(
        analyzer="word", ngram_range=WORD_NGRAMS, token_pattern=r"(?u)\b\w+\b", min_df=min_df,
        vocabulary=None if word_vocab is None else {t: i for i, t in enumerate(word_vocab)}, **kw,
    )  # fmt: skip
    char = CountVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, min_df=min_df,
        vocabulary=None if char_vocab is None else {t: i for i, t in enumerate(char_vocab)}, **kw,
    )  # fmt: skip
    return word, char


def _predict_vectorizers(word_vocab: Sequence[str], char_vocab: Sequence[str]) -> tuple[Any, Any]:
    """:func:`_vectorizers` with fixed vocabularies, without importing scikit-learn (~1 s and
    ~90 MB per process; :mod:`eventwire.events.vectorize` gives the same matrices)."""
    from .vectorize import Counts

    word = Counts("word", WORD_NGRAMS, {t: i for i, t in enumerate(word_vocab)}, _prep, token_pattern=r"(?u)\b\w+\b")
    char = Counts("char_wb", CHAR_NGRAMS, {t: i for i, t in enumerate(char_vocab)}, _prep)
    return word, char


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sub-linear tf × idf, L2-normalised per row (as sklearn's TfidfTransformer does)."""
    from .vectorize import l2_normalize_rows

    x = counts.tocsr(copy=True)
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(idf).tocsr()
    return l2_normalize_rows(x)


def _idf(counts: Any) -> np.ndarray:
    n = counts.shape[0]
    df = np.bincount(counts.tocsr().indices, minlength=counts.shape[1])  # CSR indices are columns
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


FAMILIES = ("tfidf", "tfidf+minilm")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Prediction:
    """The classifier's answer for one sentence."""

    p_event: float  #: 1 − P(no event) (temperature-scaled)
    label: str  #: most probable event label ``PLOVER|sub`` (even when p_event is low)
    p_label: float  #: probability of that label
    confidence: float  #: calibrated chance that an event coded from this sentence is right
    gated: bool = False  #: ruled out by the gate (the encoder never saw it)

    @property
    def plover(self) -> str:
        return self.label.split("|", 1)[0]

    @property
    def acled_sub_event_type(self) -> str | None:
        sub = self.label.split("|", 1)[1]
        return None if sub == "-" else sub


@dataclass
class Head:
    """One linear softmax layer."""

    coef: np.ndarray  # classes × features
    intercept: np.ndarray

    def logits(self, x: Any) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept  # type: ignore[no-any-return]


class SentenceClassifier:
    """A trained model; :meth:`predict` is numpy/scipy (+ the encoder for the full head)."""

    def __init__(self, word_vocab: list[str], char_vocab: list[str], word_idf: np.ndarray,
                 char_idf: np.ndarray, gate: Head, full: Head | None, classes: list[str],
                 meta: dict[str, Any]) -> None:  # fmt: skip
        self.word_vocab, self.char_vocab = word_vocab, char_vocab
        self.word_idf, self.char_idf = word_idf, char_idf
        self.gate, self.full = gate, full
        self.classes = classes
        self.meta = meta
        self.family = str(meta.get("family", "tfidf" if full is None else "tfidf+minilm"))
        self.temperature = float(meta.get("temperature", 1.0))
        self.threshold = float(meta.get("event_threshold", 0.5))
        self.gate_threshold = float(meta.get("gate_threshold", 0.0))
        #: weight of the embedding block against the (unit-norm) TF-IDF blocks
        self.embedding_weight = float(meta.get("embedding_weight", 1.0))
        #: Platt scaling of [logit p_label, logit p_event] → P(right), fitted on dev
        self.calibration = [float(v) for v in meta.get("calibration", (1.0, 0.0, 0.0))]
        self._none = classes.index(NONE)
        self._vec = _predict_vectorizers(word_vocab, char_vocab)
        self.encoded = 0  #: sentences sent to the encoder so far (for benchmarks)

    # ------------------------------------------------------------------ features
    def features(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        word, char = self._vec
        return hstack(
            [_tfidf(word.transform(texts), self.word_idf), _tfidf(char.transform(texts), self.char_idf)]
        ).tocsr()

    def full_features(self, x: Any, emb: np.ndarray) -> Any:
        from scipy.sparse import csr_matrix, hstack

        return hstack([x, csr_matrix(emb * self.embedding_weight)]).tocsr()

    def raw_logits(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(logits, gated mask): full-head logits for the sentences that pass the gate, gate
        logits for the others. ``embeddings`` (one row per text) skips the encoder."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32), np.zeros(0, dtype=bool)
        x = self.features(texts)
        z = self.gate.logits(x)
        if self.full is None:
            return z, np.zeros(len(texts), dtype=bool)
        p_gate = 1.0 - _softmax(z)[:, self._none]
        keep = np.flatnonzero(p_gate >= self.gate_threshold)
        gated = np.ones(len(texts), dtype=bool)
        if len(keep):
            if embeddings is None:
                from . import encoder

                emb = encoder.load().encode([texts[int(i)] for i in keep])
                self.encoded += len(keep)
            else:
                emb = embeddings[keep]
            z[keep] = self.full.logits(self.full_features(x[keep], emb))
            gated[keep] = False
        return z, gated

    def predict(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> list[Prediction]:
        z, gated = self.raw_logits(texts, embeddings)
        out: list[Prediction] = []
        for row, g in zip(_softmax(z / self.temperature), gated, strict=True):
            masked = row.copy()
            masked[self._none] = -1.0
            k = int(masked.argmax())
            pe, pl = float(1.0 - row[self._none]), float(row[k])
            out.append(Prediction(pe, self.classes[k], pl, self.confidence(pl, pe), bool(g)))
        return out

    def confidence(self, p_label: float, p_event: float) -> float:
        a, b, c = self.calibration
        z = a * _logit(p_label) + b * _logit(p_event) + c
        return float(1.0 / (1.0 + np.exp(-z)))

    # ------------------------------------------------------------------ files
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        header = dict(self.meta, format=FORMAT, classes=self.classes, family=self.family)
        arrays: dict[str, Any] = {
            "header": np.array(json.dumps(header, sort_keys=True)),
            "word_vocab": np.array(self.word_vocab, dtype=str),
            "char_vocab": np.array(self.char_vocab, dtype=str),
            "word_idf": self.word_idf.astype(np.float16),
            "char_idf": self.char_idf.astype(np.float16),
            **_quantized("gate", self.gate),
        }
        if self.full is not None:
            arrays |= _quantized("full", self.full)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> SentenceClassifier:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                if header.get("format") != FORMAT:
                    raise ModelError(f"{path}: not an eventwire sentence-classifier model ({header.get('format')!r})")
                f32 = np.float32
                gate = _head(z, "gate")
                full = _head(z, "full") if "full_intercept" in z else None
                return cls(
                    [str(t) for t in z["word_vocab"]], [str(t) for t in z["char_vocab"]],
                    z["word_idf"].astype(f32), z["char_idf"].astype(f32), gate, full,
                    list(header["classes"]), header,
                )  # fmt: skip
        except ModelError:
            raise
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{path}: cannot read the event classifier model ({exc}); retrain with `eventwire train`") from exc


def _quantized(name: str, head: Head) -> dict[str, np.ndarray]:
    """A head's coefficients as int8 with one scale per class (the file is a quarter of float32;
    predictions of the shipped model moved by at most the drift docs/events.md reports)."""
    scale = np.abs(head.coef).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(head.coef / scale[:, None]).astype(np.int8)
    return {f"{name}_coef_q": q, f"{name}_coef_scale": scale.astype(np.float32),
            f"{name}_intercept": head.intercept.astype(np.float32)}  # fmt: skip


def _head(z: Any, name: str) -> Head:
    f32 = np.float32
    if f"{name}_coef_q" in z:
        coef = z[f"{name}_coef_q"].astype(f32) * z[f"{name}_coef_scale"].astype(f32)[:, None]
    else:  # float16 coefficients (models written before int8)
        coef = z[f"{name}_coef"].astype(f32)
    return Head(coef, z[f"{name}_intercept"].astype(f32))


@cache
def load(path: str | None = None) -> SentenceClassifier:
    """The model at ``path`` (default: the shipped one), read once per process."""
    p = Path(path) if path else SHIPPED
    if not p.is_file():
        raise ModelError(f"{p}: event classifier model not found; train one with `eventwire train`")
    return SentenceClassifier.load(p)


# ---------------------------------------------------------------------------------- training
#: Inverse regularisation strength of both logistic regressions, chosen on the corpus dev split
#: (`python -m eventwire.eval.coders select`, docs/events.md "Choosing the model"): C in 3, 10,
#: 30, 100; mean of event F1, PLOVER top-1 and ACLED weighted F1 was best at 30 for tfidf+minilm
#: (0.853 against 0.849 / 0.849 / 0.845) and tied best at 30 and 100 for tfidf (0.797).
DEFAULT_C = 30.0
#: Weight of the embedding block beside the two unit-norm TF-IDF blocks. Same selection at C=30:
#: 1 and 2 tied (0.854, 0.853), 4 worse (0.837).
EMBEDDING_WEIGHT = 2.0
#: Vocabulary entries must occur in at least this many training sentences: a size choice (it
#: drops the n-grams seen once, most of the character n-grams), not tuned.
MIN_DF = 2
#: Weight of a real sentence (source ``ref/…``) against a written one in training: the coder
#: codes real news, and the written batches are many and alike. Measured on 11,507 sentences
#: (`training.leave_one_source_out(..., sources=["ref/ecb"], real_weight=w)` and the
#: dev split): 3 against 1 gave ECB+ held out event F1 0.565 / 0.558, real dev sentences F1
#: 0.686 / 0.675, but dev ECE 0.045 / 0.030 and PLOVER-gold top-1 0.56 / 0.58 — no clear gain,
#: so real and written sentences weigh the same.
REAL_WEIGHT = 1.0
#: The gate keeps at least this share of the dev split's events (the rest is the gate's loss).
GATE_RECALL = 0.98


def _fit_head(x: Any, labels: Sequence[str], c: float, seed: int,
              weights: np.ndarray | None = None) -> tuple[Head, list[str]]:  # fmt: skip
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    lr.fit(x, labels, sample_weight=weights)
    return Head(lr.coef_.astype(np.float32), lr.intercept_.astype(np.float32)), [str(k) for k in lr.classes_]


def fit(train: Sequence[Example], family: str = "tfidf+minilm", c: float = DEFAULT_C, min_df: int = MIN_DF,
        meta: dict[str, Any] | None = None, embeddings: np.ndarray | None = None,
        embedding_weight: float = EMBEDDING_WEIGHT, seed: int = 0,
        real_weight: float = REAL_WEIGHT) -> SentenceClassifier:  # fmt: skip
    """Fit vocabularies, idf and the heads on ``train`` (uncalibrated: temperature 1, gate
    open). ``embeddings`` (one row per example) saves encoding the training sentences; each real
    sentence (source ``ref/…``) weighs ``real_weight`` written ones."""
    from scipy.sparse import hstack

    if family not in FAMILIES:
        raise ModelError(f"unknown model family {family!r}; one of {', '.join(FAMILIES)}")
    texts = [e.text for e in train]
    labels = [e.label for e in train]
    if NONE not in labels:
        raise ModelError("training data has no non-event example; a coder must learn to say 'no event'")
    word, char = _vectorizers(min_df=min_df)
    wc, cc = word.fit_transform(texts), char.fit_transform(texts)
    widf, cidf = _idf(wc), _idf(cc)
    x = hstack([_tfidf(wc, widf), _tfidf(cc, cidf)]).tocsr()
    w = np.array([real_weight if e.source.startswith("ref/") else 1.0 for e in train], dtype=np.float64)
    w *= len(w) / w.sum()  # mean weight 1: C keeps its meaning
    gate, classes = _fit_head(x, labels, c, seed, w)
    info = dict(meta or {}, family=family, C=c, min_df=min_df, train_examples=len(train), temperature=1.0,
                real_weight=real_weight,
                event_threshold=0.5, gate_threshold=0.0, embedding_weight=embedding_weight)  # fmt: skip
    model = SentenceClassifier(
        list(word.get_feature_names_out()), list(char.get_feature_names_out()), widf, cidf, gate, None,
        classes, info,
    )  # fmt: skip
    if family == "tfidf+minilm":
        if embeddings is None:
            from . import encoder

            embeddings = encoder.load().encode(texts)
        full, classes2 = _fit_head(model.full_features(x, embeddings), labels, c, seed, w)
        assert classes2 == classes
        model.full = full
        model.family = family
    return model


def fit_gate(model: SentenceClassifier, dev: Sequence[Example], recall: float = GATE_RECALL) -> float:
    """The highest gate threshold that keeps ``recall`` of the dev events."""
    if model.full is None:
        return 0.0
    p = 1.0 - _softmax(model.gate.logits(model.features([e.text for e in dev])))[:, model._none]
    ev = np.sort(p[[e.event for e in dev]])
    if not len(ev):
        return 0.0
    k = int(np.floor((1.0 - recall) * len(ev)))
    return float(max(0.0, min(0.5, ev[k] - 1e-6)))


def fit_temperature(model: SentenceClassifier, dev: Sequence[Example], embeddings: np.ndarray | None = None) -> float:
    """The temperature minimising the negative log-likelihood of the dev labels."""
    z, _ = model.raw_logits([e.text for e in dev], embeddings)
    idx = np.array([model.classes.index(e.label) if e.label in model.classes else -1 for e in dev])
    keep = idx >= 0
    z, idx = z[keep], idx[keep]

    def nll(t: float) -> float:
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(idx)), idx].mean())

    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 81))
    return float(min(grid, key=nll))


def fit_confidence(model: SentenceClassifier, dev: Sequence[Example], embeddings: np.ndarray | None = None) -> list[float]:
    """Platt scaling: P(right | logit p_label, logit p_event) over the events the model emits on
    dev (right = PLOVER type and ACLED sub-event both correct)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for p, e in zip(model.predict([e.text for e in dev], embeddings), dev, strict=True):
        if p.p_event >= model.threshold:
            xs.append([_logit(p.p_label), _logit(p.p_event)])
            ys.append(p.plover == e.plover and p.acled_sub_event_type == e.acled_sub_event_type)
    if len(set(ys)) < 2:
        return [1.0, 0.0, 0.0]
    lr = LogisticRegression(C=100.0).fit(np.array(xs), np.array(ys))
    return [float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0])]


__all__ = ["SentenceClassifier", "Prediction", "Head", "fit", "fit_gate", "fit_temperature", "fit_confidence",
           "load", "SHIPPED", "FAMILIES"]
