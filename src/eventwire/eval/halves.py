"""The splitter's choice and report halves of the dev renderings (issue 12).

Changes to the dump splitter are chosen on the *even-numbered* files of every rendering kind
(``dump001``, ``dump003``, ...: index 0, 2, ... of :func:`eventwire.eval.dumps.build`) and
reported on the odd-numbered ones. With the 1,2,1,3,1,2 grouping, the even files of the
``line``, ``every_tag``, ``menus_last`` and ``menus_first`` kinds hold one page each, so they
cannot show a page boundary; the choice set therefore also holds multi-page dumps built from
the pages of the even-numbered line files only (:func:`multi`: 2-3 pages a file, seeded, in
those four kinds). No page of an odd-numbered line file is in them.

    .venv/bin/python -m eventwire.eval.halves [DATA]           # the per-kind table
    .venv/bin/python -m eventwire.eval.halves [DATA] --pairs   # the page-boundary fit
    .venv/bin/python -m eventwire.eval.halves [DATA] --trafilatura   # trafilatura on the dumps

``--pairs`` lists every pair of neighbouring anchor blocks the splitter weighs in the choice
set, with its signals (:func:`eventwire.clean.dump.page_evidence`) and its truth from the
pages' line ranges, and fits the logistic regression behind ``dump.PAGE_WEIGHTS``.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ..records import RawDocument
from . import dumps as dumps_mod
from .extraction import _clean, ngram_prf

MULTI_KINDS = ("line", "every_tag", "menus_last", "menus_first")


def multi(pages: list[dumps_mod.Page], kind: str) -> list[dumps_mod.Dump]:
    """Dumps of 2-3 of ``pages`` each (seeded per kind), rendered as ``kind``."""
    rng = random.Random(f"even-multi:{kind}")
    order = rng.sample(pages, len(pages))
    out = []
    i = k = 0
    while i < len(order):
        chunk = order[i : i + rng.choice((2, 3))]
        i += len(chunk)
        k += 1
        text = "\n".join(dumps_mod.render(p, kind=kind) for p in chunk) + "\n"
        out.append(dumps_mod.Dump(file=f"multi{k:03d}", text=text, pages=tuple(chunk)))
    return out


def sets(pages: list[dumps_mod.Page]) -> dict[str, list[dumps_mod.Dump]]:
    """Every kind's renderings, and ``m_<kind>``: the multi-page choice sets."""
    out = {kind: list(dumps_mod.build(pages, kind=kind)) for kind in dumps_mod.KINDS}
    even_pages = [p for n, d in enumerate(out["line"]) if n % 2 == 0 for p in d.pages]
    for kind in MULTI_KINDS:
        out["m_" + kind] = multi(even_pages, kind)
    return out


def trafilatura_bodies(text: str) -> list[str]:
    """trafilatura's own extraction of a dump: its lines as the paragraphs of one HTML page (what
    a user holding only the text could give it), main text with tables, no comments; one body
    (trafilatura finds one main text per page) or none."""
    import html

    import trafilatura

    page = "<html><body>" + "".join(f"<p>{html.escape(ln)}</p>" for ln in text.splitlines() if ln.strip()) + "</body></html>"
    out = trafilatura.extract(page, include_comments=False, include_tables=True) or ""
    return [out] if out.strip() else []


def _score(d: dumps_mod.Dump, by: str = "eventwire") -> tuple[bool, list[float]]:
    if by == "trafilatura":
        bodies = trafilatura_bodies(d.text)
    else:
        bodies = [a.body for a in _clean(RawDocument(source=d.file, text=d.text, kind="text"), None)]
    used: set[int] = set()
    f1s = []
    for g in d.articles:
        best, bi = 0.0, None
        for i, a in enumerate(bodies):
            if i not in used and (s := ngram_prf(a, g.reference)[2]) > best:
                best, bi = s, i
        if bi is not None:
            used.add(bi)
        f1s.append(best)
    return len(bodies) == len(d.articles), f1s


def table(all_sets: dict[str, list[dumps_mod.Dump]], by: str = "eventwire") -> dict[str, dict[str, tuple[float, float]]]:
    """Per set: count accuracy and mean body 4-gram F1 of its even and odd files (the multi-page
    sets are all choice: 'even'); ``by="trafilatura"`` scores :func:`trafilatura_bodies` instead
    of the splitter."""
    res: dict[str, dict[str, tuple[float, float]]] = {}
    for name, ds in all_sets.items():
        halves: dict[str, tuple[list[bool], list[float]]] = {"even": ([], []), "odd": ([], [])}
        for n, d in enumerate(ds):
            ok, f1s = _score(d, by)
            h = halves["even" if n % 2 == 0 or name.startswith("m_") else "odd"]
            h[0].append(ok)
            h[1].extend(f1s)
        res[name] = {k: (round(sum(c) / len(c), 4), round(sum(f) / len(f), 4)) for k, (c, f) in halves.items() if c}
    return res


def pairs(all_sets: dict[str, list[dumps_mod.Dump]]) -> list[dict[str, Any]]:
    """The anchor-block pairs of the choice set as the splitter meets them, with their signals
    and truth: ``new`` (the block is the article text of another page), ``same`` (of the same
    page), ``same-furn`` (furniture of the same page), ``furn`` (furniture of another page)."""
    from ..clean import dump
    from ..clean.repair import repair

    rows: list[dict[str, Any]] = []
    seen: list[tuple[Any, ...]] = []
    orig = dump.page_evidence

    def spy(us: list[dump.Unit], prev: dump.Segment, b: dump.Block, vec: Counter[str]) -> tuple[dict[str, float], float]:
        ev, sim = orig(us, prev, b, vec)
        seen.append((us, prev.end, b, ev))
        return ev, sim

    dump.page_evidence = spy  # type: ignore[assignment]
    try:
        for name, ds in all_sets.items():
            kind = name.removeprefix("m_")
            for n, d in enumerate(ds):
                if not (name.startswith("m_") or n % 2 == 0):
                    continue
                owner = [k for k, p in enumerate(d.pages) for _ in dumps_mod.render(p, kind=kind).split("\n")]
                seen.clear()
                dump.explain(repair(d.text)[0])
                for us, prev_end, b, ev in seen:
                    page = owner[us[b.start].lines[0]]
                    text = " ".join(us[i].text for i in range(b.start, b.end + 1) if us[i].cls == "good")
                    ref = d.pages[page].reference
                    article = len(ref) >= dumps_mod.MIN_REFERENCE_CHARS and ngram_prf(text, ref)[0] > 0.5
                    same = page == owner[us[prev_end].lines[0]]
                    truth = ("same" if article else "same-furn") if same else ("new" if article else "furn")
                    rows.append({"set": name, "file": d.file, "line": us[b.start].lines[0], "truth": truth, **ev})
    finally:
        dump.page_evidence = orig  # type: ignore[assignment]
    return rows


def fit(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Logistic regression (scikit-learn, C=1) of new page vs not on the signals."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from ..clean import dump

    names = list(dump.PAGE_WEIGHTS)
    x = np.array([[r[k] for k in names] for r in rows], float)
    y = np.array([r["truth"] == "new" for r in rows])
    m = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    code = np.array([sum(dump.PAGE_WEIGHTS[k] * r[k] for k in names) >= dump.PAGE_THRESHOLD for r in rows])
    return {
        "pairs": len(rows),
        "truth": dict(Counter(r["truth"] for r in rows)),
        "weights": {k: round(float(w), 2) for k, w in zip(names, m.coef_[0], strict=True)},
        "threshold": round(float(-m.intercept_[0]), 2),
        "fit_accuracy": round(float((m.predict(x) == y).mean()), 4),
        "code_accuracy": round(float((code == y).mean()), 4),
    }


if __name__ == "__main__":  # pragma: no cover - python -m eventwire.eval.halves [DATA] [--pairs|--trafilatura]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    src = Path(args[0]) if args else Path(dumps_mod.__file__).parents[3] / ".." / "shared/data/dev/extraction/trafilatura-eval-en"
    all_sets = sets(dumps_mod.load_pages(src))
    if "--pairs" in sys.argv:
        print(json.dumps(fit(pairs(all_sets)), indent=1))
    else:
        by = "trafilatura" if "--trafilatura" in sys.argv else "eventwire"
        res = table(all_sets, by)
        print(f"({by})")
        print("| set | even (choice): count / F1 | odd (report): count / F1 |")
        print("|---|---|---|")
        for name, r in res.items():
            odd = f"{r['odd'][0]:.2f} / {r['odd'][1]:.3f}" if "odd" in r else "-"
            print(f"| {name} | {r['even'][0]:.2f} / {r['even'][1]:.3f} | {odd} |")
