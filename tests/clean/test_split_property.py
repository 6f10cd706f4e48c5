"""No silent loss when splitting: real dev articles joined with every separator people use.

The input articles are built at test time from the extraction dev pages in ../shared (their
reference bodies, under a headline, a "By ..." line and a date: eval.dumps.compose), so no
article text is copied into the repository. Invariants, for any choice of articles, separator,
order and paragraph spacing:

- every non-blank input line is placed: in an article field or in counted furniture;
- every body line of every input article is in some output article (title, byline, dateline,
  body or caption; never furniture);
- no output article holds lines from two input articles.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eventwire.clean import clean
from eventwire.clean.dump import explain
from eventwire.eval import dumps
from eventwire.records import RawDocument

# Pages read (trafilatura computes their reference bodies: ~0.1 s a page).
N_PAGES = 40
# Sign-up and copyright lines that trafilatura's reference keeps from the page are page chrome,
# not body lines: the cleaner drops them as furniture (and reports them), by design.
_CHROME = re.compile(r"newsletter|subscribe|sign up|©|copyright|all rights reserved", re.I)


@pytest.fixture(scope="module")
def articles(shared: Path) -> list[tuple[str, list[str]]]:
    root = shared / "data" / "dev" / "extraction" / "trafilatura-eval-en"
    out = []
    for page in dumps.load_pages(root, limit=N_PAGES):
        if len(page.reference) < dumps.MIN_REFERENCE_CHARS:
            continue
        paras = [p for p in dumps.article_paragraphs(page) if not _CHROME.search(p)]
        if paras:
            out.append((dumps._headline(page, paras), paras))
    assert len(out) >= 20
    return out


def _check(text: str, bodies: list[list[str]]) -> None:
    split = explain(text)
    assert split.unplaced() == []
    where: dict[str, list[int]] = {}
    for i, ln in enumerate(split.lines):
        where.setdefault(" ".join(ln.split()), []).append(i)
    role = {i: r for a in split.articles for i, r in a.roles.items()}
    owner: dict[int, int] = {}
    for n, body in enumerate(bodies):
        for line in body:
            idx = where[line]
            owner.update((i, n) for i in idx)
            assert any(not role.get(i, "furniture").startswith("furniture") for i in idx), (
                f"body line of article {n + 1} lost: {line[:80]!r} ({[role.get(i) for i in idx]})")
    for k, a in enumerate(split.articles):
        sources = {owner[i] for i, r in a.roles.items() if i in owner and not r.startswith("furniture")}
        assert len(sources) <= 1, f"output article {k + 1} mixes input articles {sorted(sources)}"


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_joined_articles_split_without_loss_or_mixing(articles, data) -> None:
    picks = data.draw(st.lists(st.sampled_from(range(len(articles))), min_size=2, max_size=4, unique=True))
    kind = data.draw(st.sampled_from(sorted(dumps.SEPARATORS)))
    gap = data.draw(st.sampled_from((0, 1)))
    rng = random.Random(data.draw(st.integers(0, 2**16)))
    text, bodies = dumps.compose([articles[i] for i in picks], kind, rng, paragraph_gap=gap)
    _check(text, bodies)


# ------------------------------------------------------------------ the issue's own example
def _three(sep: str) -> tuple[str, list[tuple[str, str, str, list[str]]]]:
    # Synthetic briefs (written for this test), each with a headline, a byline and a date.
    items = [
        ("Air Strike Hits Fuel Depot Near Idlib", "By Staff Writer", "March 5, 2024", [
            "An air strike hit a fuel depot on the outskirts of Idlib on Tuesday, killing four people, rescuers said.",
            "The civil defence group said its teams spent hours putting out the fire.",
            "No group claimed responsibility.",
        ]),
        ("Protesters Gather Outside Parliament Over Fuel Prices", "By City Reporter", "March 6, 2024", [
            "Thousands of protesters gathered outside parliament on Wednesday to demand lower fuel prices.",
            "Police kept the crowd away from the main gate, organisers said.",
        ]),
        ("Navy Seizes Boat Carrying Weapons in the Gulf", "By Defence Correspondent", "March 7, 2024", [
            "The navy said on Thursday it had seized a small boat carrying rifles and anti-tank missiles.",
            "The crew of six was detained, a spokesman said.",
            "He did not say where the boat had come from.",
        ]),
    ]
    return sep.join("\n".join([t, b, d, *ps]) for t, b, d, ps in items) + "\n", items


@pytest.mark.parametrize("sep", ["\n\n\n\n", "\n----\n", "\n====\n", "\n* * *\n", "\n###\n", "\n\f", "\nPage 2 of 3\n",
                                 "\n"])
def test_three_briefs_come_out_as_three_articles(sep: str) -> None:
    text, items = _three(sep)
    arts = clean(RawDocument(source="three.txt", text=text, kind="text"))
    assert [(a.title, a.byline, a.published_at) for a in arts] == [
        (t, b.removeprefix("By "), f"2024-03-0{5 + k}") for k, (t, b, _, _) in enumerate(items)]
    assert [a.body.split("\n\n") for a in arts] == [ps for *_, ps in items]
