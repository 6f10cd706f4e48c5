"""Nothing is dropped where only ``split --explain`` shows it (clean, issue 12): the lines of a
file's separators and of its sections without article text are counted in the records'
``furniture_removed``, by the article they come before (the last one for what follows it)."""

from __future__ import annotations

from eventwire.clean import clean, dump
from eventwire.records import RawDocument

from .test_page_footer import _HARBOUR, _ORCHARD


def _text() -> str:
    first = ["New container terminal to open next spring", "By Staff Reporter", "May 4, 2022", *_HARBOUR]
    second = ["Valley apple harvest comes early after dry summer", "By City Desk", "June 3, 2022", *_ORCHARD]
    # a rule line between the two, a section of share buttons after a star rule at the end
    return "\n".join([*first, "----", *second, "", "* * *", "", "Share", "Facebook", "Twitter"]) + "\n"


def test_the_files_separators_are_counted_by_an_article() -> None:
    text = _text()
    sp = dump.explain(text)
    assert [a.title for a in sp.articles] == ["New container terminal to open next spring",
                                              "Valley apple harvest comes early after dry summer"]
    assert sp.furniture == {} and not sp.unplaced()
    lines = text.splitlines()
    assert sp.articles[1].roles[lines.index("----")].startswith("furniture: separator")
    assert sp.articles[1].roles[lines.index("* * *")].startswith("furniture")
    # every non-blank line is in exactly one article's roles
    placed = [i for a in sp.articles for i in a.roles]
    assert sorted(placed) == [i for i, ln in enumerate(lines) if ln.strip()]


def test_records_count_every_line_they_do_not_keep() -> None:
    text = _text()
    arts = clean(RawDocument(source="two.txt", text=text, kind="text"))
    kept = sum(1 + (a.byline is not None) + (a.published_at is not None) + len(a.paragraphs) for a in arts)
    nonblank = sum(1 for ln in text.splitlines() if ln.strip())
    assert sum(a.furniture_removed for a in arts) == nonblank - kept
