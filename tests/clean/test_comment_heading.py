"""Comment-section headings that name the post (clean.dump, issue 12): synthetic page."""

from __future__ import annotations

from eventwire.clean import dump

from .test_page_footer import _HARBOUR, _page

# Readers' comments: whole sentences of prose, as long as body paragraphs.
_COMMENTS = [
    "Harbourwatcher says: I have lived by the old basin for thirty years and I have never seen the channel this busy.",
    "Thanks for posting this. The slipway was promised to us in the last plan too, and nothing was ever built for it.",
    "Marina resident says: the cranes will be loud at night, and I hope the authority thinks about the houses nearby.",
]


def test_a_wordpress_comment_heading_with_a_long_title_ends_the_article() -> None:
    # "N thoughts on “<title>”" runs past the 60 characters other end-of-article headings keep to.
    heading = "3 thoughts on “New container terminal to open next spring, and what it means for the port”"
    assert len(heading) > 60
    lines = _page("New container terminal to open next spring", _HARBOUR, None)
    text = "\n".join([*lines, heading, *_COMMENTS, "© 2022 Harbour Times. All rights reserved."])
    split = dump.explain(text)
    assert len(split.articles) == 1
    art = split.articles[0]
    assert art.paragraphs[: len(_HARBOUR)] == _HARBOUR
    assert not any("says:" in p or "Thanks for posting" in p for p in art.paragraphs)
    assert not split.unplaced()
    # the comments are counted as the article's furniture, not lost
    n = text.splitlines().index(_COMMENTS[0])
    assert art.roles[n].startswith("furniture")
