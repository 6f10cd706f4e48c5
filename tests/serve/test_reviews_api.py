"""Review endpoints (issue 15.1): named tokens, review records, the reviewed values in listings
and exports, the place search."""

from __future__ import annotations

import csv
import io

import pytest

ALICE, BOB = "alice-token-0001", "bob-token-00002"


@pytest.fixture()
def sstore(tmp_path):
    """SQLite only: the store side runs on both backends in tests/store/test_reviews.py."""
    from eventwire.store import Store
    from tests.serve.sample import fill

    s = Store(f"sqlite:///{tmp_path / 'reviews.db'}")
    fill(s)
    yield s
    s.close()


@pytest.fixture()
def rclient(sstore, make_client):
    return make_client(sstore, min_confidence=0, token="the-single-token", reviewers={"alice": ALICE, "bob": BOB})


def auth(tok: str) -> dict[str, str]:
    return {"authorization": f"Bearer {tok}"}


def _spain(c):
    return next(e for e in c.get("/api/events").json()["items"] if e["type"] == "REJECT")


def test_review_needs_a_token_and_records_its_name(rclient, sstore, make_client):
    ev = _spain(rclient)
    url = f"/api/events/{ev['id']}/review"
    assert rclient.post(url, json={"action": "accept"}).status_code == 401
    assert rclient.post(url, json={"action": "accept"}, headers=auth("nope-nope-nope")).status_code == 401
    assert make_client(sstore).post(url, json={"action": "accept"}).json()["error"]["code"] == "writes_disabled"
    r = rclient.post(url, json={"action": "reject", "note": "not an event"}, headers=auth(BOB))
    assert r.status_code == 200 and (r.json()["reviewer"], r.json()["status"]) == ("bob", "rejected")
    r = rclient.post(url, json={"action": "accept"}, headers=auth("the-single-token"))
    assert r.json()["reviewer"] == "editor"
    items = rclient.get(f"/api/events/{ev['id']}/reviews").json()["items"]
    assert [(i["reviewer"], i["action"], i["after"]["status"]) for i in items] == [
        ("bob", "reject", "rejected"), ("editor", "accept", "accepted")]
    assert items[0]["note"] == "not an event" and items[1]["before"]["status"] == "rejected"
    listed = rclient.get("/api/reviews?reviewer=bob").json()
    assert listed["total"] == 1 and listed["counts"]["accepted"] == 1
    assert rclient.get("/api/reviews?action=bogus").status_code == 422
    assert rclient.get("/api/events/nope/reviews").status_code == 404
    assert rclient.post("/api/events/nope/review", json={"action": "accept"}, headers=auth(ALICE)).status_code == 404


def test_edit_is_validated_and_shown_in_listings_and_csv(rclient):
    ev = _spain(rclient)
    url = f"/api/events/{ev['id']}/review"
    bad = rclient.post(url, json={"action": "edit", "fields": {"type": "PROTST"}}, headers=auth(ALICE))
    assert bad.status_code == 422 and "PROTEST" in bad.json()["error"]["detail"][0]["valid"]
    bad = rclient.post(url, json={"action": "edit", "fields": {"acled_sub_event_type": "Picnic"}}, headers=auth(ALICE))
    assert bad.status_code == 422 and "Peaceful protest" in bad.json()["error"]["detail"][0]["valid"]
    assert rclient.post(url, json={"action": "edit", "fields": {"lat": 10}}, headers=auth(ALICE)).status_code == 422
    assert rclient.post(url, json={"action": "edit", "fields": {}}, headers=auth(ALICE)).status_code == 422
    assert rclient.post(url, json={"action": "edit", "fields": {"colour": "red"}}, headers=auth(ALICE)).status_code == 422
    r = rclient.post(url, headers=auth(ALICE), json={"action": "edit", "fields": {
        "type": "PROTEST", "acled_sub_event_type": "Peaceful protest", "country": "Syria", "location": "Aleppo",
        "lat": 36.2, "lon": 37.16, "fatalities": 4, "actors": [{"text": "Students"}]}})
    assert r.status_code == 200 and r.json()["event"]["type"] == "PROTEST"
    page = rclient.get("/api/events?reviewed=only").json()
    (one,) = page["items"]
    assert page["total"] == 1 and one["review"]["reviewer"] == "alice" and one["machine"]["type"] == "REJECT"
    assert rclient.get("/api/events?type=PROTEST&country=SYR").json()["total"] >= 1
    assert ev["id"] not in {e["id"] for e in rclient.get("/api/events?type=REJECT").json()["items"]}
    (row,) = list(csv.DictReader(io.StringIO(rclient.get("/api/events?format=csv&reviewed=only").text)))
    assert (row["type"], row["acled_event_type"], row["country"], row["location"], row["dead"], row["actors"]) == (
        "PROTEST", "Protests", "SYR", "Aleppo", "4", "Students")
    (feat,) = rclient.get("/api/map?reviewed=only").json()["features"]
    assert feat["geometry"]["coordinates"] == [37.16, 36.2] and feat["properties"]["review_status"] == "edited"
    assert rclient.get("/api/stats").json()["by_type"].get("REJECT") is None
    art = rclient.get(f"/api/articles/{ev['article']['id']}").json()
    assert art["events"][0]["type"] == "PROTEST" and art["events"][0]["review"]["status"] == "edited"
    assert rclient.get("/api/events?reviewed=everything").status_code == 422


def test_out_of_scope_article_hides_its_events(rclient):
    ev = _spain(rclient)
    aid = ev["article"]["id"]
    n = rclient.get("/api/events").json()["total"]
    r = rclient.post(f"/api/articles/{aid}/review", json={"out_of_scope": True}, headers=auth(ALICE))
    assert r.status_code == 200 and r.json()["reviewer"] == "alice"
    assert rclient.get("/api/events").json()["total"] == n - 1
    assert [e["id"] for e in rclient.get("/api/events?rejected=only").json()["items"]] == [ev["id"]]
    assert rclient.get(f"/api/articles/{aid}").json()["review"]["out_of_scope"] is True
    rclient.post(f"/api/articles/{aid}/review", json={"out_of_scope": False}, headers=auth(ALICE))
    assert rclient.get("/api/events").json()["total"] == n
    assert rclient.post("/api/articles/nope/review", json={}, headers=auth(ALICE)).status_code == 404


def test_place_search_and_review_options(sstore, make_client):
    client = make_client(sstore)
    hits = client.get("/api/places?q=kharkiv&limit=3").json()["items"]
    assert hits[0]["name"] == "Kharkiv" and hits[0]["country"] == "UKR" and hits[0]["kind"] == "city"
    assert all(p["country"] == "SYR" for p in client.get("/api/places?q=al&country=Syria").json()["items"])
    assert client.get("/api/places?q=al&country=Narnia").status_code == 422
    opts = client.get("/api/review-options").json()
    assert "PROTEST" in opts["plover_types"] and len(opts["acled"]) == 25 and opts["writes"] is False


def test_reviewers_setting_from_the_environment(monkeypatch):
    from eventwire.config import load_settings
    from eventwire.errors import ConfigError

    monkeypatch.setenv("EVENTWIRE_REVIEWERS", "alice=aaaaaaaa1, bob = bbbbbbbb2")
    assert load_settings().reviewers == {"alice": "aaaaaaaa1", "bob": "bbbbbbbb2"}
    for bad in ("alice", "alice=short", "alice=samesame1,bob=samesame1"):
        monkeypatch.setenv("EVENTWIRE_REVIEWERS", bad)
        with pytest.raises(ConfigError):
            load_settings()


def test_a_rejected_event_is_still_found_by_its_id(rclient):
    ev = _spain(rclient)
    r = rclient.post(f"/api/events/{ev['id']}/review", json={"action": "reject"}, headers=auth(ALICE))
    assert r.json()["event"]["review"]["status"] == "rejected"
    assert rclient.get(f"/api/events/{ev['id']}").json()["review"]["status"] == "rejected"
