"""The nlp stage's rules on small texts: field names, quantities, dates, titles, edge cases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.nlp.dates import anchor_of, resolve
from eventwire.nlp.quantities import parse_number
from eventwire.nlp.titles import sentence_case


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Fighting spread through Khan Younis on Monday.", "GPE"),
        ("Rebels of the M23 advanced on Goma overnight.", "GPE"),
        ("Militants of Harakat Hezbollah al-Nujaba were seen there.", "ARMED_GROUP"),
        ("Ukraine received more HIMARS launchers.", "WEAPON"),
        ("Turkey sold Bayraktar TB2 drones to Poland.", "MILITARY_PLATFORM"),
    ],
)
def test_field_names(analyzer, text, label):
    an = analyzer.analyze_text(text)
    assert label in {m.label for m in an.mentions}, an.mentions


def test_khan_younis_and_goma_are_places_not_people(analyzer):
    an = analyzer.analyze_text("Strikes hit Khan Younis while aid reached Goma and Aleppo.")
    got = {m.text: m.label for m in an.mentions}
    assert got["Khan Younis"] == "GPE" and got["Goma"] == "GPE" and got["Aleppo"] == "GPE"


@pytest.mark.parametrize(
    ("text", "value", "vmax"),
    [
        ("285 million", 285e6, None), ("$325 million", 325e6, None), ("1.5 billion", 1.5e9, None),
        ("70,000", 7e4, None), ("three", 3, None), ("twenty-five", 25, None),
        ("10 to 15 million", 10e6, 15e6), ("between 200 and 300", 200, 300), ("a dozen", 12, None),
        ("$5m", 5e6, None), ("no number", None, None),
    ],
)
def test_parse_number(text, value, vmax):
    assert parse_number(text) == (value, vmax)


def test_money_ranges_and_bounds(analyzer):
    an = analyzer.analyze_text("The deal is worth up to $2 billion, and a second order about 300 million euros.")
    qs = {q.currency: q for q in an.quantities if q.kind == "money"}
    assert qs["USD"].value == 2e9 and qs["USD"].approximate
    assert qs["EUR"].value == 3e8 and qs["EUR"].approximate
    an = analyzer.analyze_text("Kyiv will pay between $10 million and $15 million for the shells.")
    assert any(q.value == 1e7 and q.value_max == 1.5e7 for q in an.quantities) or len(
        [q for q in an.quantities if q.currency == "USD"]
    ) == 2


ANCHOR = dt.date(2025, 9, 16)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("Tuesday", "2025-09-16", "2025-09-16", "day"),
        ("Monday", "2025-09-15", "2025-09-15", "day"),
        ("yesterday", "2025-09-15", "2025-09-15", "day"),
        ("in 2015", "2015-01-01", "2015-12-31", "year"),
        ("May 2024", "2024-05-01", "2024-05-31", "month"),
        ("late last year", "2024-10-01", "2024-12-31", "quarter"),
        ("early 2023", "2023-01-01", "2023-03-31", "quarter"),
        ("last week", "2025-09-08", "2025-09-14", "week"),
        ("two years ago", "2023-01-01", "2023-12-31", "year"),
        ("Oct. 3", "2024-10-03", "2024-10-03", "day"),
        ("the third quarter of 2024", "2024-07-01", "2024-09-30", "quarter"),
        ("the 1990s", "1990-01-01", "1999-12-31", "year"),
    ],
)
def test_resolve_dates(text, start, end, precision):
    s, e, p = resolve(text, ANCHOR)
    assert (s.isoformat(), e.isoformat(), p) == (start, end, precision)


def test_relative_to_previous_date():
    prev = resolve("Oct. 3, 2023", ANCHOR)
    s, _, p = resolve("four days before", ANCHOR, prev)
    assert (s.isoformat(), p) == ("2023-09-29", "day")
    prev = resolve("May 2024", ANCHOR)
    s, e, p = resolve("a month later", ANCHOR, prev)
    assert (s.isoformat(), e.isoformat(), p) == ("2024-06-01", "2024-06-30", "month")


def test_durations_are_not_dates():
    assert resolve("four days", ANCHOR) is None
    assert resolve("decades", ANCHOR) is None


def test_anchor():
    assert anchor_of("2025-09-16T08:00:00Z") == (dt.date(2025, 9, 16), "publication")
    assert anchor_of(None, dt.date(2026, 1, 1)) == (dt.date(2026, 1, 1), "ingest")
    assert anchor_of("not a date", dt.date(2026, 1, 1))[1] == "ingest"


def test_sentence_case_keeps_names_and_length():
    t = "Spain Cancels Contract for Anti-tank Missiles Built by Israeli Subsidiary"
    out = sentence_case(t, {"Israeli"}, {"Spain"})
    assert out == "Spain cancels contract for anti-tank missiles built by Israeli subsidiary"
    assert sentence_case("New York Police Arrest Two", set(), {"New York"}) == "New York police arrest two"
    assert sentence_case("Spain cancels a deal", set()) == "Spain cancels a deal"


def test_without_kb(settings):
    from eventwire.nlp import Analyzer

    an = Analyzer(settings, None).analyze_text("The Syrian army shelled Idlib, killing 12 civilians.")
    got = {m.text.removeprefix("The "): m for m in an.mentions}
    assert got["Syrian army"].label == "STATE_FORCES" and got["Syrian army"].country == "SYR"
    assert got["Syrian army"].entity_id is None
    assert any(q.kind == "dead" and q.value == 12 for q in an.quantities)


def test_empty_and_whitespace_bodies(analyzer):
    for text in ("", "   ", "\n\n"):
        an = analyzer.analyze_text(text)
        assert an.mentions == () and an.claims == ()


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_offsets_stay_inside_any_text(analyzer, text):
    an = analyzer.analyze_text(text)
    for rec in (*an.mentions, *an.quantities, *an.dates):
        assert 0 <= rec.start <= rec.end <= len(text)
        assert text[rec.start : rec.end] == rec.text
    for c in an.claims:
        assert 0 <= c.start <= c.end <= len(text)


def test_bad_input_is_an_input_error(analyzer):
    from eventwire.errors import InputError
    from eventwire.records import Article

    bad = Article(id="x", source="broken.txt", title=None, body=None, paragraphs=())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="broken.txt"):
        list(analyzer.analyze([bad]))
