"""The sentence classifier of the learned coder: event or not, PLOVER type, ACLED sub-event type.

One multinomial logistic regression over TF-IDF features of the sentence (word 1–2-grams and
character 2–5-grams inside word boundaries, digits folded to ``0``) predicts a *joint* label:
``NONE`` (no event, the commonest answer) or ``PLOVER|ACLED sub-event`` (``ASSAULT|Air/drone
strike``, ``CONSULT|-``). P(event) is 1 − P(NONE); the type is the most probable event label;
the probabilities are temperature-scaled on the corpus's dev split so that the top label's
probability is a calibrated chance that the event is right (docs/events.md has the reliability
table). Why this family and not a sentence encoder: docs/events.md, "Model families".

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


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sub-linear tf × idf, L2-normalised per row (as sklearn's TfidfTransformer does)."""
    from sklearn.preprocessing import normalize

    x = counts.tocsr(copy=True)
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(idf).tocsr()
    return normalize(x, copy=False)


def _idf(counts: Any) -> np.ndarray:
    n = counts.shape[0]
    df = np.bincount(counts.tocsc().indices, minlength=counts.shape[1])
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


@dataclass(frozen=True)
class Prediction:
    """The classifier's answer for one sentence."""

    p_event: float  #: 1 − P(no event), calibrated
    label: str  #: most probable event label ``PLOVER|sub`` (even when p_event is low)
    p_label: float  #: probability of that label (temperature-scaled softmax)
    confidence: float  #: calibrated chance that an event coded from this sentence is right

    @property
    def plover(self) -> str:
        return self.label.split("|", 1)[0]

    @property
    def acled_sub_event_type(self) -> str | None:
        sub = self.label.split("|", 1)[1]
        return None if sub == "-" else sub


class SentenceClassifier:
    """A trained model; :meth:`predict` is pure numpy/scipy after loading."""

    def __init__(self, word_vocab: list[str], char_vocab: list[str], word_idf: np.ndarray,
                 char_idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray, classes: list[str],
                 meta: dict[str, Any]) -> None:  # fmt: skip
        self.word_vocab, self.char_vocab = word_vocab, char_vocab
        self.word_idf, self.char_idf = word_idf, char_idf
        self.coef, self.intercept = coef.astype(np.float32), intercept.astype(np.float32)
        self.classes = classes
        self.meta = meta
        self.temperature = float(meta.get("temperature", 1.0))
        self.threshold = float(meta.get("event_threshold", 0.5))
        #: Platt scaling of [logit p_label, logit p_event] → P(right), fitted on dev
        self.calibration = [float(v) for v in meta.get("calibration", (1.0, 0.0, 0.0))]
        self._none = classes.index(NONE)
        self._vec = _vectorizers(word_vocab, char_vocab)

    # ------------------------------------------------------------------ features
    def features(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        word, char = self._vec
        return hstack(
            [_tfidf(word.transform(texts), self.word_idf), _tfidf(char.transform(texts), self.char_idf)]
        ).tocsr()

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return np.asarray(self.features(texts) @ self.coef.T) + self.intercept

    def proba(self, texts: Sequence[str], temperature: float | None = None) -> np.ndarray:
        z = self.logits(texts) / (self.temperature if temperature is None else temperature)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        out: list[Prediction] = []
        for row in self.proba(texts):
            masked = row.copy()
            masked[self._none] = -1.0
            k = int(masked.argmax())
            pe, pl = float(1.0 - row[self._none]), float(row[k])
            out.append(Prediction(pe, self.classes[k], pl, self.confidence(pl, pe)))
        return out

    def confidence(self, p_label: float, p_event: float) -> float:
        a, b, c = self.calibration
        z = a * _logit(p_label) + b * _logit(p_event) + c
        return float(1.0 / (1.0 + np.exp(-z)))

    # ------------------------------------------------------------------ files
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        header = dict(self.meta, format=FORMAT, classes=self.classes)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                header=np.array(json.dumps(header, sort_keys=True)),
                word_vocab=np.array(self.word_vocab, dtype=str),
                char_vocab=np.array(self.char_vocab, dtype=str),
                word_idf=self.word_idf.astype(np.float16),
                char_idf=self.char_idf.astype(np.float16),
                coef=self.coef.astype(np.float16),
                intercept=self.intercept.astype(np.float32),
            )

    @classmethod
    def load(cls, path: str | Path) -> SentenceClassifier:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                if header.get("format") != FORMAT:
                    raise ModelError(f"{path}: not an eventwire sentence-classifier model ({header.get('format')!r})")
                return cls(
                    [str(t) for t in z["word_vocab"]], [str(t) for t in z["char_vocab"]],
                    z["word_idf"].astype(np.float32), z["char_idf"].astype(np.float32),
                    z["coef"].astype(np.float32), z["intercept"], list(header["classes"]), header,
                )  # fmt: skip
        except ModelError:
            raise
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{path}: cannot read the event classifier model ({exc}); retrain with `eventwire train`") from exc


@cache
def load(path: str | None = None) -> SentenceClassifier:
    """The model at ``path`` (default: the shipped one), read once per process."""
    p = Path(path) if path else SHIPPED
    if not p.is_file():
        raise ModelError(f"{p}: event classifier model not found; train one with `eventwire train`")
    return SentenceClassifier.load(p)


# ---------------------------------------------------------------------------------- training
#: Inverse regularisation strength of the logistic regression. Chosen on the corpus dev split
#: (docs/events.md, "Choosing C"): see eventwire.events.training.
DEFAULT_C = 10.0
#: Vocabulary entries must occur in at least this many training sentences (keeps the shipped
#: model small; measured on dev in docs/events.md).
MIN_DF = 2


def fit(train: Sequence[Example], c: float = DEFAULT_C, min_df: int = MIN_DF, meta: dict[str, Any] | None = None,
        seed: int = 0) -> SentenceClassifier:  # fmt: skip
    """Fit vocabularies, idf and the logistic regression on ``train`` (temperature 1)."""
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    texts = [e.text for e in train]
    labels = [e.label for e in train]
    if NONE not in labels:
        raise ModelError("training data has no non-event example; a coder must learn to say 'no event'")
    word, char = _vectorizers(min_df=min_df)
    wc, cc = word.fit_transform(texts), char.fit_transform(texts)
    widf, cidf = _idf(wc), _idf(cc)
    x = hstack([_tfidf(wc, widf), _tfidf(cc, cidf)]).tocsr()
    lr = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    lr.fit(x, labels)
    classes = [str(k) for k in lr.classes_]
    info = dict(meta or {}, C=c, min_df=min_df, train_examples=len(train), temperature=1.0, event_threshold=0.5)
    return SentenceClassifier(
        list(word.get_feature_names_out()), list(char.get_feature_names_out()), widf, cidf,
        lr.coef_, lr.intercept_, classes, info,
    )  # fmt: skip


def fit_temperature(model: SentenceClassifier, dev: Sequence[Example]) -> float:
    """The temperature minimising the negative log-likelihood of the dev labels."""
    z = model.logits([e.text for e in dev])
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


def fit_confidence(model: SentenceClassifier, dev: Sequence[Example]) -> list[float]:
    """Platt scaling: P(right | logit p_label, logit p_event) over the events the model emits on
    dev (right = PLOVER type and ACLED sub-event both correct)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for p, e in zip(model.predict([e.text for e in dev]), dev, strict=True):
        if p.p_event >= model.threshold:
            xs.append([_logit(p.p_label), _logit(p.p_event)])
            ys.append(p.plover == e.plover and p.acled_sub_event_type == e.acled_sub_event_type)
    if len(set(ys)) < 2:
        return [1.0, 0.0, 0.0]
    lr = LogisticRegression(C=100.0).fit(np.array(xs), np.array(ys))
    return [float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0])]


__all__ = ["SentenceClassifier", "Prediction", "fit", "fit_temperature", "fit_confidence", "load", "SHIPPED"]
