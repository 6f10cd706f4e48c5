"""Event coding against the public gold data.

- ``plover-gsr.json`` (PLOVER gold-standard records, CAMEO-manual sentences): each record's
  ``text`` is coded alone as a plain body; labels mapped FIGHT→ASSAULT, DEMAND→REQUEST,
  DISAPPROVE→ACCUSE, INVESTIGATE→ACCUSE exactly as ``shared/tools/score.py plover`` does.
  Metrics: top-1 type accuracy (first event), any-event accuracy, macro-F1 over the types that
  occur (score.py's definition), share of sentences coded, actor and recipient country-code F1
  and (type, actor, recipient) triple F1 (micro, first event against the record's codes).
- ``petrarch2-unittests/`` (CAMEO coder unit tests with fictional states): the actors of
  ``PETR.Validate.actors.txt`` are loaded as a user knowledge base, each ``<Text>`` is coded, and
  the first event's CAMEO root is compared with the gold codings' roots.
- labelled JSONL (the corpus schema of docs/annotation.md; a file or a folder of ``*.jsonl``,
  e.g. the shipped corpus with ``split="test"``): each sentence is run through the nlp stage and
  the coder alone; the first event (or none) is compared with the labels: event detection,
  per-class precision / recall / F1 and confusion matrices for PLOVER and ACLED sub-event types,
  the share of non-ACLED sentences coded as ACLED violence or protest, and the reliability table
  of the events' confidence.
"""

from __future__ import annotations

import collections
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import Analysis, Article, Event

PLOVER16 = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
OLD2NEW = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
CODE = re.compile(r"^[A-Z]{3}$")


# ------------------------------------------------------------------------------ services
def _kb(extra: list[Path]) -> Any:
    from ..kb import KnowledgeBase

    return KnowledgeBase.load(extra_paths=[str(p) for p in extra])


def _analyses(articles: list[Article], settings: Any, kb: Any) -> Iterator[Analysis]:
    """The nlp stage's analyses (its Analyzer batches with nlp.pipe)."""
    from ..nlp import Analyzer

    yield from Analyzer(settings, kb).analyze(articles)


def code_texts(
    items: list[tuple[str, str]], settings: Any, kb: Any, coder_name: str | None = None,
    model: str | None = None,
) -> dict[str, tuple[Event, ...]]:
    """Code each (id, text) alone as a plain body (coder: the setting's unless named)."""
    from ..events import get_coder

    coder = get_coder(coder_name or settings.coder, kb=kb, model=model or settings.coder_model)
    arts = [Article.from_paragraphs("eval", [t], id=i, title=None) for i, t in items]
    return {
        a.id: coder.code(a, an, ())
        for a, an in zip(arts, _analyses(arts, settings, kb), strict=True)
    }


# ------------------------------------------------------------------------------ PLOVER GSR
def plover_gold(path: Path) -> list[dict[str, Any]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalError(f"{path}: not a PLOVER gold JSON array ({exc})") from exc
    out, seen = [], collections.Counter[str]()
    for n, r in enumerate(records):
        ev = OLD2NEW.get(r.get("event"), r.get("event"))
        if ev in PLOVER16 and r.get("text"):
            seen[r["id"]] += 1
            rid = r["id"] if seen[r["id"]] == 1 else f"{r['id']}#{seen[r['id']]}"
            out.append({"id": rid, "record": n, "text": r["text"], "event": ev,
                        "source": _codes(r.get("source")), "target": _codes(r.get("target"))})  # fmt: skip
    return out


def _trained_records(path: Path) -> set[int]:
    """Record numbers of ``path`` that the shipped corpus references (they trained the shipped
    model, so the PLOVER score leaves them out)."""
    from ..events import corpus

    root = corpus.default_data_root()
    out: set[int] = set()
    for f in corpus.shipped_files():
        for line in f.read_text(encoding="utf-8").splitlines():
            ref = json.loads(line).get("ref") if '"record"' in line else None
            if isinstance(ref, dict) and root is not None and (root / str(ref.get("path"))).resolve() == path.resolve():
                out.add(int(ref["record"]))
    return out


def _codes(actors: Any) -> set[str]:
    if not isinstance(actors, list):
        return set()
    return {a["code"] for a in actors if isinstance(a, dict) and CODE.match(str(a.get("code", "")))}


def actor_code(a: Any, kb: Any) -> str | None:
    if a.country:
        return str(a.country)
    if a.entity_id and kb is not None:
        ent = kb.get(a.entity_id)
        kind = getattr(ent, "kind", None)
        if kind in ("igo", "ngo"):
            return str(kind).upper()
    return None


def _f1(tp: int, npred: int, ngold: int) -> float:
    return round(2 * tp / (npred + ngold), 4) if npred + ngold else 0.0


def score_plover(gold: list[dict[str, Any]], pred: dict[str, tuple[Event, ...]], kb: Any) -> dict[str, Any]:
    top1 = anyhit = coded = 0
    tp, fp, fn = collections.Counter[str](), collections.Counter[str](), collections.Counter[str]()
    cnt = {k: [0, 0, 0] for k in ("actor", "recipient", "triple")}
    for g in gold:
        evs = pred.get(g["id"], ())
        first = evs[0] if evs else None
        coded += first is not None
        ok = first is not None and first.type == g["event"]
        top1 += ok
        anyhit += any(e.type == g["event"] for e in evs)
        if ok:
            tp[g["event"]] += 1
        else:
            fn[g["event"]] += 1
            if first is not None:
                fp[first.type] += 1
        pa = {c for a in (first.actors if first else ()) if (c := actor_code(a, kb))}
        pr = {c for a in (first.recipients if first else ()) if (c := actor_code(a, kb))}
        for key, p, gg in (("actor", pa, g["source"]), ("recipient", pr, g["target"])):
            cnt[key][0] += len(p & gg)
            cnt[key][1] += len(p)
            cnt[key][2] += len(gg)
        none: set[str | None] = {None}
        gt = {(g["event"], s, t) for s in (g["source"] or none) for t in (g["target"] or none)}
        pt = {(first.type, s, t) for s in (pa or none) for t in (pr or none)} if first else set()
        cnt["triple"][0] += len(gt & pt)
        cnt["triple"][1] += len(pt)
        cnt["triple"][2] += len(gt)
    f1 = {
        c: 2 * tp[c] / (2 * tp[c] + fp[c] + fn[c]) for c in PLOVER16 if tp[c] + fp[c] + fn[c]
    }
    n = len(gold)
    return {
        "sentences": n,
        "coded": round(coded / n, 4),
        "top1_accuracy": round(top1 / n, 4),
        "any_accuracy": round(anyhit / n, 4),
        "macro_f1": round(sum(f1.values()) / len(f1), 4) if f1 else 0.0,
        "per_type_f1": {k: round(v, 4) for k, v in sorted(f1.items())},
        "actor_country_f1": _f1(*cnt["actor"]),
        "recipient_country_f1": _f1(*cnt["recipient"]),
        "triple_f1": _f1(*cnt["triple"]),
    }


# ------------------------------------------------------------------------------ PETRARCH
def petrarch_gold(folder: Path) -> list[dict[str, Any]]:
    path = folder / "PETR.UnitTest.records.xml"
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise EvalError(f"{path}: cannot read PETRARCH unit-test records ({exc})") from exc
    out: list[dict[str, Any]] = []
    for s in root.iter("Sentence"):
        text = " ".join((s.findtext("Text") or "").split())
        roots = {
            c.get("eventcode", "")[:2]
            for c in s.findall("EventCoding")
            if (c.get("eventcode") or "")[:2].isdigit()
        }
        if text and roots:
            out.append({"id": s.get("id") or f"s{len(out)}", "text": text, "roots": roots})
    return out


def score_petrarch(gold: list[dict[str, Any]], pred: dict[str, tuple[Event, ...]]) -> dict[str, Any]:
    top1 = anyhit = coded = 0
    for g in gold:
        evs = pred.get(g["id"], ())
        coded += bool(evs)
        top1 += bool(evs) and evs[0].cameo in g["roots"]
        anyhit += any(e.cameo in g["roots"] for e in evs)
    n = len(gold)
    return {
        "sentences": n,
        "coded": round(coded / n, 4),
        "root_top1_accuracy": round(top1 / n, 4),
        "root_any_accuracy": round(anyhit / n, 4),
    }


# ------------------------------------------------------------------------------ entry point
def _unique(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = collections.Counter[str](), list[dict[str, Any]]()
    for it in items:
        seen[it["id"]] += 1
        if seen[it["id"]] > 1:
            it = it | {"id": f"{it['id']}#{seen[it['id']]}"}
        out.append(it)
    return out


# ------------------------------------------------------------------------------ labelled JSONL
def score_labelled(examples: list[Any], pred: dict[str, tuple[Event, ...]]) -> dict[str, Any]:
    """Labelled sentences against each one's first coded event (or none)."""
    from ..events.training import score_coded

    firsts = [(pred.get(e.id) or (None,))[0] for e in examples]
    return score_coded(
        examples, [(f.type, f.acled_sub_event_type, f.confidence) if f else (None, None, 0.0) for f in firsts]
    )


def labelled(path: Path, split: str | None) -> list[Any]:
    from ..events import corpus

    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    # the shipped corpus, or one of its files: its splits are the hash splits it was trained with
    shipped = corpus.CORPUS_DIR.resolve() in (path.resolve(), path.resolve().parent)
    errors: list[Any] = []
    if shipped and split is None:
        split = "test"  # the shipped corpus trained the shipped model: only its test split scores it
    out = list(corpus.read(files, corpus.default_data_root(), errors if shipped else None, hash_split=shipped))
    if split:
        out = [e for e in out if e.split == split]
    if not out:
        raise EvalError(f"{path}: no labelled sentences{f' in split {split!r}' if split else ''}")
    return out


def run(data: list[Path], settings: Any, **options: Any) -> dict[str, Any]:
    coder_name = options.get("coder") or settings.coder
    model = options.get("model")
    out: dict[str, Any] = {}
    for path in data:
        path = Path(path)
        if path.suffix == ".jsonl" or (path.is_dir() and any(path.glob("*.jsonl"))):
            kb = _kb([])
            examples = labelled(path, options.get("split"))
            pred = code_texts([(e.id, e.text) for e in examples], settings, kb, coder_name, model)
            out["labelled" if "labelled" not in out else f"labelled:{path.name}"] = score_labelled(examples, pred) | {
                "data": str(path), "splits": sorted({e.split for e in examples}), "coder": coder_name,
            }  # fmt: skip
        elif path.is_file() and path.suffix == ".json":
            kb = _kb([])
            gold = plover_gold(path)
            pred = code_texts([(g["id"], g["text"]) for g in gold], settings, kb, coder_name, model)
            trained = _trained_records(path)
            held_out = [g for g in gold if g["record"] not in trained]
            out["plover"] = score_plover(held_out, pred, kb) | {"records": "not in the shipped corpus"}
            if trained:
                out["plover_all"] = score_plover(gold, pred, kb) | {"records": "all (the train share trained the model)"}
        elif path.is_dir() and (path / "PETR.UnitTest.records.xml").exists():
            kb = _kb([path / "PETR.Validate.actors.txt"])
            gold = _unique(petrarch_gold(path))
            pred = code_texts([(g["id"], g["text"]) for g in gold], settings, kb, coder_name, model)
            out["petrarch"] = score_petrarch(gold, pred)
        else:
            raise EvalError(
                f"{path}: not event gold data; pass plover-gsr.json, the petrarch2-unittests folder or labelled JSONL"
            )
    return out
