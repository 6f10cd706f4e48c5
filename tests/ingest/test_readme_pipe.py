"""The README's pipe, run verbatim: ``split --jsonl`` output is ``extract --input-format jsonl``
input (the article record is read as is: body, id, title, byline, date kept)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from eventwire.ingest.jsonl import parse_jsonl
from eventwire.records import RawDocument

ROOT = Path(__file__).resolve().parents[2]


def _readme_pipe() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"Stages pipe as JSONL: `([^`]+)`", text)
    assert m, "README no longer shows the split | extract pipe"
    return m.group(1)


def test_readme_pipe_runs_verbatim(seed_path: Path, tmp_path: Path) -> None:
    cmd = _readme_pipe()
    assert "dump.txt" in cmd
    shutil.copy(seed_path, tmp_path / "dump.txt")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               EVENTWIRE_DB=f"sqlite:///{tmp_path / 'pipe.db'}")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "rejected" not in r.stderr.lower() and 'no "text"' not in r.stderr
    out = [json.loads(ln) for ln in r.stdout.splitlines() if ln.strip()]
    assert [o["title"] for o in out] == [
        "Iranian Proxy Militia Opens New Recruitment Center in Aleppo, Syria",
        "Spain Cancels Contract for Anti-tank Missiles Built by Israeli Subsidiary",
    ]
    assert all(o["events"] for o in out)  # the whole pipeline ran on each article


def test_split_record_is_read_as_is() -> None:
    rec = {"id": "abc123", "source": "dump.txt", "title": "T", "body": "One.\n\nTwo.", "paragraphs": [[0, 4], [6, 10]],
           "captions": [], "published_at": "2024-03-05", "byline": "Jane Doe", "publisher": None, "language": "en",
           "url": None, "furniture_removed": 3}
    (doc,) = parse_jsonl((json.dumps(rec) + "\n").encode(), "-")
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.external_id, doc.title, doc.source, doc.byline, doc.published_at) == (
        "One.\n\nTwo.", "abc123", "T", "dump.txt", "Jane Doe", "2024-03-05")
    (bad,) = parse_jsonl(b'{"title": "no text"}\n', "x.jsonl")
    assert 'no "text"' in bad.reason and bad.line == 1


def test_captions_survive_split_then_extract() -> None:
    # split --jsonl writes captions as [{"text", "credit"}]; reading the record back keeps them
    # (RawDocument had no field for them: they were lost between the two stages).
    from eventwire.clean import clean
    from eventwire.config import load_settings
    from eventwire.records import Caption

    rec = {"id": "abc123", "source": "dump.txt", "title": "T", "body": "One sentence here.\n\nTwo sentences here.",
           "captions": [{"text": "Smoke over the port", "credit": "Reuters"}, "A map of the area"]}
    (doc,) = parse_jsonl((json.dumps(rec) + "\n").encode(), "-")
    assert isinstance(doc, RawDocument)
    assert doc.captions == (Caption("Smoke over the port", "Reuters"), Caption("A map of the area", None))
    (art,) = clean(doc, load_settings())
    assert [c.to_dict() for c in art.captions] == [{"text": "Smoke over the port", "credit": "Reuters"},
                                                    {"text": "A map of the area", "credit": None}]
    for bad in ('"captions": "x"', '"captions": [{"credit": "AP"}]', '"captions": [{"text": "a\\u0000b"}]',
                '"captions": [{"text": "a\\ud800"}]'):
        (rej,) = parse_jsonl(('{"text": "Body text.", ' + bad + "}\n").encode(), "x.jsonl")
        assert "captions" in rej.reason


def test_split_jsonl_captions_round_trip(seed_path: Path) -> None:
    # the seed's captions, split then read back as the pipe does, are the same captions
    from eventwire.clean import clean
    from eventwire.config import load_settings

    settings = load_settings()
    arts = clean(RawDocument(source="seed.txt", text=seed_path.read_text(encoding="utf-8")), settings)
    assert any(a.captions for a in arts)
    data = "".join(json.dumps(a.to_dict()) + "\n" for a in arts).encode()
    again = [b for d in parse_jsonl(data, "-") if isinstance(d, RawDocument) for b in clean(d, settings)]
    assert [a.captions for a in again] == [a.captions for a in arts]
