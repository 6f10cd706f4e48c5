"""The nlp stage on the seed: the actors, money, counts, dates and claims the issue lists."""

from __future__ import annotations

import pytest

from eventwire.records import Analysis, Article


def _article(seed, n: int) -> tuple[Article, Analysis]:
    return seed[n]


def _mentions(an: Analysis, text: str):
    return [m for m in an.mentions if m.text == text]


def _needs_kb(kb):
    if kb is None:
        pytest.skip("eventwire.kb is not importable yet: KB resolution not testable")


# ---------------------------------------------------------------- entities
def test_field_names_get_the_right_labels(seed):
    (a1, an1), (a2, an2) = seed
    for m in _mentions(an1, "Kataib al-Imam Ali"):
        assert m.label == "ARMED_GROUP"
    assert _mentions(an1, "Kataib al-Imam Ali")
    assert {m.label for m in _mentions(an1, "Aleppo")} == {"GPE"}
    cap = an1.captions[0]
    assert [m.label for m in cap.mentions if "Nujaba" in m.text] == ["ARMED_GROUP"]
    assert {m.label for m in _mentions(an2, "Madrid")} == {"GPE"}
    assert all(m.label != "PERSON" for m in _mentions(an2, "Pap Tecnos"))


def test_actors_resolved_with_kind_and_country(seed, kb):
    _needs_kb(kb)
    (a1, an1), (a2, an2) = seed
    kataib = _mentions(an1, "Kataib al-Imam Ali")[0]
    assert kataib.entity_id and kataib.kind == "armed_group" and kataib.country
    ent = kb.get(kataib.entity_id)
    assert any(r.type == "backed_by" and r.target == "IRN" for r in ent.relations)
    regime = [m for m in an1.mentions if m.text.endswith("Syrian regime")][0]
    assert (regime.label, regime.country, regime.sector) == ("GOVERNMENT", "SYR", "GOV")
    pap = _mentions(an2, "Pap Tecnos")
    assert pap and all(m.label == "COMPANY" and m.country == "ESP" and m.entity_id for m in pap)
    rafael = _mentions(an2, "Rafael")
    assert rafael and all(m.label == "COMPANY" and m.country == "ISR" for m in rafael)
    full = [m for m in an2.mentions if m.text.endswith("Rafael Advanced Defense Systems")]
    assert full and full[0].entity_id == rafael[0].entity_id
    # "the Defense Ministry said Tuesday" in an article about Spain is Spain's ministry,
    # while "Israel's Defense Ministry" is Israel's.
    ministries = [m for m in an2.mentions if m.text.endswith("Defense Ministry")]
    assert [m.country for m in ministries] == ["ESP", "ISR"]
    assert all(m.label == "GOVERNMENT" for m in ministries)
    hamas = _mentions(an2, "Hamas")[0]
    assert hamas.label == "ARMED_GROUP" and hamas.entity_id


def test_spokesperson_is_a_person_of_the_spanish_government(seed):
    _, an2 = seed[1]
    pilar = [m for m in an2.mentions if "Pilar Alegría" in m.text]
    assert pilar and pilar[0].label == "PERSON"
    assert (pilar[0].country, pilar[0].sector) == ("ESP", "GOV")


def test_title_case_headline_is_not_mistaken_for_names(seed):
    _, an2 = seed[1]
    title = an2.title
    assert title is not None
    labels = {(m.text, m.label) for m in title.mentions}
    assert ("Spain", "GPE") in labels
    assert not any("Cancels" in m.text or "Built" in m.text for m in title.mentions)
    assert not any(m.label in ("ORG", "PERSON") for m in title.mentions)
    art, _ = seed[1]
    for m in title.mentions:  # offsets are into the original (title-case) headline
        assert art.title[m.start : m.end] == m.text


def test_weapons_in_the_seed(seed):
    _, an2 = seed[1]
    assert ("SPIKE LR2", "WEAPON") in {(m.text, m.label) for m in an2.mentions}


# ---------------------------------------------------------------- quantities
def _q(an: Analysis, text: str):
    hits = [q for q in an.quantities if text in q.text]
    assert hits, f"no quantity with {text!r} in {[q.text for q in an.quantities]}"
    return hits[0]


def test_money_in_two_currencies_is_one_amount(seed):
    _, an2 = seed[1]
    eur, usd = _q(an2, "285 million euros"), _q(an2, "$325 million")
    assert (eur.value, eur.currency, eur.kind) == (285_000_000, "EUR", "money")
    assert (usd.value, usd.currency, usd.kind) == (325_000_000, "USD", "money")
    assert an2.quantities[eur.same_as] == usd and an2.quantities[usd.same_as] == eur


def test_salary(seed):
    _, an1 = seed[0]
    q = _q(an1, "$200")
    assert (q.value, q.currency, q.kind) == (200, "USD", "salary")
    assert _q(an1, "$150").kind == "salary"


def test_counts_with_what_they_count(seed):
    (_, an1), (_, an2) = seed
    fighters = _q(an1, "70,000")
    assert (fighters.value, fighters.kind, fighters.approximate, fighters.unit) == (70_000, "troops", True, "fighters")
    regiments = _q(an1, "128")
    assert (regiments.value, regiments.kind, regiments.unit) == (128, "units", "regiments")
    spike = _q(an2, "168")
    assert (spike.value, spike.kind) == (168, "units")
    assert spike.unit == "SPIKE LR2 anti-tank missile systems"
    vessels = _q(an2, "three")
    assert (vessels.value, vessels.approximate, vessels.unit, vessels.kind) == (3, True, "cargo vessels", "units")


def test_casualty_counts(analyzer):
    an = analyzer.analyze_text(
        "Twelve people were killed and 30 others wounded in the attack, and police arrested five suspects. "
        "At least 40 civilians died and about 100 were injured, officials said. Up to 25 people were detained."
    )
    got = {(q.value, q.kind) for q in an.quantities}
    assert {(12, "dead"), (30, "injured"), (5, "arrested"), (40, "dead"), (100, "injured"), (25, "arrested")} <= got


# ---------------------------------------------------------------- dates
def _d(an: Analysis, text: str):
    hits = [d for d in an.dates if d.text == text]
    assert hits, f"no date {text!r} in {[d.text for d in an.dates]}"
    return hits[0]


def test_dates_resolved_against_publication(seed):
    (_, an1), (_, an2) = seed
    expect = {
        "Tuesday": ("2025-09-16", "2025-09-16", "day"),
        "Oct. 3, 2023": ("2023-10-03", "2023-10-03", "day"),
        "four days before": ("2023-09-29", "2023-09-29", "day"),
        "as of Oct. 2, 2023": ("2023-10-02", "2023-10-02", "day"),
        "late last year": ("2024-10-01", "2024-12-31", "quarter"),
        "May 2024": ("2024-05-01", "2024-05-31", "month"),
        "A month later": ("2024-06-01", "2024-06-30", "month"),
    }
    for text, (s, e, p) in expect.items():
        d = _d(an2, text)
        assert (d.date_start, d.date_end, d.precision, d.anchor) == (s, e, p, "publication"), text
    cap = an2.captions[0]
    d = _d(cap, "June 2, 2025")
    assert (d.date_start, d.precision) == ("2025-06-02", "day")
    # The first article has no date: "in 2015" is absolute, the anchor is the ingest date.
    d = [d for d in an1.dates if "2015" in d.text][0]
    assert (d.date_start, d.date_end, d.precision, d.anchor) == ("2015-01-01", "2015-12-31", "year", "ingest")


# ---------------------------------------------------------------- claims
def _claim(art: Article, an: Analysis, verb: str):
    hits = [c for c in an.claims if c.verb == verb]
    assert hits, f"no claim with verb {verb!r}: {[c.verb for c in an.claims]}"
    return hits[0]


def test_claims_and_certainty(seed, kb):
    (a1, an1), (a2, an2) = seed
    c = _claim(a1, an1, "reporting")
    assert c.certainty == "reported" and "media outlets" in c.source_text
    assert a1.body[c.start : c.end].startswith("that the Iranian proxy militia")
    c = _claim(a1, an1, "said")
    assert c.certainty == "reported" and c.source_text == "local sources" and c.source_entity_id is None
    assert "drafting center" in a1.body[c.start : c.end]
    c = _claim(a1, an1, "predicted")
    assert (c.certainty, c.source_text) == ("predicted", "sources")
    c = _claim(a2, an2, "denies")
    assert (c.certainty, c.source_text) == ("denied", "Israel")
    c = _claim(a2, an2, "told")
    assert c.certainty == "asserted" and "Pilar Alegría" in c.source_text
    assert a2.body[c.start : c.end].startswith("“The goal is clear")
    assert a2.body[c.source_start : c.source_end] == c.source_text
    if kb is not None:
        # The spokesperson herself when the KB knows her, else the government she speaks for.
        who = kb.get(c.source_entity_id)
        assert who is not None and who.country == "ESP"
        assert who.kind == "government" or (who.kind == "person" and who.sector == "GOV")
    c = _claim(a2, an2, "according to")
    assert (c.certainty, c.source_text) == ("reported", "local press")
    hedged = [c for c in an2.claims if c.certainty == "hedged"]
    assert any("cargo vessels" in a2.body[c.start : c.end] for c in hedged)


def test_hedges_lower_certainty(analyzer):
    an = analyzer.analyze_text("The minister said the militia may have moved the rockets to Homs.")
    assert [c.certainty for c in an.claims] == ["hedged"]
    an = analyzer.analyze_text("Officials said the convoy was allegedly attacked near Goma.")
    assert an.claims[0].certainty == "hedged"


def test_offsets_and_texts_agree(seed):
    for art, an in seed:
        for rec in (*an.mentions, *an.quantities, *an.dates):
            assert art.body[rec.start : rec.end] == rec.text
        for c in an.claims:
            assert 0 <= c.start < c.end <= len(art.body)
        assert an.parse is not None and an.parse.tokens[-1].end <= len(art.body)
        for cap, can in zip(art.captions, an.captions, strict=True):
            for m in can.mentions:
                assert cap.text[m.start : m.end] == m.text
