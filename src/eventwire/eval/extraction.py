"""Extraction evaluation: main text of HTML pages and of their naive text renderings.

``run([trafilatura-eval-en], settings)`` returns::

    {"html":     {"pages", "snippets": {"precision", "recall", "f1"}, "title_accuracy"},
     "rendering": {"files", "articles", "count_accuracy",
                   "body": {"precision", "recall", "f1"},        # 4-gram, vs reference body
                   "snippets": {"precision", "recall", "f1"}},
     "rendering_every_tag": {...},                               # the same, broken at every tag
     "rendering_kinds": {KIND: {"count_accuracy", "body_f1"}},    # every kind of eval.dumps.KINDS
     "separated": {SEPARATOR: {"files", "articles", "count_accuracy", "body_f1", "paragraphs",
                               "lines_lost", "mixed", "paragraphs_kept", "articles_unmixed"}},
                                                                 # plain multi-article files
     "reference": {"snippets": {...}}}                           # trafilatura itself, for scale

Snippets (upstream trafilatura metric): a ``with`` snippet found in the output is a true
positive, missing a false negative; a ``without`` snippet found is a false positive; matching is
on whitespace-normalised text. The rendering path builds dumps with :mod:`.dumps` and scores the
split+clean output like ``score.py dumps`` does (article count per file; per reference article the
best 4-gram F1 among unused predicted articles).

Options: ``out=DIR`` also writes DIR/<file>.txt, DIR/gold.json and DIR/pred/<file>.jsonl so
``python ../shared/tools/score.py dumps DIR/gold.json DIR/pred`` can be run on them;
``limit=N`` scores only the first N pages (quick checks).
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path
from typing import Any

from ..errors import EvalError, InputError
from ..records import Article, RawDocument
from . import dumps as dumps_mod

_WORD = re.compile(r"\w+", re.U)


def _ngrams(text: str, n: int = 4) -> collections.Counter[tuple[str, ...]]:
    toks = [t.lower() for t in _WORD.findall(text or "")]
    if len(toks) < n:
        return collections.Counter([tuple(toks)]) if toks else collections.Counter()
    return collections.Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def ngram_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of word 4-grams (the ``score.py dumps`` measure)."""
    p, g = _ngrams(pred), _ngrams(gold)
    if not p or not g:
        return 0.0, 0.0, 0.0
    common = sum((p & g).values())
    pr, rc = common / sum(p.values()), common / sum(g.values())
    return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def _ws(text: str) -> str:
    return " ".join(text.split())


class _Snippets:
    def __init__(self) -> None:
        self.tp = self.fn = self.fp = self.tn = 0

    def add(self, output: str, with_: tuple[str, ...], without: tuple[str, ...]) -> None:
        out = _ws(output)
        for s in with_:
            if _ws(s) in out:
                self.tp += 1
            else:
                self.fn += 1
        for s in without:
            if _ws(s) in out:
                self.fp += 1
            else:
                self.tn += 1

    def metrics(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = (self.tp + self.tn) / max(1, self.tp + self.tn + self.fp + self.fn)
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "accuracy": round(acc, 4)}


def _clean(raw: RawDocument, settings: Any) -> list[Article]:
    from ..clean import clean

    try:
        return clean(raw, settings)
    except InputError:
        return []


def _full_text(a: Article) -> str:
    return a.body


def _mean(xs: list[float]) -> float:
    return round(sum(xs) / len(xs), 4) if xs else 0.0


def _score_dumps(
    dumps: list[dumps_mod.Dump], settings: Any, out_dir: Path | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split+clean each dump and score it like ``score.py dumps`` (plus page snippets)."""
    if out_dir:
        (out_dir / "pred").mkdir(parents=True, exist_ok=True)
        (out_dir / "gold.json").write_text(json.dumps(dumps_mod.gold(dumps), ensure_ascii=False), encoding="utf-8")
    count_ok = 0
    precs: list[float] = []
    recs: list[float] = []
    f1s: list[float] = []
    snip = _Snippets()
    per_file = []
    for d in dumps:
        arts = _clean(RawDocument(source=d.file, text=d.text, kind="text"), settings)
        if out_dir:
            (out_dir / f"{d.file}.txt").write_text(d.text, encoding="utf-8")
            with open(out_dir / "pred" / f"{d.file}.jsonl", "w", encoding="utf-8") as fh:
                for a in arts:
                    fh.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        gold = d.articles
        count_ok += len(arts) == len(gold)
        used: set[int] = set()
        matched: dict[str, str] = {}
        for g in gold:
            best, bi = (0.0, 0.0, 0.0), None
            for i, a in enumerate(arts):
                if i in used:
                    continue
                s = ngram_prf(a.body, g.reference)
                if s[2] > best[2]:
                    best, bi = s, i
            if bi is not None:
                used.add(bi)
                matched[g.file] = arts[bi].body
            precs.append(best[0])
            recs.append(best[1])
            f1s.append(best[2])
        for pg in d.pages:
            snip.add(matched.get(pg.file, ""), pg.with_, pg.without)
        per_file.append({"file": d.file, "gold": len(gold), "pred": len(arts)})
    metrics = {
        "files": len(dumps),
        "articles": len(f1s),
        "count_accuracy": round(count_ok / len(dumps), 4) if dumps else 0.0,
        "body": {"precision": _mean(precs), "recall": _mean(recs), "f1": _mean(f1s)},
        "snippets": snip.metrics(),
    }
    return metrics, per_file


def score_plain(files: list[dumps_mod.Plain], settings: Any) -> dict[str, Any]:
    """Split the generated plain multi-article files; per separator kind: article count right,
    body 4-gram F1 (as :func:`_score_dumps`), input paragraphs that ended up as furniture
    (``lines_lost``: the split's own account of every line, :func:`eventwire.clean.dump.explain`)
    and output articles holding lines of two input articles (``mixed``)."""
    from ..clean import dump

    by_kind: dict[str, dict[str, Any]] = {}
    for f in files:
        k = by_kind.setdefault(f.kind, {"files": 0, "articles": 0, "count_ok": 0, "f1": [], "lost": 0,
                                        "paragraphs": 0, "mixed": 0})
        arts = _clean(RawDocument(source=f.file, text=f.text, kind="text"), settings)
        k["files"] += 1
        k["articles"] += len(f.articles)
        k["count_ok"] += len(arts) == len(f.articles)
        used: set[int] = set()
        for paras in f.articles:
            ref = "\n".join(paras)
            best, bi = 0.0, None
            for i, a in enumerate(arts):
                if i not in used and (s := ngram_prf(a.body, ref)[2]) > best:
                    best, bi = s, i
            if bi is not None:
                used.add(bi)
            k["f1"].append(best)
        # Where each input paragraph went, by its line in the composed file.
        split = dump.explain(f.text)
        owner: dict[int, int] = {}  # line index → input article
        line_of: dict[str, list[int]] = {}
        for i, ln in enumerate(split.lines):
            line_of.setdefault(" ".join(ln.split()), []).append(i)
        for n, paras in enumerate(f.articles):
            for p in paras:
                k["paragraphs"] += 1
                idx = line_of.get(p, [])
                owner.update((i, n) for i in idx)
                roles = [r for part in split.articles for i in idx if (r := part.roles.get(i))]
                k["lost"] += not any(not r.startswith("furniture") for r in roles)
        for part in split.articles:
            sources = {owner[i] for i, r in part.roles.items() if i in owner and not r.startswith("furniture")}
            k["mixed"] += len(sources) > 1
    return {
        kind: {
            "files": k["files"],
            "articles": k["articles"],
            "count_accuracy": round(k["count_ok"] / k["files"], 4),
            "body_f1": _mean(k["f1"]),
            "paragraphs": k["paragraphs"],
            "lines_lost": k["lost"],
            "mixed": k["mixed"],
            # The same as shares, higher is better (the form floors are pinned in).
            "paragraphs_kept": round(1 - k["lost"] / max(1, k["paragraphs"]), 4),
            "articles_unmixed": round(1 - k["mixed"] / max(1, k["articles"]), 4),
        }
        for kind, k in by_kind.items()
    }


def run(data: list[Path], settings: Any, **options: Any) -> dict[str, Any]:
    if not data:
        raise EvalError("no extraction data given")
    pages: list[dumps_mod.Page] = []
    for folder in data:
        pages.extend(dumps_mod.load_pages(Path(folder)))
    limit = options.get("limit")
    if limit:
        pages = pages[: int(limit)]

    html_snip, ref_snip, titles, n_titles = _Snippets(), _Snippets(), 0, 0
    for p in pages:
        arts = _clean(RawDocument(source=p.file, text=p.html, kind="html", url=p.url), settings)
        html_snip.add("\n".join(_full_text(a) for a in arts), p.with_, p.without)
        ref_snip.add(p.reference, p.with_, p.without)
        if p.title:
            n_titles += 1
            titles += bool(arts) and _ws(arts[0].title or "") == _ws(p.title)

    out_dir = Path(options["out"]) if options.get("out") else None
    rendering, per_file = _score_dumps(list(dumps_mod.build(pages)), settings, out_dir)
    harsh, _ = _score_dumps(list(dumps_mod.build(pages, every_tag=True)), settings, None)
    # Every other kind of rendering (eval.dumps.KINDS), scored the same way, one entry per kind.
    kinds = {"line": rendering, "every_tag": harsh}
    for kind in dumps_mod.KINDS:
        if kind not in kinds:
            kinds[kind] = _score_dumps(list(dumps_mod.build(pages, kind=kind)), settings, None)[0]

    result: dict[str, Any] = {
        "task": "extraction",
        "html": {
            "pages": len(pages),
            "snippets": html_snip.metrics(),
            "title_accuracy": round(titles / n_titles, 4) if n_titles else 0.0,
        },
        "rendering": rendering,
        # The same pages broken at every tag, inline ones too (BeautifulSoup get_text("\\n")).
        "rendering_every_tag": harsh,
        "rendering_kinds": {k: {"count_accuracy": v["count_accuracy"], "body_f1": v["body"]["f1"]}
                            for k, v in kinds.items()},
        # Plain-text files of several articles joined by each kind of separator.
        "separated": score_plain(list(dumps_mod.separated(pages)), settings),
        "reference": {"snippets": ref_snip.metrics()},
    }
    if options.get("per_file"):
        result["rendering"]["per_file"] = per_file
    return result


if __name__ == "__main__":  # pragma: no cover - python -m eventwire.eval.extraction [DATA] [OUT]
    import sys

    from ..config import load_settings

    args = sys.argv[1:]
    src = Path(args[0]) if args else Path(dumps_mod.__file__).parents[3] / ".." / "shared/data/dev/extraction/trafilatura-eval-en"
    res = run([src], load_settings(), out=args[1] if len(args) > 1 else None, per_file=True)
    per = res["rendering"].pop("per_file")
    print(json.dumps(res, indent=1))
    print("count mismatches:", [(p["file"], p["gold"], p["pred"]) for p in per if p["gold"] != p["pred"]])
