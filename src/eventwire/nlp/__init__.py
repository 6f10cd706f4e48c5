"""The nlp stage (see docs/architecture.md and docs/nlp.md): Article → Analysis.

``Analyzer(settings, kb).analyze(articles)`` runs one spaCy pipeline (loaded once per process,
see :mod:`.model`) over every body, title and caption with ``nlp.pipe`` in batches of
``settings.batch_size`` and turns each Doc into plain records: mentions (:mod:`.mentions`),
quantities (:mod:`.quantities`), dates (:mod:`.dates`), claims (:mod:`.claims`) and the parse
(:func:`.parse.to_parse`). No spaCy object leaves this package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from ..errors import InputError
from ..records import Analysis, Article
from . import claims as _claims
from . import dates as _dates
from . import mentions as _mentions
from . import quantities as _quantities
from .docindex import ents, text_of
from .parse import to_parse
from .titles import body_names, sentence_case

__all__ = ["Analyzer", "to_parse"]


class Analyzer:
    """The nlp stage. ``kb`` is an ``eventwire.kb.KnowledgeBase`` (or None: no KB patterns or ids)."""

    def __init__(self, settings: Any, kb: Any = None, *, today: dt.date | None = None) -> None:
        from . import model

        self.settings = settings
        self.kb = kb
        self.batch_size = int(getattr(settings, "batch_size", 32) or 32)
        self.nlp = model.build(kb)
        self.resolver = _mentions.Resolver(kb)
        self.today = today
        self._pattern_words: set[str] | None = None

    # ------------------------------------------------------------------ public
    def analyze(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """One Analysis per article, same order."""
        it = iter(articles)
        while True:
            chunk = list(islice(it, self.batch_size))
            if not chunk:
                return
            yield from self._batch(chunk)

    def analyze_text(self, text: str, published_at: str | None = None) -> Analysis:
        """Analysis of one plain text (offsets into ``text``); for evaluations and tests."""
        art = Article(id="text", source="text", title=None, body=text, paragraphs=((0, len(text)),), published_at=published_at)
        return next(self.analyze([art]))

    # ------------------------------------------------------------------ internals
    def _names(self) -> set[str]:
        """The names the case-sensitive ruler knows (kept capitalised when sentence-casing titles)."""
        if self._pattern_words is None:
            words: set[str] = set()
            for name in ("eventwire_names",):
                ruler = self.nlp.get_pipe(name)
                for p in ruler.patterns:
                    pat = p.get("pattern")
                    if isinstance(pat, str) and pat[:1].isupper():
                        words.add(pat)
            self._pattern_words = words
        return self._pattern_words

    def _batch(self, arts: list[Article]) -> list[Analysis]:
        texts: list[str] = []
        layout = []
        for a in arts:
            if not isinstance(getattr(a, "body", None), str):
                raise InputError(str(getattr(a, "source", "?")), "article body is not text; the nlp stage takes clean Articles")
            idx_body = len(texts)
            texts.append(a.body)
            idx_title = None
            if a.title:
                idx_title = len(texts)
                texts.append(sentence_case(a.title, body_names(a.body), self._names()))
            caps = []
            for c in a.captions:
                caps.append(len(texts))
                texts.append(c.text)
            layout.append((idx_body, idx_title, caps))
        docs = list(self.nlp.pipe(texts, batch_size=self.batch_size))
        for doc, text in zip(docs, texts, strict=True):
            doc.user_data["ew_text"] = text  # the text we fed is doc.text: skip rebuilding it
        out = []
        for a, (ib, it, caps) in zip(arts, layout, strict=True):
            anchor, anchor_kind = _dates.anchor_of(a.published_at, self.today)
            if anchor_kind == "ingest":
                anchor, anchor_kind = _dates.story_anchor([docs[i] for i in (ib, it) if i is not None], anchor)
            title_doc = docs[it] if it is not None else None
            main = self._main_country(title_doc, docs[ib])
            title = None
            if title_doc is not None:
                # The doc was built on a sentence-cased copy of the same length: put the
                # original characters back into every text field.
                title = self._analysis(title_doc, anchor, anchor_kind, main, original=a.title, parse=True)
            captions = tuple(self._analysis(docs[i], anchor, anchor_kind, main, parse=False) for i in caps)
            body = self._analysis(docs[ib], anchor, anchor_kind, main, parse=True)
            out.append(Analysis(
                mentions=body.mentions, quantities=body.quantities, dates=body.dates,
                claims=body.claims, parse=body.parse, captions=captions, title=title,
                anchor_date=anchor.isoformat(),
            ))
        return out

    def _main_country(self, title_doc: Any, body_doc: Any) -> str | None:
        """The country the article is about: the first place named in the title, else the first
        nationality there, else the same in the body ("Iranian Proxy Militia Opens ... in Aleppo,
        Syria" is about Syria)."""
        for doc in (title_doc, body_doc):
            if doc is None:
                continue
            for labels in (("GPE",), ("NORP",)):
                for e in ents(doc):
                    if e.label_ in labels:
                        c = self.resolver.country(e.text, e.label_)
                        if c:
                            return c
        return None

    def _analysis(self, doc: Any, anchor: dt.date, anchor_kind: str, main: str | None,
                  original: str | None = None, parse: bool = True) -> Analysis:
        mentions, affil = _mentions.build(doc, self.resolver, main)
        by_tok: dict[int, str] = {}
        for e in ents(doc):
            if e.label_ in ("WEAPON", "MILITARY_PLATFORM", "MILITARY_UNIT", "ORG", "PRODUCT"):
                for i in range(e.start, e.end):
                    by_tok[i] = e.label_
        quantities = _quantities.extract(doc, by_tok)
        dates = _dates.extract(doc, anchor, anchor_kind)
        claims = _claims.extract(doc, mentions, affil, self.resolver.resolve if self.kb is not None else None)
        p = to_parse(doc) if parse else None
        if original is not None and original != text_of(doc):
            mentions = [_retext(m, original) for m in mentions]
            quantities = [_retext(q, original) for q in quantities]
            dates = [_retext(d, original) for d in dates]
            claims = [_reclaim(c, original) for c in claims]
            if p is not None:
                p = type(p)(tokens=tuple(t._replace(text=original[t.start:t.end]) for t in p.tokens), sentences=p.sentences)
        return Analysis(tuple(mentions), tuple(quantities), tuple(dates), tuple(claims), p)


def _retext(rec: Any, original: str) -> Any:
    import dataclasses

    return dataclasses.replace(rec, text=original[rec.start:rec.end])


def _reclaim(c: Any, original: str) -> Any:
    import dataclasses

    if c.source_start is None:
        return c
    return dataclasses.replace(c, source_text=original[c.source_start:c.source_end])
