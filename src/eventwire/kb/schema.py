"""Read knowledge-base files (YAML or JSONL) into :class:`~eventwire.records.Entity` records.

The schema is documented in docs/kb.md. A YAML file is either a list of entries or a mapping
``{defaults: {...}, entities: [...]}`` whose defaults fill keys an entry leaves out (a family file
says ``kind: armed_group`` once). A JSONL file holds one entry per line. Relations are written
either in full (``relations: [{type, target, valid_from, valid_to}]``) or by type
(``backed_by: [IRN, {target: RUS, from: 2015-09-30}]``). Any problem raises
:class:`~eventwire.errors.ConfigError` naming the file and the entry.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Entity, Relation

KINDS = frozenset(
    "state state_forces government armed_group political_party company igo ngo media person "
    "military_unit weapon platform".split()
)
RELATION_TYPES = ("backed_by", "subsidiary_of", "part_of", "member_of", "made_by")
# PLOVER sector codes as used by the PLOVER gold records, plus PRM (paramilitary / militia).
SECTORS = frozenset(
    "GOV MIL REB PRM OPP PTY COP JUD SPY LEG MED BUS CRM CVL EDU IGO NGO REL LAB REF UAF ELI".split()
)
_KEYS = frozenset(
    {
        "id",
        "name",
        "kind",
        "aliases",
        "country",
        "sector",
        "relations",
        "valid_from",
        "valid_to",
        "description",
        "operates_in",
        "system_kind",
        *RELATION_TYPES,
    }
)
_A3 = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def read_yaml(path: Path) -> Any:
    import yaml  # imported here: a warm (cached) KB load never parses YAML

    # libyaml parses the shipped files ~10x faster than the pure-Python loader
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"knowledge-base file {path}: cannot read it ({exc}); fix or remove it") from exc


def _date(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    s = str(value)
    if not _DATE.match(s):
        raise ConfigError(f"{where}: date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return s


def _strings(value: Any, field: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ConfigError(f"{where}: {field} must be a list of strings")
    return tuple(str(v) for v in value)


def _relations(entry: dict[str, Any], where: str) -> tuple[Relation, ...]:
    out: list[Relation] = []
    for r in entry.get("relations") or ():
        if not isinstance(r, dict) or "type" not in r or "target" not in r:
            raise ConfigError(f"{where}: each relation needs type and target, got {r!r}")
        out.append(_relation(str(r["type"]), r, where))
    for rtype in RELATION_TYPES:
        value = entry.get(rtype)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            out.append(_relation(rtype, item, where))
    return tuple(out)


def _relation(rtype: str, item: Any, where: str) -> Relation:
    if rtype not in RELATION_TYPES:
        raise ConfigError(f"{where}: relation type {rtype!r} is not one of {', '.join(RELATION_TYPES)}")
    if isinstance(item, str):
        return Relation(rtype, item)
    if isinstance(item, dict) and isinstance(item.get("target"), str):
        return Relation(
            rtype,
            item["target"],
            _date(item.get("valid_from", item.get("from")), where),
            _date(item.get("valid_to", item.get("to")), where),
        )
    raise ConfigError(f"{where}: {rtype} must be an entity id or {{target, from, to}}, got {item!r}")


def entity_from(entry: Any, where: str, countries: frozenset[str] | None = None) -> Entity:
    """Validate one entry (a dict) and build its Entity; ``where`` names it in errors."""
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: an entry must be a mapping, got {type(entry).__name__}")
    unknown = set(entry) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    for req in ("id", "name", "kind"):
        if not isinstance(entry.get(req), str) or not entry[req].strip():
            raise ConfigError(f"{where}: missing or empty {req!r}")
    where = f"{where} ({entry['id']})"
    kind = entry["kind"]
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    country = entry.get("country")
    codes = [country] if country else []
    operates = _strings(entry.get("operates_in"), "operates_in", where)
    for c in codes + list(operates):
        if not isinstance(c, str) or not _A3.match(c) or (countries is not None and c not in countries):
            raise ConfigError(f"{where}: country {c!r} is not an ISO 3166-1 alpha-3 code")
    sector = entry.get("sector")
    if sector is not None and sector not in SECTORS:
        raise ConfigError(f"{where}: sector {sector!r} is not one of {', '.join(sorted(SECTORS))}")
    return Entity(
        id=entry["id"],
        name=entry["name"],
        kind=kind,
        aliases=_strings(entry.get("aliases"), "aliases", where),
        country=country,
        sector=sector,
        relations=_relations(entry, where),
        valid_from=_date(entry.get("valid_from"), where),
        valid_to=_date(entry.get("valid_to"), where),
        description=entry.get("description"),
        operates_in=operates,
        system_kind=entry.get("system_kind"),
    )


def read_entities(path: Path, countries: frozenset[str] | None = None) -> Iterator[Entity]:
    """Entities of one YAML (.yaml/.yml) or JSONL (.jsonl) knowledge-base file."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"knowledge-base file {path}: cannot read it ({exc})") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            yield entity_from(entry, f"{path}:{n}", countries)
        return
    if suffix not in (".yaml", ".yml"):
        raise ConfigError(f"knowledge-base file {path}: use .yaml, .yml, .jsonl or a PETRARCH .txt")
    doc = read_yaml(path)
    defaults: dict[str, Any] = {}
    if isinstance(doc, dict):
        defaults = doc.get("defaults") or {}
        if not isinstance(defaults, dict):
            raise ConfigError(f"{path}: defaults must be a mapping")
        doc = doc.get("entities")
    if doc is None:
        return
    if not isinstance(doc, list):
        raise ConfigError(f"{path}: expected a list of entities or {{defaults, entities}}")
    for n, entry in enumerate(doc, 1):
        if isinstance(entry, dict):
            entry = {**defaults, **entry}
        yield entity_from(entry, f"{path} entry {n}", countries)
