"""Issue 14: a publisher on a country's domain writes from there when the batch says nothing of
it (a one-article batch: no publisher home). richmondandtwickenhamtimes.co.uk's "Richmond" was
Richmond, Virginia (the stop-25 LGL read). Text written for the test."""

from __future__ import annotations

import dataclasses

import pytest

import eventwire.geo.geocoder as G
from eventwire.records import Article

TEXT = "Richmond council leader Serge Lourie defended the waste services on Monday. The scheme goes ahead in Richmond."


def _richmond(geocoder, analyse, publisher: str | None) -> str | None:  # type: ignore[no-untyped-def]
    art, ana = analyse(TEXT)
    art = dataclasses.replace(art, publisher=publisher)
    (p, *_) = [p for p in geocoder.places(art, ana) if p.text == "Richmond"]
    return p.country


def test_a_country_domain_is_the_publishers_country(geocoder, analyse, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _richmond(geocoder, analyse, "richmondandtwickenhamtimes.co.uk") == "GBR"
    assert _richmond(geocoder, analyse, "richmond.com") == "USA"  # a generic domain says nothing
    assert _richmond(geocoder, analyse, "richmond.tv") == "USA"  # nor a ccTLD sold as a generic one
    monkeypatch.setattr(G, "COUNTRY_DOMAIN", False)
    assert _richmond(geocoder, analyse, "richmondandtwickenhamtimes.co.uk") == "USA"


def test_country_domain_codes() -> None:
    art = Article.from_paragraphs("t", ["x"], title=None)
    assert G._country_domain(dataclasses.replace(art, publisher="lfpress.ca")) == "CA"
    assert G._country_domain(dataclasses.replace(art, publisher="thisisoxfordshire.co.uk")) == "GB"
    assert G._country_domain(dataclasses.replace(art, publisher="example.io")) is None
    assert G._country_domain(dataclasses.replace(art, url="https://www.independent.ie/x")) == "IE"
