"""Story clustering against ECB+ same-event document clusters, and near-duplicate detection
against a syndication corpus built from the extraction dev pages.

ECB+ (``ecbplus.tar.xz``): topic T holds documents about two different real events of one kind,
``T_Necb.xml`` (the first) and ``T_Necbplus.xml`` (the second). Gold = topic + suffix, as
``/work/shared/tools/score.py clusters`` reads it. Documents are turned into :class:`Article`
records (the ECB+ token sentences as paragraphs; a leading URL sentence becomes ``Article.url``,
which the clusterer never reads) and fed, in content-hash order, to the same
:class:`~eventwire.cluster.stories.StoryIndex` the ingest loop uses. File names are used only to
score. ``per_topic`` clusters each topic alone; ``all`` clusters every document together (what
the external scorer measures).

``python -m eventwire.eval.clusters [TARBALL] [--sweep] [--predictions OUT.jsonl]``
"""

from __future__ import annotations

import json
import random
import re
import sys
import tarfile
from collections import defaultdict
from collections.abc import Iterable
from math import comb
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import Article, Result

NAME = re.compile(r"(\d+)_\d+(ecbplus|ecb)\.xml$")
URL_SENTENCE = re.compile(r"^https?\s*:\s*/\s*/")


# ------------------------------------------------------------------------------ data
def read_ecb(tarball: Path) -> list[tuple[str, str, Article]]:
    """(file name, gold cluster, article) for every document of an ECB+ tarball."""
    from ..events.corpus import tar_token_sentences

    out = []
    try:
        members = tar_token_sentences(Path(tarball))
    except (OSError, tarfile.TarError) as exc:
        raise EvalError(f"{tarball}: not a readable ECB+ tarball ({exc})") from exc
    except ValueError as exc:  # bad XML, naming the member
        raise EvalError(f"{tarball}:{exc}") from exc
    for member, sents in members.items():
        name = member.rsplit("/", 1)[-1]
        mm = NAME.match(name)
        if not mm:
            continue
        paras = [" ".join(toks) for _, toks in sorted(sents.items())]
        url = None
        if paras and URL_SENTENCE.match(paras[0]):
            url = paras.pop(0).replace(" ", "")
        if not paras:
            continue
        art = Article.from_paragraphs(name, paras, url=url, title=None)
        out.append((name, f"{mm.group(1)}-{mm.group(2)}", art))
    if not out:
        raise EvalError(f"{tarball}: no ECB+ documents (<topic>_<n>ecb[plus].xml) found")
    return out


# ------------------------------------------------------------------------------ metrics
def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    gc: dict[str, set[str]] = defaultdict(set)
    pc: dict[str, set[str]] = defaultdict(set)
    for d in gold:
        gc[gold[d]].add(d)
        pc[pred[d]].add(d)
    n = len(gold)
    p = sum(len(pc[pred[d]] & gc[gold[d]]) / len(pc[pred[d]]) for d in gold) / n
    r = sum(len(pc[pred[d]] & gc[gold[d]]) / len(gc[gold[d]]) for d in gold) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _contingency(pred: dict[str, str], gold: dict[str, str]) -> tuple[int, int, int, int]:
    """(pairs together in both, pairs together in pred, pairs together in gold, all pairs)."""
    cells: dict[tuple[str, str], int] = defaultdict(int)
    ps: dict[str, int] = defaultdict(int)
    gs: dict[str, int] = defaultdict(int)
    for d in gold:
        cells[(pred[d], gold[d])] += 1
        ps[pred[d]] += 1
        gs[gold[d]] += 1
    both = sum(comb(v, 2) for v in cells.values())
    return both, sum(comb(v, 2) for v in ps.values()), sum(comb(v, 2) for v in gs.values()), comb(len(gold), 2)


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    both, p_pairs, g_pairs, _ = _contingency(pred, gold)
    p = both / p_pairs if p_pairs else 1.0
    r = both / g_pairs if g_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ari(pred: dict[str, str], gold: dict[str, str]) -> float:
    # Adjusted Rand index (Hubert & Arabie 1985), by hand: scikit-learn is not a dependency and
    # this is four lines of arithmetic over the contingency counts.
    both, a, b, n = _contingency(pred, gold)
    if n == 0:
        return 1.0
    expected = a * b / n
    top = (a + b) / 2
    return 1.0 if top == expected else (both - expected) / (top - expected)


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, Any]:
    bp, br, bf = b_cubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    r4 = lambda x: round(x, 4)  # noqa: E731
    return {"docs": len(gold), "gold_clusters": len(set(gold.values())), "pred_clusters": len(set(pred.values())),
            "b3_precision": r4(bp), "b3_recall": r4(br), "b3_f1": r4(bf),
            "pairwise_precision": r4(pp), "pairwise_recall": r4(pr), "pairwise_f1": r4(pf), "ari": r4(ari(pred, gold))}


# ------------------------------------------------------------------------------ clustering
Cache = dict[str, tuple[dict[str, float], str | None]]


def cluster(results: Iterable[Result], threshold: float | None = None, cache: Cache | None = None) -> dict[str, str]:
    """Article id → story id, by the ingest clusterer's logic (in memory), in the given order."""
    from ..cluster.features import article_date, vector
    from ..cluster.stories import THRESHOLD, StoryIndex

    idx = StoryIndex(THRESHOLD if threshold is None else threshold)
    out = {}
    cache = {} if cache is None else cache  # a sweep clusters the same articles many times
    for r in results:
        if r.article.id not in cache:
            cache[r.article.id] = (vector(r), article_date(r))
        v, day = cache[r.article.id]
        out[r.article.id] = idx.assign(r.article.id, v, day, r.article.title).id
    return out


def _results(docs: list[tuple[str, str, Article]], settings: Any, stages: tuple[str, ...]) -> dict[str, Result]:
    arts = [a for _, _, a in docs]
    if stages:
        from ..pipeline import Pipeline

        pipe = Pipeline(settings, stages=stages)
        got = {r.article.id: r for r in pipe.enrich(arts) if isinstance(r, Result)}
        # A document the pipeline rejects is still clustered, on its text alone.
        return {a.id: got.get(a.id) or Result(article=a) for a in arts}
    return {a.id: Result(article=a) for a in arts}


def _run_one(docs: list[tuple[str, str, Article]], results: dict[str, Result], threshold: float | None,
             seed: int | None = None, cache: Cache | None = None) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    gold = {name: g for name, g, _ in docs}
    ident = {name: a.id for name, _, a in docs}
    ordered = sorted(docs, key=lambda d: d[2].id)  # content-hash order: says nothing of the gold
    if seed is not None:
        random.Random(seed).shuffle(ordered)
    cache = {} if cache is None else cache
    labels = cluster((results[a.id] for _, _, a in ordered), threshold, cache)
    pred = {name: labels[ident[name]] for name in gold}
    overall = scores(pred, gold)
    by_topic: dict[str, list[tuple[str, str, Article]]] = defaultdict(list)
    for d in ordered:
        by_topic[d[1].split("-")[0]].append(d)
    per = []
    for _, tdocs in sorted(by_topic.items()):
        tl = cluster((results[a.id] for _, _, a in tdocs), threshold, cache)
        per.append(scores({n: tl[ident[n]] for n, _, _ in tdocs}, {n: g for n, g, _ in tdocs}))
    keys = ("b3_precision", "b3_recall", "b3_f1", "pairwise_precision", "pairwise_recall", "pairwise_f1", "ari")
    per_topic = {k: round(sum(p[k] for p in per) / len(per), 4) for k in keys}
    per_topic["topics"] = len(per)
    return overall, per_topic, pred


SWEEP = (0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.24, 0.26, 0.28, 0.30)


def sweep(docs: list[tuple[str, str, Article]], results: dict[str, Result]) -> dict[str, Any]:
    """Sensitivity: B-cubed F1 (all topics together) per threshold; per input order; and a
    two-fold check by topic (threshold chosen on odd topics, scored on even, and back)."""
    c: Cache = {}
    table = {f"{t:.2f}": _run_one(docs, results, t, cache=c)[0]["b3_f1"] for t in SWEEP}
    orders = [_run_one(docs, results, None, seed, c)[0]["b3_f1"] for seed in (1, 2, 3)]
    folds = []
    odd = [d for d in docs if int(d[1].split("-")[0]) % 2]
    even = [d for d in docs if not int(d[1].split("-")[0]) % 2]
    for tune, test in ((odd, even), (even, odd)):
        best = max(SWEEP, key=lambda t: _run_one(tune, results, t, cache=c)[0]["b3_f1"])
        folds.append({"threshold": best, "held_out_b3_f1": _run_one(test, results, best, cache=c)[0]["b3_f1"]})
    return {"b3_f1_by_threshold": table, "b3_f1_shuffled_orders": orders, "topic_folds": folds}


def run(data: list[Path], settings: Any, predictions: str | None = None, sweep_thresholds: bool = False,
        stages: tuple[str, ...] | str = (), near_duplicate_pages: int | None = None,
        **_: Any) -> dict[str, Any]:
    """Metrics over the ECB+ tarballs in ``data``, and near-duplicate precision/recall over the
    syndication corpus built from a directory of HTML pages in ``data`` (default: the extraction
    dev pages beside the tarball; ``near_duplicate_pages`` limits how many pages, in name order;
    0 skips it). ``stages`` (e.g. ``nlp,geo,events``) adds the pipeline's entities, places and
    event types to the text features; ``sweep_thresholds`` adds the sensitivity report."""
    if isinstance(stages, str):
        stages = tuple(s for s in stages.split(",") if s)
    tarballs = [Path(p) for p in data if str(p).endswith((".tar.xz", ".tar", ".tar.gz", ".tgz"))]
    pages = [Path(p) for p in data if Path(p).is_dir()]
    out: dict[str, Any] = {}
    if tarballs:
        docs = [d for t in tarballs for d in read_ecb(t)]
        results = _results(docs, settings, stages)
        overall, per_topic, pred = _run_one(docs, results, None)
        out["all"] = overall
        out["per_topic"] = per_topic
        out["features"] = "text+" + "+".join(stages) if stages else "text"
        if sweep_thresholds:
            out["sweep"] = sweep(docs, results)
        if predictions:
            with open(predictions, "w", encoding="utf-8") as fh:
                for name in sorted(pred):
                    fh.write(json.dumps({"doc": name, "cluster": pred[name]}) + "\n")
    if near_duplicate_pages != 0:
        src = pages[0] if pages else _default_pages(tarballs)
        if src is not None:
            out["near_duplicates"] = near_duplicates(src, limit=near_duplicate_pages)
    if not out:
        raise EvalError("no ECB+ tarball (.tar.xz) or page directory in --data")
    return out


def _default_pages(tarballs: list[Path]) -> Path | None:
    # ../shared/data/dev/clusters/ecbplus.tar.xz → ../shared/data/dev/extraction/trafilatura-eval-en
    for t in tarballs:
        cand = t.resolve().parent.parent / "extraction" / "trafilatura-eval-en"
        if cand.is_dir():
            return cand
    return None


# ------------------------------------------------------------------------------ near-duplicates
# A page needs this many words of main text to stand for a wire story (index pages, stubs and
# empty shells of the dev set are left out).
MIN_PAGE_WORDS = 150
EDITOR_NOTE = "Editor's note: this story was updated with additional reporting from our correspondents."


def _page_texts(src: Path, limit: int | None = None) -> list[tuple[str, str | None, list[str]]]:
    """(file, title, paragraphs) of each dev page, main text by trafilatura."""
    import gzip

    import trafilatura

    out = []
    for p in sorted(src.glob("html/*"))[:limit]:
        raw = p.read_bytes()
        if p.suffix == ".gz":
            raw = gzip.decompress(raw)
        html = raw.decode("utf-8", errors="replace")
        doc = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
        if doc is None:
            continue
        text = getattr(doc, "text", None) or ""
        title = getattr(doc, "title", None)
        paras = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if len(paras) >= 3 and sum(len(x.split()) for x in paras) >= MIN_PAGE_WORDS:
            out.append((p.name, title, paras))
    if not out:
        raise EvalError(f"{src}: no HTML pages with enough main text under html/")
    return out


def repunctuate(text: str) -> str:
    """What a CMS does to punctuation and spacing: curly quotes straightened, dashes and
    ellipses replaced, doubled spaces, a line break inside a paragraph."""
    t = (text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
         .replace("\u2014", " -- ").replace("\u2013", "-").replace("\u2026", "..."))
    t = t.replace(". ", ".  ").replace(", ", " , ")
    mid = len(t) // 2
    cut = t.find(" ", mid)
    return t if cut < 0 else t[:cut] + "\n" + t[cut + 1 :]


def syndicate(paras: list[str], title: str | None, kind: str) -> tuple[str, list[str]]:
    """One syndicated copy of a page: ``kind`` is headline, trimmed, note, punctuation or all."""
    new_title = f"UPDATE: {title or paras[0][:60]}"
    keep = max(2, round(len(paras) * 0.6))  # a wire client keeping the first 60 % of the story
    if kind == "headline":
        return new_title, list(paras)
    if kind == "trimmed":
        return title or "", paras[:keep]
    if kind == "note":
        return new_title, [*paras, EDITOR_NOTE]
    if kind == "punctuation":
        return title or "", [repunctuate(p) for p in paras]
    # all at once: new headline, trimmed to 80 %, note on top, punctuation changed
    keep = max(2, round(len(paras) * 0.8))
    return new_title, [EDITOR_NOTE, *(repunctuate(p) for p in paras[:keep])]


SYNDICATIONS = ("headline", "trimmed", "note", "punctuation", "all")


def near_duplicates(src: Path, seed: int = 0, limit: int | None = None) -> dict[str, Any]:
    """Precision and recall of :class:`~eventwire.cluster.dedup.Deduper` on a syndication corpus.

    Every page with enough main text is an original; each gets one copy per transformation in
    :data:`SYNDICATIONS`. Originals arrive first (each checked against the earlier ones: any link
    is a false positive), then the copies in shuffled order (a link to the page's original, or
    to an earlier copy of it, is right; none is a miss; another page is a false positive).
    Copies get their own ids, as they would from another source URL with another headline.
    """
    from ..cluster.dedup import Deduper

    pages = _page_texts(src, limit)
    ded = Deduper(None)
    origin: dict[str, str] = {}
    tp = fp = fn = 0
    per_kind = {k: [0, 0] for k in SYNDICATIONS}  # found, total
    for name, title, paras in pages:
        art = Article.from_paragraphs(name, paras, id=f"orig:{name}", title=title)
        hit = ded.check(art)
        fp += hit is not None
        ded.add(art, hit)
        origin[art.id] = name
    copies = [(name, kind, *syndicate(paras, title, kind)) for name, title, paras in pages for kind in SYNDICATIONS]
    random.Random(seed).shuffle(copies)
    for name, kind, new_title, new_paras in copies:
        art = Article.from_paragraphs(f"{kind}:{name}", new_paras, id=f"{kind}:{name}", title=new_title)
        hit = ded.check(art)
        per_kind[kind][1] += 1
        if hit is None:
            fn += 1
        elif origin.get(hit) == name:
            tp += 1
            per_kind[kind][0] += 1
        else:
            fp += 1
        ded.add(art, hit)
        origin[art.id] = name
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return {"pages": len(pages), "copies": len(copies), "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
            "recall_by_transformation": {k: round(f / t, 4) for k, (f, t) in per_kind.items() if t}}


if __name__ == "__main__":
    from ..config import load_settings

    args = sys.argv[1:]
    preds = None
    if "--predictions" in args:
        i = args.index("--predictions")
        preds = args[i + 1]
        del args[i : i + 2]
    do_sweep = "--sweep" in args
    args = [a for a in args if a != "--sweep"]
    paths = [Path(a) for a in args] or [Path("../shared/data/dev/clusters/ecbplus.tar.xz")]
    print(json.dumps(run(paths, load_settings(), predictions=preds, sweep_thresholds=do_sweep), indent=1))
