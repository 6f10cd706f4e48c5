"""Paragraphs broken at inline links (clean.dump, issue 12): a renderer that puts every element
on its own line prints a link's text between two halves of its sentence."""

from __future__ import annotations

from eventwire.clean import dump

from .test_page_footer import _HARBOUR, _MENU

_BROKEN = [
    "The new graphics cards are finally reaching the shops, though they are still hard to come by. For instance, the company's flagship",
    "RTX 3080",
    "card",
    "sold out",
    "within minutes of its launch in September, and resellers are now asking twice the price for it.",
]


def test_a_link_between_two_halves_of_a_sentence_is_rejoined() -> None:
    lines = [*_MENU, "Where to buy the new graphics cards", "By Staff Reporter", "May 4, 2022", *_BROKEN, *_HARBOUR]
    split = dump.explain("\n".join(lines))
    assert len(split.articles) == 1
    art = split.articles[0]
    assert art.paragraphs[0] == " ".join(_BROKEN)
    assert art.paragraphs[1:] == _HARBOUR
    assert not split.unplaced()


def test_a_byline_and_date_over_a_share_menu_are_not_rejoined() -> None:
    # (short lines after a byline and a date: not a sentence broken at a link)
    lines = [*_MENU, "New container terminal to open next spring", "By Matthew Humphries", "February 7, 2020",
             "facebook", "twitter", "email", *_HARBOUR]
    art = dump.split("\n".join(lines))[0]
    assert art.byline == "Matthew Humphries"
    assert art.published_at == "2020-02-07"
    assert art.paragraphs == _HARBOUR


def test_a_comment_over_a_user_name_is_not_rejoined() -> None:
    # (a reader's comment that ends without a full stop, its "Reply" button, the next reader's
    # name in lower case: the continuation never reaches prose)
    lines = ["I have lived by the old basin for thirty years and the channel was never this busy, thanks Tim",
             "Reply", "dwoz says:", "hotaru.hino 17 September 2020 16:10"]
    us = dump.units("\n".join(lines))
    assert [u.text for u in us] == lines
