"""The HTTP API over a real store, on SQLite and on PostgreSQL (``store_url`` is parametrised)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.serve.polling import report
from tests.serve.sample import XSS_MARK, spain


def items(resp: Any) -> list[dict[str, Any]]:
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]  # type: ignore[no-any-return]


def types(resp: Any) -> list[str]:
    return sorted(e["type"] for e in items(resp))


def assert_error(resp: Any, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert err["code"] == code
    assert isinstance(err["message"], str) and err["message"]
    assert set(err) <= {"code", "message", "detail"}
    return err  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------ events
def test_events_list_and_pagination(client: Any) -> None:
    r = client.get("/api/events")
    body = r.json()
    assert body["total"] == 5 and len(body["items"]) == 5
    dates = [(e["date"] or {}).get("date_start") for e in body["items"]]
    # default sort: newest first, undated after; the future THREATEN (issue 14.5) after all current
    assert body["items"][-1]["flags"]["future"] and not any(e["flags"]["future"] for e in body["items"][:-1])
    assert dates[-2] is None  # undated last among the current events
    assert dates[:-2] == sorted(dates[:-2], reverse=True)
    first = body["items"][0]
    assert first["type"] == "REJECT" and first["article"]["title"].startswith("Spain cancels")
    assert first["summary"].startswith("Spain has called off")

    page1 = items(client.get("/api/events", params={"limit": 2, "sort": "date"}))
    page2 = items(client.get("/api/events", params={"limit": 2, "offset": 2, "sort": "date"}))
    got = [(e["date"] or {}).get("date_start") for e in page1 + page2]
    assert got == sorted(d for d in dates if d and d != dates[-1]) + [None]  # undated last too
    assert not {e["id"] for e in page1} & {e["id"] for e in page2}
    conf = [e["confidence"] for e in items(client.get("/api/events", params={"sort": "-confidence"}))]
    assert conf == sorted(conf, reverse=True)


FILTER_CASES = [
    ({"type": "ASSAULT"}, ["ASSAULT"]),
    ({"type": "assault,protest"}, ["ASSAULT", "PROTEST"]),
    ({"acled_type": "Protests"}, ["PROTEST"]),
    ({"actor": "pap_tecnos"}, ["REJECT"]),  # entity id, as recipient
    ({"actor": "kataib"}, ["MOBILIZE"]),  # text substring, case-insensitive
    ({"country": "UKR"}, ["ASSAULT", "THREATEN"]),
    ({"country": "syr,esp"}, ["MOBILIZE", "REJECT"]),
    ({"bbox": "-10,35,5,44"}, ["REJECT"]),  # Iberia
    ({"date_from": "2025-07-01", "date_to": "2025-07-31"}, ["ASSAULT", "THREATEN"]),
    ({"date_to": "2025-06"}, ["MOBILIZE"]),
    ({"certainty": "reported"}, ["MOBILIZE", "REJECT"]),
    ({"future": "true"}, ["THREATEN"]),
    ({"future": "false", "country": "UKR"}, ["ASSAULT"]),
    ({"q": "missiles"}, ["REJECT"]),
    ({"q": "drones energy"}, ["ASSAULT", "THREATEN"]),
    ({"type": "ASSAULT", "country": "ESP"}, []),
]


def test_event_filters(client: Any) -> None:
    # One store per backend for all cases (setting a store up dominates the run time).
    for params, expected in FILTER_CASES:
        r = client.get("/api/events", params=params)
        assert (params, types(r)) == (params, expected)
        assert r.json()["total"] == len(expected)


def test_event_by_id_and_missing(client: Any) -> None:
    ev = spain().events[0]
    got = client.get(f"/api/events/{ev.id}").json()
    assert got["id"] == ev.id and got["procurement"]["status"] == "cancelled"
    assert_error(client.get("/api/events/doesnotexist"), 404, "not_found")


def test_events_csv(client: Any) -> None:
    r = client.get("/api/events", params={"format": "csv", "sort": "date"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 5
    spain_row = next(x for x in rows if x["type"] == "REJECT")
    assert spain_row["location"] == "Madrid" and spain_row["recipient_ids"] == "pap_tecnos"
    assert spain_row["certainty"] == "reported"
    ukr = next(x for x in rows if x["type"] == "ASSAULT")
    assert ukr["dead"] == "3"
    # Untrusted text that looks like markup passes through verbatim (CSV is not HTML) …
    hostile = next(x for x in rows if x["type"] == "PROTEST")
    assert hostile["actors"].startswith("<img")
    # … and the Accept header picks the format too.
    r2 = client.get("/api/events", headers={"accept": "text/csv"}, params={"type": "ASSAULT"})
    assert r2.headers["content-type"].startswith("text/csv") and len(r2.text.strip().splitlines()) == 2


def test_csv_neutralises_formulas(store: Any, make_client: Any) -> None:
    import dataclasses

    from eventwire.records import EventActor

    r = spain()
    art = dataclasses.replace(r.article, id="formula-article")
    ev = dataclasses.replace(r.events[0], id="formula-event", article_id=art.id,
                             actors=(EventActor('=HYPERLINK("http://evil.example","x")'),))
    store.upsert(dataclasses.replace(r, article=art, events=(ev,)))
    c = make_client(store)
    rows = list(csv.DictReader(io.StringIO(c.get("/api/events", params={"format": "csv", "article_id": art.id}).text)))
    assert rows[0]["actors"].startswith("'=HYPERLINK")


def test_events_geojson(client: Any) -> None:
    r = client.get("/api/events", params={"format": "geojson", "country": "UKR"})
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 2
    f = fc["features"][0]
    assert f["geometry"]["type"] == "Point"
    lon, lat = f["geometry"]["coordinates"]
    assert abs(lat - 49.99) < 0.01 and abs(lon - 36.23) < 0.01
    assert f["properties"]["location"] == "Kharkiv"
    r2 = client.get("/api/events", headers={"accept": "application/geo+json"}, params={"limit": 1})
    assert len(r2.json()["features"]) == 1


# ------------------------------------------------------------------------------------ stats
def test_stats(client: Any) -> None:
    s = client.get("/api/stats").json()
    assert s["total"] == 5 and s["articles"] == 4
    assert s["by_type"]["ASSAULT"] == 1 and s["by_country"]["UKR"] == 2
    # the future THREATEN ("further strikes could follow next week") is off the timeline (14.5)
    assert s["by_month"] == {"2025-06": 1, "2025-07": 1, "2025-09": 1}
    assert sum(p["n"] for p in s["timeline"]) == 3 and s["undated"] == 1 and s["off_timeline"] == 1
    weeks = client.get("/api/stats", params={"bucket": "week"}).json()["timeline"]
    assert all(__import__("datetime").date.fromisoformat(p["t"]).weekday() == 0 for p in weeks)
    months = client.get("/api/stats", params={"bucket": "month", "country": "UKR"}).json()
    assert months["timeline"] == [{"t": "2025-07-01", "n": 1}] and months["total"] == 2
    assert months["off_timeline"] == 1
    future = client.get("/api/stats", params={"bucket": "month", "future": "true"}).json()
    assert future["timeline"] == [{"t": "2025-07-01", "n": 1}] and future["off_timeline"] == 0


# ------------------------------------------------------------------------------------ articles
def test_article_detail_with_evidence(client: Any) -> None:
    r = spain()
    art = client.get(f"/api/articles/{r.article.id}").json()
    assert art["title"] == r.article.title and art["body"] == r.article.body
    assert art["captions"][0]["credit"] == "Photo: Agency"
    assert [p["name"] for p in art["places"]] == ["Madrid"]
    [ev] = art["events"]
    spans = {}
    for e in ev["evidence"]:
        where = e.get("where", "body")
        text = {"body": art["body"], "title": art["title"]}.get(where) or art["captions"][int(where.split(":")[1])]["text"]
        spans.setdefault(e["field"], []).append(text[e["start"]:e["end"]])
    assert spans["actor"] == ["Spain"] and spans["recipient"] == ["Pap Tecnos"]
    assert spans["place"] == ["Madrid", "Madrid"] and spans["date"] == ["Tuesday"]
    assert spans["quantity"] == ["168", "285 million euros"]
    assert "cancels" in spans["trigger"]
    # An id prefix is accepted, as in the CLI.
    assert client.get(f"/api/articles/{r.article.id[:8]}").json()["id"] == r.article.id


def test_articles_and_search(client: Any) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == 4 and len(body["items"]) == 4
    assert {a["events"] for a in body["items"]} == {1, 2}
    hits = client.get("/api/search", params={"q": "recruitment Aleppo"}).json()["items"]
    assert [h["title"] for h in hits] == ["Militia opens recruitment office in Aleppo"]
    assert client.get("/api/search", params={"q": "zzzzunlikely"}).json()["items"] == []
    # Query syntax characters are plain text, never an FTS error.
    assert client.get("/api/search", params={"q": '"unbalanced OR (NEAR'}).status_code == 200
    assert [a["title"] for a in items(client.get("/api/articles", params={"q": "Kharkiv"}))] == [
        "Drone strike on Kharkiv energy site kills three"]


# ------------------------------------------------------------------------------------ actors
def test_actors(client: Any) -> None:
    body = client.get("/api/actors").json()
    assert body["total"] == 6
    by_id = {a["id"]: a for a in body["items"]}
    assert by_id["pap_tecnos"]["events"] == 1 and by_id["rafael"]["events"] == 0
    assert body["items"][0]["events"] >= body["items"][-1]["events"]
    assert "drones" in {u["text"] for u in body["unresolved"]}
    assert [a["id"] for a in client.get("/api/actors", params={"q": "imam ali brigades"}).json()["items"]] == ["kataib_imam_ali"]
    assert {a["id"] for a in client.get("/api/actors", params={"kind": "company"}).json()["items"]} == {"rafael", "pap_tecnos"}


def test_actor_detail_relations_both_ways(client: Any) -> None:
    pap = client.get("/api/actors/pap_tecnos").json()
    assert pap["kind"] == "company" and pap["aliases"] == ["PAP Tecnos"]
    [rel] = pap["relations"]
    assert rel["type"] == "subsidiary_of" and rel["direction"] == "out"
    assert rel["entity"]["name"] == "Rafael Advanced Defense Systems" and rel["entity"]["country"] == "ISR"
    assert [e["type"] for e in pap["recent_events"]] == ["REJECT"]

    rafael = client.get("/api/actors/rafael").json()
    [inc] = rafael["relations"]
    assert inc["direction"] == "in" and inc["entity"]["id"] == "pap_tecnos" and inc["entity"]["events"] == 1
    assert [e["type"] for e in rafael["related_events"]["pap_tecnos"]] == ["REJECT"]

    iran = client.get("/api/actors/IRN").json()
    assert [(r["type"], r["entity"]["id"]) for r in iran["relations"]] == [("backed_by", "kataib_imam_ali")]
    assert_error(client.get("/api/actors/nobody"), 404, "not_found")


# ------------------------------------------------------------------------------------ meta
def test_health_and_config(client: Any, store: Any) -> None:
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["articles"] == 4 and h["events"] == 5
    assert h["store"] == store.dialect
    cfg = client.get("/api/config").json()
    assert cfg["tile_url"] is None and cfg["writes"] is False


# ------------------------------------------------------------------------------------ errors
def test_one_error_shape(client: Any) -> None:
    assert_error(client.get("/api/nothing-here"), 404, "http_404")
    assert_error(client.get("/api/articles/ffffffffffffffff"), 404, "not_found")
    assert_error(client.get("/api/articles/bad id!"), 404, "not_found")
    err = assert_error(client.get("/api/events", params={"limit": 0}), 422, "validation")
    assert err["detail"][0]["loc"] == ["query", "limit"]
    assert_error(client.get("/api/events", params={"date_from": "last tuesday"}), 422, "validation")
    assert_error(client.get("/api/events", params={"sort": "evil; DROP TABLE events"}), 422, "validation")
    assert_error(client.get("/api/events", params={"bbox": "1,2,3"}), 422, "validation")
    assert_error(client.get("/api/events", params={"bbox": "10,0,5,1"}), 422, "validation")
    assert_error(client.get("/api/events", params={"format": "xml"}), 422, "validation")
    assert_error(client.get("/api/search"), 422, "validation")
    assert_error(client.delete("/api/events"), 405, "http_405")


def test_library_errors_and_crashes_use_the_shape(store: Any, make_client: Any) -> None:
    from eventwire.errors import InputError, StoreError

    c = make_client(store, raise_server_exceptions=False)
    app = c.app

    @app.get("/api/_test/input")
    def _input() -> None:
        raise InputError("upload.txt", "not UTF-8 at byte 3", line=2)

    @app.get("/api/_test/store")
    def _store() -> None:
        raise StoreError("cannot reach the database; check EVENTWIRE_DB")

    @app.get("/api/_test/crash")
    def _crash() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    err = assert_error(c.get("/api/_test/input"), 400, "bad_input")
    assert err["message"] == "upload.txt:2: not UTF-8 at byte 3"
    assert_error(c.get("/api/_test/store"), 503, "store")
    err = assert_error(c.get("/api/_test/crash"), 500, "internal")
    assert "secret" not in err["message"]


def test_sql_injection_is_inert(client: Any) -> None:
    for value in ["' OR 1=1 --", "x'); DROP TABLE events; --", "%", "_"]:
        r = client.get("/api/events", params={"actor": value})
        assert r.status_code == 200
        # A country names one of the KB's countries or is refused (issue 15.4), never reaches SQL.
        assert client.get("/api/events", params={"country": value[:3]}).status_code == 422
    assert client.get("/api/health").json()["events"] == 5


# ------------------------------------------------------------------------------------ security
def test_security_headers(client: Any, store: Any, make_client: Any) -> None:
    for path in ("/api/health", "/api/nothing", "/"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "tile" not in client.get("/").headers["content-security-policy"]
    c2 = make_client(store, tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tiles.example.org" in c2.get("/").headers["content-security-policy"]
    assert c2.get("/api/config").json()["tile_url"].startswith("https://{s}.tiles.example.org")
    assert client.get("/api/health").headers["x-content-type-options"] == "nosniff"


def test_request_size_limit(store: Any, make_client: Any) -> None:
    c = make_client(store, token="s3cret", max_request_bytes=1000)
    err = assert_error(c.post("/api/ingest", content=b"x" * 5000,
                              headers={"authorization": "Bearer s3cret", "content-type": "application/json"}),
                       413, "too_large")
    assert "1000" in err["message"]

    def chunks():  # no Content-Length: the limit still holds while reading
        for _ in range(10):
            yield b"y" * 400

    assert_error(c.post("/api/ingest", content=chunks(), headers={"authorization": "Bearer s3cret"}), 413, "too_large")


# ------------------------------------------------------------------------------------ ingest
def test_ingest_is_off_without_token(client: Any) -> None:
    err = assert_error(client.post("/api/ingest", json={"text": "Hello"}), 403, "writes_disabled")
    assert "EVENTWIRE_TOKEN" in err["message"]


def test_ingest_needs_the_token(store: Any, make_client: Any) -> None:
    c = make_client(store, token="s3cret")
    assert c.get("/api/config").json()["writes"] is True
    r = c.post("/api/ingest", json={"text": "Hello"})
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(c.post("/api/ingest", json={"text": "Hello"}, headers={"authorization": "Bearer wrong"}), 401, "unauthorized")
    assert_error(c.post("/api/ingest", json={"text": "a", "html": "<p>b</p>"}, headers={"authorization": "Bearer s3cret"}),
                 422, "validation")
    assert_error(c.post("/api/ingest", json={"url": "file:///etc/passwd"}, headers={"authorization": "Bearer s3cret"}),
                 422, "validation")


def test_ingest_stores_through_the_pipeline(store: Any, make_client: Any, tmp_path: Any) -> None:
    from eventwire.config import load_settings
    from eventwire.pipeline import Pipeline

    # The clean stage only: this test is about the endpoint (auth, raw documents, upsert,
    # rejections); the nlp/geo/events stages have their own tests.
    pipeline = Pipeline(load_settings(db=store.url), stages=("clean",))
    c = make_client(store, token="s3cret", _services={"pipeline": pipeline})
    auth = {"authorization": "Bearer s3cret"}
    text = ("Port authorities closed the harbour of Valletta after a fuel tanker ran aground on "
            "Sunday morning, officials said.\n\nSalvage teams were expected to arrive within two days.")
    rep = report(c.get, c.post("/api/ingest", json={"text": text, "title": "Harbour closed after tanker runs aground",
                                                    "source": "api-test"}, headers=auth))
    assert (rep["documents"], rep["articles"], rep["new"], rep["rejected"]) == (1, 1, 1, [])
    [new_id] = rep["new_ids"]
    art = c.get(f"/api/articles/{new_id}").json()
    assert "Valletta" in art["body"] and art["title"] == "Harbour closed after tanker runs aground"
    again = report(c.get, c.post("/api/ingest", json={"text": text, "source": "api-test"}, headers=auth))
    assert (again["new"], again["already_stored"]) == (0, 1)  # idempotent
    # A raw dump goes through splitting; one with no article in it is a rejection, not an error.
    junk = report(c.get, c.post("/api/ingest", json={"text": "TT\n20\nMenu", "dump": True}, headers=auth))
    assert junk["articles"] == 0 and junk["rejected"][0]["stage"] == "clean"

    lines = "\n".join([
        json.dumps({"text": "A second report about shipping in the Mediterranean, filed on Monday.", "title": "Shipping"}),
        "not json",
        json.dumps({"title": "no text"}),
    ])
    body = report(c.get, c.post("/api/ingest", json={"jsonl": lines}, headers=auth))
    assert body["new"] == 1
    assert sorted(x["line"] for x in body["rejected"]) == [2, 3]
    assert c.get("/api/health").json()["articles"] == 6


# ------------------------------------------------------------------------------------ pages
def test_ui_pages(client: Any, store: Any, make_client: Any, tmp_path: Any) -> None:
    from eventwire.serve.app import DIST

    r = client.get("/")
    if (DIST / "index.html").is_file():
        assert r.status_code == 200 and '<div id="app"' in r.text
        assert "<script>" not in r.text  # no inline script: CSP allows none
        assert client.get("/docs").status_code == 200
    # Without a built bundle the page says how to build it, and the API still answers.
    from fastapi.testclient import TestClient

    from eventwire.config import load_settings
    from eventwire.serve import create_app

    bare = TestClient(create_app(load_settings(db=store.url), store=store, dist=tmp_path / "nodist"))
    page = bare.get("/")
    assert page.status_code == 503 and "npm ci && npm run build" in page.text
    assert "npm run build" in bare.get("/docs").text
    assert bare.get("/api/health").status_code == 200
    assert bare.get("/openapi.json").json()["info"]["title"] == "eventwire"


def test_hostile_article_is_data(client: Any) -> None:
    """The API returns hostile text as JSON strings; escaping is the UI's job (test_browser)."""
    hits = items(client.get("/api/events", params={"type": "PROTEST"}))
    assert XSS_MARK in hits[0]["actors"][0]["text"]
    assert client.get("/api/events").headers["content-type"] == "application/json"


def test_map_points(client: Any) -> None:
    fc = client.get("/api/map").json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 5
    by_type = {f["properties"]["type"]: f for f in fc["features"]}
    madrid = by_type["REJECT"]
    assert madrid["geometry"]["coordinates"] == [-3.7038, 40.4168]
    assert madrid["properties"]["location"] == "Madrid" and madrid["properties"]["article_title"].startswith("Spain")
    assert [f["properties"]["type"] for f in client.get("/api/map", params={"country": "UKR", "limit": 1}).json()["features"]] == ["THREATEN"]  # newest


# ------------------------------------------------------------------------------------ confidence floor
def test_min_confidence_parameter(client: Any) -> None:
    """The sample's confidences: REJECT 0.9, ASSAULT 0.85, MOBILIZE 0.8, PROTEST 0.6, THREATEN 0.4."""
    assert types(client.get("/api/events", params={"min_confidence": 0.7})) == ["ASSAULT", "MOBILIZE", "REJECT"]
    body = client.get("/api/events", params={"min_confidence": "0.85"}).json()
    assert body["total"] == 2 and body["min_confidence"] == 0.85 and body["below_confidence"] == 3
    assert client.get("/api/events", params={"min_confidence": 0}).json()["total"] == 5
    assert client.get("/api/events").json()["below_confidence"] == 0  # this client's setting is 0
    # Every endpoint that takes the filter: stats, map, CSV export.
    assert client.get("/api/stats", params={"min_confidence": 0.7}).json()["total"] == 3
    assert len(client.get("/api/map", params={"min_confidence": 0.7}).json()["features"]) == 3
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events", params={"format": "csv", "min_confidence": 0.7}).text)))
    assert len(rows) == 3
    for bad in ("2", "-0.1", "1.01", "high"):
        err = assert_error(client.get("/api/events", params={"min_confidence": bad}), 422, "validation")
        assert "min_confidence" in json.dumps(err)
    assert_error(client.get("/api/stats", params={"min_confidence": 2}), 422, "validation")
    assert_error(client.get("/api/map", params={"min_confidence": 2}), 422, "validation")


def test_min_confidence_defaults_to_the_setting(store: Any, make_client: Any) -> None:
    from fastapi.testclient import TestClient

    from eventwire.config import Settings, load_settings
    from eventwire.serve import create_app

    default = Settings.model_fields["min_confidence"].default
    with TestClient(create_app(load_settings(db=store.url), store=store)) as plain:
        assert plain.get("/api/config").json()["min_confidence"] == default
        body = plain.get("/api/events").json()
        assert body["min_confidence"] == default
        assert body["total"] == 4 and body["below_confidence"] == 1  # THREATEN (0.4) hidden
        assert "THREATEN" not in plain.get("/api/stats").json()["by_type"]
        assert plain.get("/api/events", params={"min_confidence": 0}).json()["total"] == 5  # 0 shows all
    strict = make_client(store, min_confidence=0.85)
    assert strict.get("/api/config").json()["min_confidence"] == 0.85
    assert types(strict.get("/api/events")) == ["ASSAULT", "REJECT"]
    assert strict.get("/api/stats").json()["total"] == 2
    assert types(strict.get("/api/events", params={"min_confidence": 0.5})) == ["ASSAULT", "MOBILIZE", "PROTEST", "REJECT"]


def test_min_confidence_is_documented_in_openapi(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/stats", "/api/map"):
        (param,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "min_confidence"]
        assert "setting" in param["description"] and "0 shows all" in param["description"]
    assert "min_confidence" in spec["info"]["description"]
