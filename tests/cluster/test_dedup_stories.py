"""Near-duplicate detection and story clustering in memory (no store)."""

from __future__ import annotations

from eventwire.cluster import Deduper, StoryIndex
from eventwire.cluster.features import normalise, shingles, vector
from eventwire.eval.clusters import SYNDICATIONS, ari, b_cubed, pairwise, repunctuate, syndicate
from eventwire.records import Article, Result

from .test_linker import OTHER_STORY, STRIKE, STRIKE_OTHER

LONG = STRIKE + [
    "Aid agencies said the displaced families needed tents, water and medical care, and that roads "
    "north of Khan Sheikhoun were crowded with vehicles carrying belongings.",
    "The United Nations envoy called for an immediate halt to attacks on civilian areas and for "
    "access for humanitarian convoys from the Bab al-Hawa crossing.",
]


def test_punctuation_and_spacing_do_not_change_words():
    p = "\u201cWe will not leave,\u201d she said \u2014 twice\u2026 in Hama."
    assert normalise(repunctuate(p)) == normalise(p)
    assert shingles(repunctuate(p)) == shingles(p)


def test_every_syndication_is_found_and_other_stories_are_not():
    ded = Deduper()
    orig = Article.from_paragraphs("wire", LONG, id="orig", title="Strike")
    other = Article.from_paragraphs("other", OTHER_STORY * 3, id="other", title="Spain")
    for a in (orig, other):
        assert ded.check(a) is None
        ded.add(a)
    for kind in SYNDICATIONS:
        title, paras = syndicate(LONG, "Strike", kind)
        copy = Article.from_paragraphs(kind, paras, id=f"copy-{kind}", title=title)
        assert ded.check(copy) == "orig", kind
        ded.add(copy, "orig")
    independent = Article.from_paragraphs("indep", STRIKE_OTHER * 2, id="indep", title="Raid")
    assert ded.check(independent) is None  # same event, own words: a story, not a copy


def test_copy_of_a_copy_links_to_the_first():
    ded = Deduper()
    orig = Article.from_paragraphs("wire", LONG, id="a", title="t")
    ded.check(orig)
    ded.add(orig)
    c1 = Article.from_paragraphs("c1", LONG[:5], id="b", title="t")
    assert ded.check(c1) == "a"
    ded.add(c1, "a")
    c2 = Article.from_paragraphs("c2", LONG[:4], id="c", title="t")
    assert ded.check(c2) == "a"


def test_story_index_groups_reports_of_one_event_only():
    idx = StoryIndex()
    res = {name: Result(Article.from_paragraphs(name, paras, title=None))
           for name, paras in (("a", STRIKE), ("b", STRIKE_OTHER), ("c", OTHER_STORY))}
    got = {n: idx.assign(r.article.id, vector(r), None).id for n, r in res.items()}
    assert got["a"] == got["b"] != got["c"]
    # Dates: the same text a month later is another story.
    late = Result(Article.from_paragraphs("d", STRIKE_OTHER, title=None, published_at="2026-05-01"))
    idx2 = StoryIndex()
    first = Result(Article.from_paragraphs("e", STRIKE, title=None, published_at="2026-03-10"))
    s1 = idx2.assign("e", vector(first), "2026-03-10").id
    assert idx2.assign("d", vector(late), "2026-05-01").id != s1


def test_cluster_metrics_on_known_partitions():
    gold = {"1": "x", "2": "x", "3": "y", "4": "y"}
    assert b_cubed(gold, gold) == (1.0, 1.0, 1.0)
    assert pairwise(gold, gold)[2] == 1.0 and ari(gold, gold) == 1.0
    one = {d: "all" for d in gold}
    p, r, _ = b_cubed(one, gold)
    assert (p, r) == (0.5, 1.0)
    assert ari(one, gold) == 0.0
