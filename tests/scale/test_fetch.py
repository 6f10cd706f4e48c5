"""Fetching pages from a local HTTP server: politeness, failures, conditional requests."""

from __future__ import annotations

import time

import pytest

from eventwire.errors import FetchError
from eventwire.ingest.web import Fetcher, ValidatorCache, read_url
from eventwire.records import RawDocument, Rejection


def test_html_page_becomes_raw_document_with_user_agent(server, fetch_settings, fetcher):
    base, handler = server
    (doc,) = read_url(f"{base}/page.html", fetch_settings, fetcher=fetcher)
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html" and doc.source == f"{base}/page.html" and doc.url == f"{base}/page.html"
    assert "ammunition depot" in doc.text and doc.encoding == "utf-8"
    assert set(handler.user_agents) == {fetch_settings.user_agent}


def test_404_is_a_rejection_without_retry(server, fetch_settings, fetcher):
    base, handler = server
    (rej,) = read_url(f"{base}/missing.html", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "HTTP 404" in rej.reason
    assert handler.hits["/missing.html"] == 1


def test_500_is_retried_then_rejected(server, fetch_settings, fetcher):
    base, handler = server
    (rej,) = read_url(f"{base}/broken.html", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "HTTP 500" in rej.reason and "3 tries" in rej.reason
    assert handler.hits["/broken.html"] == 3


def test_transient_503_recovers_on_retry(server, fetch_settings, fetcher):
    base, handler = server
    (doc,) = read_url(f"{base}/flaky.html", fetch_settings, fetcher=fetcher)
    assert isinstance(doc, RawDocument)
    assert handler.hits["/flaky.html"] == 2


def test_slow_server_times_out(server, fetch_settings):
    base, _ = server
    f = Fetcher(fetch_settings, retries=0, backoff=0)
    t0 = time.monotonic()
    (rej,) = read_url(f"{base}/slow.html", fetch_settings, fetcher=f)
    assert isinstance(rej, Rejection) and "timed out" in rej.reason
    assert time.monotonic() - t0 < 1.4  # gave up at the 0.5 s timeout, not after the 1.5 s reply


def test_redirect_loop_is_bounded(server, fetch_settings, fetcher):
    base, handler = server
    (rej,) = read_url(f"{base}/loop", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "redirect" in rej.reason
    assert handler.hits["/loop"] + handler.hits["/loop2"] <= 12


def test_non_html_is_rejected_with_its_type(server, fetch_settings, fetcher):
    base, _ = server
    (rej,) = read_url(f"{base}/report.pdf", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "application/pdf" in rej.reason


def test_robots_disallow_is_never_fetched(server, fetch_settings, fetcher):
    base, handler = server
    (rej,) = read_url(f"{base}/private/secret.html", fetch_settings, fetcher=fetcher)
    assert isinstance(rej, Rejection) and "robots.txt" in rej.reason
    assert handler.hits["/private/secret.html"] == 0
    assert handler.hits["/robots.txt"] == 1


def test_conditional_request_gets_304_and_yields_nothing(server, fetch_settings, tmp_path):
    base, handler = server
    state = tmp_path / "http.json"
    first = Fetcher(fetch_settings, cache=ValidatorCache(state), retries=0, backoff=0)
    assert [type(d) for d in read_url(f"{base}/page.html", fetch_settings, fetcher=first)] == [RawDocument]
    # A new process (new fetcher) reads the validators from the state file.
    second = Fetcher(fetch_settings, cache=ValidatorCache(state), retries=0, backoff=0)
    assert list(read_url(f"{base}/page.html", fetch_settings, fetcher=second)) == []
    assert handler.hits["/page.html"] == 2  # asked again, but the server answered 304


def test_validators_saved_only_after_document_taken(server, fetch_settings, tmp_path):
    base, _ = server
    state = tmp_path / "http.json"
    f = Fetcher(fetch_settings, cache=ValidatorCache(state), retries=0, backoff=0)
    gen = read_url(f"{base}/page.html", fetch_settings, fetcher=f)
    next(gen)  # document handed out, but the consumer crashed before asking for more
    assert not state.exists()
    assert list(gen) == []
    assert state.exists()


def test_state_file_defaults_beside_sqlite_store(fetch_settings):
    from eventwire.ingest.web import state_path

    assert str(state_path(fetch_settings)).endswith("store.db.http.json")


def test_per_host_rate_limit(server, tmp_path):
    from eventwire.config import load_settings

    base, _ = server
    s = load_settings(db=f"sqlite:///{tmp_path / 's.db'}", host_delay=0.3, fetch_allow=("127.0.0.1",))
    f = Fetcher(s, cache=ValidatorCache(None), retries=0, backoff=0)
    t0 = time.monotonic()
    f.fetch(f"{base}/page.html")  # robots.txt, then the page: 2 requests
    f.fetch(f"{base}/a1.html")  # third request
    assert time.monotonic() - t0 >= 0.6


def test_not_http_url_raises_fetch_error(fetch_settings, fetcher):
    with pytest.raises(FetchError, match="not an http"):
        fetcher.fetch("ftp://example.org/x")


def test_ingest_read_dispatches_urls(server, fetch_settings):
    from eventwire.ingest import read

    base, _ = server
    out = list(read([f"{base}/report.pdf"], fetch_settings))
    assert len(out) == 1 and isinstance(out[0], Rejection)
