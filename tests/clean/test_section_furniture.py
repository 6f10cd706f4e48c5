"""A section of a page rendering with no article text stays furniture (issue 12): a long cookie
banner, or a teaser list after a page's skip link, is not an article of its own."""

from __future__ import annotations

import pytest

from eventwire.clean import dump


def _article() -> list[str]:
    menu = ["Home", "World", "Sport", "Business", "Culture", "Travel", "Opinion", "Video", "Podcasts", "Weather"]
    lines = [*menu, "Harbour strike closes the port for a third day"]
    for k in range(30):
        lines.append(
            f"Dockworkers at the port stayed away for day {k} of the strike, and the harbour authority said "
            f"that ships waiting outside the breakwater would be sent to other ports if talks failed again."
        )
    return [*lines, "Share", *menu, "Contact us", "Skip to main content"]


_COOKIE_BANNER = (
    "We use cookies and other tracking technologies to improve your browsing experience on our site, show "
    "personalized content and targeted ads, analyze site traffic, and understand where our audiences come "
    "from. To learn more or opt-out, read our Cookie Policy. Please also read our Privacy Notice and Terms of "
    "Use, which became effective on the first of the month."
)


def test_a_long_cookie_banner_is_no_article() -> None:
    assert len(_COOKIE_BANNER) > 300
    text = "\n".join([*_article(), "Menu", _COOKIE_BANNER, "Accept", "Reject"]) + "\n"
    parts = dump.split(text)
    assert len(parts) == 1
    assert not any("cookies" in p for a in parts for p in a.paragraphs)
    assert not dump.explain(text).unplaced()


def test_cookie_banners_of_other_chrome_length_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # (the test above can fail: at the 300 characters of other chrome the banner is an article)
    monkeypatch.setattr(dump, "COOKIE_CHARS", 300)
    text = "\n".join([*_article(), "Menu", _COOKIE_BANNER, "Accept", "Reject"]) + "\n"
    assert len(dump.split(text)) == 2


_TEASERS = [
    "Read Next",
    "Singer gets star treatment from the producer at the season opener, 'SN...",
    "Couple eyeing a seaside mansion once owned by a famous actor",
    "Film star leaves most of his fortune to charity",
    "Filed under music, film, theatre and the arts.",
    "Mayor says the bridge will reopen before the summer season starts",
    "Club signs a new coach after a difficult season at the bottom",
    "More Stories",
    "Storm warning issued for the coast as the weekend approaches",
    "Chef opens a second restaurant in the old town square",
    "Museum returns a painting to the family of its owner",
    "Council votes to keep the library open on Sundays",
    "Runner breaks the course record at the city marathon",
    "Airport adds three new routes for the winter timetable",
    "School wins the national robotics championship final",
    "Festival announces its line-up for the summer weekend",
    "Farmers warn of a poor harvest after the dry spring",
    "Police appeal for witnesses after a crash on the ring road",
    "Hospital opens a new children's ward after fundraising",
    "Theatre reopens after a two-year restoration of its roof",
    "Zoo welcomes twin panda cubs in its first breeding success",
    "Bakery wins an award for the best bread in the region",
    "Local team reaches the cup final for the first time",
    "New cycle lanes planned for the city centre streets",
    "Share Selection",
    "Privacy Policy",
]


def test_a_teaser_list_after_a_skip_link_is_no_article() -> None:
    text = "\n".join([*_article(), *_TEASERS]) + "\n"
    sp = dump.explain(text)
    assert len(sp.sections) == 2  # the skip link opened a section
    assert len(sp.articles) == 1
    assert not sp.unplaced()


def test_any_sentence_made_the_teasers_an_article(monkeypatch: pytest.MonkeyPatch) -> None:
    # (the test above can fail: keeping a section for any one sentence keeps the teaser list)
    monkeypatch.setattr(dump, "SECTION_PROSE", 1)
    text = "\n".join([*_article(), *_TEASERS]) + "\n"
    assert len(dump.split(text)) == 2
