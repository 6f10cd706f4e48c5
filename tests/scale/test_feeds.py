"""RSS feeds from the local server: entries fetched as pages, metadata kept, watch loop."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.errors import InputError
from eventwire.ingest.feeds import parse_duration, read_feed, watch
from eventwire.ingest.web import Fetcher, ValidatorCache
from eventwire.records import RawDocument, Rejection


def test_feed_entries_become_pages_with_entry_metadata(server, fetch_settings, fetcher):
    base, handler = server
    items = list(read_feed(f"{base}/feed.xml", fetch_settings, fetcher=fetcher))
    assert [type(i) for i in items] == [RawDocument] * 3
    a1, a2, inline = items
    assert a1.source == f"{base}/a1.html" and a1.kind == "html"
    assert a1.title == "Drone strike hits depot"
    assert a1.published_at == "2026-03-03T08:30:00+00:00"  # +0100 normalised to UTC
    assert a1.publisher == "Fixture Defence News"
    assert "Talks resume" in a2.text
    assert "Troops withdrew" in inline.text and inline.source.endswith("#entry-3")
    assert handler.hits["/a1.html"] == 1


def test_local_feed_file(tmp_path, server, fetch_settings, fetcher):
    from tests.scale.conftest import rss

    base, _ = server
    p = tmp_path / "feed.rss"
    p.write_text(rss(base), "utf-8")
    items = list(read_feed(str(p), fetch_settings, fetcher=fetcher))
    assert sum(isinstance(i, RawDocument) for i in items) == 3


def test_unreadable_feed_is_one_rejection(server, fetch_settings, fetcher):
    base, _ = server
    (rej,) = read_feed(f"{base}/garbage.xml", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "not a readable feed" in rej.reason


def test_unfetchable_feed_is_one_rejection(server, fetch_settings, fetcher):
    base, _ = server
    (rej,) = read_feed(f"{base}/broken.html", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "HTTP 500" in rej.reason


def test_watch_does_not_refetch_unchanged_feed(server, fetch_settings, tmp_path):
    base, handler = server
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# defence desk\n{base}/feed.xml\n\n", "utf-8")
    batches: list[list] = []
    sleeps: list[float] = []
    f = Fetcher(fetch_settings, cache=ValidatorCache(tmp_path / "state.json"), retries=0, backoff=0)
    n = watch(feeds, 900, fetch_settings, batches.append, max_iterations=3, fetcher=f,
              sleep=sleeps.append)
    assert n == 3 and len(batches) == 1  # rounds 2 and 3: feed answered 304, nothing passed on
    assert handler.hits["/feed.xml"] == 3 and handler.hits["/a1.html"] == 1
    assert len(sleeps) == 2 and all(0 < s <= 900 for s in sleeps)


def test_watch_reports_missing_feeds_file(tmp_path, fetch_settings):
    batches: list[list] = []
    watch(tmp_path / "nope.txt", 1, fetch_settings, batches.append, max_iterations=1)
    assert isinstance(batches[0][0], Rejection)


@pytest.mark.parametrize("text,seconds", [("15m", 900), ("1h", 3600), ("30s", 30), ("1h30m", 5400),
                                          ("45", 45), (" 2 d ", 172800)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15x", "0m", "m15", "-5m"])
def test_parse_duration_rejects(text):
    with pytest.raises(InputError):
        parse_duration(text)


@given(st.integers(0, 48), st.integers(0, 59), st.integers(0, 59))
def test_parse_duration_sums_units(h, m, s):
    text = f"{h}h{m}m{s}s"
    if h == m == s == 0:
        with pytest.raises(InputError):
            parse_duration(text)
    else:
        assert parse_duration(text) == h * 3600 + m * 60 + s
