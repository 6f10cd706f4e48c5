"""Flatten a spaCy Doc into the :class:`~eventwire.records.Parse` record (offsets, not objects)."""

from __future__ import annotations

from typing import Any

from ..records import Parse, Token


def to_parse(doc: Any, offset: int = 0) -> Parse:
    """Tokens with head indices relative to the doc, and sentence spans, shifted by ``offset``."""
    base = doc[0].i if len(doc) else 0
    tokens = tuple(
        Token(
            t.idx + offset,
            t.idx + len(t.text) + offset,
            t.text,
            t.lemma_,
            t.pos_,
            t.tag_,
            t.dep_,
            t.head.i - base,
        )
        for t in doc
    )
    sents = tuple((s.start_char + offset, s.end_char + offset) for s in doc.sents) if doc.has_annotation("SENT_START") else ()
    return Parse(tokens=tokens, sentences=sents)
