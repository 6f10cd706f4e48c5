"""The smaller holes of issue 13, item 7, on SQLite and PostgreSQL: NUL bytes in query and path
parameters (500 on PostgreSQL), the Host header (DNS rebinding), a token in the query string (the
access log), the body parsed before the token is checked, impossible dates."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from tests.serve.test_api import assert_error


def _get_operations(app: Any) -> list[tuple[str, list[str]]]:
    """Every GET path of the API with its string query parameters."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        if "get" not in ops:
            continue
        names = [p["name"] for p in ops["get"].get("parameters", []) if p["in"] == "query"
                 and "string" in str(p.get("schema"))]
        out.append((path, names))
    return out


def test_nul_in_any_parameter_is_a_4xx_not_500(store: Any, make_client: Any) -> None:
    c = make_client(store, raise_server_exceptions=False, min_confidence=0)
    ops = _get_operations(c.app)
    assert len(ops) >= 10
    tried = 0
    for path, names in ops:
        url = re.sub(r"\{[a-z_]+(:path)?\}", "a%00b", path)
        for name in names or [None]:
            params = {name: "x\x00y"} if name else {}
            r = c.get(url, params=params)
            tried += 1
            assert r.status_code < 500, (path, name, r.status_code, r.text[:300])
            if name or "%00" in url:
                assert_error(r, 422, "validation")
    assert tried >= 30


def test_host_header_allow_list(store: Any, make_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_ALLOWED_HOSTS", raising=False)
    c = make_client(store)
    for host in ("evil.example", "localhost.evil.example", "127.0.0.1.nip.io:8000", ""):
        err = assert_error(c.get("/api/health", headers={"host": host}), 400, "bad_host")
        assert "allowed_hosts" in err["message"]
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
        assert c.get("/api/health", headers={"host": host}).status_code == 200, host
    # Configured hosts (a leading dot: the domain and its subdomains), and the UI page too.
    c = make_client(store, allowed_hosts="news.example.org, .corp.example")
    assert c.get("/api/health", headers={"host": "news.example.org"}).status_code == 200
    assert c.get("/api/health", headers={"host": "a.corp.example:443"}).status_code == 200
    assert c.get("/api/health", headers={"host": "corp.example"}).status_code == 200
    assert_error(c.get("/api/health", headers={"host": "localhost"}), 400, "bad_host")
    assert_error(c.get("/", headers={"host": "evil.example"}), 400, "bad_host")
    assert make_client(store, allowed_hosts="*").get("/api/health", headers={"host": "x.y"}).status_code == 200


def test_token_is_checked_before_the_body_is_read(store: Any, make_client: Any) -> None:
    c = make_client(store, token="s3cret", max_request_bytes=1000)
    # A body that is not JSON, and one over the size limit: without the token, 401 either way
    # (not 422 / 413, which would mean the body was read and parsed first).
    assert_error(c.post("/api/ingest", content=b"{not json", headers={"content-type": "application/json"}),
                 401, "unauthorized")
    assert_error(c.post("/api/ingest", content=b"x" * 5000, headers={"content-type": "application/json"}),
                 401, "unauthorized")
    assert_error(c.post("/api/ingest", content=b"{not json",
                        headers={"content-type": "application/json", "authorization": "Bearer wrong"}),
                 401, "unauthorized")
    off = make_client(store)
    assert_error(off.post("/api/ingest", content=b"{not json", headers={"content-type": "application/json"}),
                 403, "writes_disabled")
    # With the token the body is read as before.
    assert_error(c.post("/api/ingest", content=b"{not json",
                        headers={"content-type": "application/json", "authorization": "Bearer s3cret"}),
                 422, "validation")


def test_impossible_dates_are_rejected_with_a_reason(store: Any, make_client: Any) -> None:
    c = make_client(store, token="s3cret", min_confidence=0)
    h = {"authorization": "Bearer s3cret"}
    for bad in ("9999-99-99", "2024-02-30", "2024-13"):
        err = assert_error(c.post("/api/ingest", json={"text": "Troops withdrew.", "published_at": bad}, headers=h),
                           422, "validation")
        assert "published_at" in str(err) and bad in str(err)
        err = assert_error(c.get("/api/events", params={"date_from": bad}), 422, "validation")
        assert "date_from" in str(err)
    assert c.get("/api/events", params={"date_from": "2024-02-29", "date_to": "2024"}).status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_token_in_the_query_string_is_not_logged(tmp_path: Any) -> None:
    port = _free_port()
    env = {**os.environ, "EVENTWIRE_TOKEN": "tok-SECRET-42", "EVENTWIRE_REVIEWERS": "alice=rev-SECRET-77",
           "EVENTWIRE_PORT": str(port),
           "EVENTWIRE_DB": f"sqlite:///{tmp_path / 'log.db'}"}
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "serve"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for q in ("token=tok-SECRET-42", "access_token=tok-SECRET-42&limit=5", "q=tok-SECRET-42",
                  "api_key=other-SECRET&x=1", "q=rev-SECRET-77"):  # a reviewer's token too
            assert httpx.get(f"{base}/api/events?{q}", timeout=10).status_code < 500
        r = httpx.post(f"{base}/api/ingest?token=tok-SECRET-42", json={"text": "x"}, timeout=10)
        assert r.status_code == 401  # the token is taken from the Authorization header only
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "GET /api/events?" in out, out[-2000:]  # the access log is on, the requests are in it
    assert "SECRET" not in out, out[-2000:]
    assert "limit=5" in out and "x=1" in out  # only the secrets are redacted
