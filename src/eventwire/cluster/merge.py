"""Merged events: source events from different articles that describe one action become one
canonical event that keeps them all.

Two events are the same action when all of these hold:

1. same PLOVER type and the same flags (a denied strike is not the strike);
2. their date windows overlap once padded by the precision of each date (a day ±1, a week ±3,
   a month or coarser: its own span) — or, when either is undated, they are in the same story;
3. places within :data:`MAX_KM` when both are at town precision or finer; same admin1 (region
   precision) or same country (country precision) when coarser; when either has no place, the
   same story;
4. actors: they share an actor or recipient (entity id, else case-folded text), or either side
   names none and they are in the same story.

Among several candidates the event joins the one in its own story first, then the one sharing
most actors, then the nearest. Two events of one article can merge (the lead and a later
paragraph restating the same strike: GDELT counts both as mentions). Canonical rows carry GDELT counts (NumMentions = source events,
NumSources = distinct publishers, NumArticles = distinct articles), an ACLED-style source list,
and every value sources disagree on (fatalities, date, location, actors) side by side, each with
the events and sources that state it — never averaged.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa

from ..records import Event, Result, content_id
from ..store import clusters as db
from ..store.schema import events as events_table

# Two town-precision places further apart than this are different actions. ACLED codes an event
# at the nearest town; GDELT's own dedup window is the city. 25 km covers a town and its suburbs
# (a strike "near Aleppo" geocoded to the centre vs to an outlying district). Not fitted: no
# gold for merged events exists in the dev data.
MAX_KM = 25.0
# Date padding (days) by precision: reports of a day-precision event disagree by a day (time
# zones, "overnight"); a week-precision date is known to ±3 days.
PAD_DAYS = {"day": 1, "week": 3}
FLAG_NAMES = ("negated", "future", "hypothetical", "historical")


def _km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    p = math.pi / 180
    h = (math.sin((b_lat - a_lat) * p / 2) ** 2
         + math.cos(a_lat * p) * math.cos(b_lat * p) * math.sin((b_lon - a_lon) * p / 2) ** 2)
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def flags_of(ev: Event) -> str:
    return ",".join(n for n in FLAG_NAMES if getattr(ev.flags, n))


def window(ev: Event) -> tuple[str | None, str | None]:
    d = ev.date or {}
    start, end = d.get("date_start"), d.get("date_end") or d.get("date_start")
    if not start:
        return None, None
    pad = PAD_DAYS.get(str(d.get("precision") or "day"), 0)
    try:
        s = dt.date.fromisoformat(str(start)[:10]) - dt.timedelta(days=pad)
        e = dt.date.fromisoformat(str(end)[:10]) + dt.timedelta(days=pad)
    except ValueError:
        return None, None
    return s.isoformat(), e.isoformat()


def actor_keys(actors: list[dict[str, Any]]) -> set[str]:
    return {(a.get("entity_id") or (a.get("text") or "").casefold().strip()) for a in actors
            if a.get("entity_id") or (a.get("text") or "").strip()}


def _place_ok(ev: Event, c: dict[str, Any], same_story: bool) -> tuple[bool, float]:
    p = ev.place or {}
    if p.get("lat") is None or c.get("lat") is None:
        return same_story, 0.0
    coarse = max(int(p.get("precision") or 1), int(c.get("geo_precision") or 1))
    if coarse <= 2:
        d = _km(float(p["lat"]), float(p["lon"]), float(c["lat"]), float(c["lon"]))
        return d <= MAX_KM, d
    if coarse == 3:
        return (p.get("country") == c.get("country") and p.get("admin1") == c.get("admin1")), 0.0
    return p.get("country") == c.get("country"), 0.0


def _actors(ev: Event) -> list[dict[str, Any]]:
    return [{"text": a.text, "entity_id": a.entity_id, "role": "actor"} for a in ev.actors] + [
        {"text": a.text, "entity_id": a.entity_id, "role": "recipient"} for a in ev.recipients]


def _fatalities(ev: Event) -> int | None:
    dead = [q.value for q in ev.quantities if q.kind == "dead"]
    return int(max(dead)) if dead else None


def _source_name(meta: dict[str, Any]) -> str:
    if meta.get("publisher"):
        return str(meta["publisher"])
    url = meta.get("url") or meta.get("source") or ""
    host = urlparse(str(url)).netloc
    return host or str(meta.get("source") or "unknown")


def _add_value(values: dict[str, list[dict[str, Any]]], field: str, value: Any, event_id: str, source: str) -> None:
    if value is None or value == "" or value == []:
        return
    for v in values.setdefault(field, []):
        if v["value"] == value:
            if event_id not in v["events"]:
                v["events"].append(event_id)
            if source not in v["sources"]:
                v["sources"].append(source)
            return
    values[field].append({"value": value, "events": [event_id], "sources": [source]})


class EventMerger:
    """Links each stored event to a canonical event (new or existing) and keeps counts."""

    def __init__(self, store: Any, max_km: float = MAX_KM) -> None:
        self.store = store
        self.max_km = max_km

    def merge(self, result: Result, story_id: str | None, conn: Any) -> list[str]:
        """Canonical ids of the events of ``result`` (already stored), in event order."""
        if not result.events:
            return []
        ids = [e.id for e in result.events]
        done = dict(conn.execute(
            sa.select(events_table.c.id, events_table.c.canonical_id).where(events_table.c.id.in_(ids))
        ).all())
        a = result.article
        meta = {"publisher": a.publisher, "source": a.source, "url": a.url, "title": a.title,
                "published_at": a.published_at}
        out = []
        for ev in result.events:
            if ev.id not in done:
                continue  # not stored (the store skips duplicate event ids)
            if done[ev.id]:
                out.append(str(done[ev.id]))  # re-ingest: already merged
                continue
            cid = self._merge_one(conn, ev, story_id, meta)
            done[ev.id] = cid
            out.append(cid)
        return out

    def _match(self, conn: Any, ev: Event, story_id: str | None) -> dict[str, Any] | None:
        start, end = window(ev)
        cands = db.candidate_canonicals(conn, ev.type, flags_of(ev), start, end, story_id)
        mine = actor_keys(_actors(ev))
        best, best_key = None, None
        for c in cands:
            same_story = bool(story_id) and c.get("story_id") == story_id
            ok, dist = _place_ok(ev, c, same_story)
            if not ok:
                continue
            theirs = actor_keys(c["actors"])
            shared = len(mine & theirs)
            if not shared and not ((not mine or not theirs) and same_story):
                continue
            key = (same_story, shared, -dist)
            if best_key is None or key > best_key:
                best, best_key = c, key
        return best

    def _merge_one(self, conn: Any, ev: Event, story_id: str | None, meta: dict[str, Any]) -> str:
        c = self._match(conn, ev, story_id)
        src = _source_name(meta)
        place = ev.place or {}
        date = ev.date or {}
        fat = _fatalities(ev)
        source_entry = {
            "event_id": ev.id, "article_id": ev.article_id, "source": src, "title": meta.get("title"),
            "url": meta.get("url") or meta.get("source"), "published_at": meta.get("published_at"),
            "date": date.get("date_start"), "location": place.get("name"), "fatalities": fat,
        }
        row: dict[str, Any]
        if c is None:
            start, end = date.get("date_start"), date.get("date_end") or date.get("date_start")
            row = {
                "id": content_id("canonical", ev.id),
                "type": ev.type, "mode": ev.mode, "acled_event_type": ev.acled_event_type,
                "acled_sub_event_type": ev.acled_sub_event_type, "cameo": ev.cameo,
                "date_start": start, "date_end": end,
                "lat": place.get("lat"), "lon": place.get("lon"), "country": place.get("country"),
                "admin1": place.get("admin1"), "location": place.get("name"),
                "geo_precision": place.get("precision"), "flags": flags_of(ev), "story_id": story_id,
                "num_mentions": 0, "num_sources": 0, "num_articles": 0,
                "fatalities_min": None, "fatalities_max": None,
                "actors": [], "sources": [], "values": {}, "data": ev.to_dict(),
            }
        else:
            row = dict(c)
            row.pop("updated_at", None)
            row["values"] = {k: [dict(v) for v in vs] for k, vs in (c["values"] or {}).items()}
            row["sources"] = list(c["sources"])
            row["actors"] = list(c["actors"])
            if date.get("date_start") and (row["date_start"] is None or date["date_start"] < row["date_start"]):
                row["date_start"] = date["date_start"]
            d_end = date.get("date_end") or date.get("date_start")
            if d_end and (row["date_end"] is None or d_end > row["date_end"]):
                row["date_end"] = d_end
            if place.get("lat") is not None and int(place.get("precision") or 9) < int(row["geo_precision"] or 9):
                # Keep the most precise location any source gives; the others stay in "values".
                row.update(lat=place["lat"], lon=place["lon"], country=place.get("country"),
                           admin1=place.get("admin1"), location=place.get("name"),
                           geo_precision=place.get("precision"))
            if row["story_id"] is None:
                row["story_id"] = story_id
        # An article re-stored with Store.upsert(replace=True) comes back with the same event ids
        # and no canonical_id: it re-joins its canonical event without being counted twice.
        row["sources"] = [x for x in row["sources"] if x.get("event_id") != ev.id] + [source_entry]
        have = actor_keys(row["actors"])
        for a in _actors(ev):
            k = actor_keys([a])
            if k and not (k & have):
                row["actors"].append(a)
                have |= k
        vals = row["values"]
        _add_value(vals, "fatalities", fat, ev.id, src)
        _add_value(vals, "date", date.get("date_start"), ev.id, src)
        _add_value(vals, "location", place.get("name"), ev.id, src)
        _add_value(vals, "country", place.get("country"), ev.id, src)
        _add_value(vals, "acled_sub_event_type", ev.acled_sub_event_type, ev.id, src)
        fats = [v["value"] for v in vals.get("fatalities", [])]
        row["fatalities_min"] = min(fats) if fats else None
        row["fatalities_max"] = max(fats) if fats else None
        row["num_mentions"] = len(row["sources"])
        row["num_articles"] = len({s["article_id"] for s in row["sources"]})
        row["num_sources"] = len({s["source"] for s in row["sources"]})
        db.save_canonical(conn, row)
        db.set_canonical(conn, ev.id, row["id"])
        return str(row["id"])
