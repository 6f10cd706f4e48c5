"""Headlines in title case fool the small model ("Spain Cancels Contract" → ORG, "Missiles Built"
→ PERSON). We analyse a sentence-cased copy instead: same length, so offsets map back 1:1.

A capitalised headline word keeps its capital when it is a known name: it appears capitalised
mid-sentence in the article body, or it is part of a run of capitalised words that is a whole
gazetteer/KB/lexicon name ("New York", not the "New" of "New Recruitment Center"). Everything
else is lower-cased. The first word always keeps its case.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.U)
_SENT_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")


def body_names(body: str) -> set[str]:
    """Capitalised words that occur inside sentences of ``body`` (so are names, not sentence starts)."""
    out = set()
    for m in _WORD.finditer(body):
        w = m.group()
        if w[:1].isupper() and not _SENT_START.search(body[max(0, m.start() - 3) : m.start()]):
            out.add(w)
    return out


def is_title_case(title: str) -> bool:
    """True when most words of four letters or more are capitalised (a headline style)."""
    words = [w for w in _WORD.findall(title) if len(w) >= 4]
    if len(words) < 2:
        return False
    caps = sum(w[:1].isupper() for w in words)
    return caps / len(words) >= 0.6  # "Spain cancels contract ..." has 1/5: sentence case already


def sentence_case(title: str, names: Iterable[str] = (), phrases: Collection[str] = ()) -> str:
    """Lower-case the capitalised words of ``title`` that are not in ``names`` nor inside a run
    of words that is one of ``phrases`` (except the first word and all-caps acronyms).
    Length-preserving: offsets into the result are offsets into ``title``."""
    if not is_title_case(title):
        return title
    keep = set(names)
    words = list(_WORD.finditer(title))
    protected: set[int] = set()
    for i in range(len(words)):
        for n in (1, 2, 3, 4):
            if i + n > len(words):
                break
            phrase = title[words[i].start() : words[i + n - 1].end()]
            if phrase in phrases:
                protected.update(range(i, i + n))
    out = list(title)
    for i, m in enumerate(words):
        w = m.group()
        if i == 0 or i in protected:
            continue
        if not w[:1].isupper() or (w.isupper() and len(w) > 1):
            continue
        if w in keep or w.rstrip(".") in keep:
            continue
        low = w.lower()
        if len(low) != len(w):  # a rare character whose lower case has another length
            continue
        out[m.start() : m.end()] = low
    return "".join(out)
