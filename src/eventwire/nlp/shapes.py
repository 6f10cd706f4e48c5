"""Weapons, platforms and units found by their shape and context, not by a list (data/shapes.yaml).

The KB and the lexicon only know the systems and formations written into them; news names many
more ("KC-135R Stratotanker", "3rd Battalion, 321st Field Artillery Regiment", "USS Hopper (DDG
70)", "Mk 48 torpedo"). The patterns in ``data/shapes.yaml`` are spaCy Matcher token patterns
(designation prefixes, ordinals before formation nouns, brackets around hull numbers); this
module runs them over a parsed doc and merges their matches into the mention spans of
:func:`.mentions.build`:

* a match that is, or partly overlaps, a KB or gazetteer span is dropped (the KB's reading and
  id win); one that holds a KB span of its own label takes that span's id ("MQ-9 Reaper" +
  "drones"), one that holds a KB span of another label replaces it ("ISIL" inside "the
  counter-ISIL coalition"); generic class nouns (``class-*``) count as lexicon;
* otherwise it replaces every model or lexicon span it overlaps; longest match wins.

spaCy's Matcher is used as is; the only code here is loading the YAML (word sets written once)
and the merge rule above. Patterns load once per vocabulary (dozens of patterns, milliseconds),
so they are not part of the ruler cache.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "shapes.yaml"
ID_PREFIX = "lex:shape:"


@lru_cache(maxsize=1)
def patterns(path: Path = DATA) -> tuple[tuple[str, str, list[dict[str, Any]], tuple[int, int] | None], ...]:
    """(label, name, token pattern, span slice) per entry of ``path``, with ``$set`` names expanded."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets: dict[str, list[Any]] = data.pop("sets", {}) or {}

    def expand(x: Any) -> Any:
        if isinstance(x, str) and x.startswith("$"):
            if x[1:] not in sets:
                raise ValueError(f"{path}: unknown set {x}")
            return list(sets[x[1:]])
        if isinstance(x, dict):
            return {k: expand(v) for k, v in x.items()}
        if isinstance(x, list):
            return [expand(v) for v in x]
        return x

    out = []
    for label, entries in data.items():
        for e in entries:
            span = tuple(e["span"]) if e.get("span") else None
            out.append((str(label), str(e["name"]), expand(e["pattern"]), span))  # type: ignore[arg-type]
    return tuple(out)


_LOCK = threading.Lock()
_MATCHERS: dict[int, tuple[Any, Any]] = {}


def _matcher(vocab: Any) -> Any:
    with _LOCK:
        hit = _MATCHERS.get(id(vocab))
        if hit is not None and hit[0] is vocab:
            return hit[1]
        from spacy.matcher import Matcher

        m = Matcher(vocab, validate=True)
        for label, name, pat, _ in patterns():
            m.add(f"{label}|{name}", [pat], greedy="LONGEST")
        _MATCHERS[id(vocab)] = (vocab, m)  # the vocab kept alive so its id is never reused
        return m


def find(doc: Any) -> list[list[Any]]:
    """Non-overlapping shape matches of ``doc`` as ``[start, end, label, id]`` (longest first)."""
    slices = {f"{label}|{name}": span for label, name, _, span in patterns()}
    found = []
    for key_hash, s, e in _matcher(doc.vocab)(doc):
        key = doc.vocab.strings[key_hash]
        sl = slices[key]
        if sl is not None:
            toks = list(range(s, e))[sl[0] : sl[1]]
            if not toks:
                continue
            s, e = toks[0], toks[-1] + 1
        label, name = key.split("|", 1)
        found.append([s, e, label, ID_PREFIX + name])
    found.sort(key=lambda sp: (-(sp[1] - sp[0]), sp[0]))
    out: list[list[Any]] = []
    for sp in found:
        if all(sp[1] <= o[0] or sp[0] >= o[1] for o in out):
            out.append(sp)
    return sorted(out, key=lambda sp: sp[0])


def _kb_span(sp: list[Any]) -> bool:
    """A span the KB (a specific entity, not a generic ``class-*`` noun) or the gazetteer matched."""
    eid = sp[3] or ""
    return eid == "geo" or (eid != "" and not eid.startswith(("lex:", "class-")))


def merge(doc: Any, spans: list[list[Any]]) -> list[list[Any]]:
    """``spans`` with the shape matches of ``doc`` merged in (module doc)."""
    shapes = find(doc)
    if not shapes:
        return spans
    out = list(spans)
    for sh in shapes:
        over = [o for o in out if o[0] < sh[1] and sh[0] < o[1]]
        kb = [o for o in over if _kb_span(o)]
        if any(o[0] < sh[0] or o[1] > sh[1] or (o[0], o[1]) == (sh[0], sh[1]) for o in kb):
            continue  # the KB's span reaches outside the match, or is the match: the KB's reading
        sh = list(sh)
        same = [o for o in kb if o[2] == sh[2]]
        if same:  # "MQ-9 Reaper" (KB) + "drones": the longer name, the KB's id
            sh[3] = same[0][3]
        out = [o for o in out if not any(o is x for x in over)] + [sh]
    return sorted(out, key=lambda sp: sp[0])


__all__ = ["patterns", "find", "merge", "ID_PREFIX"]
