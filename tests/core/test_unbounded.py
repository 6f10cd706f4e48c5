"""Inputs that used to grow without bound (issue 13, item 6): a ``**`` glob through symlink
loops. (The fetch deadline for a dripping server is tests/scale/test_ssrf.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from eventwire.ingest import _expand
print("\\n".join(str(x) for x in _expand(sys.argv[1])))
"""


def test_glob_through_symlink_loops_ends_and_lists_each_file_once(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "x.txt").write_text("Troops withdrew from the town.\n")
    (root / "y.txt").write_text("Talks resumed in Geneva.\n")
    # Two loops: glob.glob(recursive=True) follows both, and the paths it builds double per level.
    os.symlink(root, root / "a" / "loop1")
    os.symlink(root, root / "a" / "b" / "loop2")
    r = subprocess.run([sys.executable, "-c", CODE, str(root / "**" / "*.txt")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == [str(root / "a" / "b" / "x.txt"), str(root / "y.txt")]


# ------------------------------------------------------------------------------ WARC caps
def _timed_warc(path: Path, **settings: object) -> tuple[list[object], float]:
    import time

    from eventwire.config import load_settings
    from eventwire.ingest.warc import read_warc

    s = load_settings(**settings)
    t = time.process_time()
    out = list(read_warc(str(path), s))
    return out, time.process_time() - t


def test_warc_of_junk_is_refused_at_once_with_a_short_reason(tmp_path: Path) -> None:
    """50 MB of zeros took 59 s and 676 MB: warcio reads the first "line" (no newline: the whole
    file) before it can say it is no archive. The first bytes already say so."""
    import gzip

    from eventwire.records import Rejection

    for name, data in (("zeros.warc", b"\0" * 8_000_000), ("junk.warc.gz", gzip.compress(b"\0" * 8_000_000)),
                       ("text.warc", b"hello " * 1_000_000)):
        p = tmp_path / name
        p.write_bytes(data)
        out, cpu = _timed_warc(p)
        assert len(out) == 1 and isinstance(out[0], Rejection), name
        assert "not a WARC" in out[0].reason and len(out[0].reason) < 300, out[0].reason[:500]
        # CPU time is not a timing test: reading 8 MB as one line costs seconds, sniffing nothing.
        assert cpu < 0.5, (name, cpu)


def test_warc_over_its_size_cap_is_refused_unread(tmp_path: Path) -> None:
    from eventwire.records import Rejection

    p = tmp_path / "big.warc"
    with open(p, "wb") as fh:
        fh.write(b"WARC/1.0\r\n")
        fh.truncate(3_000_000)
    (rej,) = _timed_warc(p, max_warc_bytes=1_000_000)[0]
    assert isinstance(rej, Rejection) and "max_warc_bytes" in rej.reason and "3,000,000" in rej.reason


def test_warc_damage_after_good_records_keeps_them_and_says_so_briefly(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from eventwire.records import RawDocument, Rejection

    p = tmp_path / "tail.warc"
    with open(p, "wb") as fh:
        w = WARCWriter(fh, gzip=False)
        html = b"<html><body><p>Militants attacked a checkpoint in Kidal on Monday.</p></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://news.example/a", "response", payload=BytesIO(html),
                                            http_headers=headers))
        fh.write(b"\0" * 4_000_000)
    out, cpu = _timed_warc(p)
    assert isinstance(out[0], RawDocument) and isinstance(out[-1], Rejection)
    assert len(out[-1].reason) < 300, out[-1].reason[:500]
    assert cpu < 3, cpu


# ------------------------------------------------------------------------------ article budget
def _long_article(n_paras: int, para_chars: int = 1000) -> str:
    words = "Troops shelled the outskirts of the town while residents fled toward the river crossing. "
    para = (words * (para_chars // len(words) + 1))[:para_chars].strip()
    return "\n\n".join(f"{i}. {para}" for i in range(n_paras))


def test_long_article_is_split_by_paragraphs_within_the_budget() -> None:
    from eventwire.clean import clean
    from eventwire.config import load_settings
    from eventwire.records import RawDocument

    text = _long_article(50)  # about 51,000 characters
    s = load_settings(max_article_chars=10_000)
    arts = clean(RawDocument(source="long.txt", text=text, kind="article", title="T"), s)
    assert len(arts) >= 5
    assert all(len(a.body) <= 10_000 for a in arts)
    # Nothing lost, nothing repeated, paragraphs whole and in order.
    paras = [a.body[s0:e] for a in arts for s0, e in a.paragraphs]
    assert paras == text.split("\n\n")
    assert len({a.id for a in arts}) == len(arts)
    assert [a.title for a in arts][:2] == [f"T (part 1 of {len(arts)})", f"T (part 2 of {len(arts)})"]
    # A paragraph longer than the budget alone is cut at a sentence or word boundary.
    one = clean(RawDocument(source="one.txt", text=_long_article(1, 25_000), kind="article"), s)
    assert len(one) == 3 and all(len(a.body) <= 10_000 for a in one)
    assert " ".join(a.body for a in one).split() == _long_article(1, 25_000).split()
    # Under the budget: one article, untouched.
    (short,) = clean(RawDocument(source="s.txt", text=_long_article(3), kind="article", title="T"), s)
    assert short.title == "T"


def test_long_article_is_rejected_with_a_reason_when_configured(tmp_path: Path) -> None:
    from eventwire.config import load_settings
    from eventwire.ingest import read
    from eventwire.pipeline import Pipeline
    from eventwire.records import Article, Rejection

    p = tmp_path / "long.txt"
    p.write_text(_long_article(50), "utf-8")
    s = load_settings(max_article_chars=10_000, long_articles="reject")
    out = list(Pipeline(s, stages=("clean",)).articles(read([str(p)], s)))
    assert all(isinstance(x, Rejection) for x in out) and out
    assert "max_article_chars" in out[0].reason and "10,000" in out[0].reason
    s = load_settings(max_article_chars=10_000)
    out = list(Pipeline(s, stages=("clean",)).articles(read([str(p)], s)))
    assert all(isinstance(x, Article) for x in out) and len(out) >= 5
