"""Pages of a naive rendering run together: a skip link starts the next page (issue 12)."""

from __future__ import annotations

import pytest

from eventwire.clean import dump, sections


def _page(topic: list[str], headline: str, n: int) -> list[str]:
    a, b, c, d = topic
    lines = ["Home", "News", "Sport", headline]
    for k in range(n):
        lines.append(
            f"The {a} said on day {k} that the {b} near the {c} would be moved, and officials told "
            f"reporters that the {d} had been checked again before the {a} met the {b} in the morning."
        )
    lines += ["Share", "Contact us", "Follow"]
    return lines


def _dump() -> str:
    first = _page(["harbour", "ferry", "quay", "dockworkers"], "Ferry strike closes the harbour", 30)
    second = _page(["orchestra", "violinist", "concert", "conductor"], "Orchestra returns to the concert hall", 12)
    return "\n".join(["Skip to content", *first, "Skip to main content", *second]) + "\n"


def test_a_skip_link_after_a_long_article_starts_a_new_page() -> None:
    text = _dump()
    parts = dump.split(text)
    assert len(parts) == 2
    assert parts[1].title == "Orchestra returns to the concert hall"
    assert "ferry" in " ".join(parts[0].paragraphs) and "orchestra" not in " ".join(parts[0].paragraphs).lower()
    assert "orchestra" in " ".join(parts[1].paragraphs) and "ferry" not in " ".join(parts[1].paragraphs).lower()
    assert all(not (p.title or "").startswith("Skip") for p in parts)
    sp = dump.explain(text)
    skip = text.splitlines().index("Skip to main content")
    assert sp.furniture[skip].startswith("furniture")  # the link is no headline, and not lost
    assert not sp.unplaced()


def test_without_the_skip_signal_the_pages_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    # (the test above can fail: with the signal off, the two pages come out as one article)
    monkeypatch.setattr(sections, "SKIP_LINK", 0.0)
    assert len(dump.split(_dump())) == 1


def test_a_skip_link_after_menus_only_splits_nothing() -> None:
    # menus_first renderings: the link comes after the moved menus, before the page's text
    lines = ["Home", "World news today and tomorrow for you", "Sport", "Skip to content",
             *_page(["harbour", "ferry", "quay", "dockworkers"], "Ferry strike closes the harbour", 20)]
    assert len(dump.split("\n".join(lines))) == 1
