"""Buildings, institutions and landmarks (``data/landmarks.tsv``), looked up by exact name.

The table is data, not code: one row per landmark with its aliases, point, country, GeoNames
admin1 code and feature code. :func:`load` reads it once per process; :func:`pattern` is the
case-sensitive matcher the geocoder runs over an article body (longest name first, whole words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

PATH = Path(__file__).with_name("data") / "landmarks.tsv"


@dataclass(frozen=True)
class Landmark:
    name: str
    lat: float
    lon: float
    cc: str  # ISO alpha-2
    admin1: str  # GeoNames admin1 code ("US.DC"), "" when unknown
    feature: str  # GeoNames S-class feature code ("S.BLDG")


@lru_cache(maxsize=4)
def load(path: Path = PATH) -> dict[str, Landmark]:
    """Every name and alias of the table → its landmark (names case-sensitive, as written)."""
    out: dict[str, Landmark] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModelError(f"landmark table {path} is unreadable ({exc})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 7:
            raise ModelError(f"{path}:{n}: expected 7 tab-separated columns, got {len(cols)}")
        name, aliases, lat, lon, cc, a1, feat = cols
        try:
            lm = Landmark(name, float(lat), float(lon), cc, a1, feat)
        except ValueError as exc:
            raise ModelError(f"{path}:{n}: bad point ({exc})") from exc
        for key in [name, *(a for a in aliases.split("|") if a)]:
            out[key] = lm
    return out


@lru_cache(maxsize=4)
def pattern(path: Path = PATH) -> re.Pattern[str]:
    names = sorted(load(path), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")


__all__ = ["Landmark", "load", "pattern", "PATH"]
