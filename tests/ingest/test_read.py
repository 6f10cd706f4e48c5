"""ingest.read: every bad input becomes one Rejection naming the file; the batch goes on."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from eventwire.config import load_settings
from eventwire.errors import InputError
from eventwire.ingest import read
from eventwire.records import RawDocument, Rejection

PROSE = "Spain has cancelled a deal for anti-tank missile systems, the Defense Ministry said Tuesday.\n"


def _read(paths, **kw):
    settings = kw.pop("settings", None) or load_settings()
    return list(read([str(p) for p in paths], settings, **kw))


def _one(paths, **kw):
    out = _read(paths, **kw)
    assert len(out) == 1, out
    return out[0]


def test_utf8_text_file(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(PROSE, encoding="utf-8")
    doc = _one([p])
    assert isinstance(doc, RawDocument)
    assert (doc.kind, doc.text, doc.encoding, doc.source) == ("text", PROSE, "utf-8", str(p))


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + PROSE.encode())
    assert _one([p]).text == PROSE


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(("Zürich: " + PROSE).encode("utf-16"))
    doc = _one([p])
    assert doc.text == "Zürich: " + PROSE and doc.encoding == "utf-16"


def test_cp1252(tmp_path: Path) -> None:
    text = "Spain’s defence minister said the “cancellation” of the café deal was final.\n"
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode("cp1252"))
    doc = _one([p])
    assert doc.text == text and doc.encoding == "cp1252"


def test_cp1256_arabic(tmp_path: Path) -> None:
    text = "أعلنت وزارة الدفاع السورية اليوم عن افتتاح مركز تجنيد جديد في مدينة حلب شمال البلاد.\n"
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode("cp1256"))
    doc = _one([p])
    assert doc.text == text and doc.encoding == "cp1256"


def test_cp1256_html_with_meta_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="windows-1256"></head><body><p>مركز تجنيد جديد في حلب</p></body></html>'
    p = tmp_path / "a.html"
    p.write_bytes(html.encode("cp1256"))
    doc = _one([p])
    assert doc.kind == "html" and "مركز تجنيد" in doc.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bin.txt", bytes(range(256)) * 8, "binary"),
        ("img.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("bad.txt", "Il a dit: «Ça va très bien», à Zürich.".encode() + b" \xff\xfe done", "invalid UTF-8"),
        ("notes.docx", b"PK\x03\x04 whatever", "unsupported extension"),
    ],
)
def test_bad_files_are_rejected_with_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    rej = _one([p])
    assert isinstance(rej, Rejection)
    assert reason in rej.reason and rej.source == str(p)
    assert "\n" not in str(rej)


def test_too_big_is_rejected_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "big.txt"
    p.write_text(PROSE * 100)
    opened: list[str] = []
    real_open = open

    def spy(file, *a, **k):  # noqa: ANN001 - records that the big file is never opened
        opened.append(str(file))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    rej = _one([p], settings=load_settings(max_bytes=100))
    assert isinstance(rej, Rejection) and "too large" in rej.reason and "max_bytes" in rej.reason
    assert str(p) not in opened


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    p = tmp_path / "page.html.gz"
    p.write_bytes(gzip.compress(b"<p>" + b"a" * 10_000 + b"</p>"))
    rej = _one([p], settings=load_settings(max_bytes=1000))
    assert isinstance(rej, Rejection) and "max_bytes" in rej.reason


def test_mixed_directory_goes_on(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(PROSE)
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "sub" / "c.html").write_text("<html><body><p>" + PROSE + "</p></body></html>")
    (tmp_path / "sub" / "d.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text(PROSE)
    out = _read([tmp_path])
    assert [type(x).__name__ for x in out] == ["RawDocument", "Rejection", "RawDocument", "Rejection"]
    assert [Path(x.source).name for x in out] == ["a.txt", "b.bin", "c.html", "d.txt"]


def test_glob_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PROSE)
    (tmp_path / "b.txt").write_text(PROSE)
    out = _read([tmp_path / "*.txt", tmp_path / "nope.txt", tmp_path / "z*.txt"])
    assert [Path(x.source).name for x in out[:2]] == ["a.txt", "b.txt"]
    assert isinstance(out[2], Rejection) and "no such file" in out[2].reason
    assert isinstance(out[3], Rejection) and "no file matches" in out[3].reason


def test_jsonl_bad_line_names_line_and_rest_goes_on(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"text": PROSE, "title": "T", "url": "http://x/1", "published_at": "2025-06-03", "id": "a1"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "second", "publisher": "AP"}),
    ]
    p.write_text("\n".join(lines) + "\n")
    out = _read([p])
    assert [type(x).__name__ for x in out] == ["RawDocument", "Rejection", "Rejection", "Rejection", "RawDocument"]
    first = out[0]
    assert (first.kind, first.title, first.url, first.published_at, first.external_id) == (
        "article", "T", "http://x/1", "2025-06-03", "a1")
    assert [r.line for r in out[1:4]] == [2, 3, 4]
    assert "not JSON" in out[1].reason and str(p) in str(out[1])
    assert out[4].publisher == "AP"


def test_plain_keeps_id_and_kind(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "doc-7", "text": "  body  kept\n\nexactly ", "title": "T"}) + "\n")
    doc = _one([p], plain=True)
    assert (doc.kind, doc.external_id, doc.text) == ("plain", "doc-7", "  body  kept\n\nexactly ")


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"text": PROSE}) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    doc = _one(["-"])
    assert doc.kind == "article" and doc.text == PROSE


def test_explicit_format_and_unknown_format(tmp_path: Path) -> None:
    p = tmp_path / "page.data"
    p.write_text("<html><body><p>x</p></body></html>")
    assert _one([p], input_format="html").kind == "html"
    with pytest.raises(InputError):
        _read([p], input_format="pdf")


def test_html_extension_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.htm").write_text("<p>x</p>")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(b"<p>y</p>"))
    (tmp_path / "c").write_text("<!doctype html><html><body>z</body></html>")
    (tmp_path / "d").write_text(PROSE)
    assert [d.kind for d in _read([tmp_path])] == ["html", "html", "html", "text"]


def test_utf16_without_bom_is_text_not_binary(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{codec}.txt"
        p.write_bytes(("Zürich: " + PROSE).encode(codec))
        doc = _one([p])
        assert isinstance(doc, RawDocument) and doc.text == "Zürich: " + PROSE and doc.encoding == codec
