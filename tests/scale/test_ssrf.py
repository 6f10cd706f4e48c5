"""SSRF: by default a fetch reaches public addresses only (issue 13, item 1).

Every test serves from a loopback server started here; the default settings must refuse it in
every spelling, on every redirect hop and for every feed item, and ``fetch_allow`` must open
exactly what it names. Nothing here touches a non-loopback address: refused hosts are refused
before any connection, and resolution is faked where a public address is needed.
"""

from __future__ import annotations

import socket
import time

import pytest

from eventwire.config import load_settings
from eventwire.errors import FetchError
from eventwire.ingest.feeds import read_feed
from eventwire.ingest.guard import AddressGuard, Refused
from eventwire.ingest.web import Fetcher, ValidatorCache, read_url
from eventwire.records import RawDocument, Rejection
from tests.scale.conftest import Handler, loopback_server
from tests.serve.polling import report


class SsrfHandler(Handler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        port = self.server.server_address[1]
        if self.path.startswith("/to-loopback"):
            Handler.hits[self.path] += 1
            self._send(302, b"", headers={"Location": f"http://127.0.0.1:{port}/page.html"})
        elif self.path == "/to-pg":
            Handler.hits[self.path] += 1
            self._send(302, b"", headers={"Location": "http://127.0.0.1:5432/"})
        elif self.path == "/loopback-feed.xml":
            Handler.hits[self.path] += 1
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    f"<item><title>a</title><link>http://127.0.0.1:{port}/a1.html</link></item>"
                    f"<item><title>b</title><link>http://169.254.169.254/latest/meta-data/</link></item>"
                    f"</channel></rss>")
            self._send(200, body.encode(), "application/rss+xml")
        elif self.path == "/drip.html":
            Handler.hits[self.path] += 1
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            try:
                for _ in range(40):  # 40 × 0.1 s: far longer than the 0.5 s fetch_timeout
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif self.path == "/drip-headers.html":
            Handler.hits[self.path] += 1
            head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"p" * 40
                    + b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            try:
                for byte in head:  # ~90 bytes × 0.1 s; each read waits far less than fetch_timeout
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            self.close_connection = True
        else:
            super().do_GET()


@pytest.fixture()
def loopback():
    Handler.hits.clear()
    with loopback_server(SsrfHandler) as port:
        yield port, Handler.hits


def _settings(tmp_path, **kw):
    return load_settings(db=f"sqlite:///{tmp_path / 's.db'}", fetch_timeout=0.5, host_delay=0, **kw)


def _fetcher(settings):
    return Fetcher(settings, cache=ValidatorCache(None), retries=0, backoff=0)


@pytest.mark.parametrize("spelling", [
    "127.0.0.1:{port}", "localhost:{port}", "127.1:{port}", "2130706433:{port}", "0.0.0.0:{port}",
    "0x7f.0.0.1:{port}", "[::ffff:127.0.0.1]:{port}",
])
def test_default_refuses_loopback_in_every_spelling(tmp_path, loopback, spelling):
    port, hits = loopback
    s = _settings(tmp_path)
    url = f"http://{spelling.format(port=port)}/page.html"
    (rej,) = read_url(url, s, fetcher=_fetcher(s))
    assert isinstance(rej, Rejection) and "refusing to fetch" in rej.reason and "fetch_allow" in rej.reason
    assert sum(hits.values()) == 0  # not even robots.txt was asked


@pytest.mark.parametrize("host", ["169.254.169.254", "10.0.0.1", "192.168.1.1", "100.100.100.200",
                                  "224.0.0.1", "[fd00:ec2::254]", "[fe80::1]", "240.0.0.1"])
def test_default_refuses_metadata_private_and_reserved(tmp_path, host):
    s = _settings(tmp_path)
    f = _fetcher(s)
    t0 = time.monotonic()
    with pytest.raises(FetchError, match="refusing to fetch"):
        f.fetch(f"http://{host}/latest/meta-data/")
    assert time.monotonic() - t0 < 0.4  # refused before any connection attempt


def test_redirect_hops_are_checked(tmp_path, loopback):
    port, hits = loopback
    # The host *name* localhost is allowed; the address 127.0.0.1 it redirects to is not.
    s = _settings(tmp_path, fetch_allow=("localhost",))
    f = _fetcher(s)
    with pytest.raises(FetchError, match=r"refusing to fetch 127\.0\.0\.1"):
        f.fetch(f"http://localhost:{port}/to-loopback")
    assert hits["/to-loopback"] == 1 and hits["/page.html"] == 0
    # A redirect towards a local service (PostgreSQL) is refused the same way, never probed.
    with pytest.raises(FetchError, match="refusing to fetch"):
        f.fetch(f"http://localhost:{port}/to-pg")


def test_allowed_redirect_is_followed_and_robots_asked_per_host(tmp_path, loopback):
    port, hits = loopback
    s = _settings(tmp_path, fetch_allow=("localhost", "127.0.0.0/8"))
    (doc,) = read_url(f"http://localhost:{port}/to-loopback", s, fetcher=_fetcher(s))
    assert isinstance(doc, RawDocument) and doc.url == f"http://127.0.0.1:{port}/page.html"
    assert hits["/robots.txt"] == 2  # localhost:port and 127.0.0.1:port are two hosts


def test_feed_items_are_checked(tmp_path, loopback):
    port, hits = loopback
    s = _settings(tmp_path, fetch_allow=("localhost",))
    items = list(read_feed(f"http://localhost:{port}/loopback-feed.xml", s, fetcher=_fetcher(s)))
    assert [type(i) for i in items] == [Rejection, Rejection]
    assert all("refusing to fetch" in i.reason for i in items)
    assert hits["/a1.html"] == 0


@pytest.mark.parametrize("honest_answers", [1, 2])  # 2: the switch comes at connect time
def test_dns_rebinding_cannot_switch_the_address(tmp_path, loopback, monkeypatch, honest_answers):
    """The name answers a public address for the first checks, then 127.0.0.1: whichever lookup
    the switch happens at (URL check, robots.txt check, the connection itself), the socket only
    ever goes to an address that passed the check."""
    port, hits = loopback
    real = socket.getaddrinfo
    calls = {"n": 0}

    def fake(host, *args, **kwargs):
        if host == "rebind.test":
            calls["n"] += 1
            # A public address that is never connected to (192.0.2.x would be refused as reserved).
            ip = "93.184.215.14" if calls["n"] <= honest_answers else "127.0.0.1"
            return real(ip, *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    s = _settings(tmp_path)
    with pytest.raises(FetchError, match="refusing to fetch"):
        _fetcher(s).fetch(f"http://rebind.test:{port}/page.html")
    assert sum(hits.values()) == 0


def test_fetch_allow_opens_exactly_what_it_names(tmp_path, loopback):
    port, _ = loopback
    for allow in (("127.0.0.1",), ("127.0.0.0/8",), ("localhost",)):
        s = _settings(tmp_path, fetch_allow=allow)
        host = "localhost" if allow == ("localhost",) else "127.0.0.1"
        (doc,) = read_url(f"http://{host}:{port}/page.html", s, fetcher=_fetcher(s))
        assert isinstance(doc, RawDocument), allow
    g = AddressGuard(("10.1.0.0/16", ".corp.example"))
    with pytest.raises(Refused):
        g.resolve("10.2.0.1", 80)
    assert g.resolve("10.1.2.3", 80) == ["10.1.2.3"]
    assert g.host_allowed("news.corp.example") and g.host_allowed("corp.example")
    assert not g.host_allowed("evilcorp.example")


def test_fetch_allow_from_environment_is_comma_separated(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_FETCH_ALLOW", "127.0.0.1, fd00::/8,intranet.example")
    assert load_settings().fetch_allow == ("127.0.0.1", "fd00::/8", "intranet.example")


def test_dripping_server_hits_the_total_deadline(tmp_path, loopback):
    port, _ = loopback
    s = _settings(tmp_path, fetch_allow=("127.0.0.1",))
    t0 = time.monotonic()
    (rej,) = read_url(f"http://127.0.0.1:{port}/drip.html", s, fetcher=_fetcher(s))
    took = time.monotonic() - t0
    assert isinstance(rej, Rejection) and "fetch_timeout" in rej.reason
    assert took < 1.5  # 0.5 s deadline (+ one read), not the 4 s the server would drip for


def test_server_dripping_its_headers_hits_the_total_deadline(tmp_path, loopback):
    # every byte comes well within the per-read timeout; only a deadline over the whole
    # response (status line and headers included) stops it
    port, _ = loopback
    s = _settings(tmp_path, fetch_allow=("127.0.0.1",))
    (rej,) = read_url(f"http://127.0.0.1:{port}/drip-headers.html", s, fetcher=_fetcher(s))
    assert isinstance(rej, Rejection) and "fetch_timeout" in rej.reason, rej


def test_api_ingest_refuses_loopback_url(tmp_path, loopback):
    from fastapi.testclient import TestClient

    from eventwire.serve import create_app
    from eventwire.store import Store

    port, hits = loopback
    store = Store(f"sqlite:///{tmp_path / 'api.db'}")
    s = load_settings(db=store.url, token="t0k", host_delay=0, cluster=False)
    with TestClient(create_app(s, store=store)) as c:
        body = report(c.get, c.post("/api/ingest", json={"url": f"http://127.0.0.1:{port}/page.html"},
                                    headers={"Authorization": "Bearer t0k"}))
    assert body["new"] == 0 and "refusing to fetch" in body["rejected"][0]["reason"]
    assert sum(hits.values()) == 0 and store.count("articles") == 0


def test_cli_url_feed_and_watch_refuse_loopback(tmp_path, loopback):
    from typer.testing import CliRunner

    from eventwire.cli import app

    port, hits = loopback
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"http://127.0.0.1:{port}/feed.xml\n")
    runner = CliRunner()
    for args in (["ingest", f"http://127.0.0.1:{port}/page.html"],
                 ["ingest", "--feed", f"http://127.0.0.1:{port}/feed.xml"],
                 ["watch", str(feeds), "--every", "1s", "--iterations", "1"]):
        r = runner.invoke(app, ["--db", db, *args], env={"EVENTWIRE_CLUSTER": "0", "EVENTWIRE_HOST_DELAY": "0"})
        assert "refusing to fetch" in r.output + (r.stderr if r.stderr_bytes else ""), (args, r.output)
    assert sum(hits.values()) == 0
