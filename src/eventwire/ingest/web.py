"""Fetching web pages politely: URL → :class:`RawDocument` (``kind="html"``) | :class:`Rejection`.

One :class:`Fetcher` per process holds what politeness needs across calls:

- a clear User-Agent (``settings.user_agent``) on every request, robots.txt included;
- robots.txt (``urllib.robotparser``) fetched once per host and cached; a disallowed URL is a
  rejection, never fetched. Following RFC 9309: 4xx robots.txt → everything allowed, 5xx or
  unreachable → everything disallowed (the site may be down; retry later);
- a per-host rate limit: at least ``settings.host_delay`` seconds (or the robots.txt
  ``Crawl-delay``, whichever is longer) between two requests to one host;
- timeouts (``settings.fetch_timeout``), retries with exponential backoff on timeouts,
  connection errors, 429 and 5xx (``Retry-After`` honoured up to a cap), then a rejection;
- bounded redirects (:data:`MAX_REDIRECTS`), followed here, not by httpx, so that every hop is
  checked like the first URL (address guard, robots.txt); a redirect loop is a rejection;
- public addresses only (:mod:`eventwire.ingest.guard`): loopback, private, link-local and
  metadata addresses are refused unless ``settings.fetch_allow`` names them, checked where the
  socket connects (no DNS rebinding between check and connect);
- a total deadline per try: the whole response must arrive within ``settings.fetch_timeout``
  (httpx's timeout is per read, so a server dripping a byte every few seconds would otherwise
  hold the fetch for ever);
- conditional requests: the ETag / Last-Modified of each fetched URL are kept in a small JSON
  state file beside the SQLite store (see :func:`state_path`), so a watch loop that asks again
  gets ``304 Not Modified`` and yields nothing new. Validators are saved only once the caller
  has taken the document (the generator resumed), so a crash before then refetches it.

httpx does the HTTP; this module only adds the policy no client library bundles.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import re
import threading
import time
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError, InputError
from ..records import RawDocument, Rejection
from .guard import DEADLINE, AddressGuard, GuardedBackend, Refused

# Ten hops is what browsers allow before "too many redirects" (Chrome/Firefox use 20, curl 50);
# news sites use 1-3 (http→https→www→canonical), so 10 only cuts real loops.
MAX_REDIRECTS = 10
# Two retries (three tries) with 1 s, 2 s backoff ride out a restarting server or a brief 503
# without stalling a batch more than a few seconds per dead URL.
RETRIES = 2
BACKOFF = 1.0
# A server asking us to wait longer than this is treated as down for this run.
MAX_RETRY_AFTER = 60.0
# RFC 9309 §2.3.1.2: crawlers should follow at least five redirects for robots.txt.
ROBOTS_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml")
log = logging.getLogger(__name__)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def state_path(settings: Any) -> Path:
    """Where conditional-request validators live: beside a SQLite store (``<db>.http.json``),
    else in ``$XDG_CACHE_HOME/eventwire/http.json``."""
    db = str(getattr(settings, "db", "") or "")
    if db.startswith("sqlite:///") and not db.endswith(":memory:"):
        return Path(db[len("sqlite:///"):] + ".http.json")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eventwire" / "http.json"


class ValidatorCache:
    """ETag / Last-Modified per URL in one small JSON file, written atomically."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, str]] = {}
        if path is not None and path.is_file():
            try:
                self._data = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                self._data = {}  # a corrupt cache only costs one full refetch

    def headers(self, url: str) -> dict[str, str]:
        v = self._data.get(url) or {}
        out = {}
        if v.get("etag"):
            out["If-None-Match"] = v["etag"]
        if v.get("last_modified"):
            out["If-Modified-Since"] = v["last_modified"]
        return out

    def save(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not (etag or last_modified):
            return
        with self._lock:
            self._data[url] = {k: v for k, v in (("etag", etag), ("last_modified", last_modified)) if v}
            if self.path is None:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self._data, sort_keys=True), "utf-8")
            os.replace(tmp, self.path)


@dataclass(frozen=True)
class Fetched:
    """One successful fetch (``status`` 200) or a ``304`` (``not_modified``, no content)."""

    url: str  # the final URL after redirects
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """An httpx client with robots.txt, per-host rate limit, retries and conditional requests.

    ``retries``/``backoff`` default to the module constants; tests pass small ones.
    """

    def __init__(self, settings: Any, *, cache: ValidatorCache | None = None,
                 retries: int = RETRIES, backoff: float = BACKOFF) -> None:
        self.settings = settings
        self.retries, self.backoff = retries, backoff
        self.cache = cache if cache is not None else ValidatorCache(state_path(settings))
        self.guard = AddressGuard(getattr(settings, "fetch_allow", ()) or ())
        transport = httpx.HTTPTransport()
        # httpx has no public hook for the network backend; httpcore's pool takes one and reads
        # it only when it opens a connection, so replacing it before the first request is safe
        # (tests/scale/test_ssrf.py fails if a connection ever bypasses the guard).
        transport._pool._network_backend = GuardedBackend(self.guard)
        self.client = httpx.Client(
            timeout=settings.fetch_timeout,
            headers={"User-Agent": settings.user_agent},
            follow_redirects=False,  # followed in fetch(), each hop checked
            transport=transport,
            # Proxies from the environment would resolve names themselves, out of the guard's
            # sight; a fetch goes direct.
            trust_env=False,
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------------ politeness
    def _wait(self, host: str, delay: float) -> None:
        # Reserve the host's next slot under the lock, sleep outside it: threads fetching
        # other hosts are not held up.
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._last.get(host, float("-inf")) + delay)
            self._last[host] = slot
        if slot > now:
            time.sleep(slot - now)

    def _delay(self, url: str) -> float:
        parts = urlsplit(url)
        rp = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        crawl = rp.crawl_delay(self.settings.user_agent) if rp is not None else None
        return max(self.settings.host_delay, float(crawl or 0))

    def robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        rp = self._robots.get(root)
        if rp is not None:
            return rp
        rp = urllib.robotparser.RobotFileParser(root + "/robots.txt")
        self._wait(parts.netloc, self.settings.host_delay)
        target, status, resp = root + "/robots.txt", 503, None
        try:
            for _ in range(ROBOTS_REDIRECTS + 1):
                self._check(target)
                resp = self.client.get(target)
                status = resp.status_code
                if not resp.has_redirect_location:
                    break
                target = urljoin(str(resp.url), resp.headers["location"])
            else:
                status = 404  # RFC 9309: too many redirects → as if unavailable (4xx)
        except (httpx.HTTPError, FetchError):
            status = 503  # unreachable, or redirected to a non-http URL
        # Refused (the guard) propagates: the fetch is refused, not "disallowed by robots.txt".
        if status >= 500 or status in (401, 403):
            # RFC 9309 §2.3.1.4: unreachable → assume complete disallow.
            rp.parse(["User-agent: *", "Disallow: /"])
        elif status >= 400:
            rp.parse([])  # no robots.txt: everything allowed
        elif resp is not None:
            rp.parse(resp.text.splitlines())
        self._robots[root] = rp
        return rp

    def allowed(self, url: str) -> bool:
        return self.robots(url).can_fetch(self.settings.user_agent, url)

    # ------------------------------------------------------------------------ fetching
    def _check(self, url: str) -> None:
        """Scheme, then the address guard: a refused host is never contacted, robots.txt
        included. (The connection itself is checked again: see GuardedBackend.)"""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(url, "bad port in URL") from None
        self.guard.resolve(parts.hostname, port)

    def fetch(self, url: str, *, conditional: bool = True) -> Fetched:
        """GET ``url`` politely; raise :class:`FetchError` with a one-line reason on failure.

        Redirects are followed here, at most :data:`MAX_REDIRECTS`; each hop passes the address
        guard and robots.txt like the first URL."""
        headers = self.cache.headers(url) if conditional else {}
        current = url
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                self._check(current)
                if not self.allowed(current):
                    where = "" if current == url else f" (redirected to {current})"
                    raise FetchError(url, f"disallowed by robots.txt{where}")
                got = self._get(url, current, headers)
                if isinstance(got, Fetched):
                    return got
                current = got
                if urlsplit(current).netloc != urlsplit(url).netloc:
                    headers = {}  # validators belong to the first host
        except Refused as exc:
            raise FetchError(url, str(exc)) from None
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects (redirect loop?)")

    def _get(self, url: str, current: str, headers: dict[str, str]) -> Fetched | str:
        """One hop with retries: the response, or the URL it redirects to."""
        host = urlsplit(current).netloc
        last_problem = "no attempt"
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait(host, self._delay(current))
            DEADLINE.at = time.monotonic() + self.settings.fetch_timeout
            try:
                with self.client.stream("GET", current, headers=headers) as resp:
                    if resp.has_redirect_location:
                        return urljoin(str(resp.url), resp.headers["location"])
                    if resp.status_code in RETRY_STATUSES:
                        last_problem = f"HTTP {resp.status_code} {resp.reason_phrase}"
                        ra = _retry_after(resp.headers.get("Retry-After"))
                        if ra is not None and attempt < self.retries:
                            if ra > MAX_RETRY_AFTER:
                                break
                            time.sleep(ra)
                        continue
                    if resp.status_code == 304:
                        return Fetched(str(resp.url), 304, b"", resp.headers.get("content-type", ""))
                    if resp.status_code >= 400:
                        raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
                    content = self._read_capped(url, resp)
                    return Fetched(
                        url=str(resp.url),
                        status=resp.status_code,
                        content=content,
                        content_type=resp.headers.get("content-type", ""),
                        etag=resp.headers.get("etag"),
                        last_modified=resp.headers.get("last-modified"),
                    )
            except httpx.TimeoutException:
                # no answer, or a status line and headers dripped past the deadline: retried like
                # any timeout (a silent server may be transiently busy), each try bounded
                last_problem = f"timed out after {self.settings.fetch_timeout:g} s (fetch_timeout)"
            except httpx.TransportError as exc:
                last_problem = f"network error ({exc.__class__.__name__}: {exc})"
            finally:
                DEADLINE.at = None
        tries = self.retries + 1
        raise FetchError(url, f"{last_problem} (gave up after {tries} tries)")

    def _read_capped(self, url: str, resp: httpx.Response) -> bytes:
        limit = self.settings.max_bytes
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response too large ({int(declared):,} bytes > max_bytes {limit:,})")
        # The deadline counts from the request (guard.DEADLINE bounds every socket read, headers
        # included); a server that drips bytes is cut off here (not retried: slowness on
        # purpose is not a transient failure).
        deadline = getattr(DEADLINE, "at", None) or time.monotonic() + self.settings.fetch_timeout
        buf = bytearray()
        for chunk in resp.iter_bytes():
            buf += chunk
            if len(buf) > limit:
                raise FetchError(url, f"response exceeds max_bytes {limit:,}")
            if time.monotonic() > deadline:
                raise FetchError(url, f"response not complete after {self.settings.fetch_timeout:g} s "
                                      "(fetch_timeout); the server is too slow")
        return bytes(buf)

    def remember(self, url: str, fetched: Fetched) -> None:
        """Keep the validators of a fetched URL so the next request is conditional."""
        self.cache.save(url, fetched.etag, fetched.last_modified)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def is_html(fetched: Fetched) -> bool:
    ctype = fetched.content_type.split(";")[0].strip().lower()
    if ctype:
        return ctype in HTML_TYPES
    head = fetched.content[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def decode_html(fetched: Fetched, source: str) -> tuple[str, str]:
    """Body text and encoding: the HTTP charset when it decodes cleanly, else the file decoder
    (BOM, UTF-8, ``<meta charset>``, charset-normalizer)."""
    m = _CHARSET.search(fetched.content_type)
    if m:
        try:
            import codecs

            name = codecs.lookup(m.group(1)).name
            return fetched.content.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    from .decode import decode

    return decode(fetched.content, source, html=True)


_DEFAULT: dict[tuple[Any, ...], Fetcher] = {}


def default_fetcher(settings: Any) -> Fetcher:
    """One fetcher per process and settings: rate limits and robots.txt hold across calls."""
    key = (settings.user_agent, settings.fetch_timeout, settings.host_delay, str(state_path(settings)),
           tuple(getattr(settings, "fetch_allow", ()) or ()), settings.max_bytes)
    f = _DEFAULT.get(key)
    if f is None:
        f = _DEFAULT[key] = Fetcher(settings)
    return f


def page(url: str, fetcher: Fetcher, **meta: Any) -> Iterator[RawDocument | Rejection]:
    """One page → a RawDocument (kind html) or a Rejection; nothing when unchanged (304)."""
    try:
        got = fetcher.fetch(url)
    except InputError as exc:
        yield Rejection(url, exc.reason)
        return
    if got.not_modified:
        log.info("%s: not modified since the last fetch (304); nothing new", url)
        return
    if not is_html(got):
        ctype = got.content_type.split(";")[0].strip() or "unknown"
        yield Rejection(url, f"not an HTML page (content-type {ctype})")
        return
    try:
        text, encoding = decode_html(got, url)
    except InputError as exc:
        yield Rejection(url, exc.reason)
        return
    yield RawDocument(source=url, text=text, kind="html", url=got.url, encoding=encoding, **meta)
    # The caller took the document: only now is it safe to skip it next time.
    fetcher.remember(url, got)


def read_url(url: str, settings: Any, *, fetcher: Fetcher | None = None) -> Iterator[RawDocument | Rejection]:
    """Fetch one web page. HTML → ``RawDocument(kind="html")``; anything else → ``Rejection``.

    An unchanged page (304 on a conditional request) yields nothing: it is already stored.
    """
    yield from page(url, fetcher or default_fetcher(settings))


__all__ = ["read_url", "Fetcher", "Fetched", "ValidatorCache", "state_path", "default_fetcher",
           "MAX_REDIRECTS"]
