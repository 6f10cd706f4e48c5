"""Filters that fail loudly over HTTP (issue 15.4): a filter value that names nothing is a 422
naming the parameter and the valid values, not an empty page; countries by name or code."""

from __future__ import annotations

from typing import Any

import pytest

ENDPOINTS = ("/api/events", "/api/map", "/api/stats")


def _err(resp: Any, param: str) -> dict[str, Any]:
    assert resp.status_code == 422, resp.text
    err = resp.json()["error"]
    assert err["code"] == "validation" and param in err["message"]
    assert err["detail"][0]["loc"] == ["query", param]
    return err  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_unknown_plover_type_is_422_with_the_valid_ones(client: Any, path: str) -> None:
    err = _err(client.get(path, params={"type": "ASSAULT,FOO"}), "type")
    assert "FOO" in err["message"]
    assert {"ASSAULT", "PROTEST", "AGREE"} <= set(err["detail"][0]["valid"])


def test_unknown_acled_type_is_422_and_case_is_forgiven(client: Any) -> None:
    err = _err(client.get("/api/events", params={"acled_type": "Fights"}), "acled_type")
    assert "Battles" in err["detail"][0]["valid"] and "Battles" in err["message"]
    r = client.get("/api/events", params={"acled_type": "protests"})
    assert r.status_code == 200 and [e["type"] for e in r.json()["items"]] == ["PROTEST"]


def test_unknown_certainty_is_422(client: Any) -> None:
    err = _err(client.get("/api/events", params={"certainty": "sure"}), "certainty")
    assert "hedged" in err["detail"][0]["valid"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_country_by_name_or_code(client: Any, path: str) -> None:
    by_code = client.get(path, params={"country": "SYR"})
    assert by_code.status_code == 200
    for v in ("Syria", "syria", "Syrian Arab Republic", "syr"):
        r = client.get(path, params={"country": v})
        assert r.status_code == 200, r.text
        assert r.json() == by_code.json(), v
    both = client.get("/api/events", params={"country": "Syria,Ukraine"}).json()
    assert {e["place"]["country"] for e in both["items"]} == {"SYR", "UKR"}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_unknown_country_is_422_with_the_valid_form(client: Any, path: str) -> None:
    err = _err(client.get(path, params={"country": "Narnia"}), "country")
    assert "Narnia" in err["message"] and "alpha-3" in err["message"]
    err = _err(client.get(path, params={"country": "Syrai"}), "country")
    assert "did you mean Syria, SYR" in err["message"]


def test_actors_take_a_country_name(client: Any) -> None:
    by_code = client.get("/api/actors", params={"country": "SYR", "limit": 500})
    by_name = client.get("/api/actors", params={"country": "Syria", "limit": 500})
    assert by_code.status_code == by_name.status_code == 200, by_name.text
    assert by_name.json() == by_code.json()
    _err(client.get("/api/actors", params={"country": "Narnia"}), "country")


def test_unknown_actor_kind_is_422(client: Any) -> None:
    err = _err(client.get("/api/actors", params={"kind": "militia"}), "kind")
    assert "armed_group" in err["detail"][0]["valid"]
    assert client.get("/api/actors", params={"kind": "armed_group"}).status_code == 200
