"""Readable terminal views of stored records (tables, an article with its annotations)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def _actors(lst: list[dict[str, Any]] | None) -> str:
    out = []
    for a in lst or []:
        label = a.get("text") or a.get("entity_id") or "?"
        if a.get("country"):
            label += f" ({a['country']})"
        out.append(label)
    return "; ".join(out)


def articles_table(rows: list[dict[str, Any]], total: int) -> Table:
    t = Table(title=f"{total} stored articles", show_lines=False)
    for col in ("id", "title", "published", "events", "source"):
        t.add_column(col, overflow="fold")
    for r in rows:
        title = r.get("title") or "(untitled)"
        if r.get("duplicate_of"):
            title += f"  [dim](copy of {r['duplicate_of'][:8]})[/]"
        t.add_row(r["id"][:12], title, r.get("published_at") or "", str(r.get("events", 0)), r.get("source") or "")
    return t


def search_table(rows: list[dict[str, Any]], query: str) -> Table:
    """`eventwire search` hits: the snippet marks the matched words in [brackets]."""
    t = Table(title=f"{len(rows)} result{'' if len(rows) == 1 else 's'} for {query!r}", show_lines=True)
    for col in ("id", "title", "published", "snippet"):
        t.add_column(col, overflow="fold")
    for r in rows:
        # Text, not markup: the snippet's [brackets] are the matches, not Rich styles.
        t.add_row(r["id"][:12], Text(r.get("title") or "(untitled)"), r.get("published_at") or "",
                  Text(r.get("snippet") or ""))
    return t


def events_table(rows: list[dict[str, Any]], total: int, hidden: str | None = None) -> Table:
    """``hidden``: what the confidence floor left out (a caption under the table)."""
    t = Table(title=f"{total} events", show_lines=True, caption=hidden)
    for col in ("type", "actor", "recipient", "place", "date", "ACLED", "flags / certainty / conf.", "evidence"):
        t.add_column(col, overflow="fold")
    for e in rows:
        place = e.get("place") or {}
        date = e.get("date") or {}
        flags = [k for k, v in (e.get("flags") or {}).items() if v]
        cert = (e.get("claim") or {}).get("certainty")
        if cert:
            flags.append(cert)
        if e.get("procurement"):
            p = e["procurement"]
            flags.append(f"arms: {p.get('system') or '?'} {p.get('status') or ''}".strip())
        if e.get("confidence") is not None:
            flags.append(f"conf. {e['confidence']:.2f}")
        ev = e.get("summary") or ""
        t.add_row(
            e["type"] + (f"\n[dim]{e['mode']}[/]" if e.get("mode") else ""),
            _actors(e.get("actors")),
            _actors(e.get("recipients")),
            ", ".join(x for x in (place.get("name"), place.get("country")) if x),
            (date.get("date_start") or "") + (f" ({date.get('precision')})" if date.get("precision") else "")
            + ("\n[dim]read against the ingest date (no publication date)[/]" if date.get("anchor") == "ingest" else ""),
            e.get("acled_sub_event_type") or e.get("acled_event_type") or "",
            ", ".join(flags),
            (ev[:110] + "…") if len(ev) > 110 else ev,
        )
    return t


STYLE = {"actors": "bold cyan", "recipients": "bold magenta", "place": "green", "date": "yellow",
         "quantities": "bold red", "claim": "italic blue", "trigger": "underline"}


def article_view(console: Console, rec: dict[str, Any]) -> None:
    head = Text(rec.get("title") or "(untitled)", style="bold")
    meta = " · ".join(x for x in (rec.get("publisher"), rec.get("published_at"), rec.get("source"), rec["id"]) if x)
    body = Text(rec["body"])
    for m in rec.get("mentions", []):
        if m.get("entity_id"):
            body.stylize("cyan", m["start"], m["end"])
    for p in rec.get("places", []):
        body.stylize("green", p["start"], p["end"])
    parts: list[Any] = [head, Text(meta, style="dim"), Text(""), body]
    for c in rec.get("captions", []):
        parts.append(Text(f"\n[caption] {c['text']}" + (f" ({c['credit']})" if c.get("credit") else ""), style="dim italic"))
    console.print(Panel(Group(*parts), title="article", expand=True))
    if rec.get("events"):
        # A stored article's events carry sentence offsets, not the text the event list shows:
        # the evidence column takes the sentence from the body (or the event's caption).
        from ..store import _sentence_text

        caps = [c.get("text") or "" for c in rec.get("captions", [])]
        evs = [{**e, "summary": e.get("summary") or _sentence_text(e, rec["body"], caps)} for e in rec["events"]]
        console.print(events_table(evs, len(evs)))
    ents = {(m["text"], m["label"], m.get("entity_id") or "", m.get("country") or "") for m in rec.get("mentions", [])}
    if ents:
        t = Table(title="entities")
        for col in ("text", "label", "entity", "country"):
            t.add_column(col)
        for row in sorted(ents):
            t.add_row(*row)
        console.print(t)
    if rec.get("quantities"):
        t = Table(title="quantities")
        for col in ("text", "value", "unit/currency", "kind"):
            t.add_column(col)
        for q in rec["quantities"]:
            t.add_row(q["text"], f"{q['value']:,.0f}", q.get("currency") or q.get("unit") or "", q.get("kind") or "")
        console.print(t)
    if rec.get("claims"):
        t = Table(title="claims")
        for col in ("source", "verb", "certainty"):
            t.add_column(col)
        for c in rec["claims"]:
            t.add_row(c.get("source_text") or "(anonymous)", c.get("verb") or "", c["certainty"])
        console.print(t)
