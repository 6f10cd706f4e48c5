"""Page footers and notices in naive renderings (clean.dump, issue 12): synthetic pages."""

from __future__ import annotations

from eventwire.clean import dump

_HARBOUR = [
    "The harbour authority said on Monday that the new container terminal would open to ships next spring after two years of building work.",
    "Engineers finished dredging the northern channel last month, allowing vessels with deeper hulls to reach the quay for the first time.",
    "Port officials expect the terminal to handle a third more cargo each year, most of it grain and timber bound for inland markets.",
    "Dock workers' unions welcomed the hiring plan but asked the authority to publish the safety rules for the automated cranes.",
    "The regional government paid for half of the project, and the rest came from loans that the port will repay from its fees.",
    "Fishermen who moor their boats in the old basin said they had been promised a new slipway before the terminal opens to traffic.",
]
_ORCHARD = [
    "Apple growers in the valley are picking their crop three weeks early this year because of the long dry summer and warm nights.",
    "Several farmers told reporters that the fruit is smaller than usual but sweeter, and that buyers have so far accepted the change.",
    "The cooperative that presses most of the valley's cider plans to run its mill around the clock until the harvest is brought in.",
    "Seasonal pickers arrived from neighbouring towns in August, and some orchards have raised the hourly wage to keep their crews.",
    "Agronomists warn that repeated droughts could push growers towards varieties that need less water and ripen later in autumn.",
    "A local school has started a programme that sends pupils to the orchards to learn grafting, pruning and the care of the trees.",
]


_MENU = ["Home", "News", "Local", "World", "Business", "Sport", "Football", "Cricket", "Weather", "Opinion",
         "Letters", "Culture", "Music", "Film", "Books", "Travel", "Food", "Health", "Science", "Motoring",
         "Property", "Jobs", "Notices", "Puzzles", "Podcasts", "Video", "Photos", "Events", "Contact", "Advertise"]


def _page(title: str, paras: list[str], foot: str | None) -> list[str]:
    # (a page's menu of 30 links, as the dev renderings print: the two pages are 30+ lines apart)
    lines = [*_MENU, title, "By Staff Reporter", "May 4, 2022", *paras, "Share", "Facebook", "Twitter"]
    return [*lines, foot] if foot else lines


def test_a_footer_between_two_close_pages_splits_them() -> None:
    text = "\n".join(_page("New container terminal to open next spring", _HARBOUR, "© 2022 Harbour Times. All rights reserved.")
                     + _page("Valley apple harvest comes early after dry summer", _ORCHARD, "Copyright 2022 Valley Post"))
    split = dump.explain(text)
    assert [a.title for a in split.articles] == ["New container terminal to open next spring",
                                                 "Valley apple harvest comes early after dry summer"]
    assert not split.unplaced()
    first, second = (" ".join(a.paragraphs) for a in split.articles)
    assert "orchard" not in first and "harbour" not in second.lower()


def test_a_photo_credit_is_not_a_footer() -> None:
    paras = [*_HARBOUR[:3], "© Getty Images", *_HARBOUR[3:]]
    arts = dump.split("\n".join(_page("New container terminal to open next spring", paras, None)))
    assert len(arts) == 1
    assert arts[0].paragraphs[-1] == _HARBOUR[-1]


def test_a_notice_over_the_first_page_is_furniture() -> None:
    notice = ("We use cookies and other tracking technologies to improve your browsing experience on our site, show "
              "personalized content and targeted ads, analyze site traffic, and understand where our audiences come from. "
              "To learn more or opt out, read our policy and the choices you have about the data we collect.")
    text = "\n".join([notice, *_page("New container terminal to open next spring", _HARBOUR, "© 2022 Harbour Times"),
                      *_page("Valley apple harvest comes early after dry summer", _ORCHARD, "© 2022 Valley Post")])
    split = dump.explain(text)
    assert [a.title for a in split.articles] == ["New container terminal to open next spring",
                                                 "Valley apple harvest comes early after dry summer"]
    assert split.articles[0].roles[0].startswith("furniture")  # the notice: no article of its own
    assert not split.unplaced()
    assert not split.unplaced()
