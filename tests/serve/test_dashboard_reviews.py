"""GET /api/dashboard's top actors after a review edits an event's actors (the store side, on
both backends: tests/store/test_dashboard_reviews.py)."""

from __future__ import annotations


def test_dashboard_endpoint_shows_the_reviewed_actors(tmp_path, make_client):
    from eventwire.store import Store
    from tests.serve.sample import fill

    s = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    fill(s)
    c = make_client(s, min_confidence=0, reviewers={"alice": "alice-token-0001"})
    ev = next(e for e in c.get("/api/events").json()["items"] if e["type"] == "REJECT")
    r = c.post(f"/api/events/{ev['id']}/review", json={"action": "edit", "fields": {"actors": [{"text": "Students"}]}},
               headers={"authorization": "Bearer alice-token-0001"})
    assert r.status_code == 200, r.text
    top = {a["name"]: a["events"] for a in c.get("/api/dashboard").json()["top_actors"]}
    assert top.get("Students") == 1 and "Spain" not in top
    s.close()
