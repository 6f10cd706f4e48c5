"""The sklearn-free prediction features (events/vectorize.py) are scikit-learn's, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from eventwire.events import classifier, corpus, vectorize

ODD = ["", "   ", "a", "I", "x\ty\n\nz", "Ünïcödé naïve café — 12,000 people", "a b", "99 9",
       "word  word   word", "  leading and trailing  ", "it's a well-known fact."]  # fmt: skip


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [ex.text for ex in corpus.read(corpus.shipped_files(), corpus.default_data_root(), errors=[])][::3] + ODD


def test_counts_and_tfidf_match_sklearn(texts: list[str]) -> None:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    model = classifier.load()
    ours = classifier.SentenceClassifier.features(model, texts)
    word, char = model._vec
    assert isinstance(word, vectorize.Counts) and isinstance(char, vectorize.Counts)
    blocks = []
    for vocab_list, mine, idf, analyzer, ngrams in (
        (model.word_vocab, word, model.word_idf, "word", classifier.WORD_NGRAMS),
        (model.char_vocab, char, model.char_idf, "char_wb", classifier.CHAR_NGRAMS),
    ):
        kw = {"token_pattern": r"(?u)\b\w+\b"} if analyzer == "word" else {}
        sk = CountVectorizer(analyzer=analyzer, ngram_range=ngrams, preprocessor=classifier._prep,
                             dtype=np.float32, vocabulary={t: i for i, t in enumerate(vocab_list)}, **kw)  # fmt: skip
        a, b = sk.transform(texts), mine.transform(texts)
        for attr in ("data", "indices", "indptr"):
            assert getattr(a, attr).dtype == getattr(b, attr).dtype
            assert np.array_equal(getattr(a, attr), getattr(b, attr)), attr
        assert a.shape == b.shape
        x = a.tocsr(copy=True)
        x.data = 1.0 + np.log(x.data)
        blocks.append(normalize(x.multiply(idf).tocsr(), copy=False))
    from scipy.sparse import hstack

    theirs = hstack(blocks).tocsr()
    assert ours.data.dtype == theirs.data.dtype
    assert ours.data.tobytes() == theirs.data.tobytes()
    assert np.array_equal(ours.indices, theirs.indices) and np.array_equal(ours.indptr, theirs.indptr)


def test_l2_normalize_matches_sklearn_on_awkward_rows() -> None:
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(0)
    dense = rng.standard_normal((200, 300)).astype(np.float32) * rng.integers(0, 2, (200, 300))
    dense[::7] *= 1e-20  # tiny rows (squares underflow float32)
    dense[3] = 0.0
    a = csr_matrix(dense)
    b = csr_matrix(dense)
    normalize(a, copy=False)
    vectorize.l2_normalize_rows(b)
    assert a.data.tobytes() == b.data.tobytes()
