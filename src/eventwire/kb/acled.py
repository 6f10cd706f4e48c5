"""ACLED's actor conventions: an event's actors named, typed and paired the way ACLED does.

Input is the JSON shape of :class:`~eventwire.records.EventActor` (what the store keeps), so the
coder (at coding time) and the ACLED export (for events stored before these fields existed) use
the same rules. The mapping, with the codebook's own examples, is in docs/acled.md:

- state forces: "Military Forces of <Country> (<period>)", police (sector COP) "Police Forces of
  <Country> (<period>)", governments "Government of <Country> (<period>)"; the ruling period is
  the one in ``data/acled/conventions.yaml`` that covers the event's date, else none is written;
  a bare state acting violently is its military, otherwise its government;
- named groups, organisations and parties: their knowledge-base name;
- generic groups: "Protesters (<Country>)", "Rioters (<Country>)", "Civilians (<Country>)",
  "Unidentified Armed Group (<Country>)", the country being where the event happened;
- inter codes 1 state forces, 2 rebel groups, 3 political militias (and unidentified armed
  groups), 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces
  (international organisations, companies, and state forces outside their home country);
- interaction: the two inter codes, smaller first ("17"); one actor alone is "<code>0".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ..records import AcledActors
from .schema import read_yaml

CONVENTIONS = Path(__file__).parent / "data" / "acled" / "conventions.yaml"

VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
#: Sector -> inter code for actors that are not named by a category rule below.
SECTOR_INTER = {
    "MIL": 1, "COP": 1, "SPY": 1, "GOV": 1, "LEG": 1, "JUD": 1,
    "REB": 2, "INS": 2,
    "PRM": 3, "UAF": 3, "CRM": 3, "PTY": 3,
    "ETH": 4, "REL": 4,
    "RIO": 5,
    "OPP": 6, "PRO": 6,
    "CVL": 7, "REF": 7, "JRN": 7, "HLH": 7, "EDU": 7, "AGR": 7, "LAB": 7,
    "IGO": 8, "NGO": 8, "BUS": 8, "MED": 8,
}  # fmt: skip
_CIVILIAN_SECTORS = frozenset({"CVL", "REF", "JRN", "HLH", "EDU", "AGR", "LAB"})
_FORCES_SECTORS = frozenset({"MIL", "SPY"})
_GOV_SECTORS = frozenset({"GOV", "LEG", "JUD"})
_KIND_INTER = {"igo": 8, "ngo": 8, "company": 8, "media": 8, "political_party": 3}


@cache
def conventions() -> dict[str, Any]:
    data = read_yaml(CONVENTIONS) or {}
    since = {
        a3: sorted(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in days)
        for a3, days in (data.get("since") or {}).items()
    }
    heads = {w: cat for cat, words in (data.get("heads") or {}).items() for w in words}
    return {"since": since, "names": data.get("names") or {}, "heads": heads,
            "civilian_groups": data.get("civilian_groups") or {}}


@cache
def country_name(a3: str) -> str:
    """The country as ACLED's Country column writes it ("Russia", "Democratic Republic of Congo")."""
    over = conventions()["names"].get(a3) or {}
    if over.get("name"):
        return str(over["name"])
    import pycountry

    c = pycountry.countries.get(alpha_3=a3)
    if c is None:
        return a3
    return str(getattr(c, "common_name", None) or c.name)


def _of(a3: str) -> str:
    over = conventions()["names"].get(a3) or {}
    return str(over.get("of") or country_name(a3))


def period(a3: str, on: str | None) -> str | None:
    """ "(2000-)" / "(2021-2025)": ACLED's ruling period of ``a3`` covering ``on`` (ISO date;
    None = today), or None when the knowledge base has no period for it."""
    starts = conventions()["since"].get(a3)
    if not starts:
        return None
    try:
        day = dt.date.fromisoformat(on[:10]) if on else dt.date.today()
    except ValueError:
        day = dt.date.today()
    for i in range(len(starts) - 1, -1, -1):
        if starts[i] <= day:
            nxt = f"{starts[i + 1].year}" if i + 1 < len(starts) else ""
            return f"({starts[i].year}-{nxt})"
    return None


def state_name(prefix: str, a3: str, on: str | None) -> str:
    """ "Military Forces of Russia (2000-)", "Government of Nigeria (2023-)"."""
    p = period(a3, on)
    return f"{prefix} of {_of(a3)}" + (f" {p}" if p else "")


def category(cat: str, a3: str | None) -> str | None:
    """ "Civilians (Syria)"; None without a country (ACLED names these by country)."""
    return f"{cat} ({country_name(a3)})" if a3 else None


def generic_kind(head_lemma: str | None) -> str | None:
    """The generic category ("protesters", "rioters", "civilians") a head word names, if any."""
    return conventions()["heads"].get((head_lemma or "").lower()) if head_lemma else None


def _named(a: Mapping[str, Any]) -> str | None:
    eid = a.get("entity_id") or ""
    if eid and not eid.startswith(("generic:", "class-", "role:")):
        return a.get("name") or None
    return None


def name(
    a: Mapping[str, Any], *, recipient: bool, event_type: str | None, on: str | None, where: str | None
) -> tuple[str, int, str | None] | None:
    """(ACLED name, inter code, associated actor or None) of one actor, or None when ACLED has
    no name for it (an unknown kind that is no victim, a weapon, a document)."""
    kind = a.get("kind") or "unknown"
    sector = (a.get("sector") or "").upper() or None
    here = where or a.get("country")
    state_like = kind in ("state_forces", "government") or (kind in ("unknown", "person") and sector in (
        _FORCES_SECTORS | _GOV_SECTORS | {"COP"}))
    # a local police force or a government body of unknown country belongs to where it acts
    home = a.get("country") or (where if state_like else None)
    violent = event_type in VIOLENT
    if event_type in ("Protests", "Riots") and not recipient and not (
        kind in ("state_forces", "government", "state") or sector in _FORCES_SECTORS | _GOV_SECTORS | {"COP"}
    ):
        cat, code = ("Protesters", 6) if event_type == "Protests" else ("Rioters", 5)
        n = category(cat, here)
        group = _named(a)
        return (n, code, group) if n else None
    if kind == "state" and home:
        prefix = "Military Forces" if violent else "Government"
        return state_name(prefix, home, on), _state_inter(home, where), None
    if home and (kind in ("state_forces", "military_unit") or sector in _FORCES_SECTORS | {"COP"}) and kind != "armed_group":
        prefix = "Police Forces" if sector == "COP" else "Military Forces"
        return state_name(prefix, home, on), _state_inter(home, where), None
    if home and (kind == "government" or (sector in _GOV_SECTORS and kind in ("person", "unknown", "government"))):
        return state_name("Government", home, on), _state_inter(home, where), None
    if kind in ("protesters", "rioters") or sector in ("OPP", "PRO", "RIO"):
        cat, code = ("Rioters", 5) if kind == "rioters" or sector == "RIO" else ("Protesters", 6)
        n = category(cat, here)
        return (n, code, _named(a)) if n else None
    group = _named(a)
    if kind == "armed_group":
        if group:
            return group, SECTOR_INTER.get(sector or "REB", 2), None
        n = category("Unidentified Armed Group", here)
        return (n, 3, None) if n else None
    if kind in _KIND_INTER and group:
        if recipient and violent and kind in ("ngo", "media", "company"):
            n = category("Civilians", here)
            return (n, 7, group) if n else None
        return group, _KIND_INTER[kind], None
    if kind in ("civilians", "person") or sector in _CIVILIAN_SECTORS:
        if not recipient and kind == "person":
            if violent:
                n = category("Unidentified Armed Group", here)
                return (n, 3, None) if n else None
            return None
        n = category("Civilians", here)
        sub = conventions()["civilian_groups"].get(sector or "")
        return (n, 7, category(sub, here) if sub else None) if n else None
    return None


def _state_inter(home: str, where: str | None) -> int:
    # "The military forces of states are recorded with an Inter code of 8 (i.e., external
    # forces) when active outside of their home state" (ACLED Codebook, inter code 8).
    return 8 if where and where != home else 1


def _side(
    actors: Sequence[Mapping[str, Any]], recipient: bool, event_type: str | None, on: str | None, where: str | None
) -> list[tuple[str, int, str | None]]:
    out: list[tuple[str, int, str | None]] = []
    for a in actors:
        hit = name(a, recipient=recipient, event_type=event_type, on=on, where=where)
        if hit is not None and all(hit[0] != o[0] for o in out):
            out.append(hit)
        elif hit is not None and hit[2]:
            out.append(("", 0, hit[2]))  # the same category again: keep its associated group
    return out


def _join(names: Sequence[str]) -> str | None:
    seen: list[str] = []
    for n in names:
        if n and n not in seen:
            seen.append(n)
    return "; ".join(seen) or None


def acled_actors(
    actors: Sequence[Mapping[str, Any]],
    recipients: Sequence[Mapping[str, Any]],
    event_type: str | None,
    on: str | None = None,
    where: str | None = None,
) -> AcledActors:
    """ACLED actor columns of an event (see the module docstring). ``on`` is the event's ISO
    date, ``where`` the alpha-3 country it happened in (else the actors' own countries count)."""
    if where is None:
        where = next((a.get("country") for a in (*recipients, *actors) if a.get("country")), None) if (
            event_type in ("Protests", "Riots", "Violence against civilians")
        ) else None
    one = _side(actors, False, event_type, on, where)
    two = _side(recipients, True, event_type, on, where)
    if event_type == "Explosions/Remote violence":
        # the intended target is Actor 2; civilians harmed alongside an armed target are associated
        two.sort(key=lambda t: t[1] == 7)
    # the country an unnamed side is of: where it happened, else the named targets' country,
    # else a non-state actor's own (a foreign army's home is not where it fights)
    here = where or next((a.get("country") for a in recipients if a.get("country")), None) or next(
        (a.get("country") for a in actors if a.get("country") and a.get("kind") not in ("state", "state_forces")), None
    )
    if not one and event_type in VIOLENT and (n := category("Unidentified Armed Group", here)):
        one = [(n, 3, None)]  # an unnamed perpetrator
    elif not one and event_type in ("Protests", "Riots") and here:
        one = [(category("Protesters" if event_type == "Protests" else "Rioters", here) or "",
                6 if event_type == "Protests" else 5, None)]
    if not two and event_type == "Battles" and (n := category("Unidentified Armed Group", here)):
        two = [(n, 3, None)]  # a battle has two sides; the unnamed one is an unidentified group
    elif not two and event_type == "Violence against civilians" and (n := category("Civilians", here)):
        two = [(n, 7, None)]
    if not any(t[0] for t in one) and any(t[0] for t in two) and event_type != "Violence against civilians":
        # "The order of actors has no meaning in the ACLED dataset, barring cases of Violence
        # against civilians" (Codebook): a lone named side is Actor 1
        one, two = two, one
    main1 = next((t for t in one if t[0]), None)
    main2 = next((t for t in two if t[0] and (main1 is None or t[0] != main1[0] or len(two) == 1)), None)
    i1 = main1[1] if main1 else None
    i2 = main2[1] if main2 else None
    assoc1 = _join([t[0] for t in one if t is not main1] + [t[2] for t in one if t[2]])
    assoc2 = _join([t[0] for t in two if t is not main2] + [t[2] for t in two if t[2]])
    if i1 and i2:
        interaction: int | None = int(f"{min(i1, i2)}{max(i1, i2)}")
    else:
        interaction = (i1 or i2 or 0) * 10 or None
    return AcledActors(
        actor1=main1[0] if main1 else None,
        assoc_actor_1=assoc1,
        inter1=i1,
        actor2=main2[0] if main2 else None,
        assoc_actor_2=assoc2,
        inter2=i2,
        interaction=interaction,
    )


__all__ = ["acled_actors", "name", "period", "state_name", "category", "country_name", "generic_kind"]
