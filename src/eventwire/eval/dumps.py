"""Naive-scraper renderings of the extraction dev pages, for developing the dump cleaner.

Each HTML page of ``trafilatura-eval-en`` is rendered the way a naive scraper renders it (every
visible text block on its own line, :func:`eventwire.clean.render.html_to_lines`); some files run
two or three pages together. The reference body of each page is trafilatura's extraction of the
HTML (main text, no comments): see docs/cleaning.md for what that reference can and cannot tell.

``python -m eventwire.eval.dumps SRC OUTDIR`` writes ``OUTDIR/<file>.txt`` and
``OUTDIR/gold.json`` (``[{"file", "articles": [{"body"}]}]``), the input of
``score.py dumps GOLD.json PREDDIR``.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvalError

# Pages per file, cycled over the pages in name order: about half the files hold one page, the
# rest two or three run together (the issue: "sometimes two or three pages run together").
GROUPS = (1, 2, 1, 3, 1, 2)
# Pages whose reference body is shorter than this are not articles (index pages, empty shells):
# they are rendered as furniture around others but never counted as gold articles.
MIN_REFERENCE_CHARS = 200


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    html: str
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    title: str | None = None
    reference: str = ""


@dataclass(frozen=True)
class Dump:
    file: str
    text: str
    pages: tuple[Page, ...] = field(default_factory=tuple)

    @property
    def articles(self) -> list[Page]:
        return [p for p in self.pages if len(p.reference) >= MIN_REFERENCE_CHARS]


def reference_body(html: str) -> str:
    """trafilatura's main text of ``html`` (the reference body of a rendering)."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def load_pages(root: Path, *, with_reference: bool = True) -> list[Page]:
    """Pages of an extraction dev folder (``evaldata.en.json`` + ``html/*.html.gz``)."""
    from ..ingest.decode import decode

    meta_path = root / "evaldata.en.json"
    if not meta_path.is_file():
        raise EvalError(f"{root}: no evaldata.en.json; pass the trafilatura-eval-en folder")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    pages = []
    for url, m in sorted(meta.items(), key=lambda kv: kv[1]["file"]):
        path = root / "html" / (m["file"] + ".gz")
        if not path.is_file():
            raise EvalError(f"{path}: page listed in evaldata.en.json is missing")
        html, _ = decode(gzip.decompress(path.read_bytes()), str(path), html=True)
        pages.append(
            Page(
                file=m["file"],
                url=url,
                html=html,
                with_=tuple(m.get("with") or ()),
                without=tuple(m.get("without") or ()),
                title=m.get("title"),
                reference=reference_body(html) if with_reference else "",
            )
        )
    return pages


def render(page: Page, *, every_tag: bool = False) -> str:
    from ..clean.render import html_to_lines

    return "\n".join(html_to_lines(page.html, every_tag=every_tag))


def build(pages: list[Page], groups: tuple[int, ...] = GROUPS, *, every_tag: bool = False) -> Iterator[Dump]:
    """Group pages into dump files (sizes cycling through ``groups``) and render them
    (``every_tag``: break lines at inline elements too, a harsher scraper)."""
    i = k = 0
    while i < len(pages):
        chunk = pages[i : i + groups[k % len(groups)]]
        i += len(chunk)
        k += 1
        name = f"dump{k:03d}"
        yield Dump(file=name, text="\n".join(render(p, every_tag=every_tag) for p in chunk) + "\n", pages=tuple(chunk))


def gold(dumps: list[Dump]) -> list[dict[str, Any]]:
    """The ``score.py dumps`` gold file content."""
    return [{"file": d.file, "articles": [{"body": p.reference} for p in d.articles]} for d in dumps]


def write(src: Path, outdir: Path) -> list[Dump]:
    outdir.mkdir(parents=True, exist_ok=True)
    dumps = list(build(load_pages(src)))
    for d in dumps:
        (outdir / f"{d.file}.txt").write_text(d.text, encoding="utf-8")
    (outdir / "gold.json").write_text(json.dumps(gold(dumps), ensure_ascii=False), encoding="utf-8")
    return dumps


if __name__ == "__main__":  # pragma: no cover - thin command line
    if len(sys.argv) != 3:
        sys.exit("usage: python -m eventwire.eval.dumps SRC_DIR OUT_DIR")
    out = write(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps({"files": len(out), "articles": sum(len(d.articles) for d in out)}))
