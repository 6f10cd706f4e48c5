"""Weapons, platforms and units found by shape and context (data/shapes.yaml), without a KB entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventwire.nlp import model, shapes


def _mentions(analyzer, text: str) -> dict[str, str]:
    return {m.text: m.label for m in analyzer.analyze_text(text).mentions}


@pytest.mark.parametrize(("text", "name", "label"), [
    ("Soldiers from 3rd Battalion, 321st Field Artillery Regiment fired.", "3rd Battalion", "MILITARY_UNIT"),
    ("Soldiers from 3rd Battalion, 321st Field Artillery Regiment fired.", "321st Field Artillery Regiment", "MILITARY_UNIT"),
    ("A crew chief in Abel Battery, 3rd Battalion, said so.", "Abel Battery", "MILITARY_UNIT"),
    ("The 117th Parachute Regiment landed.", "The 117th Parachute Regiment", "MILITARY_UNIT"),
    ("Tankers refuelled KC-135R Stratotanker aircraft over Iraq.", "KC-135R Stratotanker aircraft", "MILITARY_PLATFORM"),
    ("Four F-16 Fighting Falcons took off.", "F-16 Fighting Falcons", "MILITARY_PLATFORM"),
    ("They joined USS Hopper (DDG 70) in the Gulf.", "DDG 70", "MILITARY_PLATFORM"),
    ("Two Tu-214 planes landed.", "Tu-214 planes", "MILITARY_PLATFORM"),
    ("Rebels fired AK-74 rifles at the post.", "AK-74 rifles", "WEAPON"),
    ("A Mk 48 torpedo sank it.", "Mk 48 torpedo", "WEAPON"),
    ("MQ-9 Reaper drones and T-62 tanks were seen.", "MQ-9 Reaper drones", "MILITARY_PLATFORM"),
    ("MQ-9 Reaper drones and T-62 tanks were seen.", "T-62 tanks", "MILITARY_PLATFORM"),
    ("The counter-ISIL coalition met in Rome.", "The counter-ISIL coalition", "ORG"),
])  # fmt: skip
def test_names_without_a_kb_entry(analyzer, text: str, name: str, label: str) -> None:
    assert _mentions(analyzer, text).get(name) == label


def test_no_shape_where_none_is(analyzer) -> None:
    got = _mentions(analyzer, "Mark 5 people as absent. The G-20 met. Coalition aircraft struck. It joined a coalition of parties.")
    assert {t: lab for t, lab in got.items() if lab in ("WEAPON", "MILITARY_PLATFORM", "MILITARY_UNIT")} == {"aircraft": "MILITARY_PLATFORM"}
    assert not any("oalition" in t for t in got), got


def test_place_takes_its_article_when_it_heads_the_phrase(analyzer) -> None:
    got = _mentions(analyzer, "Troops left the United States. The Syria conflict goes on.")
    assert got.get("the United States") == "GPE" and "Syria" in got


def test_kb_entity_keeps_its_id(analyzer) -> None:
    ms = analyzer.analyze_text("The 82nd Airborne Division deployed.").mentions
    unit = next(m for m in ms if "82nd Airborne Division" in m.text)
    assert unit.entity_id == "us-82nd-airborne"


def test_ruler_cache_key_follows_the_pattern_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = model.load_base()
    data = tmp_path / "data"
    shutil.copytree(model.DATA, data)
    monkeypatch.setattr(model, "DATA", data)
    before = model.cache_key(nlp, None, model.MIN_CITY_POPULATION, False)
    (data / "shapes.yaml").write_text((data / "shapes.yaml").read_text() + "\n# edited\n")
    assert model.cache_key(nlp, None, model.MIN_CITY_POPULATION, False) != before


def test_unknown_set_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("sets: {}\nWEAPON:\n  - {name: x, pattern: [{LOWER: {IN: $nope}}]}\n")
    with pytest.raises(ValueError, match="unknown set"):
        shapes.patterns(p)


def test_a_rank_alone_is_no_person(analyzer) -> None:
    ms = analyzer.analyze_text("He spoke to experts.\nStaff Sgt. Albert Connelly, a crew chief, said it.").mentions
    people = [m for m in ms if m.label == "PERSON"]
    assert [m.text for m in people] == ["Staff Sgt. Albert Connelly"] and people[0].sector == "MIL"


# Issue 14.4, chosen on the re3d choice half (Australian DFA + CENTCOM): places, targets and
# people named by context rather than by a list.
@pytest.mark.parametrize(("text", "name", "label"), [
    ("Iraq\n. Near Ayn Isa, one strike destroyed a tunnel entrance.", "Ayn Isa", "GPE"),
    ("Near Dayr Az Zawr, five strikes destroyed eight oil pump jacks.", "Dayr Az Zawr", "GPE"),
    ("Two strikes destroyed an ISIL-held building and ISIL-held terrain.", "an ISIL-held building", "FAC"),
    ("Two strikes destroyed an ISIL-held building and ISIL-held terrain.", "ISIL-held terrain", "FAC"),
    ("One strike destroyed a VBIED facility and a UAV launch site.", "a VBIED facility", "FAC"),
    ("One strike destroyed a VBIED facility and a UAV launch site.", "a UAV launch site", "FAC"),
    ("Near Rawah, one strike engaged an ISIL tactical unit.", "an ISIL tactical unit", "ARMED_GROUP"),
    ("During the call, Brig. Gen. Richard Coe will speak.", "Brig. Gen. Richard Coe", "PERSON"),
])  # fmt: skip
def test_places_targets_and_people_from_context(analyzer, text: str, name: str, label: str) -> None:
    assert _mentions(analyzer, text).get(name) == label


def test_a_role_of_an_organisation_is_its_person(analyzer) -> None:
    an = analyzer.analyze_text('"We will strike," said Col. John Dorrian, the CJTF-OIR spokesperson. '
                               "Gen. Joseph L. Votel, U.S. Central Command commander, said it was over.")
    got = {m.text: m for m in an.mentions}
    assert got["the CJTF-OIR spokesperson"].label == "PERSON"
    assert got["U.S. Central Command commander"].label == "PERSON"
    assert got["U.S. Central Command commander"].country == "USA" and got["U.S. Central Command commander"].sector == "MIL"
    # ... and the organisation stays who the person speaks for (the claim's source entity).
    assert {c.source_entity_id for c in an.claims} == {"global-coalition-isis", "centcom"}


def test_a_capitalised_role_leaves_the_organisation(analyzer) -> None:
    got = _mentions(analyzer, "Jeff Rathke, the State Department Spokesperson, said so.")
    assert "the State Department Spokesperson" not in got and "the State Department" in got
