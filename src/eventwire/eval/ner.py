"""NER evaluation: the nlp stage against bare en_core_web_sm, same documents, same run.

Data (``DEFAULT_DATA["ner"]``):

* re3d (``dev/ner/re3d/<source>/{documents,entities}.json``): gold spans with confidence ≥ 0.5,
  our labels mapped onto re3d's types exactly as ``shared/tools/score.py`` does (``RE3D_MAP``);
  re3d types we have no label for (Quantity, Vehicle, DocumentReference, ...) are not scored.
* GUM news (``dev/ner/gum-news/*.conllu``): entity brackets in MISC. Only *named* mentions are
  scored — those whose syntactic head is a proper noun (XPOS NNP/NNPS) — with the gold span cut
  down to the run of proper nouns around that head, across "of"/"the"/"and"/hyphens inside it
  ("the Church of Scientology's" → "Church of Scientology"). Predicted spans of both systems
  lose a leading article and a trailing "'s" the same way before matching. Types: person →
  PERSON, organization → every organisation label, place → GPE/LOC/FAC.

Each document is fed as a plain body (offsets are the document text exactly). Metrics per
dataset and system: exact-span and overlap precision/recall/F1 per type and micro-averaged.

Leave-one-source-out (re3d, ``result["re3d"]["loso"]``): re3d is split by source folder (CENTCOM,
UK Government, ...), and each folder is scored on its own as text from a source the system was not
tuned on — ``loso["sources"][<folder slug>]`` holds the folder's metrics for both systems and
``loso["eventwire"]`` the micro-average over all held-out folders' mentions together (plus
``macro_f1``, the mean of the folders' exact micro-F1). Anything fitted on gold is fitted per
fold on the *other* folders only: ``run(..., fit=f)`` calls ``f(train_docs, train_preds)`` once
per folder and applies the returned function to that folder's predictions (the plain system
fits nothing, so its held-out predictions are its ordinary ones).
"""

from __future__ import annotations

import collections
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import EvalError

RE3D_MAP = {
    "Organisation": {"ORG", "ARMED_GROUP", "STATE_FORCES", "GOVERNMENT", "COMPANY", "IGO", "MEDIA",
                     "MILITARY_UNIT", "POLITICAL_PARTY", "NGO"},
    "Person": {"PERSON"}, "Location": {"GPE", "LOC", "FAC"}, "Nationality": {"NORP"},
    "Weapon": {"WEAPON"}, "MilitaryPlatform": {"MILITARY_PLATFORM"}, "Money": {"MONEY"},
    "Temporal": {"DATE", "TIME"},
}
GUM_MAP = {
    "person": {"PERSON"},
    "organization": RE3D_MAP["Organisation"],
    "place": {"GPE", "LOC", "FAC"},
}

Gold = set[tuple[int, int, str]]
Doc = tuple[str, str, Gold]  # id, text, gold


# ------------------------------------------------------------------ data
def _jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"{path}:{n}: not JSON ({exc.msg}); is this a re3d export?") from exc


def load_re3d(root: Path) -> list[Doc]:
    return [d for docs in re3d_sources(root).values() for d in docs]


def slug(name: str) -> str:
    """A folder name as a metric key ("UK Government" → "uk-government")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def re3d_sources(root: Path) -> dict[str, list[Doc]]:
    """re3d's documents by source folder (slug → docs, folders in name order)."""
    subs = sorted(p for p in root.iterdir() if p.is_dir() and (p / "documents.json").exists())
    if not subs:
        raise EvalError(f"{root}: no <source>/documents.json inside; pass the re3d folder")
    out: dict[str, list[Doc]] = {}
    for sub in subs:
        docs: dict[str, str] = {}
        gold: dict[str, Gold] = collections.defaultdict(set)
        for d in _jsonl(sub / "documents.json"):
            docs[d["_id"]] = d["text"]
        for e in _jsonl(sub / "entities.json"):
            if e.get("confidence", 0) >= 0.5 and e["type"] in RE3D_MAP:
                gold[e["documentId"]].add((int(e["begin"]), int(e["end"]), e["type"]))
        out[slug(sub.name)] = [(i, t, gold.get(i, set())) for i, t in docs.items()]
    return out


# One bracket of GUM's Entity= value: "(ID-etype-...)" (one token), "(ID-etype-..." (opens) or "ID)" (closes).
_ENT = re.compile(r"\((\d+)-([a-z]+)[^()]*(\))?|(\d+)\)")


def load_gum(path: Path) -> list[Doc]:
    files = sorted(path.glob("*.conllu")) if path.is_dir() else [path]
    if not files:
        raise EvalError(f"{path}: no .conllu files")
    return [_gum_doc(f) for f in files]


def _gum_doc(path: Path) -> Doc:
    text_parts: list[str] = []
    pos = 0
    toks: list[tuple[int, int, str, int, int]] = []  # start, end, upos, head (global idx), sent base
    mentions: list[tuple[int, int, str]] = []  # first tok, last tok, etype
    open_: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    base = 0
    sent_first = True
    newpar = False
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("#"):
            if raw.startswith("# newpar"):
                newpar = True
            continue
        if not raw.strip():
            base = len(toks)
            sent_first = True
            continue
        cols = raw.split("\t")
        if len(cols) != 10:
            raise EvalError(f"{path}:{n}: {len(cols)} columns, CoNLL-U has 10")
        if "-" in cols[0] or "." in cols[0]:
            continue
        if sent_first and text_parts:
            sep = "\n\n" if newpar else " "
            if not text_parts[-1].endswith((" ", "\n")):
                text_parts.append(sep)
                pos += len(sep)
        sent_first = newpar = False
        form = cols[1]
        start = pos
        text_parts.append(form)
        pos += len(form)
        head = int(cols[6]) if cols[6].isdigit() else 0
        idx = len(toks)
        # Proper-noun-ness from XPOS (NNP/NNPS): GUM's UPOS calls the "United" of "United
        # States" a VERB, its XPOS says NNP.
        upos = "PROPN" if cols[4].startswith("NNP") else ("DET" if cols[4] == "HYPH" else cols[3])
        toks.append((start, pos, upos, base + head - 1 if head else -1, base))
        misc = cols[9]
        if "SpaceAfter=No" not in misc:
            text_parts.append(" ")
            pos += 1
        m = re.search(r"(?:^|\|)Entity=([^|]*)", misc)
        if m:
            for em in _ENT.finditer(m.group(1)):
                if em.group(1):
                    if em.group(3):
                        mentions.append((idx, idx, em.group(2)))
                    else:
                        open_[em.group(1)].append((idx, em.group(2)))
                elif em.group(4) and open_.get(em.group(4)):
                    first, et = open_[em.group(4)].pop()
                    mentions.append((first, idx, et))
    text = "".join(text_parts).rstrip()
    gold: Gold = set()
    for first, last, et in mentions:
        if et not in GUM_MAP:
            continue
        inside = range(first, last + 1)
        heads = [i for i in inside if not (first <= toks[i][3] <= last)]
        if not heads or toks[heads[0]][2] != "PROPN":
            continue
        h = heads[0]
        a = b = h
        # The name is the run of proper nouns around the head, across "of"/"and"/"the" inside it
        # ("Church of Scientology", "University of Southern Indiana").
        while a - 1 >= first and (toks[a - 1][2] == "PROPN" or (
                toks[a - 1][2] in ("ADP", "DET", "CCONJ") and a - 2 >= first and toks[a - 2][2] == "PROPN")):
            a -= 1
        while b + 1 <= last and (toks[b + 1][2] == "PROPN" or (
                toks[b + 1][2] in ("ADP", "DET", "CCONJ") and b + 2 <= last and toks[b + 2][2] == "PROPN")):
            b += 1
        gold.add((toks[a][0], toks[b][1], et))
    return (path.stem, text, gold)


def load(path: Path) -> tuple[str, list[Doc], dict[str, set[str]]]:
    path = Path(path)
    if path.is_dir() and any(p.is_dir() and (p / "documents.json").exists() for p in path.iterdir()):
        return "re3d", load_re3d(path), RE3D_MAP
    if (path.is_dir() and any(path.glob("*.conllu"))) or path.suffix == ".conllu":
        return "gum-news", load_gum(path), GUM_MAP
    raise EvalError(f"{path}: neither a re3d folder nor CoNLL-U (GUM) data")


# ------------------------------------------------------------------ systems
def predict_eventwire(docs: list[Doc], settings: Any, kb: Any = None) -> list[list[tuple[int, int, str]]]:
    from ..nlp import Analyzer
    from ..records import Article

    analyzer = Analyzer(settings, kb)
    arts = [Article(id=i, source=i, title=None, body=t, paragraphs=((0, len(t)),)) for i, t, _ in docs]
    return [[(m.start, m.end, m.label) for m in a.mentions] for a in analyzer.analyze(arts)]


def predict_bare(docs: list[Doc], settings: Any) -> list[list[tuple[int, int, str]]]:
    from ..nlp.model import load_base

    nlp = load_base()
    bs = int(getattr(settings, "batch_size", 32) or 32)
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe([t for _, t, _ in docs], batch_size=bs)]


# ------------------------------------------------------------------ scoring
def _prf(tp_p: int, npred: int, tp_g: int, ngold: int) -> dict[str, float]:
    p = tp_p / npred if npred else 0.0
    r = tp_g / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "pred": npred, "gold": ngold}


_DET = re.compile(r"^(?:the|The|a|an|A|An)\s+")
_POSS = re.compile(r"\s*['’]s$")


def _strip_det(text: str, s: int, e: int) -> tuple[int, int]:
    """A predicted span without a leading article or trailing possessive (GUM's gold is cut to
    the name, see module doc; both systems are cut the same way)."""
    m = _DET.match(text[s:e])
    if m and e - s > m.end():
        s += m.end()
    m = _POSS.search(text[s:e])
    if m and m.start() > 0:
        e = s + m.start()
    return s, e


def score(docs: list[Doc], preds: list[list[tuple[int, int, str]]], types: dict[str, set[str]],
          strip_det: bool = False) -> dict[str, Any]:
    lab2type = {lab: t for t, labs in types.items() for lab in labs}
    ex: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])  # tp, npred, ngold
    ov: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])  # tp_pred, npred, tp_gold, ngold
    for (_, text, gold), pred in zip(docs, preds, strict=True):
        p = {(s, e, lab2type[lab]) for s, e, lab in pred if lab in lab2type}
        if strip_det:
            p = {_strip_det(text, s, e) + (t,) for s, e, t in p}
        for t in types:
            gt = {x for x in gold if x[2] == t}
            pt = {x for x in p if x[2] == t}
            ex[t][0] += len(gt & pt)
            ex[t][1] += len(pt)
            ex[t][2] += len(gt)
            ov[t][0] += sum(any(g[0] < y[1] and y[0] < g[1] for g in gt) for y in pt)
            ov[t][1] += len(pt)
            ov[t][2] += sum(any(g[0] < y[1] and y[0] < g[1] for y in pt) for g in gt)
            ov[t][3] += len(gt)
    out: dict[str, Any] = {"exact": {}, "overlap": {}}
    for t in types:
        out["exact"][t] = _prf(ex[t][0], ex[t][1], ex[t][0], ex[t][2])
        out["overlap"][t] = _prf(*ov[t])
    tot = [sum(v[i] for v in ex.values()) for i in range(3)]
    out["exact"]["micro"] = _prf(tot[0], tot[1], tot[0], tot[2])
    tot_o = [sum(v[i] for v in ov.values()) for i in range(4)]
    out["overlap"]["micro"] = _prf(*tot_o)
    return out


Pred = list[tuple[int, int, str]]
#: ``fit(train_docs, train_preds)`` → a function from (docs, preds) to new preds (see module doc).
Fit = Any


def loso(sources: dict[str, list[Doc]], ours: dict[str, list[Pred]], bare: dict[str, list[Pred]],
         types: dict[str, set[str]], fit: Fit = None) -> dict[str, Any]:
    """Leave-one-source-out metrics (module doc): each folder scored with whatever ``fit``
    learns from the other folders only."""
    per: dict[str, Any] = {}
    held_docs: list[Doc] = []
    held_preds: list[Pred] = []
    for name, docs in sources.items():
        preds = ours[name]
        if fit is not None:
            train_docs = [d for o, ds in sources.items() if o != name for d in ds]
            train_preds = [p for o in sources if o != name for p in ours[o]]
            preds = fit(train_docs, train_preds)(docs, preds)
        held_docs += docs
        held_preds += preds
        per[name] = {"docs": len(docs), "eventwire": score(docs, preds, types), "bare": score(docs, bare[name], types)}
    f1s = [m["eventwire"]["exact"]["micro"]["f1"] for m in per.values()]
    return {
        "sources": per,
        "eventwire": score(held_docs, held_preds, types),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
    }


def run(data: list[Path], settings: Any, kb: Any = None, out: str | None = None, **options: Any) -> dict[str, Any]:
    """Metrics ``{dataset: {"docs", "eventwire": {...}, "bare": {...}}}`` (re3d also ``"loso"``,
    see module doc; ``fit=`` a per-fold learner); ``out`` writes our predictions as JSONL
    ``{"id", "mentions"}`` (the external scorer's input) for the last dataset."""
    if kb is None and options.get("use_kb", True):
        try:
            from ..kb import KnowledgeBase

            kb = KnowledgeBase.load(getattr(settings, "kb_paths", []) or [])
        except ImportError:  # the KB stage not installed: rulers without actor patterns
            kb = None
    result: dict[str, Any] = {}
    for path in data:
        name, docs, types = load(Path(path))
        ours = predict_eventwire(docs, settings, kb)
        bare = predict_bare(docs, settings)
        cut = name == "gum-news"
        result[name] = {
            "docs": len(docs),
            "eventwire": score(docs, ours, types, strip_det=cut),
            "bare": score(docs, bare, types, strip_det=cut),
        }
        if name == "re3d":
            sources = re3d_sources(Path(path))
            cut_at: dict[str, tuple[int, int]] = {}
            k = 0
            for src, sdocs in sources.items():
                cut_at[src] = (k, k + len(sdocs))
                k += len(sdocs)
            result[name]["loso"] = loso(
                sources, {s: ours[a:b] for s, (a, b) in cut_at.items()},
                {s: bare[a:b] for s, (a, b) in cut_at.items()}, types, options.get("fit"),
            )  # fmt: skip
        if out:
            with open(out, "w", encoding="utf-8") as fh:
                for (i, _, _), pred in zip(docs, ours, strict=True):
                    fh.write(json.dumps({"id": i, "mentions": [{"start": s, "end": e, "label": lab} for s, e, lab in pred]}) + "\n")
    return result


def table(metrics: dict[str, Any]) -> str:
    """The metrics as a text table: ours beside bare en_core_web_sm, per type and micro."""
    lines = []
    for ds, m in metrics.items():
        lines.append(f"{ds} ({m['docs']} docs)   exact F1 ours / bare    overlap F1 ours / bare   (exact P/R ours)")
        for t in m["eventwire"]["exact"]:
            a, b = m["eventwire"]["exact"][t], m["bare"]["exact"][t]
            c, d = m["eventwire"]["overlap"][t], m["bare"]["overlap"][t]
            lines.append(
                f"  {t:18s} {a['f1']:.3f} / {b['f1']:.3f}          {c['f1']:.3f} / {d['f1']:.3f}"
                f"           {a['p']:.3f}/{a['r']:.3f} (gold {a['gold']})"
            )
        if "loso" in m:
            lo = m["loso"]
            lines.append(f"  leave-one-source-out: exact micro F1 {lo['eventwire']['exact']['micro']['f1']:.3f}"
                         f" (macro over sources {lo['macro_f1']:.3f})")
            for src, sm in lo["sources"].items():
                a, b = sm["eventwire"]["exact"]["micro"], sm["bare"]["exact"]["micro"]
                lines.append(f"    {src:42s} {a['f1']:.3f} / {b['f1']:.3f}   P/R {a['p']:.3f}/{a['r']:.3f}"
                             f" (gold {a['gold']}, {sm['docs']} docs)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m eventwire.eval.ner [DATA...] [--out PRED.jsonl]``: print the table and the JSON."""
    from ..config import load_settings
    from . import DEFAULT_DATA

    args = list(sys.argv[1:] if argv is None else argv)
    out = None
    if "--out" in args:
        i = args.index("--out")
        out = args[i + 1]
        del args[i : i + 2]
    data = [Path(a) for a in args] or [Path(p) for p in DEFAULT_DATA["ner"]]
    metrics = run(data, load_settings(), out=out)
    print(table(metrics))
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
