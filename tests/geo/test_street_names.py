"""Issue 11/14: a street named after a town ("2517 Memphis St.", "his Augusta Street home") names
no place. A Louisiana paper's arrest report with the suspects' addresses was read as a Tennessee
story (the LGL read of stop 24). The rule is switched off to show the old answer comes back.
Text written for the test."""

from __future__ import annotations

import pytest

import eventwire.geo.geocoder as G

TEXT = (
    "Arrested were John Doe, 44, of 2517 Memphis St., and Jane Roe, 41, of 420 Augusta Ave. "
    "Police went to Doe's Memphis Street home on Sunday. The Tennessee Highway Patrol was not involved."
)


def test_a_street_named_after_a_town_is_no_place(analyse, geocoder, monkeypatch: pytest.MonkeyPatch) -> None:
    art, ana = analyse(TEXT)
    names = [p.text for p in geocoder.places(art, ana)]
    assert "Memphis" not in names and "Augusta" not in names
    assert "Tennessee" in names  # "Highway" is no street word: the state before it stays
    monkeypatch.setattr(G, "STREET_NAME_OUT", False)
    assert "Memphis" in [p.text for p in geocoder.places(art, ana)]
