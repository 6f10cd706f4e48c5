"""The classifier's n-gram counts and row normalisation at prediction time, without scikit-learn.

``import sklearn`` pulls in scipy.stats, pandas and pyarrow: ~1 s CPU and ~90 MB in every
process that codes events (``python -X importtime``; docs/scale.md, "Start-up"). Prediction only
needs :class:`~sklearn.feature_extraction.text.CountVectorizer`'s ``transform`` with a fixed
vocabulary and ``sklearn.preprocessing.normalize``; both are re-implemented here step by step
(same tokenisation, same n-gram order, same CSR layout and dtypes, the same float32 squares
summed in double), so the matrices are bit for bit those of scikit-learn 1.9
(tests/events/test_vectorize.py compares them on the training sentences). Training still fits its
vocabulary with scikit-learn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")  # CountVectorizer._white_spaces


class Counts:
    """``CountVectorizer(analyzer=…, ngram_range=…, preprocessor=…, vocabulary=…, dtype=…)``,
    transform only."""

    def __init__(self, analyzer: str, ngram_range: tuple[int, int], vocabulary: Mapping[str, int],
                 preprocessor: Callable[[str], str], token_pattern: str = r"(?u)\b\w\w+\b",
                 dtype: Any = np.float32) -> None:  # fmt: skip
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"unsupported analyzer {analyzer!r}")
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.vocabulary = vocabulary
        self.preprocessor = preprocessor
        self.dtype = dtype
        self._tokenize = re.compile(token_pattern).findall

    def _word_ngrams(self, doc: str) -> list[str]:
        tokens: list[str] = self._tokenize(doc)
        min_n, max_n = self.ngram_range
        if max_n == 1:
            return tokens
        original = tokens
        if min_n == 1:
            tokens = list(original)
            min_n += 1
        else:
            tokens = []
        n_orig = len(original)
        for n in range(min_n, min(max_n + 1, n_orig + 1)):
            for i in range(n_orig - n + 1):
                tokens.append(" ".join(original[i : i + n]))
        return tokens

    def _char_wb_ngrams(self, doc: str) -> list[str]:
        doc = _WHITE_SPACES.sub(" ", doc)
        min_n, max_n = self.ngram_range
        out: list[str] = []
        for w in doc.split():
            w = " " + w + " "
            w_len = len(w)
            for n in range(min_n, max_n + 1):
                offset = 0
                out.append(w[offset : offset + n])
                while offset + n < w_len:
                    offset += 1
                    out.append(w[offset : offset + n])
                if offset == 0:  # a short word (w_len < n) counts once
                    break
        return out

    def transform(self, docs: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix

        ngrams = self._word_ngrams if self.analyzer == "word" else self._char_wb_ngrams
        vocab = self.vocabulary
        j_indices: list[int] = []
        values: list[int] = []
        indptr = [0]
        for doc in docs:
            counter: dict[int, int] = {}
            for feature in ngrams(self.preprocessor(doc)):
                idx = vocab.get(feature)
                if idx is not None:
                    counter[idx] = counter.get(idx, 0) + 1
            j_indices.extend(counter.keys())
            values.extend(counter.values())
            indptr.append(len(j_indices))
        itype = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
        x = csr_matrix(
            (np.asarray(values, dtype=np.intc), np.asarray(j_indices, dtype=itype), np.asarray(indptr, dtype=itype)),
            shape=(len(indptr) - 1, len(vocab)), dtype=self.dtype,
        )  # fmt: skip
        x.sort_indices()
        return x


def l2_normalize_rows(x: Any) -> Any:
    """``sklearn.preprocessing.normalize(x, copy=False)`` of a float CSR matrix: each row divided
    by its L2 norm in place (squares in the data's precision, summed sequentially in double, as
    ``sparsefuncs_fast._inplace_csr_row_normalize_l2`` does; empty rows stay as they are)."""
    data, indptr = x.data, x.indptr
    sq = (data * data).astype(np.float64)
    for i in range(x.shape[0]):
        a, b = int(indptr[i]), int(indptr[i + 1])
        if a == b:
            continue
        s = float(np.cumsum(sq[a:b])[-1])  # cumsum adds left to right (a sum() may be pairwise)
        if s == 0.0:
            continue
        data[a:b] = data[a:b].astype(np.float64) / np.sqrt(s)
    return x


__all__ = ["Counts", "l2_normalize_rows"]
