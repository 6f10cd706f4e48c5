"""What every raw document must satisfy before it is cleaned and stored: ``check(doc)``.

A document that breaks one of these would otherwise fail far from its cause and take the batch
with it (a lone surrogate raises ``UnicodeEncodeError`` when its id is hashed; a NUL makes
PostgreSQL abort the write, "text fields cannot contain NUL"). Each becomes that document's
rejection, with the field and the reason:

- no lone surrogates (U+D800-U+DFFF) in any field: JSON allows ``"\\ud800"`` but it is not text;
- no NUL in the metadata (title, url, byline, publisher, published_at, external_id, source), nor in a
  ``plain`` body (kept byte for byte); other bodies are cleaned, which drops control characters;
- ``external_id`` (the caller's id, JSONL ``"id"``), when given: at most 200 characters of
  letters, digits and ``. _ : - / @ # + =``, starting with a letter or digit, with no ``..``
  (so it is safe in a URL, a file name or a log line);
- ``published_at``, when given, is an ISO 8601 year, month, date or date-time that exists
  (``9999-99-99`` does not).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from ..records import RawDocument, Rejection

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_YEAR_MONTH = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_META = ("source", "title", "url", "published_at", "publisher", "byline", "external_id", "encoding")
EXTERNAL_ID_MAX = 200  # longest caller id kept; the longest of the shipped/dev inputs is 29 (PLOVER GSR)
EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@#+=-]*")


def valid_date(value: str) -> bool:
    """An ISO 8601 year (``2024``), month (``2024-05``), date or date-time that exists."""
    v = value.strip()
    if _YEAR_MONTH.match(v):
        return True
    try:
        if len(v) == 10:
            dt.date.fromisoformat(v)
        else:
            dt.datetime.fromisoformat(v.replace("Z", "+00:00") if v.endswith("Z") else v)
    except ValueError:
        return False
    return True


def external_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be kept as an external id, or None."""
    if len(value) > EXTERNAL_ID_MAX:
        return f"external_id is {len(value):,} characters long; at most {EXTERNAL_ID_MAX} are kept"
    if not EXTERNAL_ID.fullmatch(value) or ".." in value:
        return (f"external_id {value!r} is not a safe id: use letters, digits and . _ : - / @ # + =, "
                "starting with a letter or digit, without '..'")
    return None


def problem(doc: RawDocument) -> str | None:
    """Why ``doc`` cannot go on, or None."""
    for f in dataclasses.fields(doc):
        val = getattr(doc, f.name)
        if not isinstance(val, str):
            continue
        m = _SURROGATE.search(val)
        if m:
            return (f"{f.name} holds a lone surrogate (U+{ord(m.group()):04X}) at character "
                    f"{m.start()}: not valid Unicode text")
        if "\x00" in val and (f.name in _META or doc.kind == "plain"):
            return f"{f.name} contains a NUL character (U+0000 at character {val.index(chr(0))})"
    if doc.external_id is not None:
        why = external_id_problem(doc.external_id)
        if why:
            return why
    if doc.published_at is not None and not valid_date(doc.published_at):
        return f"published_at {doc.published_at[:40]!r} is not an ISO 8601 date that exists"
    return None


def check(doc: RawDocument | Rejection) -> RawDocument | Rejection:
    """``doc`` unchanged, or its rejection (rejections pass through)."""
    if isinstance(doc, Rejection):
        return doc
    why = problem(doc)
    if why is None:
        return doc
    # The source itself may be what is broken: show it escaped, so the message always prints.
    source = doc.source.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
    return Rejection(source, why)


__all__ = ["check", "problem", "valid_date", "external_id_problem", "EXTERNAL_ID_MAX"]
