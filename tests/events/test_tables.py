"""The data tables and the coder registry."""

from __future__ import annotations

import pytest

from eventwire.errors import ConfigError
from eventwire.events import Coder, get_coder, tables

ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}  # fmt: skip


def test_acled_codebook_has_25_sub_types() -> None:
    assert sum(len(v) for v in ACLED.values()) == 25


def test_lexicon_rows_are_valid() -> None:
    lex = tables.lexicon()
    assert len(lex) > 200
    for rows in lex.values():
        for r in rows:
            assert r.type in tables.PLOVER_TYPES
            assert r.kind in ("act", "wrap")
            assert r.pos in ("V", "N", "*")
            assert r.cameo[:2].isdigit()


def test_every_acled_mapping_is_in_the_codebook() -> None:
    for t, spec in tables.types().items():
        assert t in tables.PLOVER_TYPES
        for key in ("acled_by_mode", "acled_by_context", "acled_by_sense"):
            for pair in (spec.get(key) or {}).values():
                assert pair[1] in ACLED[pair[0]], pair
        if spec.get("acled"):
            assert spec["acled"][1] in ACLED[spec["acled"][0]]
    # every row of the lexicon maps to an ACLED pair in the codebook or to none
    for rows in tables.lexicon().values():
        for r in rows:
            pair = tables.acled(r.type, r.mode, r.context, r.sense)
            assert pair is None or pair[1] in ACLED[pair[0]]


def test_cameo_roots() -> None:
    assert tables.cameo_root("ACCUSE", "investigate", None) == "09"
    assert tables.cameo_root("ASSAULT", None, "194") == "19"
    assert tables.cameo_root("REQUEST", None, None) == "10"


def test_registry_versioned_names() -> None:
    c = get_coder("rules.v1")
    assert isinstance(c, Coder)
    with pytest.raises(ConfigError, match="rules.v1"):
        get_coder("rules.v0")


def test_demonyms_cover_country_names_and_adjectives() -> None:
    d = tables.demonyms()
    assert d["spain"] == "ESP" and d["spanish"] == "ESP" and d["palestinians"] == "PSE"


def test_analysis_of_another_article_is_rejected() -> None:
    from eventwire.errors import InputError
    from eventwire.records import Analysis, Article, Parse, Token

    art = Article.from_paragraphs("x", ["Short."], title=None)
    parse = Parse(tokens=(Token(0, 40, "x" * 40, "x", "NOUN", "NN", "ROOT", 0),), sentences=((0, 40),))
    with pytest.raises(InputError, match="runs past its body"):
        get_coder("rules.v1").code(art, Analysis(parse=parse), ())


def test_no_parse_no_events() -> None:
    from eventwire.records import Analysis, Article

    art = Article.from_paragraphs("x", ["Rebels attacked the town."], title=None)
    assert get_coder("rules.v1").code(art, Analysis(), ()) == ()
