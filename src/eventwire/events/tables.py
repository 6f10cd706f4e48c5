"""The coder's data tables (trigger lexicon, PLOVER → CAMEO/ACLED mapping, demonyms, sectors).

Everything lives under ``events/data/`` as TSV/YAML so the choices can be read and changed without
touching code; docs/events.md explains them. Tables load once per process (``functools.cache``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ModelError

DATA = Path(__file__).parent / "data"

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One trigger-lexicon row (see the header of data/lexicon.tsv)."""

    lemma: str
    pos: str  # V, N or *
    cue: frozenset[str]
    kind: str  # act | wrap
    type: str
    mode: str | None
    context: str | None
    cameo: str
    sense: str
    order: int


def _tsv(name: str) -> list[list[str]]:
    path = DATA / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - broken install
        raise ModelError(f"{path}: events data table missing; reinstall eventwire") from exc
    return [
        line.rstrip("\n").split("\t")
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@cache
def lexicon() -> dict[str, tuple[Row, ...]]:
    """Rows by trigger key (lemma or "lemma particle"), most specific first."""
    rows = _tsv("lexicon.tsv")
    header, body = rows[0], rows[1:]
    out: dict[str, list[Row]] = {}
    for i, cols in enumerate(body):
        if len(cols) != len(header):
            raise ModelError(f"lexicon.tsv row {i + 2}: {len(cols)} columns, want {len(header)}")
        r = dict(zip(header, cols, strict=True))
        if r["type"] not in PLOVER_TYPES:
            raise ModelError(f"lexicon.tsv row {i + 2}: unknown PLOVER type {r['type']!r}")
        row = Row(
            lemma=r["lemma"],
            pos=r["pos"],
            cue=frozenset() if r["cue"] == "-" else frozenset(r["cue"].split("|")),
            kind=r["kind"],
            type=r["type"],
            mode=None if r["mode"] == "-" else r["mode"],
            context=None if r["context"] == "-" else r["context"],
            cameo=r["cameo"],
            sense=r["sense"],
            order=i,
        )
        out.setdefault(row.lemma, []).append(row)
    return {k: tuple(sorted(v, key=lambda x: (not x.cue, x.order))) for k, v in out.items()}


@cache
def types() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((DATA / "types.yaml").read_text(encoding="utf-8"))
    missing = set(PLOVER_TYPES) - set(data)
    if missing:
        raise ModelError(f"types.yaml lacks {sorted(missing)}")
    return data  # type: ignore[no-any-return]


@cache
def demonyms() -> dict[str, str]:
    """Lower-cased country names, capitals and nationality words → ISO alpha-3."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name:
                out[name.lower()] = c.alpha_3
    for word, code in _tsv("demonyms.tsv"):
        out[word] = code
    # plurals of nationality nouns ("Serbs", "Palestinians", "Afghans")
    for word, code in list(out.items()):
        if word.endswith(("an", "i", "b", "k", "e", "d", "t", "h")) and " " not in word:
            out.setdefault(word + "s", code)
    return out


@dataclass(frozen=True)
class Frames:
    """Story-frame lemmas (data/frames.yaml)."""

    min_crime: int
    crime_per_conflict: int
    crime: frozenset[str]
    conflict: frozenset[str]


@cache
def frames() -> Frames:
    data = yaml.safe_load((DATA / "frames.yaml").read_text(encoding="utf-8"))
    try:
        return Frames(int(data["min_crime"]), int(data["crime_per_conflict"]), frozenset(data["crime"]), frozenset(data["conflict"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"frames.yaml: want min_crime, crime and conflict ({exc})") from exc


@cache
def sectors() -> dict[str, str]:
    return {w: s for w, s in _tsv("sectors.tsv")}


def acled(type_: str, mode: str | None, context: str | None, sense: str | None) -> tuple[str, str] | None:
    """ACLED (event type, sub-event type) for a PLOVER event, or None if ACLED would not record it."""
    t = types()[type_]
    for key, val in (("acled_by_sense", sense), ("acled_by_mode", mode), ("acled_by_context", context)):
        hit = (t.get(key) or {}).get(val)
        if hit:
            return hit[0], hit[1]
    d = t.get("acled")
    return (d[0], d[1]) if d else None


def cameo_root(type_: str, mode: str | None, code: str | None) -> str:
    """Two-digit CAMEO root: from the trigger row's code, else the type/mode table."""
    if code and code[:2].isdigit():
        return code[:2]
    t = types()[type_]
    return str((t.get("cameo_by_mode") or {}).get(mode) or t["cameo"])


@cache
def acled_types() -> dict[str, tuple[str, str]]:
    """ACLED sub-event type → (event type, usual PLOVER type), from data/acled.tsv (all 25)."""
    out = {sub: (etype, plover) for etype, sub, plover in _tsv("acled.tsv")}
    bad = {p for _, p in out.values()} - set(PLOVER_TYPES)
    if len(out) != 25 or bad:
        raise ModelError(f"acled.tsv: want 25 sub-event types with PLOVER types, got {len(out)} ({bad or ''})")
    return out
