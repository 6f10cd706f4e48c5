"""Cap the nesting depth of an HTML page before lxml parses it.

libxml2 builds at most 256 levels of elements (2,048 with ``XML_PARSE_HUGE``, which also lifts its
other resource limits, so it is not used); past that its recovering HTML parser stops with
"Excessive depth in document" and lxml returns the tree built so far: every deeper word is gone,
without an exception. :func:`eventwire.clean.render.parse_html` sees that error in the parser log
and parses again the markup rewritten by :func:`flatten`, whose deepest elements are unwrapped:
their tags are dropped, their text, entities and child text kept in order.

Written by hand over the standard library's tokenizer (:class:`html.parser.HTMLParser`, which has
no depth limit) because no installed parser builds a tree that deep (html5lib is not a
dependency; BeautifulSoup would need it or lxml) and only the tag stack needs tracking.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Depth past which wrappers are unwrapped: under libxml2's 256 with room for the elements it adds
# (html, body) and for the implicit closes the tokenizer cannot see (an unclosed <p> counts here as
# open until its parent closes; 200 leaves 56 levels of such slack).
MAX_DEPTH = 200
# HTML void elements never hold children: they are not pushed on the stack.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Tags whose dropping would join two words or two paragraphs: replaced by a line break.
_BREAK = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header li main nav ol p pre section table td th tr ul".split()
)


class _Flattener(HTMLParser):
    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)
        self.max_depth = max_depth
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, emitted)
        self.open = 0  # emitted elements on the stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self.out.append(raw)
            return
        emitted = self.open < self.max_depth
        self.stack.append((tag, emitted))
        if emitted:
            self.open += 1
            self.out.append(raw)
        elif tag in _BREAK:
            self.out.append("<br>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                emitted = self.stack[i][1]
                self.open -= sum(e for _, e in self.stack[i:])
                del self.stack[i:]  # what was left open inside is closed implicitly
                if emitted:
                    self.out.append(f"</{tag}>")
                elif tag in _BREAK:
                    self.out.append("<br>")
                return
        self.out.append(f"</{tag}>")  # stray end tag: libxml2 ignores it as before

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with no element nested deeper than ``max_depth`` (counting open tags): deeper tags
    are dropped (block ones become ``<br>``), all text is kept in order."""
    p = _Flattener(max_depth)
    p.feed(html)
    p.close()
    return "".join(p.out)


__all__ = ["flatten", "MAX_DEPTH"]
