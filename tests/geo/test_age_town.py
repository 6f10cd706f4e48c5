"""Issue 14: the name after a person's age is the town they live in ("Terry Lee Jolly, 60,
Lebanon, was arrested": the country Lebanon in judged sample D, so the arrest was by the
police of Lebanon). The rule is switched off to show the old answer comes back. Text written
for the test."""

from __future__ import annotations

import pytest

import eventwire.geo.geocoder as G

TEXT = "Terry Lee Jolly, 60, Lebanon, was arrested Thursday on a charge of theft."


def _lebanon(geocoder, analyse) -> str | None:  # type: ignore[no-untyped-def]
    (p,) = [p for p in geocoder.places(*analyse(TEXT)) if p.text == "Lebanon"]
    return p.country


def test_the_name_after_an_age_is_a_town(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert _lebanon(geocoder, analyse) == "USA"
    monkeypatch.setattr(G, "AGE_TOWN", False)
    assert _lebanon(geocoder, analyse) == "LBN"
