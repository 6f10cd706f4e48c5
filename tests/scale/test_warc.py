"""WARC input: small archives written with warcio's own writer."""

from __future__ import annotations

import gzip
from io import BytesIO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.ingest.warc import read_warc
from eventwire.records import RawDocument, Rejection

HTML = "<html><head><title>Strike</title></head><body><p>Militants attacked a checkpoint in Kidal.</p></body></html>"


def _response(w: WARCWriter, url: str, body: bytes, ctype: str = "text/html; charset=utf-8",
              status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers))


def build(path, gz: bool) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        req = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        w.write_record(w.create_warc_record("https://news.example/a", "request", payload=BytesIO(b""),
                                            http_headers=req))
        _response(w, "https://news.example/a", HTML.encode())
        _response(w, "https://news.example/logo.png", b"\x89PNG....", "image/png")
        _response(w, "https://news.example/old", b"", status="301 Moved Permanently")
        _response(w, "https://news.example/b", HTML.replace("Kidal", "Gao").encode("cp1252"),
                  "text/html; charset=windows-1252")


@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_html_responses_kept_others_counted(tmp_path, settings, name, gz):
    p = tmp_path / name
    build(p, gz)
    stats: dict = {}
    docs = list(read_warc(str(p), settings, stats))
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [d.url for d in docs] == ["https://news.example/a", "https://news.example/b"]
    assert all(d.kind == "html" and d.source == d.url for d in docs)
    assert "checkpoint in Kidal" in docs[0].text and "Gao" in docs[1].text
    assert stats["html"] == 2 and stats["skipped"] == 4
    assert stats["skipped_by"]["content-type image/png"] == 1
    assert stats["skipped_by"]["HTTP status 301"] == 1


def test_malformed_warc_is_a_rejection_naming_the_file(tmp_path, settings):
    p = tmp_path / "bad.warc"
    p.write_bytes(b"this is not a web archive\r\n\r\n" * 3)
    (rej,) = read_warc(str(p), settings)
    assert isinstance(rej, Rejection) and rej.source == str(p) and "malformed WARC" in rej.reason


def test_truncated_gzip_keeps_pages_before_the_damage(tmp_path, settings):
    p = tmp_path / "cut.warc.gz"
    build(p, True)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 40])  # cut the last record mid-stream
    out = list(read_warc(str(p), settings))
    assert isinstance(out[0], RawDocument)
    assert isinstance(out[-1], Rejection) and out[-1].source == str(p)


def test_gzip_of_garbage(tmp_path, settings):
    p = tmp_path / "junk.warc.gz"
    p.write_bytes(gzip.compress(b"garbage, not WARC/1.0"))
    (rej,) = read_warc(str(p), settings)
    assert isinstance(rej, Rejection) and "malformed WARC" in rej.reason


def test_ingest_read_dispatches_warc(tmp_path, settings):
    from eventwire.ingest import read

    p = tmp_path / "crawl.warc.gz"
    build(p, True)
    docs = list(read([str(p)], settings))
    assert [type(d) for d in docs] == [RawDocument, RawDocument]
