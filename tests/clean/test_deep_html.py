"""HTML nested deeper than libxml2's limit (256 levels) keeps its text (issue 13.7).

libxml2 stops building the tree at depth 256 ("Excessive depth in document") and lxml's recovering
parser returns what it had: everything deeper was dropped without a word. A page with a shallow lead
and a deep body was stored with its lead only.
"""

from __future__ import annotations

import pytest

from eventwire.clean import clean
from eventwire.clean.flatten import flatten
from eventwire.clean.render import html_to_lines, parse_html
from eventwire.records import RawDocument

LEAD = ("Spain has cancelled a deal for anti-tank missile systems that were to be manufactured in "
        "Madrid by a subsidiary of an Israeli company, the Defense Ministry said on Tuesday.")
BODY = [
    "The decision will affect the license for 168 missile systems with an estimated value of 285 "
    "million euros. The systems would have been developed in Spain by a local subsidiary.",
    "Spain approved the deal in 2023, and authorities argued at the time that the systems used by "
    "the Spanish forces were obsolete and should be replaced by newer versions.",
]


def _deep_page(depth: int, tag: str = "div") -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return ("<!DOCTYPE html><html><head><title>Spain cancels missile deal</title></head><body>"
            f"<article><h1>Spain cancels missile deal</h1><p>{LEAD}</p>"
            + f"<{tag} class=\"w\">" * depth + body + f"</{tag}>" * depth
            + "</article><footer>&copy; 2025 Example News</footer></body></html>")


@pytest.mark.parametrize("depth", [300, 5000])
def test_text_nested_deeper_than_the_parser_limit_is_kept(depth: int) -> None:
    arts = clean(RawDocument(source=f"deep{depth}.html", text=_deep_page(depth), kind="html"))
    text = "\n".join(a.body for a in arts)
    assert LEAD in text
    for p in BODY:
        assert p in text, f"deep paragraph lost at depth {depth}"


@pytest.mark.parametrize("tag", ["span", "b", "section"])
def test_any_deep_wrapper_keeps_text_and_paragraphs(tag: str) -> None:
    lines = html_to_lines(_deep_page(3000, tag))
    assert LEAD in lines
    for p in BODY:
        assert p in " ".join(lines)
    root = parse_html(_deep_page(3000, tag))
    assert all(p in root.text_content() for p in BODY)
    assert "\u00a9 2025 Example News" in root.text_content()  # the entity survives the rewrite


def test_flatten_keeps_markup_under_the_cap_byte_for_byte() -> None:
    page = _deep_page(20) + "<!-- c --><br/><img src='x.png' alt=\"a&amp;b\">&#169;<script>if (a<b) x();</script>"
    assert flatten(page) == page
    assert html_to_lines(page)[:2] == ["Spain cancels missile deal", LEAD]
