"""Security middleware: response headers (Content-Security-Policy et al.), the Host allow-list,
NUL characters refused in paths and query strings, the write token checked before any body is
read, and a request body size limit. All are plain ASGI middleware so they also cover static
files and error pages. Also: the access-log filter that keeps secrets in query strings out of
the log.

Written by hand, not Starlette's ``TrustedHostMiddleware``, for one reason: every refusal has the
API's JSON error shape (``{"error": {"code", "message"}}``), which that middleware's plain-text
400 does not.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

Scope = dict[str, Any]
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


async def _refuse(scope: Scope, receive: Any, send: Any, status: int, code: str, message: str,
                  detail: Any = None, headers: dict[str, str] | None = None) -> None:
    from .errors import error_response

    await error_response(status, code, message, detail, headers)(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return str(v.decode("latin-1"))
    return None


class AllowedHosts:
    """Answer only requests whose Host header names an allowed host (DNS rebinding: a page on
    ``evil.example`` whose name is re-pointed at 127.0.0.1 sends ``Host: evil.example``).

    ``hosts``: exact names, ``.example.org`` (the domain and its subdomains) or ``*`` (any)."""

    def __init__(self, app: Any, hosts: Iterable[str]) -> None:
        self.app = app
        names = [h.strip().lower().rstrip(".") for h in hosts if h.strip()]
        self.any = "*" in names
        self.exact = {h.strip("[]") for h in names if not h.startswith(".")}
        self.domains = tuple(h for h in names if h.startswith("."))
        self.listed = ", ".join(names) or "(none)"

    def allowed(self, host_header: str | None) -> bool:
        if self.any:
            return True
        h = (host_header or "").strip().lower()
        if h.startswith("["):  # [::1]:8000
            h = h[1:h.find("]")] if "]" in h else ""
        elif h.count(":") == 1:  # name:port (more colons: a bare IPv6 address)
            h = h.split(":")[0]
        h = h.rstrip(".")
        if not h:
            return False
        return h in self.exact or any(h == d[1:] or h.endswith(d) for d in self.domains)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed(_header(scope, b"host")):
            await self.app(scope, receive, send)
            return
        await _refuse(scope, receive, send, 400, "bad_host",
                      f"this server does not answer to the host in the request; allowed: {self.listed}. "
                      "Add the name to the allowed_hosts setting (EVENTWIRE_ALLOWED_HOSTS) to serve it")


class NoNul:
    """Refuse a NUL character (U+0000, ``%00``) anywhere in the path or the query string with
    422: no route takes one, and PostgreSQL cannot hold one in a text parameter (500 before)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        qs = scope.get("query_string", b"")
        bad = []
        if "\x00" in scope.get("path", ""):
            bad.append({"loc": ["path"], "msg": "contains a NUL character"})
        if b"%00" in qs or b"\x00" in qs:
            pairs = parse_qsl(qs.decode("latin-1"), keep_blank_values=True)
            bad += [{"loc": ["query", k.replace("\x00", "\\x00")], "msg": "contains a NUL character"}
                    for k, v in pairs if "\x00" in k + v] or [{"loc": ["query"], "msg": "contains a NUL character"}]
        if not bad:
            await self.app(scope, receive, send)
            return
        where = ", ".join(".".join(d["loc"]) for d in bad)
        await _refuse(scope, receive, send, 422, "validation",
                      f"{where}: NUL characters (U+0000) are not allowed in paths or parameters", bad)


#: The reviewer name of the single ``token`` setting (named tokens come from ``reviewers``).
DEFAULT_REVIEWER = "editor"
Tokens = str | Mapping[str, str] | None  # one token, or token -> reviewer name


def write_tokens(settings: Any) -> dict[str, str]:
    """token -> reviewer name: the ``token`` setting (as ``editor``) and every ``reviewers`` entry."""
    out = {tok: name for name, tok in (getattr(settings, "reviewers", None) or {}).items()}
    if settings.token and settings.token not in out:
        out[settings.token] = DEFAULT_REVIEWER
    return out


def _given(authorization: str | None) -> str | None:
    scheme, _, given = (authorization or "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else None


def token_name(tokens: Tokens, authorization: str | None) -> str | None:
    """The reviewer name of the token in this ``Authorization`` header, or None. Every token is
    compared (in constant time each), so the answer's timing does not say which one matched."""
    table = {tokens: DEFAULT_REVIEWER} if isinstance(tokens, str) else dict(tokens or {})
    given = _given(authorization)
    if given is None:
        return None
    found = None
    for tok, name in table.items():
        if secrets.compare_digest(given.encode(), tok.encode()) and found is None:
            found = name
    return found


def token_problem(tokens: Tokens, authorization: str | None) -> tuple[int, str, str] | None:
    """Why a write request with this ``Authorization`` header is refused, or None. ``tokens``
    is the one server token or the table of :func:`write_tokens`."""
    if not tokens:
        return (403, "writes_disabled",
                "write endpoints are off; set EVENTWIRE_TOKEN (or EVENTWIRE_REVIEWERS) on the server to enable them")
    if token_name(tokens, authorization) is None:
        return (401, "unauthorized", "send the server's token as 'Authorization: Bearer <EVENTWIRE_TOKEN>'")
    return None


class WriteGuard:
    """Check the write token of every write request (a method other than GET/HEAD/OPTIONS to
    one of ``paths``, the write routes) before its body is read: without the token nothing is
    received, parsed or validated (FastAPI parses the body before it runs the route's
    dependencies)."""

    def __init__(self, app: Any, token: Tokens, paths: Iterable[str]) -> None:
        self.app, self.token = app, token
        paths = list(paths)
        self.paths = frozenset(p for p in paths if "{" not in p)
        # Templated routes (/api/events/{event_id}/review): one segment per parameter.
        self.patterns = [re.compile("^" + re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(p)) + "$")
                         for p in paths if "{" in p]

    def _guarded(self, path: str) -> bool:
        return path in self.paths or any(p.match(path) for p in self.patterns)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and self._guarded(scope["path"]):
            problem = token_problem(self.token, _header(scope, b"authorization"))
            if problem:
                status, code, message = problem
                await _refuse(scope, receive, send, status, code, message,
                              headers={"www-authenticate": "Bearer"} if status == 401 else None)
                return
        await self.app(scope, receive, send)


# Query parameters whose value is a secret whatever the server's token is (a client that puts
# its credentials in the URL should not see them in the server's log either).
_SECRET_NAME = re.compile(r"(^|_)(token|access_token|api_?key|key|password|passwd|secret|auth|authorization|sig|signature)$",
                          re.I)


def redact_query(path: str, token: str | Iterable[str] | None = None) -> str:
    """``path?query`` with the values of secret-named parameters, and any value holding one of
    the server's tokens (the write token, the reviewers' tokens), replaced by ``REDACTED``."""
    base, sep, query = path.partition("?")
    if not sep:
        return path
    tokens = [token] if isinstance(token, str) else [t for t in token or () if t]

    def holds(text: str) -> bool:
        return any(t in text for t in tokens)

    out = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        plain = unquote(value.replace("+", " "))
        if eq and (_SECRET_NAME.search(unquote(name)) or holds(plain)):
            value = "REDACTED"
        elif not eq and holds(unquote(name)):
            name = "REDACTED"
        out.append(name + eq + value)
    return base + "?" + "&".join(out)


class RedactQuery(logging.Filter):
    """For uvicorn's access log (``uvicorn.access``, args ``(client, method, path, version,
    status)``): secrets in the query string never reach the log."""

    def __init__(self, token: str | Iterable[str] | None = None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_query(args[2], self.token), *args[3:])
        return True


def tile_origin(tile_url: str | None) -> str | None:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``.

    The CSP source must allow the tile host; a ``{s}`` subdomain placeholder becomes a wildcard.
    """
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}.", "sub-placeholder."))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.replace("sub-placeholder.", "*.")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def content_security_policy(tile_url: str | None) -> str:
    """Self only, no inline script; images also from ``data:`` (Leaflet/Swagger CSS icons) and
    the tile host when tiles are configured. Styles stay 'self' too: the UI sets styles through
    the CSSOM (element.style), which CSP does not restrict."""
    img = "'self' data:"
    origin = tile_origin(tile_url)
    if origin:
        img += f" {origin}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {img}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ])


class SecurityHeaders:
    def __init__(self, app: Any, tile_url: str | None) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(tile_url).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [h for h in self.headers if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Reject request bodies larger than ``limit`` bytes with 413 and the JSON error shape.

    A declared Content-Length over the limit is refused before reading; a chunked body is read
    up to the limit and refused as soon as it passes it (so memory stays bounded).
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def _reject(self, send: Any) -> None:
        body = json.dumps({"error": {
            "code": "too_large",
            "message": f"request body is larger than {self.limit} bytes; send less per request "
                       "or raise EVENTWIRE_MAX_REQUEST_BYTES",
        }}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self._reject(send)
                    return
        chunks, size = [], 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._reject(send)
                return
            chunks.append(chunk)
            if not msg.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
