"""The actor knowledge base: load, look up, resolve, and feed the nlp stage's entity ruler.

Load order (later sources win ambiguous aliases): generated countries (``countries.py``), the
package family files (``data/*.yaml``), then user files in the order given. A user entity with the
id of a shipped one replaces it. The compiled index is pickled under the user cache directory,
keyed by a hash of every input file, so a warm load reads one file (see ``python -m
eventwire.kb.measure``).

Resolution order in :meth:`KnowledgeBase.resolve` (first hit wins):

1. exact alias match on the normalised key (casefold, diacritics, apostrophes, hyphens, Arabic
   ``al-``/``ash-`` articles, leading "the", possessive "'s" folded by :func:`normalize.key`);
2. the same after dropping a trailing member noun ("Hezbollah fighters" -> "Hezbollah"; a
   "government spokesperson" falls through to step 4);
3. a demonym or country name alone ("Syrian" -> the state SYR);
4. a bare role phrase ("the Defense Ministry", "the army", "regime forces") resolved to that
   role of the country the context names most;
5. a generic description ("Iranian proxy militia", "Turkish-backed rebels"): an entity outside
   the KB, id ``generic:...``, kind armed_group, with the sponsor as a backed_by relation;
6. fuzzy match (rapidfuzz ``ratio`` on the keys, threshold measured by ``measure.py``).

Among several candidates for one key, the order is: compatible with the mention label, valid on
``on``, spelled exactly so (case included), home or operating country named in the context, then
load priority. The context's countries are computed only when a step needs them.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import os
import pickle
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Entity, Relation
from . import countries as _countries
from .normalize import fold, key, surface_variants
from .petrarch import read_petrarch
from .schema import RELATION_TYPES, read_entities, read_yaml

DATA_DIR = Path(__file__).parent / "data"
_CACHE_KEEP = 8
#: Bump when the compiled index layout or generation rules change (invalidates caches).
INDEX_VERSION = "kb-index-3"

#: Mention label of each entity kind (the labels of the nlp stage's entity ruler).
KIND_LABELS = {
    "state": "GPE",
    "state_forces": "STATE_FORCES",
    "government": "GOVERNMENT",
    "armed_group": "ARMED_GROUP",
    "political_party": "POLITICAL_PARTY",
    "company": "COMPANY",
    "igo": "IGO",
    "ngo": "NGO",
    "media": "MEDIA",
    "person": "PERSON",
    "military_unit": "MILITARY_UNIT",
    "weapon": "WEAPON",
    "platform": "MILITARY_PLATFORM",
}
# Mention labels (ours and spaCy's) -> kinds they are compatible with. A label not listed (PERSON
# included: the small model tags "Kataib al-Imam Ali" PERSON) accepts every kind.
_LABEL_KINDS = {
    "GPE": {"state", "government"},
    "NORP": {"state", "armed_group", "political_party"},
    "LOC": {"state"},
    "ORG": set(KIND_LABELS) - {"state", "person", "weapon", "platform"},
    "WEAPON": {"weapon"},
    "MILITARY_PLATFORM": {"platform"},
    "PRODUCT": {"weapon", "platform"},
    **{
        lab: {k}
        for k, lab in KIND_LABELS.items()
        if lab not in ("GPE", "PERSON", "WEAPON", "MILITARY_PLATFORM")
    },
}
# Fuzzy matching: candidates shorter than this are acronyms or short words where one edit is a
# different name ("ADF" / "AFD"), so only exact matches count.
_FUZZY_MIN_LEN = 6
#: rapidfuzz ``ratio`` cut-off for fuzzy alias matches, set by ``python -m eventwire.kb.measure fuzzy``
#: (1,484 aliases with 1-2 random edits, seed 13): at 88 the top hit is right 100% of the time,
#: 88% of misspellings resolve, and a name absent from the KB is matched to some other entity 1.3%
#: of the time (86: 93% / 2.5%; 90: 80% / 0.7%). Unknown names dominate real text, so we take 88.
FUZZY_THRESHOLD = 88.0

# Trailing nouns that name members or parts of an actor, not another actor.
_HEADS = frozenset(
    """fighters fighter militants militant militiamen members member group groups terrorists
    terrorist rebels rebel forces troops units operatives commanders commander militia militias
    movement organization organisation insurgents insurgent jihadists jihadist mercenaries
    mercenary supporters loyalists spokesman spokesperson spokeswoman officials official leaders
    leader leadership gunmen gunman positions elements cells cell network soldiers personnel""".split()
)
# Bare role phrases (after key()) -> generated role suffix; resolved with the context's country.
_ROLE_PHRASES = {
    **dict.fromkeys(
        [
            "army",
            "military",
            "armed forces",
            "troops",
            "soldiers",
            "government forces",
            "government troops",
            "pro-government forces",
            "regime troops",
            "junta troops",
            "regime forces",
            "security forces",
            "defence forces",
            "defense forces",
            "junta forces",
        ],
        "mil",
    ),
    **dict.fromkeys(["navy", "naval forces"], "navy"),
    **dict.fromkeys(["air force", "air forces"], "af"),
    **dict.fromkeys(
        [
            "defence ministry",
            "defense ministry",
            "ministry of defence",
            "ministry of defense",
            "defence department",
            "defense department",
            "department of defense",
            "ministry of national defense",
            "ministry of national defence",
        ],
        "mod",
    ),
    **dict.fromkeys(["foreign ministry", "ministry of foreign affairs", "foreign office"], "mfa"),
    **dict.fromkeys(
        [
            "interior ministry",
            "ministry of interior",
            "ministry of the interior",
            "ministry of internal affairs",
        ],
        "moi",
    ),
    **dict.fromkeys(["police", "police forces", "national police"], "police"),
    **dict.fromkeys(
        [
            "government",
            "regime",
            "authorities",
            "junta",
            "cabinet",
            "administration",
            "central government",
            "federal government",
        ],
        "gov",
    ),
    **dict.fromkeys(["intelligence services", "intelligence service", "intelligence agency"], "intel"),
}
_GENERATED = re.compile(r"^[A-Z]{3}(-[a-z]+)?$")  # ids made by countries.py: SYR, SYR-mod
_WORD = re.compile(r"\w[\w.]*")  # no apostrophes: "Israel's" starts with "Israel"
_MILITIA = re.compile(r"\b(militia|militias|militiamen|paramilitar\w*|mercenar\w*)\b", re.I)
_ARMED = re.compile(
    r"\b(militia|militias|militiamen|paramilitar\w*|mercenar\w*|rebels?|insurgents?|jihadists?|"
    r"militants?|fighters?|gunmen|armed groups?|proxy|proxies|factions?|guerrillas?|terrorists?)\b",
    re.I,
)
_SPONSORED = re.compile(
    r"(?:[-‐ ](?:backed|sponsored|supported|aligned|allied|funded|armed)\b)|\bprox(?:y|ies)\b|\bpro[-‐ ]|"
    r"\b(?:backed|sponsored|supported|funded|armed) by\b|\bloyal to\b",
    re.I,
)


# Multi-word role phrases worth tagging in text although their country comes only from context:
# emitted as patterns with id "role:<suffix>" (not a KB id); resolve() maps them to the country
# the context names ("regime forces" near "Syrian" -> SYR-mil).
_ROLE_PATTERNS = {
    "regime forces": "mil",
    "regime troops": "mil",
    "government forces": "mil",
    "government troops": "mil",
    "pro-government forces": "mil",
    "junta forces": "mil",
    "junta troops": "mil",
    "security forces": "mil",
    "defence forces": "mil",
    "defense forces": "mil",
}
_ROLE_LABELS = {"mil": "STATE_FORCES", "gov": "GOVERNMENT"}


def label_of(entity: Entity) -> str:
    """The mention label for an entity's kind ("armed_group" -> "ARMED_GROUP")."""
    return KIND_LABELS.get(entity.kind, "ORG")


@dataclass
class _Index:
    """Everything :class:`KnowledgeBase` looks things up in; pickled as the load cache."""

    entities: dict[str, Entity]
    aliases: dict[str, list[str]]  # key -> ids, best first
    demonyms: dict[str, str]  # folded demonym -> alpha-3
    country_names: dict[str, str]  # key of a country name -> alpha-3
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_ids: list[list[str]] = field(default_factory=list)
    surface: list[tuple[str, str]] = field(default_factory=list)  # (text, alpha-3) to scan context
    # (label, pattern, id): tuples unpickle 3-4x faster than dicts (measured: 0.06 s vs 0.22 s)
    patterns: list[tuple[str, str, str]] = field(default_factory=list)


def _cache_dir() -> Path:
    from ..cache import cache_dir

    return cache_dir()


def _sources(extra: list[Path], package: bool) -> list[Path]:
    pkg = [DATA_DIR / "countries.yaml"] + sorted(
        p for p in DATA_DIR.glob("*.yaml") if p.name != "countries.yaml"
    )
    return (pkg if package else []) + extra


def _fingerprint(paths: list[Path], package: bool) -> str:
    h = hashlib.sha256(f"{INDEX_VERSION}|{package}".encode())
    # pycountry's data changes with its version: key on its ISO 3166 file without importing it
    # (importlib.metadata costs ~10 ms of a warm load).
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.origin:
        data = Path(spec.origin).parent / "databases" / "iso3166-1.json"
        with contextlib.suppress(OSError):
            st = data.stat()
            h.update(f"{data}|{st.st_size}|{st.st_mtime_ns}".encode())
    for code in sorted(Path(__file__).parent.glob("*.py")):  # generation rules live in the code
        h.update(code.read_bytes())
    for p in paths:
        h.update(str(p.resolve()).encode())
        try:
            h.update(p.read_bytes())
        except OSError as exc:
            raise ConfigError(f"knowledge-base file {p}: cannot read it ({exc})") from exc
    return h.hexdigest()[:24]


def _read_user_file(path: Path, countries: frozenset[str]) -> list[Entity]:
    if path.suffix.lower() == ".txt":
        return list(read_petrarch(path))
    return list(read_entities(path, countries))


def _build(extra: list[Path], package: bool) -> _Index:
    facts: dict[str, dict[str, Any]] = {}
    layers: list[tuple[str, list[Entity]]] = []
    import pycountry  # only when building: a warm load never needs it

    a3s = frozenset([c.alpha_3 for c in pycountry.countries] + ["XKX"])
    # User files first, so a malformed one fails before the package data is built.
    user = [(str(p), _read_user_file(p, a3s)) for p in extra]
    if package:
        facts = read_yaml(DATA_DIR / "countries.yaml") or {}
        layers.append(("countries.yaml", list(_countries.generate(facts))))
        for p in _sources([], True)[1:]:
            layers.append((str(p), list(read_entities(p, a3s))))
    layers += user

    entities: dict[str, Entity] = {}
    origin: dict[str, str] = {}
    for src, ents in layers:
        for e in ents:
            if e.id in entities and origin[e.id] == src:
                raise ConfigError(f"{src}: entity id {e.id!r} is defined twice")
            entities[e.id] = e  # a later source replaces an earlier entity with the same id
            origin[e.id] = src
    for e in entities.values():
        for r in e.relations:
            if r.target not in entities:
                raise ConfigError(
                    f"{origin[e.id]} ({e.id}): {r.type} target {r.target!r} is not an entity id in the KB"
                )

    # Alias index: later layers first, so user files win ambiguous names.
    rank = {src: i for i, (src, _) in enumerate(layers)}
    ordered = sorted(entities.values(), key=lambda e: -rank[origin[e.id]])
    aliases: dict[str, list[str]] = {}
    for e in ordered:
        for name in (e.name, *e.aliases):
            k = key(name)
            if not k:
                continue
            ids = aliases.setdefault(k, [])
            if e.id not in ids:
                ids.append(e.id)

    demonyms = {fold(d): a3 for d, a3 in _countries.demonyms(facts).items()}
    names = _countries.country_names(facts) if package else {}
    country_names = {key(n): a3 for a3, ns in names.items() for n in ns}
    surface = sorted(
        {(n, a3) for a3, ns in names.items() for n in ns}
        | {(d, a3) for d, a3 in _countries.demonyms(facts).items()},
        key=lambda t: -len(t[0]),
    )
    # Fuzzy candidates: curated names only. The generated country-role aliases are formulaic
    # ("Syrian Defence Ministry") and 3x as many; leaving them out keeps a fuzzy lookup ~4x
    # cheaper, and misspelt role phrases are rare.
    fuzzy = {
        k: ids
        for k, ids in aliases.items()
        if len(k) >= _FUZZY_MIN_LEN and any(not _GENERATED.match(i) for i in ids)
    }
    patterns = _patterns(ordered, set(country_names) | set(demonyms))
    if package:
        for phrase, role in _ROLE_PATTERNS.items():
            patterns += [(_ROLE_LABELS[role], v, f"role:{role}") for v in surface_variants(phrase)]
    return _Index(
        entities, aliases, demonyms, country_names, list(fuzzy), list(fuzzy.values()), surface, patterns
    )


def _patterns(ordered: list[Entity], skip: set[str]) -> list[tuple[str, str, str]]:
    """(label, pattern, id) for every alias and its surface variants, best entity first.

    Two passes: every alias exactly as written claims its string first ("Lebanese Forces" the
    party, "Lebanese forces" the army), then surface variants fill only unclaimed strings, so a
    generated case variant never takes a string another entity spells that way.
    """
    claimed: dict[str, tuple[str, str]] = {}
    named = [(e, label_of(e)) for e in ordered if e.kind != "state"]
    for e, label in named:
        for name in (e.name, *e.aliases):
            if len(name) >= 2 and name not in claimed and key(name) not in skip:
                claimed[name] = (label, e.id)
    out = [(label, text, eid) for text, (label, eid) in claimed.items()]
    for e, label in named:
        for name in (e.name, *e.aliases):
            if claimed.get(name, ("", ""))[1] != e.id:
                continue
            for v in surface_variants(name)[1:]:
                if v not in claimed:
                    claimed[v] = (label, e.id)
                    out.append((label, v, e.id))
    return out


class KnowledgeBase:
    """Actor and weapon entities with alias resolution (see the module docstring)."""

    def __init__(self, index: _Index) -> None:
        self._ix = index
        self._first: dict[str, list[tuple[str, str]]] | None = None
        self._ctx_cache: dict[str, dict[str, int]] = {}
        self._fuzzy_cache: dict[str, int] = {}
        self._by_len: dict[int, tuple[list[int], list[str]]] | None = None
        self._spec: tuple[tuple[str, ...], bool] | None = None  # how load() built it
        self._inverse: dict[tuple[str, str], list[tuple[str, Relation]]] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to a worker process (executor, Dask), a loaded KB re-loads there from the same
        # files (a warm cache read, ~0.3 s) instead of shipping ~2 MB of pickled index.
        if self._spec is not None:
            return (_reload, self._spec)
        return (KnowledgeBase, (self._ix,))

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls, extra_paths: Iterable[str | os.PathLike[str]] = (), *, package: bool = True, cache: bool = True
    ) -> KnowledgeBase:
        """The shipped KB plus user files (YAML/JSONL of the same schema, or a PETRARCH ``.txt``).

        ``package=False`` loads only the user files (e.g. a PETRARCH dictionary on its own).
        Raises ConfigError naming the file and entry when a file is malformed.
        """
        extra = [Path(p) for p in extra_paths]
        for p in extra:
            if not p.is_file():
                raise ConfigError(f"knowledge-base file {p} does not exist; fix kb_paths")
        fp = _fingerprint(_sources(extra, package), package)
        path = _cache_dir() / f"kb-{fp}.pickle"
        if cache:
            try:
                # The cyclic GC scanning ~200k fresh objects doubles unpickling time (measured
                # 0.26 s -> 0.13 s for the shipped KB); nothing here makes cycles.
                enabled = gc.isenabled()
                gc.disable()
                try:
                    with open(path, "rb") as fh:
                        index = pickle.load(fh)  # noqa: S301 - our own cache file, keyed by content hash
                finally:
                    if enabled:
                        gc.enable()
                if isinstance(index, _Index):
                    kb = cls(index)
                    kb._spec = (tuple(str(p.resolve()) for p in extra), package)
                    return kb
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass  # no or stale cache: build
        index = _build(extra, package)
        if cache:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as fh:
                    pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
                # Keep the few newest indexes (one per distinct set of KB files), drop the rest.
                old = sorted(path.parent.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime)[:-_CACHE_KEEP]
                for stale in old:
                    stale.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only home only costs speed
        kb = cls(index)
        kb._spec = (tuple(str(p.resolve()) for p in extra), package)
        return kb

    # ------------------------------------------------------------------ lookup
    def get(self, id: str) -> Entity | None:
        return self._ix.entities.get(id)

    def entities(self) -> Iterator[Entity]:
        return iter(self._ix.entities.values())

    def __len__(self) -> int:
        return len(self._ix.entities)

    def counts(self) -> Counter[str]:
        """Number of entities per kind."""
        return Counter(e.kind for e in self._ix.entities.values())

    def lookup(self, text: str) -> list[Entity]:
        """Every entity with ``text`` as a name or alias (normalised), best first; no fuzzy."""
        return [self._ix.entities[i] for i in self._ix.aliases.get(key(_strip_possessive(text)), ())]

    def related(self, id: str, type: str, *, inverse: bool = False, on: str | None = None) -> list[Entity]:
        """Targets of ``id``'s relations of ``type`` ("pap-tecnos", "subsidiary_of" -> [Rafael]).

        ``inverse=True`` gives the entities whose ``type`` relation points at ``id`` instead
        (the subsidiaries of Rafael, the groups Iran backs). ``on`` (ISO date) keeps only
        relations valid then (Ahmed al-Sharaa member_of HTS before 2025-01-29, of SYR-gov after).
        """
        if type not in RELATION_TYPES:
            raise ValueError(f"relation type {type!r} is not one of {', '.join(RELATION_TYPES)}")
        if inverse:
            if self._inverse is None:
                inv: dict[tuple[str, str], list[tuple[str, Relation]]] = {}
                for e in self._ix.entities.values():
                    for r in e.relations:
                        inv.setdefault((r.target, r.type), []).append((e.id, r))
                self._inverse = inv
            return [
                self._ix.entities[i]
                for i, r in self._inverse.get((id, type), ())
                if on is None or _in_period(r.valid_from, r.valid_to, on)
            ]
        ent = self._ix.entities.get(id)
        if ent is None:
            return []
        return [
            self._ix.entities[r.target]
            for r in ent.relations
            if r.type == type
            and r.target in self._ix.entities
            and (on is None or _in_period(r.valid_from, r.valid_to, on))
        ]

    def relations(self, id: str) -> tuple[Relation, ...]:
        e = self._ix.entities.get(id)
        return e.relations if e else ()

    # ------------------------------------------------------------------ countries
    def country_of_demonym(self, text: str) -> str | None:
        """ "Syrian" -> "SYR", "U.S." -> "USA"; None when ``text`` is not a demonym."""
        return self._ix.demonyms.get(fold(text))

    def country_of_name(self, text: str) -> str | None:
        """ "Syria", "the United States", "Türkiye" -> alpha-3; None when not a country name."""
        return self._ix.country_names.get(key(text))

    def countries_in(self, text: str) -> Counter[str]:
        """Alpha-3 codes of the country names and demonyms ``text`` mentions, with counts.

        Scans word starts against a first-word index (a 1,000-way regex alternation took 0.76 ms
        per sentence; this takes a few µs); results are cached per text because the nlp stage
        resolves many mentions against the same sentence.
        """
        if not text:
            return Counter()
        hit = self._ctx_cache.get(text)
        if hit is not None:
            return Counter(hit)
        if self._first is None:
            first: dict[str, list[tuple[str, str]]] = {}
            for surface, a3 in self._ix.surface:  # longest first
                m = _WORD.match(surface)
                if m:
                    first.setdefault(m.group(0).rstrip("."), []).append((surface, a3))
            self._first = first
        out: Counter[str] = Counter()
        pos_end = -1
        for m in _WORD.finditer(text):
            start = m.start()
            if start < pos_end or (start and text[start - 1].isalnum()):
                continue
            for surface, a3 in self._first.get(m.group(0).rstrip("."), ()):
                end = start + len(surface)
                if text.startswith(surface, start) and (end == len(text) or not text[end].isalnum()):
                    out[a3] += 1
                    pos_end = end
                    break
        if len(self._ctx_cache) > 4096:
            self._ctx_cache.clear()
        self._ctx_cache[text] = dict(out)
        return out

    def guess_country(self, text: str, context: str = "") -> str | None:
        """A country guess for an unresolved name: a country it names, else the context's."""
        own = self.countries_in(text)
        if own:
            return own.most_common(1)[0][0]
        ctx = self.countries_in(context)
        return ctx.most_common(1)[0][0] if ctx else None

    # ------------------------------------------------------------------ resolution
    def resolve(
        self, text: str, label: str | None = None, context: str = "", on: str | None = None
    ) -> Entity | None:
        """The entity ``text`` names, or None (see the module docstring for the order).

        ``label`` is the mention's label (ours or spaCy's), ``context`` the surrounding text (the
        sentence or paragraph), ``on`` an ISO date preferring entities valid then. An entity whose
        id starts with ``generic:`` is a description resolved from its words, not a KB entry.
        """
        text = " ".join(text.split())
        if not text:
            return None
        k = key(text)  # "Jane's" is a name; "Hezbollah's" a possessive: try the text as written first
        if k not in self._ix.aliases:
            k = key(_strip_possessive(text))
        if not k:
            return None
        ctx = _LazyCountries(self, context)
        ids = self._ix.aliases.get(k)
        words = k.split()
        head = " ".join(words[:-1]) if len(words) > 1 and words[-1] in _HEADS else None
        if not ids and head:
            ids = self._ix.aliases.get(head)
        if ids:
            return self._choose(ids, label, ctx, on, text)
        a3 = self._ix.demonyms.get(fold(text)) or self._ix.country_names.get(k)
        if a3 and a3 in self._ix.entities:
            return self._ix.entities[a3]
        role = _ROLE_PHRASES.get(k) or (_ROLE_PHRASES.get(head) if head else None)
        if role is not None:
            top = ctx.top()
            return self._ix.entities.get(f"{top}-{role}") if top else None
        generic = self._generic(text, ctx)
        if generic is not None:
            return generic
        return self._fuzzy(k, label, ctx, on)

    def _choose(
        self, ids: list[str], label: str | None, ctx: _LazyCountries, on: str | None, text: str = ""
    ) -> Entity:
        ents = [self._ix.entities[i] for i in ids]
        if len(ents) == 1:
            return ents[0]
        kinds = _LABEL_KINDS.get(label or "")

        def score(pair: tuple[int, Entity]) -> tuple[int, int, int, int, int]:
            pos, e = pair
            fits = 1 if kinds is None or e.kind in kinds else 0
            valid = 1 if on is None or _valid_on(e, on) else 0
            # "Lebanese Forces" (the party) vs "Lebanese forces" (the army): same key, exact case
            same_case = 1 if text in e.aliases or text == e.name else 0
            here = max([ctx.counts.get(c, 0) for c in (e.country, *e.operates_in) if c] or [0])
            return (fits, valid, same_case, here, -pos)

        return max(enumerate(ents), key=score)[1]

    def _fuzzy(self, k: str, label: str | None, ctx: _LazyCountries, on: str | None) -> Entity | None:
        if len(k) < _FUZZY_MIN_LEN or not self._ix.fuzzy_keys:
            return None
        i = self._fuzzy_cache.get(k)
        if i is None:
            i = self._fuzzy_index(k)
            if len(self._fuzzy_cache) > 20_000:
                self._fuzzy_cache.clear()
            self._fuzzy_cache[k] = i
        return self._choose(self._ix.fuzzy_ids[i], label, ctx, on) if i >= 0 else None

    def _fuzzy_index(self, k: str) -> int:
        """Index into fuzzy_keys of the best key scoring >= FUZZY_THRESHOLD, or -1.

        ``ratio`` >= t needs the lengths within a factor t/(200-t) of each other, so only keys in
        that length window are scored (about a fifth of them; 10 ms -> ~2 ms per unknown name).
        """
        from rapidfuzz import fuzz, process  # ~0.1 s to import; only fuzzy lookups need it

        if self._by_len is None:
            groups: dict[int, list[int]] = {}
            for j, fk in enumerate(self._ix.fuzzy_keys):
                groups.setdefault(len(fk), []).append(j)
            self._by_len = {n: (js, [self._ix.fuzzy_keys[j] for j in js]) for n, js in groups.items()}
        f = FUZZY_THRESHOLD / (200 - FUZZY_THRESHOLD)
        best, best_j = FUZZY_THRESHOLD, -1
        for n in range(int(len(k) * f), int(len(k) / f) + 2):
            js, keys = self._by_len.get(n, ((), ()))
            if not js:
                continue
            hit = process.extractOne(k, keys, scorer=fuzz.ratio, score_cutoff=best)
            if hit is not None and (best_j < 0 or hit[1] > best):
                best, best_j = hit[1], js[hit[2]]
        return best_j

    def _generic(self, text: str, ctx: _LazyCountries) -> Entity | None:
        """ "Iranian proxy militia" -> armed group backed by IRN; "Syrian rebels" -> armed group SYR."""
        if not _ARMED.search(text):
            return None
        named = self.countries_in(text)
        if not named:
            # "Iran-backed": the scanner needs a word boundary before "-backed", which it has.
            return None
        a3 = named.most_common(1)[0][0]
        sponsored = bool(_SPONSORED.search(text))
        militia = bool(_MILITIA.search(text))
        top = ctx.top() if sponsored else None
        home = (top if top != a3 else None) if sponsored else a3
        rels = (Relation("backed_by", a3),) if sponsored else ()
        eid = f"generic:armed_group:{home or '-'}:{'backed_by=' + a3 if sponsored else '-'}"
        return Entity(
            id=eid,
            name=text,
            kind="armed_group",
            country=home,
            sector="PRM" if militia or sponsored else "REB",
            relations=rels,
            description="generic description resolved from its words; not a knowledge-base entry",
        )

    # ------------------------------------------------------------------ nlp stage
    def patterns(self, *, classes: bool = True) -> list[dict[str, str]]:
        """spaCy EntityRuler phrase patterns ``{"label", "pattern", "id"}`` for every alias.

        Country names (kind ``state``) and demonyms are left out: the model's GPE/NORP handle
        them. Each alias comes with its :func:`normalize.surface_variants` (case, apostrophe,
        ``al-`` spellings) because a phrase matcher on ORTH is exact. An alias several entities
        share is emitted once, for the entity :meth:`resolve` prefers without context; callers
        should re-resolve the matched text with its context. ``classes=False`` leaves out the
        generic weapon/platform class nouns ("tanks", "drones", ids ``class-*``). Patterns whose
        id starts with ``role:`` ("regime forces", "government forces") name a role whose country
        only the context gives: ``resolve(text, context=sentence)`` finds it.
        """
        return [
            {"label": lab, "pattern": pat, "id": eid}
            for lab, pat, eid in self._ix.patterns
            if classes or not eid.startswith("class-")
        ]


def _reload(extra: tuple[str, ...], package: bool) -> KnowledgeBase:
    return KnowledgeBase.load(extra, package=package)


class _LazyCountries:
    """The countries a context names, computed only when a resolution step needs them."""

    def __init__(self, kb: KnowledgeBase, context: str) -> None:
        self._kb, self._context = kb, context
        self._counts: Counter[str] | None = None

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = self._kb.countries_in(self._context) if self._context else Counter()
        return self._counts

    def top(self) -> str | None:
        mc = self.counts.most_common(1)
        return mc[0][0] if mc else None


def _strip_possessive(text: str) -> str:
    return re.sub(r"['’]s$|(?<=s)['’]$", "", text.strip())


def _valid_on(e: Entity, on: str) -> bool:
    return _in_period(e.valid_from, e.valid_to, on)


def _in_period(start: str | None, end: str | None, on: str) -> bool:
    """``on`` (ISO date) within [start, end]; partial dates ("2015", "2023-10") cover their span."""
    if start and on[: len(start)] < start:
        return False
    if end and on[: len(end)] > end:
        return False
    return True
