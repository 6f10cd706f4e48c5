"""Renderings that break text at every tag (issue 12): sentences cut at inline code and links,
code listings as runs of symbol fragments, and subheadings near the top of an article's text."""

from __future__ import annotations

import pytest

from eventwire.clean import dump

_MENU = ["Home", "Articles", "Contact", "About"]


def test_a_line_ending_with_an_open_word_is_rejoined() -> None:
    text = "Managing your\nrequirements.txt\nwith care is the first step to faster builds.\n"
    us = dump.units(text)
    assert [u.text for u in us] == ["Managing your requirements.txt with care is the first step to faster builds."]
    assert us[0].lines == [0, 1, 2]


def test_without_open_endings_the_fragments_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dump, "REJOIN_OPEN", False)
    assert len(dump.units("Managing your\nrequirements.txt\nwith care is the first step.\n")) == 3


def test_menu_items_are_not_rejoined() -> None:
    # "Sign in", "Powered by": menu words that end with a preposition are not open endings
    assert len(dump.units("Sign in\nnewsletter\nPowered by\nwordpress\n")) == 4


def _code_post() -> str:
    before = [
        "Tuples are immutable lists and they take a little less memory than lists do, which matters "
        "when a program keeps millions of small records alive at the same time in one process.",
        "Counting the memory of a container is harder than it looks, because the container only holds "
        "references and the objects themselves live elsewhere on the heap of the interpreter.",
        "The measurements below were taken with one library on one machine, so the absolute numbers will "
        "differ on yours, but the ratios between the structures should hold across machines.",
    ]
    code = []
    for name in ("alpha", "beta", "gamma", "delta", "omega", "sigma"):
        code += ["(", f"'{name}'", ",", "1", ")", ","]
    after = [
        "Generators compute each element on request rather than building the whole sequence up front, so "
        "iterating over them costs almost nothing in storage whatever its length turns out to be.",
        "Slots disable dynamic attributes on instances of a class, and a slotted class therefore needs "
        "much less storage per instance than an ordinary one with its per-instance dictionary.",
        "Named tuples give objects with attribute access without declaring a class, and they cost about "
        "as much storage as plain tuples of the same length while reading more clearly in code.",
    ]
    return "\n".join([*_MENU, "Performant Python", *before, *code, *after, *_MENU[::-1]]) + "\n"


def test_a_code_listing_broken_into_symbols_does_not_cut_the_article() -> None:
    parts = dump.split(_code_post())
    assert len(parts) == 1
    body = " ".join(parts[0].paragraphs)
    assert "Tuples are immutable" in body and "Named tuples give objects" in body


def test_counting_symbol_lines_as_furniture_cuts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dump, "GAP_SYMBOLS", True)
    body = " ".join(p for a in dump.split(_code_post()) for p in a.paragraphs)
    assert "Named tuples give objects" not in body or "Tuples are immutable" not in body


def _subheading_page() -> list[str]:
    lead = ("The harbour authority said on Monday that the winter schedule would start a week early this year, "
            "after a storm damaged two of the three berths used by the island service.")
    sub = "Ferry timetable changes for winter crossings"
    rest = [
        "The ferry timetable for winter crossings changes on Friday, with two crossings a day instead of four, "
        "the ferry operator said in a statement on its website.",
        "Winter crossings will leave at seven in the morning and at five in the afternoon, and the timetable "
        "changes will be reviewed once the berths are repaired.",
        "Passengers with tickets for cancelled crossings can change them free of charge at the harbour office "
        "or on the operator's website until the end of the month.",
    ]
    return [*_MENU, lead, sub, *rest, *_MENU[::-1]]


def test_a_subheading_under_the_first_paragraph_is_no_headline() -> None:
    lines = _subheading_page()
    parts = dump.split("\n".join(lines) + "\n")
    assert len(parts) == 1
    assert parts[0].title != lines[5]
    assert parts[0].paragraphs[0] == lines[4]  # the first paragraph is kept


def test_without_the_rule_the_first_paragraph_is_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dump, "LOOK_IN_PROSE", 0)
    lines = _subheading_page()
    parts = dump.split("\n".join(lines) + "\n")
    assert parts[0].title == lines[5] and lines[4] not in parts[0].paragraphs


def test_invisible_separators_do_not_hide_sentence_ends() -> None:
    # (a recipe site ends every step with U+2063 INVISIBLE SEPARATOR; its steps were not sentences)
    us = dump.units("Stir fry briefly to mix well.\u2063\nAdd the beansprouts.\u2063\u200b\n")
    assert [u.text for u in us] == ["Stir fry briefly to mix well.", "Add the beansprouts."]
    assert all(u.sentence for u in us)
