"""Where a fetch may connect: public addresses only, unless ``settings.fetch_allow`` says otherwise.

A URL given to ``eventwire ingest``, ``--feed``, ``watch`` or ``POST /api/ingest``, every redirect
hop and every feed item is fetched by this process, so without a check anyone who can submit a
URL can make the server read its own loopback services, the LAN or a cloud metadata endpoint
(SSRF). :class:`AddressGuard` resolves the host and refuses it when *any* of its addresses is not
globally routable (loopback, private, link-local — 169.254.169.254 —, shared 100.64/10,
multicast, reserved, unspecified; IPv4-mapped IPv6 is unwrapped first). Name tricks such as
``http://2130706433``, ``http://127.1`` or ``http://0.0.0.0`` resolve to such addresses and are
refused like the plain spelling.

:class:`GuardedBackend` does the check inside httpcore's ``connect_tcp`` and connects to the
address it checked, so the address cannot change between check and connect (DNS rebinding).

``fetch_allow`` entries are host names (``intranet.example``; ``.example.org`` also allows its
subdomains) or networks / addresses (``10.1.0.0/16``, ``127.0.0.1``, ``fd00::/8``).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A fetch was refused before any connection (address not allowed)."""


def _kind(ip: IP) -> str | None:
    """Why ``ip`` is not a public address, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for attr, name in (("is_unspecified", "an unspecified"), ("is_loopback", "a loopback"),
                       ("is_link_local", "a link-local (cloud metadata)"), ("is_multicast", "a multicast"),
                       ("is_private", "a private"), ("is_reserved", "a reserved")):
        if getattr(ip, attr):
            return name
    if not ip.is_global:
        return "a non-public"
    return None


class AddressGuard:
    """Resolve a host and return the addresses a fetch may connect to, or raise :class:`Refused`."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self.hosts: set[str] = set()
        self.suffixes: list[str] = []
        for entry in allow:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if entry.startswith("."):
                self.suffixes.append(entry)
            else:
                self.hosts.add(entry.rstrip("."))

    def host_allowed(self, host: str) -> bool:
        h = host.lower().rstrip(".")
        return h in self.hosts or any(h.endswith(s) or h == s[1:] for s in self.suffixes)

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` to connect to, in resolver order."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise Refused(f"cannot resolve host {host!r} ({exc})") from None
        addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if self.host_allowed(host):
            return addrs
        for a in addrs:
            ip = ipaddress.ip_address(a.split("%", 1)[0])
            if any(ip in net for net in self.networks):
                continue
            kind = _kind(ip)
            if kind:
                shown = host if host == a else f"{host} ({a})"
                raise Refused(f"refusing to fetch {shown}: {kind} address; "
                              "list the host or network in the fetch_allow setting to allow it")
        return addrs


#: The current thread's fetch deadline (``time.monotonic()`` seconds), set by the fetcher around
#: each request: every read and write of a connection waits at most until then, so a server
#: that drips its status line and headers byte by byte is cut off as one that drips its body.
DEADLINE = threading.local()


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes never wait past the thread's :data:`DEADLINE`."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    @staticmethod
    def _budget(timeout: float | None) -> float | None:
        at = getattr(DEADLINE, "at", None)
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("total fetch deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._budget(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._budget(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:  # fmt: skip
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, self._budget(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync network backend, connecting only to addresses the guard accepted."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for addr in self.guard.resolve(host, port):
            try:
                return _DeadlineStream(self._inner.connect_tcp(addr, port, timeout, local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise Refused("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


__all__ = ["AddressGuard", "GuardedBackend", "Refused", "DEADLINE"]
