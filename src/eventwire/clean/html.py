"""HTML pages: main text and metadata through trafilatura, captions from ``<figcaption>``.

Fallback order: trafilatura with its defaults (precision/recall balance measured best on the dev
pages) → trafilatura ``favor_recall`` (short pages it otherwise discards) → the page rendered
line per block and cleaned as a text dump.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from ..records import Article, Caption, RawDocument
from . import dump
from .render import html_to_lines, parse_html

# Captions farther than this from the main text are thumbnails of other stories; 8 is the most
# figures any dev page has inside its <article>/<main>.
MAX_CAPTIONS = 8
_WORDLIKE = re.compile(r"[^\W\d_]{2,}")


def _captions(tree: Any) -> list[Caption]:
    scope = tree.xpath("//article|//main|//*[@role='main']") or [tree]
    out: list[Caption] = []
    seen: set[str] = set()
    for root in scope[:1]:
        for fc in root.xpath(".//figcaption"):
            text = " ".join(fc.text_content().split())
            if len(text.split()) < 3:
                continue
            cap, credit = dump.split_credit(text)
            key = dump.norm(cap)
            if key not in seen:
                seen.add(key)
                out.append(Caption(cap, credit))
            if len(out) >= MAX_CAPTIONS:
                return out
    return out


def extract(raw: RawDocument) -> list[Article]:
    import trafilatura

    from . import paragraphs_of, tidy

    html = raw.text
    if not html.strip():
        raise InputError(raw.source, "empty HTML page")
    try:
        tree = parse_html(html)
    except ValueError as exc:
        raise InputError(raw.source, f"unparsable HTML ({exc})") from None
    doc: Any = None
    for favor_recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                tree, url=raw.url, with_metadata=True, include_comments=False, favor_recall=favor_recall
            )
        except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on broken markup
            doc = None
        if doc is not None and (doc.text or "").strip():
            break
        tree = parse_html(html)  # trafilatura prunes the tree it is given
    if doc is None or not (doc.text or "").strip():
        text = "\n".join(html_to_lines(html))
        parts = dump.split(text) if text else []
        if not parts:
            raise InputError(raw.source, "no article text found in the HTML page")
        from . import _article

        return [_article(raw, p) for p in parts]
    captions = _captions(parse_html(html))
    cap_keys = {dump.norm(c.text) for c in captions}
    paras = [p for p in paragraphs_of(doc.text) if dump.norm(dump.split_credit(p)[0]) not in cap_keys]
    title = tidy(doc.title) if doc.title else raw.title
    # trafilatura keeps the <h1> as the first line of the text; the title is kept apart.
    if title and paras and dump.norm(paras[0]) == dump.norm(title):
        paras = paras[1:]
    if not any(_WORDLIKE.search(p) for p in paras):
        raise InputError(raw.source, "no article text found in the HTML page")
    return [
        Article.from_paragraphs(
            raw.source,
            paras,
            title=title or None,
            captions=tuple(captions),
            published_at=doc.date or raw.published_at,
            byline=doc.author or raw.byline,
            publisher=doc.sitename or raw.publisher,
            url=raw.url or doc.url,
        )
    ]
