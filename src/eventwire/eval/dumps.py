"""Naive-scraper renderings of the extraction dev pages, for developing the dump cleaner.

Each HTML page of ``trafilatura-eval-en`` is rendered the way a naive scraper renders it (every
visible text block on its own line, :func:`eventwire.clean.render.html_to_lines`); some files run
two or three pages together. The reference body of each page is trafilatura's extraction of the
HTML (main text, no comments): see docs/cleaning.md for what that reference can and cannot tell.

Kinds of rendering (:data:`KINDS`, each scored on its own by ``eventwire eval extraction``), so
that the cleaner is not fitted to one renderer's habits:

- ``line``: one line per visible block, pages in name order grouped 1,2,1,3,1,2 per file;
- ``every_tag``: broken at every element, inline ones too (``BeautifulSoup.get_text("\n")``);
- ``menus_last`` / ``menus_first``: ``nav``/``header``/``footer``/``aside`` (and elements whose
  class or id says menu/nav/sidebar/footer) rendered after (before) the rest of the page;
- ``shuffled``: pages in random order (seeded), 1-3 per file, so pages of different sites and
  sizes are mixed in other combinations than the name order gives.

:func:`separated` builds plain-text multi-article files instead: each dev page's reference body
under a headline, a "By ..." line and a date, 2-4 articles a file, joined with one separator
kind each (:data:`SEPARATORS`). Those test the splitting itself: every input paragraph must come
out in the article it came from.

``python -m eventwire.eval.dumps SRC OUTDIR`` writes ``OUTDIR/<file>.txt`` and
``OUTDIR/gold.json`` (``[{"file", "articles": [{"body"}]}]``), the input of
``score.py dumps GOLD.json PREDDIR``.
"""

from __future__ import annotations

import gzip
import json
import random
import re
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


def load_pages(root: Path, *, with_reference: bool = True, limit: int | None = None) -> list[Page]:
    """Pages of an extraction dev folder (``evaldata.en.json`` + ``html/*.html.gz``), in file
    name order (only the first ``limit`` when given)."""
    from ..ingest.decode import decode

    meta_path = root / "evaldata.en.json"
    if not meta_path.is_file():
        raise EvalError(f"{root}: no evaldata.en.json; pass the trafilatura-eval-en folder")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    pages = []
    for url, m in sorted(meta.items(), key=lambda kv: kv[1]["file"])[:limit]:
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


KINDS = ("line", "every_tag", "menus_last", "menus_first", "shuffled")
_MENU_TAGS = frozenset(("nav", "header", "footer", "aside"))
_MENU_CLASS = re.compile(r"\b(?:menu|nav|navbar|navigation|sidebar|footer|header|masthead|breadcrumbs?)\b", re.I)


def _move_menus(html: str, *, last: bool) -> str:
    """The page with its menus, headers, footers and sidebars moved to the end (or the start) of
    the body: other renderers (and scrapers walking the DOM in another order) put them there."""
    import lxml.html

    from ..clean.render import parse_html

    try:
        root = parse_html(html)
    except ValueError:
        return html
    body = root.find("body")
    if body is None:
        return html
    menus: list[Any] = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el is body:
            continue
        cls = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag.lower() in _MENU_TAGS or _MENU_CLASS.search(cls):
            if not any(m in el.iterancestors() for m in menus):
                menus.append(el)
    for el in menus:
        parent = el.getparent()
        if parent is None:
            continue
        tail, el.tail = el.tail, None
        prev = el.getprevious()
        parent.remove(el)
        if tail:  # keep the text that followed the menu where it was
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    for n, el in enumerate(menus):
        if last:
            body.append(el)
        else:
            body.insert(n, el)
    return lxml.html.tostring(root, encoding="unicode")


def render(page: Page, *, every_tag: bool = False, kind: str = "line") -> str:
    from ..clean.render import html_to_lines

    html = page.html
    if kind in ("menus_last", "menus_first"):
        html = _move_menus(html, last=kind == "menus_last")
    return "\n".join(html_to_lines(html, every_tag=every_tag or kind == "every_tag"))


def build(
    pages: list[Page], groups: tuple[int, ...] = GROUPS, *, every_tag: bool = False, kind: str = "line"
) -> Iterator[Dump]:
    """Group pages into dump files (sizes cycling through ``groups``) and render them
    (``every_tag``: break lines at inline elements too, a harsher scraper; ``kind``: one of
    :data:`KINDS`)."""
    if kind not in KINDS:
        raise EvalError(f"unknown rendering kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind == "shuffled":
        rng = random.Random(SEED)
        pages = rng.sample(pages, len(pages))
        groups = tuple(rng.choice((1, 2, 3)) for _ in range(len(pages)))
    i = k = 0
    while i < len(pages):
        chunk = pages[i : i + groups[k % len(groups)]]
        i += len(chunk)
        k += 1
        name = f"dump{k:03d}"
        text = "\n".join(render(p, every_tag=every_tag, kind=kind) for p in chunk) + "\n"
        yield Dump(file=name, text=text, pages=tuple(chunk))


# ------------------------------------------------------------------ plain multi-article files
SEED = 12
# Separators people put between articles in one text file (issue 12), as written between two
# articles; "{n}"/"{m}" are page numbers. "heads" has none: the headline+byline+dateline block
# of each article is the only boundary; "wire" adds a wire dateline to each lead; "digest"
# numbers the headlines.
SEPARATORS = {
    "blank_lines": "\n\n\n\n",
    "dashes": "\n----\n",
    "equals": "\n==========\n",
    "stars": "\n\n* * *\n\n",
    "hashes": "\n###\n",
    "form_feed": "\n\f",
    "page_n_of_m": "\nPage {n} of {m}\n",
    "heads": "\n",
    "wire": "\n",
    "digest": "\n\n",
}
# Synthetic bylines, datelines and wire places (not from the dev data).
_BYLINES = ("By Staff Reporter", "By City Desk", "By Our Defence Correspondent", "By Jane Doe", "By A. N. Writer")
_PLACES = ("BEIRUT", "KYIV", "WASHINGTON", "NAIROBI", "MANILA")
_AGENCIES = ("Reuters", "AP", "AFP")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


@dataclass(frozen=True)
class Plain:
    """One generated multi-article text file: its text and, per article, its paragraphs."""

    file: str
    kind: str
    text: str
    articles: tuple[tuple[str, ...], ...]  # body paragraphs of each input article, in order
    titles: tuple[str, ...]


# Reference lines shorter than this many words are not taken as article paragraphs: the
# reference (trafilatura's extraction) keeps table cells, list fragments, code and labels of the
# page ("z", "{", "Jon Rego", "Southern") that no one would type into an article file.
MIN_PARAGRAPH_WORDS = 5


def article_paragraphs(page: Page) -> list[str]:
    """The body paragraphs of a page's reference (one a line, whitespace collapsed): lines of
    at least :data:`MIN_PARAGRAPH_WORDS` words, the headline (kept first by trafilatura) and
    repeated lines dropped."""
    out: list[str] = []
    seen = {" ".join((page.title or "").casefold().split())}
    for line in page.reference.splitlines():
        p = " ".join(line.split())
        key = p.casefold()
        if len(p.split()) >= MIN_PARAGRAPH_WORDS and key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _headline(page: Page, paras: list[str]) -> str:
    from ..clean.sections import marker

    title = " ".join((page.title or "").split())
    if marker(title):  # a page whose "title" is its dateline ("Posted: Thursday, April 21, ...")
        title = ""
    lead = next((p for p in paras if not marker(p) and not p.lower().startswith("by ")), "")
    if not title and lead:  # a headline made of the lead's first words
        title = " ".join(lead.split()[:8]).rstrip(".,;:!?")
    return title or "Untitled"


def compose(
    items: list[tuple[str, list[str]]], kind: str, rng: random.Random, *, paragraph_gap: int = 0
) -> tuple[str, list[list[str]]]:
    """Join articles ``(headline, paragraphs)`` into one text with separator ``kind``; the text
    and each article's paragraphs as written (with their wire datelines)."""
    sep = SEPARATORS[kind]
    blocks = []
    bodies = []
    for n, (title, paras) in enumerate(items, start=1):
        head = f"{n}. {title}" if kind == "digest" else title
        month = rng.randrange(12)
        date = f"{_MONTH_NAMES[month]} {rng.randrange(1, 29)}, {rng.choice((2023, 2024, 2025))}"
        body = list(paras)
        if kind == "wire" and body:
            place, agency = rng.choice(_PLACES), rng.choice(_AGENCIES)
            body[0] = f"{place}, {_MONTH_NAMES[month][:3]} {rng.randrange(1, 29)} ({agency}) - {body[0]}"
        gap = "\n" * (paragraph_gap + 1)
        bodies.append(body)
        blocks.append("\n".join([head, rng.choice(_BYLINES), date]) + "\n" + gap.join(body))
    out = blocks[0]
    for n, b in enumerate(blocks[1:], start=2):
        out += sep.format(n=n, m=len(blocks)) + b
    return out + "\n", bodies


def separated(pages: list[Page], kinds: tuple[str, ...] = tuple(SEPARATORS)) -> Iterator[Plain]:
    """Plain-text files of 2-4 dev articles each, for every separator kind (seeded)."""
    arts = [(p, paras) for p in pages if len(p.reference) >= MIN_REFERENCE_CHARS if (paras := article_paragraphs(p))]
    for kind in kinds:
        rng = random.Random(f"{SEED}:{kind}")
        order = rng.sample(arts, len(arts))
        i = k = 0
        while i < len(order):
            chunk = order[i : i + rng.choice((2, 3, 4))]
            i += len(chunk)
            k += 1
            items = [(_headline(p, paras), paras) for p, paras in chunk]
            text, bodies = compose(items, kind, rng, paragraph_gap=k % 2)
            yield Plain(
                file=f"{kind}{k:03d}",
                kind=kind,
                text=text,
                articles=tuple(tuple(b) for b in bodies),
                titles=tuple(t for t, _ in items),
            )


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
