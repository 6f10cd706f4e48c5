"""Render an HTML page the way a naive scraper does: every visible text block on its own line.

This is what the text-dump cleaner is built to undo, so it serves twice: the evaluation builds
its development dumps with it (:mod:`eventwire.eval.dumps`), and :func:`eventwire.clean.clean`
falls back to it when trafilatura finds no main text in a page.

Written by hand because no installed library renders "one line per visible block" (trafilatura
and jusText both *select* text; ``lxml``'s ``text_content`` loses block boundaries).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# Elements whose content a browser never shows as text.
_INVISIBLE = frozenset(
    "head script style noscript template svg math iframe object embed canvas audio video "
    "map area input textarea link meta base param source track".split()
)
# Elements that start a new line (block or table-ish boxes in a default stylesheet).
_BLOCK = frozenset(
    "address article aside blockquote body center details dialog dd dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol p pre section summary table caption thead tbody tfoot tr td th ul option "
    "select button label br".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"\s+")


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


def parse_html(html: str) -> etree._Element:
    """Lenient lxml parse of a page; raises ``ValueError`` when nothing can be parsed."""
    # lxml refuses str input that carries an XML encoding declaration (XHTML pages).
    html = _XML_DECL.sub("", html, count=1)
    try:
        root, deep = _parse(html)
        if deep:  # libxml2 dropped everything past depth 256: parse again with the deepest unwrapped
            from .flatten import MAX_DEPTH, flatten

            root, deep = _parse(flatten(html))
            if deep:
                raise ValueError(f"HTML nested deeper than {MAX_DEPTH} levels could not be flattened")
        return root
    except etree.ParserError as exc:
        raise ValueError(str(exc)) from None


def _parse(html: str) -> tuple[etree._Element, bool]:
    """The tree, and whether libxml2 stopped at its depth limit (it returns a truncated tree)."""
    parser = lxml.html.HTMLParser()
    root = lxml.html.document_fromstring(html, parser=parser)
    deep = any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message for e in parser.error_log)
    return root, deep


def html_to_lines(html: str | bytes, *, every_tag: bool = False) -> list[str]:
    """Visible text of ``html``, one stripped line per block, empty blocks dropped.

    ``every_tag=True`` breaks the line at every element, inline ones too (what
    ``BeautifulSoup.get_text("\n")`` does): a harsher rendering used to test robustness.

    Malformed HTML is parsed leniently (lxml/libxml2 recovery); an empty or unparsable page gives
    ``[]``.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    html = html.strip()
    if not html:
        return []
    try:
        root = parse_html(html)
    except ValueError:
        return []
    # Comments are invisible but their tails are text: merge the tails into the parent.
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)  # type: ignore[arg-type]
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            lines.append(text)

    # Iterative walk: no recursion, whatever the nesting depth.
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag:  # entity or other non-element node
                continue
            if tag in _INVISIBLE or _hidden(el):
                walker.skip_subtree()
                el.set("data-ew-skip", "1")
                continue
            if every_tag or tag in _BLOCK:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if tag and (every_tag or tag in _BLOCK) and el.get("data-ew-skip") is None:
                flush()
            if el.tail:
                buf.append(el.tail)
    flush()
    return lines
