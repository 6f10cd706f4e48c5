"""Read a PETRARCH / TABARI (CAMEO) actor dictionary into entities.

Format (see openeventdata/petrarch2 ``data/dictionaries``): ``<!-- -->`` blocks and ``#`` tails
are comments; a line starting at column 0 names an actor (words joined by ``_`` or spaces, a
trailing ``_`` only marks a word boundary), optionally followed by ``[CODE]``; ``+NAME`` lines add
synonyms; indented ``[CODE date-restriction]`` lines give codes, optionally restricted in time:
``[HOB <950601]`` (before), ``[HOBREB >990816]`` (after), ``[HOBGOV 19950601-19990815]``
(between), with dates ``yymmdd`` or ``yyyymmdd``. ``[---]`` and similar null codes mark names to
ignore. A ``/`` in a code lists several actors.

Each distinct (code, validity window) becomes one entity whose aliases are every name given that
code: id ``cameo:CODE`` (or ``cameo:CODE@from..to`` when dated), country = the code's first three
letters (a CAMEO country code, usually but not always ISO alpha-3; none for IGO/NGO/... codes),
kind and sector from the role letters that follow. Written by hand: no maintained Python package
reads this format (petrarch2 itself is unmaintained and Python 2 era).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigError
from ..records import Entity

_CODE = re.compile(r"\[([^\]]*)\]")
_COMMENT_BLOCK = re.compile(r"<!?\s*-{2}.*?-{2}\s*>", re.S)
_NULL = frozenset({"---", "+++", "###", ""})
# CAMEO primary codes that are not countries (their sector is the code itself).
_NON_STATE = {"IGO": "igo", "NGO": "ngo", "NGM": "ngo", "IMG": "armed_group", "UNO": "igo", "MNC": "company"}
# CAMEO role codes -> (kind, PLOVER sector).
_ROLES = {
    "GOV": ("government", "GOV"),
    "MIL": ("state_forces", "MIL"),
    "COP": ("state_forces", "COP"),
    "SPY": ("state_forces", "SPY"),
    "JUD": ("government", "JUD"),
    "LEG": ("government", "LEG"),
    "REB": ("armed_group", "REB"),
    "INS": ("armed_group", "REB"),
    "UAF": ("armed_group", "UAF"),
    "OPP": ("political_party", "OPP"),
    "PTY": ("political_party", "PTY"),
    "MED": ("media", "MED"),
    "BUS": ("company", "BUS"),
    "CRM": ("armed_group", "CRM"),
    "NGO": ("ngo", "NGO"),
    "IGO": ("igo", "IGO"),
    "CIV": ("person", "CVL"),
    "CVL": ("person", "CVL"),
    "ELI": ("person", "ELI"),
    "REF": ("person", "REF"),
    "EDU": ("ngo", "EDU"),
    "REL": ("ngo", "REL"),
    "LAB": ("ngo", "LAB"),
    "AGR": ("company", "BUS"),
}


def _date(s: str, path: Path, line: int) -> str:
    s = s.strip()
    if not s.isdigit() or len(s) not in (6, 8):
        raise ConfigError(f"{path}:{line}: date {s!r} in a code restriction is not yymmdd or yyyymmdd")
    if len(s) == 6:  # TABARI two-digit years: 00-29 are 20xx, the rest 19xx
        s = ("20" if int(s[:2]) < 30 else "19") + s
    return f"{s[:4]}-{s[4:6]}-{s[6:]}"


def _parse_code(body: str, path: Path, line: int) -> list[tuple[str, str | None, str | None]]:
    """``"HOBGOV 950601-990815"`` -> [("HOBGOV", "1995-06-01", "1999-08-15")]."""
    body = body.strip()
    parts = body.split(None, 1)
    codes = parts[0] if parts else ""
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    start = end = None
    if rest.startswith("<"):
        end = _date(rest[1:], path, line)
    elif rest.startswith(">"):
        start = _date(rest[1:], path, line)
    elif "-" in rest:
        a, b = rest.split("-", 1)
        start, end = _date(a, path, line), _date(b, path, line)
    elif rest:
        raise ConfigError(f"{path}:{line}: cannot read the code restriction {body!r}")
    return [(c.upper(), start, end) for c in codes.split("/") if c.upper() not in _NULL]


def _name(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split())


def _kind(code: str) -> tuple[str, str | None, str | None]:
    """(kind, sector, country) of a CAMEO code."""
    head = code[:3]
    if head in _NON_STATE:
        return _NON_STATE[head], head if head in ("IGO", "NGO") else None, None
    roles = code[3:]
    for i in range(0, len(roles), 3):
        role = roles[i : i + 3]
        if role in _ROLES:
            kind, sector = _ROLES[role]
            return kind, sector, head
    return ("state" if len(code) == 3 else "government"), None, head


def read_petrarch(path: Path) -> Iterator[Entity]:
    """Entities of a PETRARCH actor dictionary (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"knowledge-base file {path}: cannot read it ({exc})") from exc
    # Blank out comment blocks, keeping newlines so line numbers stay right.
    text = _COMMENT_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    # (code, from, to) -> names, in first-seen order
    groups: dict[tuple[str, str | None, str | None], list[str]] = {}
    names: list[str] = []
    codes: list[tuple[str, str | None, str | None]] = []
    seen_any = False

    def flush() -> None:
        for c in codes:
            lst = groups.setdefault(c, [])
            lst.extend(n for n in names if n not in lst)

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("["):  # an indented code line of the current actor
            if not names:
                raise ConfigError(f"{path}:{n}: a code line with no actor name before it")
            for body in _CODE.findall(stripped):
                codes.extend(_parse_code(body, path, n))
            continue
        if stripped.startswith("+"):
            if not names:
                raise ConfigError(f"{path}:{n}: a synonym line with no actor name before it")
            names.append(_name(_CODE.sub("", stripped[1:])))
            continue
        # a new actor line
        flush()
        seen_any = True
        names, codes = [_name(_CODE.sub("", stripped))], []
        for body in _CODE.findall(stripped):
            codes.extend(_parse_code(body, path, n))
    flush()
    if not seen_any:
        raise ConfigError(f"{path}: no actor entries found; is this a PETRARCH actor dictionary?")
    for (code, start, end), aliases in groups.items():
        kind, sector, country = _kind(code)
        eid = f"cameo:{code}" if not (start or end) else f"cameo:{code}@{start or ''}..{end or ''}"
        yield Entity(
            id=eid,
            name=aliases[0],
            kind=kind,
            aliases=tuple(aliases[1:]),
            country=country,
            sector=sector,
            valid_from=start,
            valid_to=end,
            description=f"CAMEO actor code {code} from {path.name}",
        )


def cameo_code(entity: Entity) -> str | None:
    """The CAMEO code of an entity read from a PETRARCH dictionary, else None."""
    if not entity.id.startswith("cameo:"):
        return None
    return entity.id[6:].split("@", 1)[0]
