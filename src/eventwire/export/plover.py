"""PLOVER JSON lines: one event per line with the PLOVER manual's field names (v0.7, "JSON Data
Fields"): ``id``, ``date``/``enddate``, ``actor`` and ``recipient`` (lists of actor objects:
``actor_text``, ``code`` (country), ``country``, ``sector``, ``identifier_id``), ``event``,
``mode``, ``context``, ``event_loc`` (GeoNames field names plus ``cc3``), ``event_text``,
``quad_code``, ``dead``/``injured``/``arrested``, ``text`` with ``text_info`` (offsets),
``cite_info`` (citation, url, title, publication, coder, codebook). The manual invites extra
fields: ``certainty``, ``flags``, ``confidence``, ``acled`` and ``cameo`` are ours.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from . import fields as F

CODER = "eventwire rules.v1"
CODEBOOK = "plover-0.7b1"


def _actor(a: dict[str, Any]) -> dict[str, Any]:
    out = {"actor_text": a.get("text"), "code": a.get("country"), "country": a.get("country"),
           "sector": a.get("sector"), "identifier_id": a.get("entity_id")}
    return {k: v for k, v in out.items() if v is not None}


def record(ev: dict[str, Any]) -> dict[str, Any]:
    start, end, prec = F.date(ev)
    p, art, flags = F.place(ev), ev.get("article") or {}, ev.get("flags") or {}
    rec: dict[str, Any] = {
        "id": ev["id"],
        "date": start,
        "enddate": end if end and end != start else None,
        "date_precision": prec,
        "actor": [_actor(a) for a in F.actors(ev, "actors")],
        "recipient": [_actor(a) for a in F.actors(ev, "recipients")],
        "event": ev.get("type"),
        "mode": ev.get("mode"),
        "context": ev.get("context"),
        "quad_code": F.PLOVER_QUAD.get(ev.get("type") or ""),
    }
    if p.get("lat") is not None:
        feature = p.get("feature") or ""
        fclass, _, fcode = feature.partition(".")
        rec["event_loc"] = {
            "geonameid": p.get("geonameid"), "name": p.get("name"),
            "latitude": p.get("lat"), "longitude": p.get("lon"),
            "feature class": fclass or None, "feature code": fcode or None,
            "country code": F.iso2(p.get("country")) or None, "cc3": p.get("country"),
            "admin1 code": p.get("admin1"), "precision": p.get("precision"),
        }
    text = F.event_text(ev)
    if text:
        rec["event_text"] = [text]
    for kind in ("dead", "injured", "arrested"):
        rec[kind] = F.quantity(ev, kind)
    sent = ev.get("sentence") or [None, None]
    rec["text"] = ev.get("summary")
    rec["text_info"] = {"start": sent[0], "end": sent[1], "is_story": False}
    rec["cite_info"] = {
        "citation": ev.get("article_id") or art.get("id"), "url": art.get("url") or art.get("source"),
        "title": art.get("title"), "publication": art.get("publisher"), "date": art.get("published_at"),
        "coder": CODER, "codebook": CODEBOOK,
    }
    rec["certainty"] = (ev.get("claim") or {}).get("certainty") or "asserted"
    rec["flags"] = {f: bool(flags.get(f)) for f in ("negated", "future", "hypothetical", "historical")}
    rec["confidence"] = ev.get("confidence")
    rec["cameo"] = ev.get("cameo")
    rec["acled"] = {"event_type": ev.get("acled_event_type"), "sub_event_type": ev.get("acled_sub_event_type")}
    if ev.get("procurement"):
        rec["procurement"] = ev["procurement"]
    return {k: v for k, v in rec.items() if v is not None}


def write(events: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for ev in events:
        out.write(F.dumps(record(ev)) + "\n")
        n += 1
    return n
