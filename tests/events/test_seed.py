"""The seed, as a user expects to see it (issue 5): the events of its two articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventwire.config import load_settings
from eventwire.records import Event, RawDocument


@pytest.fixture(scope="module")
def seed(seed_path: Path, analyzer: Any, geocoder: Any, coder: Any) -> list[tuple[Any, tuple[Event, ...]]]:
    from eventwire.clean import clean

    raw = RawDocument(str(seed_path), seed_path.read_text(encoding="utf-8"), kind="text")
    arts = clean(raw, load_settings())
    assert len(arts) == 2
    out = []
    for art, an in zip(arts, analyzer.analyze(arts), strict=True):
        places = geocoder.places(art, an)
        out.append((art, coder.code(art, an, places)))
    return out


def text_of(art: Any, where: str) -> str:
    if where == "body":
        return str(art.body)
    if where == "title":
        return str(art.title)
    return str(art.captions[int(where.split(":")[1])].text)


def trig(art: Any, e: Event) -> str:
    where = next(x.where for x in e.evidence if x.field == "type")
    s, t = next((x.start, x.end) for x in e.evidence if x.field == "type")
    return text_of(art, where)[s:t]


def find(events: tuple[Event, ...], type_: str, **kw: Any) -> list[Event]:
    out = [e for e in events if e.type == type_]
    for k, v in kw.items():
        out = [e for e in out if v(e)] if callable(v) else [e for e in out if getattr(e, k) == v]
    return out


def names(actors: Any) -> str:
    return " | ".join(a.text for a in actors)


def test_recruitment_centre(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[0]
    (e,) = find(events, "MOBILIZE", actors=lambda e: "Kataib al-Imam Ali" in names(e.actors))
    assert e.acled_event_type == "Strategic developments"
    assert e.cameo == "15"
    assert e.place is not None and e.place["name"] == "Aleppo"
    assert e.claim is not None  # reported by Syrian opposition media
    wheres = {x.where for x in e.evidence if x.field == "type"}
    assert wheres == {"body", "title"}, "headline and body report one action: one event"
    assert e is events[0]


def test_regime_consent(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[0]
    hits = [e for e in events if "Syrian regime" in names(e.actors) and trig(art, e) == "consent"]
    assert hits and hits[0].type == "AGREE"


def test_spike_cancellation_with_procurement(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[1]
    (e,) = find(events, "SANCTION", context="arms_trade", procurement=lambda e: e.procurement is not None)
    assert "Spain" in names(e.actors)
    assert not e.flags.historical
    p = e.procurement
    assert p.supplier == "Pap Tecnos"
    assert p.recipient == "Spain"
    assert p.system == "SPIKE LR2"
    assert p.system_kind == "anti-tank missile system"
    assert p.quantity == 168
    assert {(m.currency, m.amount) for m in p.value} == {("EUR", 285e6), ("USD", 325e6)}
    assert p.status == "cancelled"
    assert p.date_ordered == "2023-10-03"
    fields = {x.field for x in e.evidence}
    for f in ("procurement.system", "procurement.quantity", "procurement.value", "procurement.supplier",
              "procurement.status", "procurement.recipient"):  # fmt: skip
        assert f in fields
    assert {x.where for x in e.evidence if x.field == "type"} == {"body", "title"}


def test_arms_export_halt_is_historical(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[1]
    hits = [e for e in events if trig(art, e) == "stopped"]
    assert hits and hits[0].flags.historical and hits[0].type == "SANCTION"
    assert "ISR" in {r.country for r in hits[0].recipients}


def test_us_investigation(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[1]
    (e,) = find(events, "ACCUSE", actors=lambda e: "USA" in {a.country for a in e.actors})
    assert e.flags.historical
    assert "ESP" in {r.country for r in e.recipients}


def test_recognition_with_norway_and_ireland(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[1]
    hits = [e for e in events if trig(art, e) == "recognized"]
    assert hits
    e = hits[0]
    assert {"ESP", "NOR", "IRL"} <= {a.country for a in e.actors}
    assert e.flags.historical
    assert e.date is not None and e.date["date_start"].startswith("2024-05")


def test_icj_request_and_israels_denial(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[1]
    req = [e for e in find(events, "REQUEST") if "Spain" in names(e.actors)]
    assert req and trig(art, req[0]) == "ask"
    rej = [e for e in find(events, "REJECT") if "Israel" in names(e.actors)]
    assert rej and trig(art, rej[0]) == "denies"


def test_caption_mortar_fire(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed[1]
    (e,) = find(events, "ASSAULT", in_caption=True)
    assert e.date is not None and e.date["date_start"] == "2025-06-02"
    assert {x.where for x in e.evidence} == {"caption:0"}
    assert "ISR" in {a.country for a in e.actors}
    assert e.acled_event_type == "Explosions/Remote violence"


def test_evidence_for_every_filled_field(seed) -> None:  # type: ignore[no-untyped-def]
    for art, events in seed:
        for e in events:
            fields = {x.field for x in e.evidence}
            assert "type" in fields
            for k in range(len(e.actors)):
                assert f"actors[{k}]" in fields or e.actors[k].start is None
            for k in range(len(e.recipients)):
                assert f"recipients[{k}]" in fields
            if e.date is not None and e.date.get("source") == "text":
                assert "date" in fields
            if e.claim is not None:
                assert "claim" in fields
            for flag, on in e.flags.to_dict().items():
                if on:
                    assert f"flags.{flag}" in fields
            for x in e.evidence:
                assert 0 <= x.start < x.end <= len(text_of(art, x.where)), x


def test_ids_are_stable_and_unique(seed, coder) -> None:  # type: ignore[no-untyped-def]
    for _art, events in seed:
        ids = [e.id for e in events]
        assert len(ids) == len(set(ids))
