"""clean(): each document kind, bad documents, and the invariants (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eventwire.clean import clean
from eventwire.clean.dump import split, split_credit
from eventwire.errors import InputError
from eventwire.records import Article, RawDocument

PARAS = [
    "Spain has cancelled a deal for anti-tank missile systems that were to be manufactured in Madrid "
    "by a subsidiary of an Israeli company, the Defense Ministry said on Tuesday.",
    "The decision will affect the license for 168 missile systems with an estimated value of 285 "
    "million euros. The systems would have been developed in Spain by a local subsidiary.",
    "Spain approved the deal in 2023, and authorities argued at the time that the systems used by "
    "the Spanish forces were obsolete and should be replaced by newer versions.",
]
NAV = ["Home", "World", "Politics", "Business", "Sport", "Subscribe", "Log in", "Search"]
FOOT = ["About us", "Contact", "Privacy Policy", "Terms of Use", "© 2025 Example News. All rights reserved."]


def _page(title: str, paras: list[str]) -> str:
    return "\n".join([*NAV, title, "By Jane Doe", "June 3, 2025", "Share", "Tweet", *paras, "Related", *FOOT])


def test_plain_body_is_kept_byte_for_byte() -> None:
    text = "  First  para.\n\n\nSecond\tpara.  "
    a = clean(RawDocument(source="s", text=text, kind="plain", external_id="x1", title="T"))[0]
    assert (a.body, a.id, a.external_id, a.title) == (text, Article.make_id("s", text), "x1", "T")
    assert [a.body[s:e].strip() for s, e in a.paragraphs] == ["First  para.", "Second\tpara."]
    b = clean(RawDocument(source="s", text=text, kind="plain"))[0]
    assert b.id == Article.make_id("s", text)


def test_article_is_tidied_into_paragraphs() -> None:
    raw = RawDocument(source="s", text="  One  line.\r\n\r\n\u200bTwo\nlines.\n\n\n", kind="article", title=" T ")
    a = clean(raw)[0]
    assert a.body == "One line.\n\nTwo lines." and a.title == "T"
    assert a.paragraphs == ((0, 9), (11, 21))


def test_empty_documents_raise_input_error() -> None:
    for kind in ("plain", "article", "text", "html"):
        with pytest.raises(InputError):
            clean(RawDocument(source="s", text=" \n ", kind=kind))
    with pytest.raises(InputError):
        clean(RawDocument(source="s", text="Home\nNews\nTT\n20\n", kind="text"))
    with pytest.raises(InputError):
        clean(RawDocument(source="s", text="x", kind="pdf"))


def test_two_pages_run_together_split_with_titles_and_metadata() -> None:
    other = [
        "Flooding in the north of the country has displaced thousands of families, aid agencies "
        "reported, as rivers burst their banks after a week of heavy rain across the region.",
        "Rescue teams used boats to reach villages cut off by the water, and the government opened "
        "temporary shelters in schools and stadiums for people who lost their homes.",
        "Forecasters expect more rain in the coming days, and officials warned residents near the "
        "rivers to move to higher ground while roads and bridges are inspected.",
        "The United Nations said it was sending food, clean water and medical supplies, and that it "
        "would ask donors for emergency funding to help the families through the winter.",
        "Opposition politicians accused the government of ignoring warnings about the state of the "
        "river defences, which engineers had said for years needed urgent repairs.",
    ]
    text = _page("Spain Cancels Missile Deal With Israeli Subsidiary", PARAS) + "\n" + "\n".join(
        ["Weather"] * 30) + "\n" + _page("Floods Displace Thousands of Families in the North", other)
    arts = clean(RawDocument(source="d.txt", text=text, kind="text"))
    assert [a.title for a in arts] == [
        "Spain Cancels Missile Deal With Israeli Subsidiary",
        "Floods Displace Thousands of Families in the North",
    ]
    assert [a.body.split("\n\n") for a in arts] == [PARAS, other]
    assert all(a.byline == "Jane Doe" and a.published_at == "2025-06-03" for a in arts)
    # Menus, share buttons, footers, the 30 "Weather" lines: counted, in one article or the other.
    assert all(a.furniture_removed >= 5 for a in arts)
    assert sum(a.furniture_removed for a in arts) == len(text.splitlines()) - (3 + 3) - (3 + 5)


def test_caption_credit_split() -> None:
    assert split_credit("Soldiers fire a mortar near the border. (Reuters)") == (
        "Soldiers fire a mortar near the border.", "Reuters")
    assert split_credit("Troops on patrol in Mali. Photo: AFP") == ("Troops on patrol in Mali.", "AFP")
    assert split_credit("He said the plan (which failed twice before in the north) was sound")[1] is None


def test_html_page_main_text_metadata_and_captions() -> None:
    html = (
        "<html><head><title>Spain cancels deal | Example</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2025-06-03">'
        "</head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article>"
        "<h1>Spain cancels missile deal</h1>"
        "<figure><img src='a.jpg'><figcaption>Soldiers fire a mortar near the border. (Reuters)</figcaption></figure>"
        + "".join(f"<p>{p}</p>" for p in PARAS)
        + "</article><footer>© 2025 Example News</footer></body></html>"
    )
    a = clean(RawDocument(source="p.html", text=html, kind="html"))[0]
    assert a.body.split("\n\n") == PARAS
    assert a.title == "Spain cancels missile deal"
    assert a.published_at == "2025-06-03" and a.byline == "Jane Doe" and a.publisher == "Example News"
    assert [(c.text, c.credit) for c in a.captions] == [("Soldiers fire a mortar near the border.", "Reuters")]


def test_malformed_html_still_yields_text_or_a_clear_error() -> None:
    html = "<html><body><div><p>" + PARAS[0] + "<p>" + PARAS[1] + "<div></span></table><p>" + PARAS[2]
    a = clean(RawDocument(source="m.html", text=html, kind="html"))[0]
    assert PARAS[0] in a.body and PARAS[2] in a.body
    with pytest.raises(InputError, match="m.html"):
        clean(RawDocument(source="m.html", text="<html><<<>>></html>", kind="html"))
    with pytest.raises(InputError, match="no article text"):
        clean(RawDocument(source="m.html", text="<html><body><script>var x = 1;</script></body></html>", kind="html"))


# ------------------------------------------------------------------ properties
_line = st.one_of(
    st.sampled_from(PARAS + NAV + FOOT + ["TT", "20", "", "Photo of troops at the border (AFP)"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120),
)


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@hsettings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=40))
def test_splitting_never_invents_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    squeezed = "".join(text.split())
    for parts in split(text):
        body = "\n\n".join(parts.paragraphs)
        # Every non-space character of the body comes from the input, in order.
        assert _is_subsequence("".join(body.split()), squeezed)
        for t in [parts.title or ""] + [c for c, _ in parts.captions]:
            assert "".join(t.split()) in squeezed


@hsettings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400), st.text(max_size=40))
def test_cleaning_a_clean_article_changes_nothing(text: str, title: str) -> None:
    try:
        once = clean(RawDocument(source="s", text=text, kind="article", title=title))[0]
    except InputError:
        return
    twice = clean(RawDocument(source="s", text=once.body, kind="article", title=once.title))[0]
    assert (twice.body, twice.paragraphs, twice.title, twice.id) == (once.body, once.paragraphs, once.title, once.id)
    for s, e in once.paragraphs:
        assert 0 <= s < e <= len(once.body)


def test_short_brief_is_one_article_with_its_title() -> None:
    text = (
        "Troops Withdraw From Border Town\n\n"
        "Government troops withdrew from the border town on Monday, residents said.\n\n"
        "The army did not comment on the move.\n"
    )
    (a,) = clean(RawDocument(source="brief.txt", text=text, kind="text"))
    assert a.title == "Troops Withdraw From Border Town"
    assert a.body.split("\n\n") == [
        "Government troops withdrew from the border town on Monday, residents said.",
        "The army did not comment on the move.",
    ]


def test_a_page_saved_twice_still_gives_its_article() -> None:
    page = _page("Spain Cancels Missile Deal With Israeli Subsidiary", PARAS)
    arts = clean(RawDocument(source="twice.txt", text=page + "\n" + page, kind="text"))
    # Degraded mode (no line is unique): the text must survive, furniture may stay.
    assert arts and arts[0].body.split("\n\n")[:3] == PARAS
