"""Lists of short lines that read as text (a Q&A, jokes and their answers) are body, not menus
(issue 12: jusText's context rule dropped such a list as a menu when its neighbours were bad)."""

from __future__ import annotations

import pytest

from eventwire.clean import dump

_ASK = ["cat", "kettle", "river", "ladder", "piano", "window", "garden", "bicycle", "lantern", "teacup", "tractor", "pillow"]


def _page() -> str:
    lines = ["Home", "Recipes", "Family", "Travel", "Contact", "Fifty riddles for a rainy afternoon"]
    lines.append(
        "Riddles are a fine way to spend a wet afternoon with the family, and every one of the "
        "riddles below was sent to us by a reader who wanted to share it with the rest of you."
    )
    lines.append("Photo: Pat Example")
    for k, thing in enumerate(_ASK, 1):
        lines.append(f"{k}. What did the {thing} say to the other {thing}?")
        lines.append(f"It was nice to meet you, my old {thing}!")
    lines += ["Share", "Facebook", "Twitter", "Newsletter", "About us", "Privacy Policy", "Terms of Use"]
    return "\n".join(lines) + "\n"


def test_a_list_of_short_sentences_is_kept_in_the_body() -> None:
    parts = dump.split(_page())
    assert len(parts) == 1
    body = "\n".join(parts[0].paragraphs)
    for thing in _ASK:
        assert f"What did the {thing} say" in body
        assert f"my old {thing}!" in body
    assert "Privacy Policy" not in body and "Recipes" not in body  # the menus stay furniture
    assert not dump.explain(_page()).unplaced()


def test_without_the_rule_the_list_is_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    # (the test above can fail: with prose runs off, the list goes as a menu)
    monkeypatch.setattr(dump, "PROSE_RUN_UNITS", 0)
    body = "\n".join(p for a in dump.split(_page()) for p in a.paragraphs)
    assert "What did the kettle say" not in body


def test_a_menu_is_no_prose_run() -> None:
    menu = [f"{w} news" for w in ("World", "Business", "Science", "Health", "Sport", "Culture", "Travel", "Style",
                                 "Opinion", "Video")]
    text = "\n".join(menu + _page().splitlines()[5:8] + menu[::-1]) + "\n"
    body = "\n".join(p for a in dump.split(text) for p in a.paragraphs)
    assert "Business news" not in body
