"""The actor knowledge base: seed actors, variants, context, coverage, patterns, user files."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.errors import ConfigError
from eventwire.kb import KIND_LABELS, KnowledgeBase, cameo_code, label_of
from eventwire.kb.normalize import fold, key

RULER_LABELS = {
    "ARMED_GROUP",
    "STATE_FORCES",
    "GOVERNMENT",
    "COMPANY",
    "IGO",
    "NGO",
    "MEDIA",
    "POLITICAL_PARTY",
    "MILITARY_UNIT",
    "WEAPON",
    "MILITARY_PLATFORM",
    "PERSON",
}


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def kb(cache_home: Path) -> KnowledgeBase:
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(cache_home))
    try:
        return KnowledgeBase.load()
    finally:
        mp.undo()


# ------------------------------------------------------------------------- seed actors
@pytest.mark.parametrize(
    ("text", "eid", "kind", "country"),
    [
        ("Kataib al-Imam Ali", "kataib-imam-ali", "armed_group", "IRQ"),
        ("Kata'ib al-Imam Ali", "kataib-imam-ali", "armed_group", "IRQ"),
        ("Harakat Hezbollah al-Nujaba", "nujaba", "armed_group", "IRQ"),
        ("Hezbollah al-Nujaba", "nujaba", "armed_group", "IRQ"),
        ("Pap Tecnos", "pap-tecnos", "company", "ESP"),
        ("Rafael", "rafael", "company", "ISR"),
        ("Rafael Advanced Defense Systems", "rafael", "company", "ISR"),
        ("Syrian regime", "SYR-gov", "government", "SYR"),
        ("Israel's Defense Ministry", "ISR-mod", "government", "ISR"),
        ("Spanish Defence Ministry", "ESP-mod", "government", "ESP"),
        ("Ministry of Defense of Spain", "ESP-mod", "government", "ESP"),
        ("Hezbollah", "hezbollah", "armed_group", "LBN"),
        ("Associated Press", "ap", "media", "USA"),
        ("Tasnim", "tasnim", "media", "IRN"),
        ("International Court of Justice", "icj", "igo", None),
        ("NATO", "nato", "igo", None),
        ("Syrian army", "SYR-mil", "state_forces", "SYR"),
        ("IDF", "ISR-mil", "state_forces", "ISR"),
        ("Spanish armed forces", "ESP-mil", "state_forces", "ESP"),
        ("Israeli military", "ISR-mil", "state_forces", "ISR"),
        ("SOHR", "sohr", "ngo", "GBR"),
        ("Syrian Observatory for Human Rights", "sohr", "ngo", "GBR"),
        ("Eye of Euphrates", "eye-of-euphrates", "media", "SYR"),
        ("SPIKE LR2", "spike-lr2", "weapon", "ISR"),
        ("Bayraktar TB2", "bayraktar-tb2", "platform", "TUR"),
        ("Rapid Support Forces", "rsf", "armed_group", "SDN"),
        ("JNIM", "jnim", "armed_group", "MLI"),
        ("M23", "m23", "armed_group", "COD"),
        ("Wagner Group", "wagner", "armed_group", "RUS"),
        ("Arakan Army", "arakan-army", "armed_group", "MMR"),
        ("CJNG", "cjng", "armed_group", "MEX"),
        ("the Pentagon", "USA-mod", "government", "USA"),
        ("Kremlin", "RUS-gov", "government", "RUS"),
    ],
)
def test_seed_actors_resolve(kb: KnowledgeBase, text: str, eid: str, kind: str, country: str | None) -> None:
    e = kb.resolve(text)
    assert e is not None, text
    assert (e.id, e.kind, e.country) == (eid, kind, country)


def test_kataib_imam_ali_is_iraqi_pmf_militia_in_syria_backed_by_iran(kb: KnowledgeBase) -> None:
    e = kb.resolve("Kataib al-Imam Ali")
    assert e is not None and e.sector == "PRM"
    assert set(e.operates_in) >= {"IRQ", "SYR"}
    assert [s.id for s in kb.related(e.id, "backed_by")] == ["IRN"]
    assert [p.id for p in kb.related(e.id, "part_of")] == ["pmf"]


def test_pap_tecnos_is_spanish_subsidiary_of_israeli_rafael(kb: KnowledgeBase) -> None:
    parents = kb.related("pap-tecnos", "subsidiary_of")
    assert [(p.id, p.country) for p in parents] == [("rafael", "ISR")]
    assert "pap-tecnos" in {s.id for s in kb.related("rafael", "subsidiary_of", inverse=True)}


def test_iran_backs_the_axis_groups(kb: KnowledgeBase) -> None:
    backed = {e.id for e in kb.related("IRN", "backed_by", inverse=True)}
    assert {"hezbollah", "houthis", "kataib-hezbollah", "nujaba", "aah", "liwa-fatemiyoun", "hamas"} <= backed


def test_related_on_a_date(kb: KnowledgeBase) -> None:
    assert [e.id for e in kb.related("ahmed-al-sharaa", "member_of", on="2024-06-01")] == ["hts"]
    assert [e.id for e in kb.related("ahmed-al-sharaa", "member_of", on="2025-06-01")] == ["SYR-gov"]
    assert "sikorsky" not in {
        e.id for e in kb.related("lockheed-martin", "subsidiary_of", inverse=True, on="2014-01-01")
    }
    assert "sikorsky" in {
        e.id for e in kb.related("lockheed-martin", "subsidiary_of", inverse=True, on="2016-01-01")
    }


def test_related_rejects_unknown_relation_type(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="relation type"):
        kb.related("rafael", "owns")


# ------------------------------------------------------------------------- variants
@pytest.mark.parametrize(
    ("variants", "eid"),
    [
        (
            [
                "Kataib Hezbollah",
                "Kata'ib Hizballah",
                "Katai'b Hezbollah",
                "Kataeb Hezbollah",
                "kataib hizbollah",
            ],
            "kataib-hezbollah",
        ),
        (
            [
                "Harakat Hezbollah al-Nujaba",
                "al-Nujaba",
                "Nujaba",
                "al-Nujaba'",
                "Al Nujaba",
                "the Nujaba movement",
            ],
            "nujaba",
        ),
        (["Asa'ib Ahl al-Haq", "Asaib Ahl al Haq", "Asaib Ahl Al-Haq", "ASA'IB AHL AL-HAQ"], "aah"),
        (["Hezbollah", "Hizbollah", "Hizballah", "Hizbullah", "Hezbollah's"], "hezbollah"),
        (["Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham", "Hay’at Tahrir ash-Sham", "HTS"], "hts"),
        (
            ["Santa Bárbara Sistemas", "Santa Barbara Sistemas", "SANTA BARBARA SISTEMAS"],
            "santa-barbara-sistemas",
        ),
        (["Houthis", "Houthi rebels", "Ansar Allah", "Ansarullah", "Huthis"], "houthis"),
        (["Shahed-136", "Shahed 136", "shahed-136"], "shahed-136"),
    ],
)
def test_transliteration_and_spelling_variants(kb: KnowledgeBase, variants: list[str], eid: str) -> None:
    for v in variants:
        e = kb.resolve(v)
        assert e is not None and e.id == eid, (v, e)


def test_fuzzy_matches_misspellings_but_not_unknown_names(kb: KnowledgeBase) -> None:
    e = kb.resolve("Kataib Hezbolah al")
    assert e is not None and e.id == "kataib-hezbollah"
    e = kb.resolve("Rafael Advanced Defence System")
    assert e is not None and e.id == "rafael"
    assert kb.resolve("Jonathan Smithers") is None
    assert kb.resolve("Quarterly Earnings Committee") is None


def test_member_nouns_are_stripped(kb: KnowledgeBase) -> None:
    for text, eid in [
        ("Hezbollah fighters", "hezbollah"),
        ("Wagner mercenaries", "wagner"),
        ("TTP militants", "ttp"),
    ]:
        e = kb.resolve(text)
        assert e is not None and e.id == eid, text


# ------------------------------------------------------------------------- context
def test_ambiguous_role_phrase_takes_the_context_country(kb: KnowledgeBase) -> None:
    e = kb.resolve(
        "the Defense Ministry", context="Israel's military said on Tuesday that the Defense Ministry"
    )
    assert e is not None and e.id == "ISR-mod"
    e = kb.resolve("the army", context="Spanish troops and the army of Spain")
    assert e is not None and e.id == "ESP-mil"
    assert kb.resolve("the Defense Ministry") is None  # no country in sight: leave it
    e = kb.resolve(
        "government spokesperson", context="Spanish government spokesperson Pilar Alegría told reporters"
    )
    assert e is not None and e.id == "ESP-gov"
    e = kb.resolve("Pilar Alegría")
    assert (
        e is not None and e.kind == "person" and [t.id for t in kb.related(e.id, "member_of")] == ["ESP-gov"]
    )


def test_generic_descriptions_carry_sponsor_or_country(kb: KnowledgeBase) -> None:
    e = kb.resolve("Iranian proxy militia", context="in eastern Syria near the Iraqi border")
    assert e is not None and e.kind == "armed_group" and e.id.startswith("generic:")
    assert [(r.type, r.target) for r in e.relations] == [("backed_by", "IRN")]
    assert kb.get(e.id) is None  # not a KB entry
    e = kb.resolve("Iran-backed militias")
    assert e is not None and [(r.type, r.target) for r in e.relations] == [("backed_by", "IRN")]
    e = kb.resolve("Syrian rebels")
    assert e is not None and e.country == "SYR" and not e.relations
    assert kb.resolve("Iranian officials") is None


def test_context_disambiguates_shared_acronyms(kb: KnowledgeBase) -> None:
    # SNA: Syrian National Army (armed group) and Somali National Army (state forces)
    syr = kb.resolve("SNA", context="Turkish-backed factions clashed with the SDF near Manbij in Syria")
    som = kb.resolve("SNA", context="Somali troops and al-Shabaab fought in Somalia")
    assert syr is not None and syr.id == "sna"
    assert som is not None and som.id == "SOM-mil"


def test_exact_case_separates_party_from_army(kb: KnowledgeBase) -> None:
    assert kb.resolve("Lebanese Forces").id == "lebanese-forces"  # type: ignore[union-attr]
    assert kb.resolve("Lebanese forces").id == "LBN-mil"  # type: ignore[union-attr]
    pats = {p["pattern"]: p["id"] for p in kb.patterns()}
    assert pats["Lebanese Forces"] == "lebanese-forces" and pats["Lebanese forces"] == "LBN-mil"


def test_label_prefers_compatible_kind(kb: KnowledgeBase) -> None:
    assert {e.id for e in kb.lookup("SNA")} >= {"sna", "SOM-mil"}
    e = kb.resolve("Syrian", label="NORP")
    assert e is not None and e.id == "SYR"


# ------------------------------------------------------------------------- countries
def test_demonyms_and_country_names(kb: KnowledgeBase) -> None:
    assert kb.country_of_demonym("Syrian") == "SYR"
    assert kb.country_of_demonym("Spanish") == "ESP"
    assert kb.country_of_demonym("Spaniard") == "ESP"
    assert kb.country_of_demonym("Israeli") == "ISR"
    assert kb.country_of_demonym("Iranian") == "IRN"
    assert kb.country_of_demonym("Congolese") == "COD"
    assert kb.country_of_demonym("Martian") is None
    assert kb.country_of_name("Syria") == "SYR"
    assert kb.country_of_name("Türkiye") == "TUR"
    assert kb.country_of_name("Turkey") == "TUR"
    assert kb.country_of_name("the United States") == "USA"
    assert kb.country_of_name("Democratic Republic of the Congo") == "COD"
    assert kb.country_of_name("Atlantis") is None
    assert kb.guess_country("Sudanese paramilitary unit") == "SDN"


def test_countries_in_scans_names_and_demonyms(kb: KnowledgeBase) -> None:
    got = kb.countries_in("U.S.-led forces hit Syria. Iran-backed militias, Israel's army and Côte d'Ivoire.")
    assert got == {"USA": 1, "SYR": 1, "IRN": 1, "ISR": 1, "CIV": 1}
    assert kb.countries_in("Syrians and Iranians") == {}  # plural nouns are not listed: no guess
    assert kb.countries_in("") == {}


def test_every_country_has_state_government_and_sovereigns_have_forces(kb: KnowledgeBase) -> None:
    missing = [
        c.alpha_3
        for c in pycountry.countries
        if kb.get(c.alpha_3) is None or kb.get(f"{c.alpha_3}-gov") is None
    ]
    assert missing == []
    for a3 in ("SYR", "ISR", "ESP", "UKR", "MLI", "SDN", "MMR", "XKX"):
        assert kb.get(f"{a3}-mil") is not None and kb.get(f"{a3}-police") is not None
    for a3 in ("SYR", "ISR", "ESP", "UKR", "MLI", "SDN", "MMR"):
        assert kb.get(f"{a3}-mod") is not None
    assert kb.get("ABW-mil") is None  # Aruba is a territory: no armed forces of its own
    demonymless = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in set(kb._ix.demonyms.values())]
    assert demonymless == []


def test_coverage_counts(kb: KnowledgeBase) -> None:
    n = kb.counts()
    assert n["armed_group"] >= 250
    assert n["company"] >= 150
    assert n["media"] >= 150
    assert n["igo"] >= 80
    assert n["weapon"] + n["platform"] >= 250
    assert n["state"] >= 249


def test_data_integrity(kb: KnowledgeBase) -> None:
    for e in kb.entities():
        if e.kind in ("armed_group", "company", "media", "state_forces", "government"):
            assert e.country is not None or e.operates_in, e.id  # al-Qaeda: transnational, operates_in only
        if e.kind in ("weapon", "platform"):
            assert e.system_kind, e.id
            for m in kb.related(e.id, "made_by"):
                assert m.kind in ("company", "armed_group", "government", "state_forces", "military_unit"), (
                    e.id
                )
        assert label_of(e) in KIND_LABELS.values()


# ------------------------------------------------------------------------- patterns
def test_patterns_shape_labels_and_no_country_names(kb: KnowledgeBase) -> None:
    pats = kb.patterns()
    assert len(pats) > 10_000
    assert {p["label"] for p in pats} <= RULER_LABELS
    assert all(kb.get(p["id"]) is not None or p["id"].startswith("role:") for p in pats)
    texts = {p["pattern"]: p for p in pats}
    for country in ("Syria", "Israel", "Spain", "Iran", "United States", "Syrian", "Israeli"):
        assert country not in texts
    assert texts["Kataib al-Imam Ali"]["label"] == "ARMED_GROUP"
    assert texts["Harakat Hezbollah al-Nujaba"]["id"] == "nujaba"
    assert texts["Syrian army"]["label"] == "STATE_FORCES"
    assert texts["Syrian Army"]["label"] == "STATE_FORCES"
    assert texts["Israel's Defense Ministry"] == {
        "label": "GOVERNMENT",
        "pattern": "Israel's Defense Ministry",
        "id": "ISR-mod",
    }
    assert texts["SPIKE LR2"]["label"] == "WEAPON"
    assert texts["Bayraktar TB2"]["label"] == "MILITARY_PLATFORM"
    assert texts["Quds Force"]["label"] == "MILITARY_UNIT"
    assert texts["Rafael"]["label"] == "COMPANY"
    assert texts["Tasnim"]["label"] == "MEDIA"
    assert texts["Amnesty International"]["label"] == "NGO"
    assert texts["NATO"]["label"] == "IGO"
    assert texts["Fatah"]["label"] == "POLITICAL_PARTY"
    assert "Israels Defense Ministry" not in texts  # no apostrophe-less possessives


def test_every_pattern_resolves_back_to_its_entity(kb: KnowledgeBase) -> None:
    # The nlp stage re-resolves ruler matches with context; without context they must agree.
    bad = [
        (p["pattern"], p["id"])
        for p in kb.patterns()
        if not p["id"].startswith("role:") and getattr(kb.resolve(p["pattern"]), "id", None) != p["id"]
    ]
    assert bad == []


def test_role_patterns_resolve_through_context(kb: KnowledgeBase) -> None:
    role = {p["pattern"]: p for p in kb.patterns() if p["id"].startswith("role:")}
    assert role["regime forces"] == {"label": "STATE_FORCES", "pattern": "regime forces", "id": "role:mil"}
    e = kb.resolve("regime forces", context="Syrian regime forces shelled villages in Idlib")
    assert e is not None and e.id == "SYR-mil"
    e = kb.resolve("government forces", context="fighting in Sudan between government forces and the RSF")
    assert e is not None and e.id == "SDN-mil"
    assert kb.resolve("regime forces") is None


def test_patterns_without_classes(kb: KnowledgeBase) -> None:
    with_classes = {p["pattern"] for p in kb.patterns()}
    without = {p["pattern"] for p in kb.patterns(classes=False)}
    assert "tanks" in with_classes and "tanks" not in without
    assert "SPIKE LR2" in without


def test_patterns_work_in_a_spacy_entity_ruler(kb: KnowledgeBase) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(kb.patterns())
    doc = nlp(
        "Kata'ib al-Imam Ali and Harakat Hezbollah al-Nujaba fired at the Syrian Army, "
        "Israel's Defense Ministry said, after Pap Tecnos delivered 168 SPIKE LR2 missiles."
    )
    got = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
    assert ("Kata'ib al-Imam Ali", "ARMED_GROUP", "kataib-imam-ali") in got
    assert ("Harakat Hezbollah al-Nujaba", "ARMED_GROUP", "nujaba") in got
    assert ("Syrian Army", "STATE_FORCES", "SYR-mil") in got
    assert ("Israel's Defense Ministry", "GOVERNMENT", "ISR-mod") in got
    assert ("Pap Tecnos", "COMPANY", "pap-tecnos") in got
    assert ("SPIKE LR2", "WEAPON", "spike-lr2") in got


# ------------------------------------------------------------------------- user files
def test_user_yaml_extends_and_overrides(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    f = tmp_path / "mine.yaml"
    f.write_text(
        "defaults: {kind: armed_group, sector: REB}\n"
        "entities:\n"
        "- {id: liwa-test, name: Liwa al-Test, aliases: [Test Brigade], country: SYR,\n"
        "   backed_by: [{target: IRN, from: 2016-05}], valid_from: 2015}\n"
        "- {id: rafael, name: Rafael Advanced Defense Systems, kind: company, sector: BUS, country: ISR,\n"
        "   aliases: [Rafael Ltd (user)]}\n",
        encoding="utf-8",
    )
    kb2 = KnowledgeBase.load([f])
    e = kb2.resolve("Liwa Test")
    assert e is not None and e.id == "liwa-test" and e.valid_from == "2015"
    assert e.relations[0].target == "IRN" and e.relations[0].valid_from == "2016-05"
    rafael = kb2.get("rafael")
    assert rafael is not None and rafael.aliases == ("Rafael Ltd (user)",)  # replaced, not merged
    assert kb2.resolve("Pap Tecnos") is not None  # the shipped KB is still there


def test_user_jsonl(tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    f = tmp_path / "mine.jsonl"
    f.write_text(
        json.dumps(
            {
                "id": "acme-arms",
                "name": "Acme Arms",
                "kind": "company",
                "country": "ESP",
                "subsidiary_of": "rafael",
            }
        )
        + "\n\n",
        encoding="utf-8",
    )
    kb2 = KnowledgeBase.load([str(f)])
    assert [p.id for p in kb2.related("acme-arms", "subsidiary_of")] == ["rafael"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.yaml", "- {id: x, name: X}\n", "entry 1: missing or empty 'kind'"),
        ("b.yaml", "- {id: x, name: X, kind: dragon}\n", "kind 'dragon'"),
        ("c.yaml", "- {id: x, name: X, kind: company, country: Spain}\n", "country 'Spain'"),
        ("d.yaml", "- {id: x, name: X, kind: company, subsidiary_of: nowhere-inc}\n", "target 'nowhere-inc'"),
        ("e.yaml", "- {id: x, name: X, kind: company, colour: red}\n", "unknown key(s) colour"),
        ("f.yaml", "- {id: x, name: X, kind: company\n", "cannot read it"),
        ("g.yaml", "- {id: x, name: X, kind: company, valid_from: last year}\n", "date 'last year'"),
        ("h.yaml", "- {id: x, name: X, kind: company, sector: XYZ}\n", "sector 'XYZ'"),
        ("i.yaml", "- {id: x, name: X, kind: company}\n- {id: x, name: Y, kind: company}\n", "defined twice"),
        ("j.jsonl", '{"id": "x", "name": "X", "kind": "company"}\n{"id": \n', "j.jsonl:2: not JSON"),
        ("k.csv", "id,name\n", "use .yaml, .yml, .jsonl"),
        ("l.txt", "<!-- nothing -->\n", "no actor entries"),
    ],
)
def test_bad_user_file_raises_config_error_naming_file_and_entry(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        # package=False keeps this fast; the checks are the same with the shipped KB loaded
        KnowledgeBase.load([f], package=False, cache=False)
    assert name in str(err.value)
    assert message in str(err.value)


def test_bad_relation_target_with_the_shipped_kb(tmp_path: Path) -> None:
    f = tmp_path / "rel.yaml"
    f.write_text(
        "- {id: x, name: X Corp, kind: company, country: ESP, subsidiary_of: raphael}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"rel\.yaml \(x\): subsidiary_of target 'raphael'"):
        KnowledgeBase.load([f], cache=False)


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        KnowledgeBase.load([tmp_path / "nope.yaml"], cache=False)


def test_cache_is_written_reused_and_keyed_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    f = tmp_path / "u.yaml"
    f.write_text("- {id: one, name: One Brigade, kind: armed_group, country: SYR}\n", encoding="utf-8")
    a = KnowledgeBase.load([f], package=False)
    assert len(list((tmp_path / "c" / "eventwire").glob("kb-*.pickle"))) == 1
    b = KnowledgeBase.load([f], package=False)
    assert [e.id for e in b.entities()] == [e.id for e in a.entities()] == ["one"]
    f.write_text("- {id: two, name: Two Brigade, kind: armed_group, country: SYR}\n", encoding="utf-8")
    c = KnowledgeBase.load([f], package=False)
    assert [e.id for e in c.entities()] == ["two"]


def test_pickled_kb_reloads_in_the_receiving_process(
    kb: KnowledgeBase, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    data = pickle.dumps(kb)
    assert len(data) < 10_000  # the spec, not the index
    kb2 = pickle.loads(data)
    assert len(kb2) == len(kb) and kb2.resolve("Pap Tecnos").id == "pap-tecnos"  # type: ignore[union-attr]


# ------------------------------------------------------------------------- PETRARCH
PETRARCH_SAMPLE = """<!-- test dictionary
   spanning lines -->
HAMAS [PSEREBHMS]
ISRAELI_TROOPS [ISRMIL]
UNITED_NATIONS  [UNO]
+U.N. #JW   9/12/91
+SECURITY_COUNCIL

GOLLUM  # pas 27 Apr 03
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
BOROMIR  [---]
"""


def test_petrarch_loader_inline(tmp_path: Path) -> None:
    f = tmp_path / "actors.txt"
    f.write_text(PETRARCH_SAMPLE, encoding="utf-8")
    kb2 = KnowledgeBase.load([f], package=False, cache=False)
    e = kb2.resolve("Hamas")
    assert e is not None and (e.id, e.kind, e.country, e.sector) == (
        "cameo:PSEREBHMS",
        "armed_group",
        "PSE",
        "REB",
    )
    assert cameo_code(e) == "PSEREBHMS"
    e = kb2.resolve("Israeli troops")
    assert e is not None and (e.kind, e.country, e.sector) == ("state_forces", "ISR", "MIL")
    e = kb2.resolve("U.N.")
    assert e is not None and e.id == "cameo:UNO" and e.kind == "igo" and e.country is None
    assert kb2.resolve("Boromir") is None  # [---] is a null code
    assert cameo_code(kb2.resolve("Smeagol", on="1994-01-01")) == "HOB"  # type: ignore[arg-type]
    assert cameo_code(kb2.resolve("Gollum", on="1997-03-01")) == "HOBGOV"  # type: ignore[arg-type]
    assert cameo_code(kb2.resolve("Gollum", on="2005-01-01")) == "HOBREB"  # type: ignore[arg-type]


def test_petrarch_loader_reads_the_validation_dictionary(shared: Path) -> None:
    path = shared / "data" / "dev" / "events" / "petrarch2-unittests" / "PETR.Validate.actors.txt"
    kb2 = KnowledgeBase.load([path], package=False, cache=False)
    codes = {cameo_code(e) for e in kb2.entities()}
    assert {"ISR", "ISRMIL", "PSEREBHMS", "UNO", "IGOCOPITP", "USA", "USAGOV", "MORORC"} <= codes
    e = kb2.resolve("Interpol")
    assert e is not None and cameo_code(e) == "IGOCOPITP"
    e = kb2.resolve("White House")
    assert e is not None and cameo_code(e) == "USAGOV" and e.kind == "government"
    e = kb2.resolve("Australian")
    assert e is not None and cameo_code(e) == "AUS"


def test_petrarch_bad_date(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_text("GOLLUM\n\t[HOB <95ab01]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.txt:2: date"):
        KnowledgeBase.load([f], package=False, cache=False)


# ------------------------------------------------------------------------- properties
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fold_is_idempotent_and_resolve_never_raises(kb: KnowledgeBase, text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert key(text) == key(" ".join(text.split()))
    kb.resolve(text, context=text)
