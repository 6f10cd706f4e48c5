"""RSS/Atom feeds: feed → its entries' pages as :class:`RawDocument` | :class:`Rejection`.

feedparser parses the feed (RSS 0.9x/1.0/2.0, Atom, malformed ones where it can); each entry's
link is fetched as a page through :mod:`eventwire.ingest.web` (robots.txt, rate limit, retries,
conditional requests), and the entry's title, date and the feed's title are kept on the document.
An entry without a link but with HTML content becomes a document from that content.

:func:`watch` polls a list of feeds every N seconds; an unchanged feed answers ``304`` and costs
nothing, an unchanged page too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser

from ..errors import InputError
from ..records import RawDocument, Rejection
from .web import Fetcher, default_fetcher, page

Item = RawDocument | Rejection

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?", re.I)
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(text: str) -> float:
    """``"15m"`` → 900.0 seconds. Units s, m, h, d (ms too), combinable (``"1h30m"``); a bare
    number is seconds. Raises :class:`InputError` for anything else or a zero duration."""
    s = (text or "").strip().lower().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(s):
        m = _DURATION.match(s, pos)
        if not m or m.end() == pos:
            break
        total += float(m.group(1)) * _UNIT[m.group(2)]
        pos = m.end()
        if m.group(2) is None:
            break
    if not s or pos != len(s) or total <= 0:
        raise InputError("--every", f"bad duration {text!r}; use e.g. 30s, 15m, 1h or 1h30m")
    return total


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(key)
        if st:
            # feedparser normalises every date to a UTC struct_time.
            return dt.datetime.fromtimestamp(calendar.timegm(st), dt.timezone.utc).isoformat()
    return None


def _parse(data: bytes, source: str) -> Any:
    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS/Atom entries"
        raise InputError(source, f"not a readable feed ({str(why).splitlines()[0]})")
    return parsed


def _load(url_or_path: str, settings: Any, fetcher: Fetcher | None) -> tuple[Any, Fetcher | None, Callable[[], None]]:
    """The parsed feed (None when unchanged), the fetcher for its pages, and a commit callback
    that records the feed's validators once its entries were taken."""
    if url_or_path.startswith(("http://", "https://")):
        f = fetcher or default_fetcher(settings)
        got = f.fetch(url_or_path)
        if got.not_modified:
            return None, f, lambda: None
        return _parse(got.content, url_or_path), f, lambda: f.remember(url_or_path, got)
    from .files import read_bytes

    data = read_bytes(url_or_path, settings.max_bytes)
    return _parse(data, url_or_path), fetcher, lambda: None


def read_feed(url_or_path: str, settings: Any, *, fetcher: Fetcher | None = None) -> Iterator[Item]:
    """Every entry of one feed (URL or local file) as a page document, in feed order.

    Entry title and date (ISO 8601, UTC) and the feed title (publisher) are kept. Bad entries
    and unfetchable pages are rejections; the feed itself unreadable is one rejection.
    """
    try:
        parsed, f, commit = _load(url_or_path, settings, fetcher)
    except InputError as exc:
        yield Rejection(exc.source, exc.reason, exc.line)
        return
    if parsed is None:
        return  # 304: nothing new since the last poll
    publisher = (parsed.feed.get("title") or "").strip() or None
    failed = False
    for i, entry in enumerate(parsed.entries, 1):
        meta: dict[str, Any] = {"title": (entry.get("title") or "").strip() or None,
                "published_at": _date(entry), "publisher": publisher,
                "byline": (entry.get("author") or "").strip() or None}
        link = (entry.get("link") or "").strip()
        if link.startswith(("http://", "https://")):
            if f is None:
                f = default_fetcher(settings)
            for item in page(link, f, **meta):
                failed = failed or isinstance(item, Rejection)
                yield item
            continue
        content = entry.get("content") or []
        html = next((c.get("value") for c in content if c.get("value")), None) or entry.get("summary")
        if html:
            yield RawDocument(source=f"{url_or_path}#entry-{i}", text=html, kind="html", **meta)
        else:
            yield Rejection(url_or_path, "feed entry has neither an http(s) link nor content", line=i)
    # A page that failed (server down, 500) must be retried next poll, so the feed is not
    # marked unchanged; pages already taken answer 304 and cost little.
    if not failed:
        commit()


def read_feeds_file(path: str | Path) -> list[str]:
    """Feed URLs or paths, one a line; blank lines and ``#`` comments ignored."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read feeds file ({exc})") from None
    feeds = [ln.split("#", 1)[0].strip() for ln in lines]
    return [f for f in feeds if f]


def watch(
    feeds_file: str | Path,
    every_seconds: float,
    settings: Any,
    on_batch: Callable[[list[Item]], Any],
    *,
    max_iterations: int | None = None,
    fetcher: Fetcher | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Poll every feed in ``feeds_file`` every ``every_seconds``; call ``on_batch`` once per feed
    and poll with what it yielded (new pages and rejections; empty lists are not passed).

    The feeds file is re-read each round, so feeds can be added while it runs. Runs forever
    unless ``max_iterations`` is given; returns the number of documents passed on.
    """
    n, rounds = 0, 0
    while max_iterations is None or rounds < max_iterations:
        started = time.monotonic()
        try:
            feeds = read_feeds_file(feeds_file)
        except InputError as exc:
            feeds = []
            on_batch([Rejection(exc.source, exc.reason)])
        for feed in feeds:
            batch = list(read_feed(feed, settings, fetcher=fetcher))
            if batch:
                n += sum(isinstance(b, RawDocument) for b in batch)
                on_batch(batch)
        rounds += 1
        if max_iterations is not None and rounds >= max_iterations:
            break
        sleep(max(0.0, every_seconds - (time.monotonic() - started)))
    return n


__all__ = ["read_feed", "watch", "parse_duration", "read_feeds_file"]
