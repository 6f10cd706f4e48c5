"""The clean stage: :class:`RawDocument` → ``list[Article]`` (see docs/cleaning.md).

By ``raw.kind``:

- ``plain``: one article whose body is ``raw.text`` byte for byte (evaluation inputs);
- ``article``: one article, whitespace tidied, paragraphs at blank lines (or at line breaks
  when there are no blank lines); cleaning a cleaned article changes nothing;
- ``html``: trafilatura's main text and metadata; fallback order: trafilatura (default
  settings) → trafilatura ``favor_recall`` → the page rendered line per block
  (:mod:`.render`) and cleaned as a text dump;
- ``text``: a naive dump, repaired (:mod:`.repair`: mojibake, control characters, casing), split
  into articles (:mod:`.sections`, then :mod:`.dump`) and stripped of furniture; every input
  line is accounted for (:func:`explain_text`).

Unusable documents raise :class:`~eventwire.errors.InputError`.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from typing import Any

from ..errors import InputError
from ..records import Article, Caption, RawDocument
from . import dump
from .repair import repair as _repair

__all__ = ["clean", "clean_text", "explain_text", "clean_html", "clean_article", "clean_plain"]

_BLANK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_INVISIBLE = dump.INVISIBLE  # zero-width and invisible format characters, never content
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def clean(raw: RawDocument, settings: Any = None) -> list[Article]:
    """The articles in ``raw``, each within the ``max_article_chars`` budget (see
    :func:`within_budget`); raises InputError when nothing usable is left."""
    kind = raw.kind
    if kind == "plain":
        arts = [clean_plain(raw)]
    elif kind == "article":
        arts = [clean_article(raw)]
    elif kind == "html":
        arts = clean_html(raw)
    elif kind == "text":
        arts = clean_text(raw)
    else:
        raise InputError(raw.source, f"unknown document kind {kind!r}; expected text, html, article or plain")
    budget = getattr(settings, "max_article_chars", None)
    if budget is None:
        return arts
    return [part for a in arts for part in within_budget(a, budget, getattr(settings, "long_articles", "split"))]


# Where a paragraph longer than the whole budget may be cut: after a sentence end, else at a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def _pieces(text: str, budget: int) -> list[str]:
    """``text`` (one paragraph) in pieces of at most ``budget`` characters, cut after the last
    sentence end that fits, else the last space, else hard."""
    out = []
    while len(text) > budget:
        window = text[: budget + 1]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window) if m.start() <= budget), default=0)
        if cut < budget // 2:
            cut = window.rfind(" ") + 1 or budget
        piece, text = text[:cut].rstrip(), text[cut:].lstrip()
        out.append(piece)
    if text:
        out.append(text)
    return out


def within_budget(art: Article, budget: int, mode: str = "split") -> list[Article]:
    """``art`` when its body is at most ``budget`` characters. Else, with ``mode="split"``, its
    parts: consecutive whole paragraphs filling up to ``budget`` each (a paragraph longer than
    the budget is cut at sentence ends), titled "T (part i of n)", each with its own content id;
    with ``mode="reject"`` an InputError. The nlp stage's time and memory grow with the body
    (a 950,000-character article took 4 minutes and 2.9 GB), so no article goes past this."""
    if len(art.body) <= budget:
        return [art]
    if mode == "reject":
        raise InputError(art.source, f"article of {len(art.body):,} characters is over max_article_chars "
                         f"{budget:,} (long_articles=reject); raise the setting or set long_articles=split")
    paras = [p for s, e in art.paragraphs for p in _pieces(art.body[s:e], budget)]
    groups: list[list[str]] = [[]]
    size = 0
    for p in paras:
        if groups[-1] and size + 2 + len(p) > budget:
            groups.append([])
            size = 0
        size += len(p) + (2 if len(groups[-1]) else 0)
        groups[-1].append(p)
    n = len(groups)
    keep = {k: getattr(art, k) for k in ("published_at", "byline", "publisher", "language", "url", "external_id")}
    parts = []
    for i, g in enumerate(groups, start=1):
        title = f"{art.title} (part {i} of {n})" if art.title else None
        parts.append(Article.from_paragraphs(art.source, g, title=title,
                                             captions=art.captions if i == 1 else (),
                                             furniture_removed=art.furniture_removed if i == 1 else 0, **keep))
    return parts


def _meta(raw: RawDocument) -> dict[str, Any]:
    return {
        "external_id": raw.external_id,
        "url": raw.url,
        "publisher": raw.publisher,
        "byline": raw.byline,
        "published_at": raw.published_at,
    }


def clean_plain(raw: RawDocument) -> Article:
    """Body kept byte for byte; paragraphs are the blank-line separated stretches of it."""
    text = raw.text
    if not text.strip():
        raise InputError(raw.source, "empty text")
    spans = []
    pos = 0
    for m in _BLANK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    spans = [(a, b) for a, b in spans if text[a:b].strip()]
    return _own_id(Article(
        id=Article.make_id(raw.source, text),
        source=raw.source,
        title=raw.title,
        body=text,
        paragraphs=tuple(spans),
        captions=raw.captions,
        **_meta(raw),
    ))


def _own_id(art: Article) -> Article:
    """Article ids always come from the content (a caller's id could name another, stored
    article); the caller's id stays as ``external_id``, unless it is that same content id (a
    ``split --jsonl`` record read back)."""
    if art.external_id == art.id:
        return dataclasses.replace(art, external_id=None)
    return art


def tidy(text: str) -> str:
    """One paragraph's text: NFC, invisible characters dropped, whitespace runs collapsed."""
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))
    return " ".join(text.split())


def paragraphs_of(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = _BLANK.split(text) if _BLANK.search(text) else text.split("\n")
    return [p for p in (tidy(x) for x in parts) if p]


def clean_article(raw: RawDocument) -> Article:
    """An already separated article (a JSONL line): tidy only. Idempotent."""
    paras = paragraphs_of(raw.text)
    if not paras:
        raise InputError(raw.source, "article text is empty after cleaning")
    title = tidy(raw.title) if raw.title else None
    return _own_id(Article.from_paragraphs(raw.source, paras, title=title or None,
                                           captions=tuple(Caption(tidy(c.text), c.credit) for c in raw.captions),
                                           **_meta(raw)))


def _article(raw: RawDocument, p: dump.Parts, **extra: Any) -> Article:
    meta = _meta(raw)
    meta["byline"] = p.byline or raw.byline
    meta["published_at"] = p.published_at or raw.published_at
    meta["language"] = p.language
    meta.update(extra)
    return Article.from_paragraphs(
        raw.source,
        p.paragraphs,
        title=p.title or raw.title,
        captions=tuple(Caption(t, c) for t, c in p.captions),
        furniture_removed=p.furniture,
        **meta,
    )


def clean_text(raw: RawDocument) -> list[Article]:
    """Split a naive dump into articles and strip its furniture."""
    return _split_text(raw)[0]


def _split_text(raw: RawDocument) -> tuple[list[Article], dump.Split, list[str]]:
    text, notes = _repair(raw.text)
    split = dump.explain(text)
    if not split.articles:
        raise InputError(raw.source, "no article text found (only short lines, menus or repeated furniture)")
    parts = split.articles
    arts = [_own_id(_article(raw, p)) for p in parts]
    return arts, split, notes


def explain_text(raw: RawDocument) -> tuple[list[Article], dict[str, Any]]:
    """:func:`clean_text`'s articles, and its account of the dump: the repairs made, the
    sections and the signals that opened them, and every non-blank input line that is in no
    article field (1-based line numbers of the repaired text), with the reason."""
    arts, split, notes = _split_text(raw)
    parts = split.articles

    def dropped(roles: dict[int, str]) -> list[dict[str, Any]]:
        return [{"line": i + 1, "text": split.lines[i].strip(), "why": r.removeprefix("furniture: ")}
                for i, r in sorted(roles.items()) if r.startswith("furniture")]

    report = {
        "source": raw.source,
        "lines": sum(1 for ln in split.lines if ln.strip()),
        "repairs": notes,
        "sections": [{"line": s.start + 1, "score": s.score, "signals": list(s.signals)} for s in split.sections],
        "articles": [
            {"id": a.id, "title": a.title, "language": a.language,
             "lines": dict(sorted(Counter(r.split(":")[0] for r in p.roles.values()).items())),
             "dropped": dropped(p.roles)}
            for a, p in zip(arts, parts, strict=True)
        ],
        "dropped": dropped(split.furniture),
        "unplaced": [i + 1 for i in split.unplaced()],  # always empty: nothing is lost silently
    }
    return arts, report


def clean_html(raw: RawDocument) -> list[Article]:
    from .html import extract

    return extract(raw)
