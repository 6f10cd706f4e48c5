"""The naive line-per-block rendering used for dev dumps and as the HTML fallback."""

from __future__ import annotations

from eventwire.clean.render import html_to_lines


def test_blocks_become_lines_inline_text_joins() -> None:
    html = (
        '<?xml version="1.0" encoding="UTF-8"?><html><head><title>T</title><style>p{}</style></head>'
        "<body><nav><ul><li><a href='/'>Home</a></li><li>World</li></ul></nav>"
        "<h1>Head<b>line</b></h1><p>One <a href='#'>linked</a> sentence.<br>After break.</p>"
        "<div hidden>secret</div><div style='display: none'>gone</div><span aria-hidden='true'>icon</span>"
        "<script>var x = '<p>no</p>';</script><!-- note -->tail text<table><tr><td>a</td><td>b</td></tr></table>"
        "</body></html>"
    )
    assert html_to_lines(html) == [
        "Home", "World", "Headline", "One linked sentence.", "After break.", "tail text", "a", "b",
    ]


def test_empty_and_deep_pages() -> None:
    assert html_to_lines("") == [] and html_to_lines("<html></html>") == []
    deep = "<div>" * 250 + "deep text" + "</div>" * 250
    assert html_to_lines(deep) == ["deep text"]
