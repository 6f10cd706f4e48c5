"""Check and normalise the event-filter values a user types (CLI options, API query parameters).

A mistyped value must fail loudly instead of matching nothing: each function here returns the
values in the form the store keeps (PLOVER types upper-case, ACLED event types as the codebook
spells them, countries as ISO 3166-1 alpha-3) or raises :class:`~eventwire.errors.FilterError`
naming the parameter and the valid values. The valid values come from the package's one copy of
each table: ``events/data`` (PLOVER, ACLED) and the knowledge base's country names
(``kb/countries.py`` over pycountry and ``kb/data/countries.yaml``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from functools import cache

from ..errors import FilterError

CERTAINTIES = ("asserted", "reported", "hedged", "predicted", "denied")
# What the store can compare: a year, a month or a day (ISO 8601), as the API has always taken.
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _suggest(value: str, by_key: dict[str, str]) -> str:
    # difflib's default cutoff (0.6) among 16 PLOVER / 6 ACLED names: 'ASSALT'→ASSAULT is 0.92.
    near = difflib.get_close_matches(value, list(by_key), n=1, cutoff=0.6)
    return f" (did you mean {by_key[near[0]]}?)" if near else ""


def _pick(param: str, values: Iterable[str], valid: tuple[str, ...], what: str,
          key: Callable[[str], str], suggest: bool = True) -> tuple[str, ...]:  # fmt: skip
    """Each value as its valid spelling (matched through ``key``), in order, without repeats; an
    unknown one is a :class:`FilterError` listing ``valid`` (with the nearest, if ``suggest``)."""
    by_key = {key(t): t for t in valid}
    out: list[str] = []
    for v in values:
        t = by_key.get(key(v.strip()))
        if t is None:
            hint = _suggest(key(v.strip()), by_key) if suggest else ""
            raise FilterError(param, f"unknown {what} {v!r}{hint}", valid)
        out.append(t)
    return tuple(dict.fromkeys(out))


def plover_types(param: str, values: Iterable[str]) -> tuple[str, ...]:
    from ..events.tables import PLOVER_TYPES

    return _pick(param, values, tuple(PLOVER_TYPES), "PLOVER type", str.upper)


@cache
def _acled_event_types() -> tuple[str, ...]:
    from ..events.tables import acled_types

    return tuple(dict.fromkeys(etype for etype, _ in acled_types().values()))


def acled_event_types(param: str, values: Iterable[str]) -> tuple[str, ...]:
    return _pick(param, values, _acled_event_types(), "ACLED event type", str.casefold)


def certainties(param: str, values: Iterable[str]) -> tuple[str, ...]:
    return _pick(param, values, tuple(CERTAINTIES), "certainty", str.lower, suggest=False)


@cache
def _countries() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """(alpha-3 codes, name key -> alpha-3, alpha-3 -> short name), from the KB's country table."""
    from ..kb.base import DATA_DIR
    from ..kb.countries import country_names
    from ..kb.normalize import key
    from ..kb.schema import read_yaml

    names = country_names(read_yaml(DATA_DIR / "countries.yaml") or {})
    return frozenset(names), {key(n): a3 for a3, ns in names.items() for n in ns}, {a3: ns[0] for a3, ns in names.items()}


COUNTRY_FORM = "an ISO 3166-1 alpha-3 code or a country name, e.g. SYR or Syria"


def country(value: str) -> str | None:
    """``"SYR"``, ``"syr"``, ``"Syria"``, ``"the United States"`` -> alpha-3; None when unknown."""
    from ..kb.normalize import key

    v = value.strip()
    codes, by_name, _ = _countries()
    if v.upper() in codes:
        return v.upper()
    return by_name.get(key(v))


def countries(param: str, values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        a3 = country(v)
        if a3 is None:
            _, by_name, short = _countries()
            # 0.8 (difflib ratio): 'syrai'→syria is 0.80 and 'ukriane'→ukraine 0.86, while
            # 'narnia'→armenia is 0.77, a suggestion that would mislead.
            near = difflib.get_close_matches(v.strip().casefold(), list(by_name), n=1, cutoff=0.8)
            hint = f" (did you mean {short[by_name[near[0]]]}, {by_name[near[0]]}?)" if near else ""
            raise FilterError(param, f"unknown country {v!r}{hint}", (COUNTRY_FORM,))
        out.append(a3)
    return tuple(dict.fromkeys(out))


def actor_kind(param: str, value: str | None) -> str | None:
    """An actor kind of the knowledge base's schema (``armed_group``, ``state``, ...)."""
    from ..kb.schema import KINDS

    if value is None or not value.strip():
        return None
    k = value.strip().lower()
    if k not in KINDS:
        raise FilterError(param, f"unknown actor kind {value!r}", tuple(sorted(KINDS)))
    return k


def iso_date(param: str, value: str | None) -> str | None:
    """A year, month or day in ISO 8601 that exists (``2024``, ``2024-05``, ``2024-05-31``)."""
    from ..ingest.checks import valid_date

    if value is None:
        return None
    v = value.strip()
    if not _DATE.match(v) or not valid_date(v):
        raise FilterError(param, f"{value[:40]!r} is not an ISO date that exists", ("YYYY-MM-DD", "YYYY-MM", "YYYY"))
    return v
