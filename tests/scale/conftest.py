"""A local HTTP server (never the internet) serving fixture feeds and pages for fetch tests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PAGE = (
    "<!doctype html><html><head><title>Drone strike hits depot</title></head><body>"
    "<article><h1>Drone strike hits depot</h1><p>A drone struck an ammunition depot near the "
    "border on Tuesday, officials said.</p><p>No casualties were reported.</p></article>"
    "</body></html>"
)
ETAG = '"v1"'
LAST_MODIFIED = "Tue, 03 Mar 2026 10:00:00 GMT"


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fixture Defence News</title><link>{base}/</link>
<description>test feed</description>
<item><title>Drone strike hits depot</title><link>{base}/a1.html</link>
<pubDate>Tue, 03 Mar 2026 09:30:00 +0100</pubDate><author>desk@example.org</author></item>
<item><title>Talks resume</title><link>{base}/a2.html</link>
<pubDate>Wed, 04 Mar 2026 12:00:00 GMT</pubDate></item>
<item><title>Inline only</title><description>&lt;p&gt;Troops withdrew from the town.&lt;/p&gt;</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    user_agents: list = []

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
              headers: dict | None = None) -> None:
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path
        Handler.hits[path] += 1
        Handler.user_agents.append(self.headers.get("User-Agent"))
        base = f"http://{self.headers['Host']}"
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path in ("/page.html", "/a1.html", "/a2.html", "/private/secret.html"):
            if self.headers.get("If-None-Match") == ETAG:
                self._send(304, headers={"ETag": ETAG})
                return
            body = PAGE.replace("Drone strike", "Talks resume" if path == "/a2.html" else "Drone strike")
            self._send(200, body.encode(), headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
        elif path == "/feed.xml":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self._send(304)
                return
            self._send(200, rss(base).encode(), "application/rss+xml",
                       headers={"Last-Modified": LAST_MODIFIED})
        elif path == "/slow.html":
            time.sleep(1.5)
            self._send(200, PAGE.encode())
        elif path == "/missing.html":
            self._send(404, b"not found", "text/plain")
        elif path == "/broken.html":
            self._send(500, b"oops", "text/plain")
        elif path == "/flaky.html":
            if Handler.hits[path] == 1:
                self._send(503, b"busy", "text/plain")
            else:
                self._send(200, PAGE.encode())
        elif path in ("/loop", "/loop2"):
            self._send(302, b"", headers={"Location": "/loop2" if path == "/loop" else "/loop"})
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4 fake", "application/pdf")
        elif path == "/garbage.xml":
            self._send(200, b"\x00\x01 this is not a feed", "application/rss+xml")
        else:
            self._send(404, b"no route", "text/plain")


@contextlib.contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve ``handler`` on 127.0.0.1 in a thread; yields the port; stops on exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def server():
    Handler.hits.clear()
    Handler.user_agents.clear()
    with loopback_server(Handler) as port:
        yield f"http://127.0.0.1:{port}", Handler


@pytest.fixture()
def fetch_settings(tmp_path):
    from eventwire.config import load_settings

    # Short timeout so the slow-server test takes ~1.5 s; no host delay (one local host). The
    # fixture server is on loopback, which fetches refuse unless fetch_allow names it
    # (tests/scale/test_ssrf.py proves the default refuses).
    return load_settings(db=f"sqlite:///{tmp_path / 'store.db'}", fetch_timeout=0.5, host_delay=0,
                         fetch_allow=("127.0.0.1",))


@pytest.fixture()
def fetcher(fetch_settings):
    from eventwire.ingest.web import Fetcher

    f = Fetcher(fetch_settings, retries=2, backoff=0.01)
    yield f
    f.close()
