"""Place search over the gazetteer (GET /api/places): what a reviewer types to pick a place.

Names are matched by prefix of their folded form (:func:`.text.fold`: case, accents and
punctuation ignored) through a binary search of the index's sorted name keys, so a query costs
a few dictionary look-ups, never a scan of the 270k entries. Exact names come first, then the
most populous places (a country or a capital before a village of the same prefix), towns and
countries before the regions named like them.
"""

from __future__ import annotations

import bisect
from typing import Any

from .index import ADM1, ADM2, CITY, CONTINENT, COUNTRY, PRECISION, REGION, GeoIndex
from .text import fold

KINDS = {CITY: "city", ADM2: "admin2", ADM1: "admin1", REGION: "region", COUNTRY: "country", CONTINENT: "continent"}
#: Name keys read per query at most. Measured on this gazetteer (shared machine, 5 runs each):
#: "a" prefixes 28,289 keys, 60 ms capped at 2,000 vs 470 ms uncapped; "al" (5,622) 29 vs 81 ms;
#: from 3 letters on ("kharkiv": 10 keys) the cap is never reached and results are the same. A
#: one- or two-letter query is a reviewer still typing: speed matters more than its ranking.
MAX_KEYS = 2000


def search(index: GeoIndex, q: str, limit: int = 10, country: str | None = None) -> list[dict[str, Any]]:
    """Places whose name starts with ``q``, best first: ``{name, country (alpha-3), admin1,
    lat, lon, kind, precision, population, geonameid}``."""
    key = fold(q)
    if not key:
        return []
    keys = index._name_keys
    lo = bisect.bisect_left(keys, key)
    seen: dict[int, tuple[bool, str]] = {}
    for j in range(lo, min(len(keys), lo + MAX_KEYS)):
        k = keys[j]
        if not k.startswith(key):
            break
        for code in index.lookup(k):
            i = code // 2
            exact = k == key
            if i not in seen or (exact and not seen[i][0]):
                seen[i] = (exact, k)
    out = []
    for i, (exact, _) in seen.items():
        a3 = index.alpha3.get(index.cc(i)) if index.cc(i) else None
        if country and a3 != country:
            continue
        out.append((exact, i, a3))
    # Exact names first; then towns and countries before regions (an oblast named after its
    # capital has the larger population, but the reviewer typing "Kharkiv" means the city).
    out.sort(key=lambda t: (not t[0], index.kind[t[1]] in (ADM1, ADM2, REGION), -index.pop[t[1]], index.name[t[1]]))
    res = []
    for _, i, a3 in out[:limit]:
        a1 = index.admin1(i)
        res.append({
            "name": index.name[i], "country": a3, "admin1": index.admin1_names.get(a1) if a1 else None,
            "lat": round(index.lat[i], 5), "lon": round(index.lon[i], 5), "kind": KINDS.get(index.kind[i], "place"),
            "precision": PRECISION.get(index.kind[i], 1), "population": int(index.pop[i]),
            "geonameid": int(index.gid[i]) or None,
        })
    return res
