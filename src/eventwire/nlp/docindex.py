"""Per-doc indexes built once: ``doc.ents`` and ``Token.sent``/``Span.sent`` rebuild Python
objects (``.sent`` walks the whole doc) on every access, which made rules quadratic in the
length of an article. Everything in this package goes through these instead."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any


def ents(doc: Any) -> list[Any]:
    got = doc.user_data.get("ew_ents")
    if got is None:
        got = doc.user_data["ew_ents"] = list(doc.ents)
    return got  # type: ignore[no-any-return]


def sents(doc: Any) -> list[Any]:
    got = doc.user_data.get("ew_sents")
    if got is None:
        got = doc.user_data["ew_sents"] = list(doc.sents) if len(doc) else []
        doc.user_data["ew_sent_starts"] = [s.start for s in got]
    return got  # type: ignore[no-any-return]


def sent_of(doc: Any, i: int) -> Any:
    """The sentence holding token ``i``."""
    ss = sents(doc)
    k = bisect_right(doc.user_data["ew_sent_starts"], i) - 1
    return ss[max(0, k)]


def positions(doc: Any, attr: str, words: Any) -> list[int]:
    """Indices of the tokens whose ``attr`` (``"LOWER"``, ``"LEMMA"``, ``"ORTH"``) is one of
    ``words``, found on the doc's attribute array (no Token objects made for the others)."""
    import numpy as np

    if not len(doc):
        return []
    strings = doc.vocab.strings
    key = (attr, id(words))
    hashes = _HASHES.get(key)
    if hashes is None:
        hashes = _HASHES[key] = np.array([strings.add(w) for w in words], dtype="uint64")
    arr = doc.to_array(attr)
    return [int(i) for i in np.nonzero(np.isin(arr, hashes))[0]]


_HASHES: dict[tuple[str, int], Any] = {}


def sent_index(doc: Any, i: int) -> int:
    sents(doc)
    return max(0, bisect_right(doc.user_data["ew_sent_starts"], i) - 1)


def text_of(doc: Any) -> str:
    """``doc.text``, joined once (the property rebuilds the string from every token each time)."""
    got = doc.user_data.get("ew_text")
    if got is None:
        got = doc.user_data["ew_text"] = doc.text
    return got  # type: ignore[no-any-return]
