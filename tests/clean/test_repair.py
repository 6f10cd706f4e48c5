"""Messy text is repaired before it is split; other languages are split and labelled, not
rejected; split --explain says where every line went."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eventwire.clean import clean, explain_text
from eventwire.clean.repair import repair
from eventwire.records import RawDocument

BRIEF = (
    "Navy Seizes Boat Carrying Weapons in the Gulf\n"
    "By Defence Correspondent\n"
    "March 7, 2024\n"
    "The navy’s spokesman said on Thursday it had seized a small boat carrying rifles, ammunition and "
    "anti-tank missiles in international waters in the Gulf.\n"
    "The crew of six was detained and the weapons were taken to a naval base for inspection, he said.\n"
    "He did not say where the boat had come from or where it was heading.\n"
)


def test_mojibake_and_control_characters_are_repaired() -> None:
    broken = BRIEF.replace("’", "\u00e2\u20ac\u2122").replace("rifles,", "rifles,\x00\x07")
    text, notes = repair(broken)
    assert text == BRIEF and notes
    (a,) = clean(RawDocument(source="m.txt", text=broken, kind="text"))
    assert "navy’s spokesman" in a.body and "\x00" not in a.body and "â€" not in a.body


def test_clean_text_is_left_alone() -> None:
    assert repair(BRIEF) == (BRIEF, [])


def test_all_caps_text_gets_its_headline_back() -> None:
    (a,) = clean(RawDocument(source="caps.txt", text=BRIEF.upper(), kind="text"))
    assert a.title == "Navy seizes boat carrying weapons in the gulf"
    assert a.published_at == "2024-03-07" and len(a.paragraphs) == 3
    _, report = explain_text(RawDocument(source="caps.txt", text=BRIEF.upper(), kind="text"))
    assert any("capitals" in n for n in report["repairs"])


FRENCH = (
    "Le ministère de la Défense annule un contrat de missiles\n"
    "Le ministère espagnol de la Défense a annoncé mardi l’annulation d’un contrat portant sur des systèmes "
    "de missiles antichars qui devaient être fabriqués à Madrid par une filiale d’une entreprise israélienne.\n"
    "La décision concerne la licence de 168 systèmes de missiles, pour une valeur estimée à 285 millions "
    "d’euros, selon un communiqué publié par le ministère dans la soirée.\n"
)
ARABIC = (
    "وزارة الدفاع تلغي صفقة الصواريخ\n"
    "أعلنت وزارة الدفاع اليوم عن إلغاء صفقة لشراء أنظمة صواريخ مضادة للدبابات كان من المقرر تصنيعها في مدريد "
    "من قبل شركة تابعة لشركة إسرائيلية، وذلك بعد مراجعة استمرت عدة أشهر.\n"
    "وقالت الوزارة في بيان إن القرار يشمل ترخيص مئة وثمانية وستين نظاما بقيمة تقدر بمئتين وخمسة وثمانين مليون يورو.\n"
)


def test_other_languages_are_split_and_labelled_not_rejected() -> None:
    for text, lang in ((FRENCH, "fr"), (ARABIC, "ar")):
        (a,) = clean(RawDocument(source=f"{lang}.txt", text=text, kind="text"))
        assert a.language == lang
        assert len(a.paragraphs) == 2 and a.title == text.splitlines()[0]


def test_english_dump_is_labelled_english(seed_path: Path) -> None:
    arts = clean(RawDocument(source="s", text=seed_path.read_text(encoding="utf-8"), kind="text"))
    assert {a.language for a in arts} == {"en"}


def test_every_line_is_accounted_for(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    arts, report = explain_text(RawDocument(source="seed.txt", text=text, kind="text"))
    assert report["unplaced"] == []
    placed = sum(sum(a["lines"].values()) for a in report["articles"]) + len(report["dropped"])
    assert placed == sum(1 for ln in text.splitlines() if ln.strip()) == report["lines"]
    for a, r in zip(arts, report["articles"], strict=True):
        assert a.furniture_removed == len(r["dropped"]) == r["lines"].get("furniture", 0)
        assert all(d["why"] and d["line"] >= 1 for d in r["dropped"])


def test_split_explain_cli(tmp_path: Path) -> None:
    p = tmp_path / "two.txt"
    p.write_text(BRIEF + "\n----\n" + FRENCH, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "eventwire", "split", str(p), "--jsonl", "--explain"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert [o["language"] for o in out] == ["en", "fr"]
    assert all(isinstance(o["dropped"], list) for o in out)
    assert "new section (rule line" in r.stderr and "separator between articles" in r.stderr


def test_all_caps_names_the_kb_knows_get_their_capitals_back() -> None:
    from eventwire.clean.repair import restore_names

    caps = ("NATO SAYS KATAIB HEZBOLLAH FIRED ON A BASE IN SYRIA\n"
            "THE IRANIAN-BACKED GROUP KATAIB HEZBOLLAH FIRED ROCKETS AT A BASE NEAR THE BORDER, NATO OFFICIALS "
            "SAID ON MONDAY. THE ATTACK CAUSED NO CASUALTIES AND THE PATROL WAS ABLE TO RETURN TO THE BASE.\n"
            "OFFICIALS IN SYRIA SAID THEY HOPE TO KNOW MORE SOON, AND THAT THE GROUP HAD WARNED OF MORE ATTACKS.\n")
    text, notes = repair(caps)
    assert "Kataib Hezbollah fired" in text and "NATO officials" in text and "in Syria" in text
    assert "Iranian-backed" in text
    assert "they hope to know" in text and "the group had" in text  # common words stay lower case
    assert any("re-capitalised" in n for n in notes)
    assert restore_names("talks in\nsyria") == "talks in\nSyria"
    (a,) = clean(RawDocument(source="caps.txt", text=caps, kind="text"))
    assert a.title == "NATO says Kataib Hezbollah fired on a base in Syria"
