"""Arms-trade detail: one :class:`~eventwire.records.Procurement` per article's deal.

PLOVER has no procurement type and SIPRI records no cancellations, so this is ours. The deal is
assembled from every arms-trade event of the article body (the approval, the order, the
cancellation...), because a news story spreads it over several sentences:

- status: the latest non-historical deal event's status (cancel → cancelled, approve → approved,
  buy/order → ordered, deliver → delivered, license → licensed, suspend/halt → suspended);
- date_ordered: the date of the approval/order event; date_status: the status event's date;
- system: a WEAPON mention of the nlp stage, else a designation pattern (capitals and digits, e.g.
  "SPIKE LR2") followed by what it is ("anti-tank missile systems" → system_kind);
- quantity: the number in front of the system; value: money quantities of the system's sentence
  (each stated currency kept, "285 million euros ($325 million)" → EUR and USD);
- supplier: the company named with "by"/"from" in the system's sentence (or a KB company);
- recipient: the actor of the status event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..records import Article, Evidence, Money, Procurement

if TYPE_CHECKING:
    from .rules import Draft, RulesCoder, Text

STATUS_BY_SENSE = {
    "cancel": "cancelled",
    "reject": "cancelled",
    "agree": "approved",
    "sign": "approved",
    "arms_order": "ordered",
    "arms_delivery": "delivered",
    "suspend": "suspended",
    "arms_halt": "suspended",
}
KIND_WORDS = (
    r"missile|rocket|tank|jet|aircraft|helicopter|drone|system|rifle|gun|howitzer|frigate|"
    r"submarine|launcher|vehicle|fighter|radar|munition"
)
DESIGNATION = re.compile(
    r"(?:(?P<qty>\d[\d,]*)\s+)?(?P<sys>(?:[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9-]*|[A-Z]{2,}[A-Za-z0-9-]*)"
    r"(?:[ -][A-Z0-9][A-Za-z0-9-]*){0,3})\s+(?P<kind>(?:[a-z][\w-]*\s+){0,3}?(?:" + KIND_WORDS + r")s?"
    r"(?:\s+systems?)?)\b"
)
MONEY_RX = re.compile(
    r"(?P<cur1>[$€£])?\s?(?P<num>\d[\d,.]*)\s*(?P<mult>million|billion|bn|m)?\s*(?P<cur2>euros?|dollars?|pounds?|EUR|USD|GBP)?",
    re.I,
)
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "euro": "EUR", "euros": "EUR", "dollar": "USD",
            "dollars": "USD", "pound": "GBP", "pounds": "GBP", "eur": "EUR", "usd": "USD", "gbp": "GBP"}  # fmt: skip
MULT = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
SUPPLIER_RX = re.compile(r"\b(?:by|from)\s+(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4})")


@dataclass
class Deal:
    record: Procurement
    evidence: list[Evidence] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def _singular(kind: str) -> str:
    words = kind.split()
    if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _date_iso(d: Draft) -> str | None:
    if d.date and d.date.get("source") in ("text", "context", "publication"):
        return str(d.date.get("date_start"))[:10] if d.date.get("precision") == "day" else str(d.date.get("date_start"))
    return None


def build_procurement(coder: RulesCoder, article: Article, body: Text, arms: list[Draft]) -> Deal:
    text = body.text
    an = body.analysis
    ev: list[Evidence] = []
    deal_events = [d for d in arms if d.sense != "arms_halt"]
    # --- system, kind, quantity
    system = kind = None
    qty: float | None = None
    sys_span: tuple[int, int] | None = None
    weapons = [m for m in an.mentions if m.label in ("WEAPON", "MILITARY_PLATFORM")]
    m = DESIGNATION.search(text)
    if m:
        system, kind = m.group("sys"), _singular(m.group("kind"))
        sys_span = (m.start("sys"), m.end("sys"))
        if m.group("qty"):
            qty = float(m.group("qty").replace(",", ""))
            ev.append(Evidence("procurement.quantity", m.start("qty"), m.end("qty")))
        ev.append(Evidence("procurement.system_kind", m.start("kind"), m.end("kind")))
    elif weapons:
        w = weapons[0]
        system, sys_span = w.text, (w.start, w.end)
        if coder.kb is not None and w.entity_id:
            ent = coder.kb.get(w.entity_id)
            kind = getattr(ent, "system_kind", None) if ent is not None else None
    if sys_span:
        ev.append(Evidence("procurement.system", *sys_span))
    # --- the system's sentence: value and supplier
    sents = body.sentences
    sys_sent = next((s for s in sents if sys_span and s[0] <= sys_span[0] < s[1]), None)
    scope = [sys_sent] if sys_sent else [d.sentence for d in deal_events]
    if qty is None and sys_span:
        for q in an.quantities:
            if q.kind in ("units", None) and q.end <= sys_span[0] and sys_span[0] - q.end <= 3:
                qty = q.value
                ev.append(Evidence("procurement.quantity", q.start, q.end))
    values: list[Money] = []
    for s in scope:
        money = [q for q in an.quantities if q.currency and s[0] <= q.start < s[1]]
        for q in money:
            values.append(Money(q.value, q.currency or ""))
            ev.append(Evidence("procurement.value", q.start, q.end))
        if not money:
            for mm in MONEY_RX.finditer(text, s[0], s[1]):
                cur = mm.group("cur1") or mm.group("cur2")
                if not cur or not (mm.group("mult") or mm.group("cur1")):
                    continue
                try:
                    amount = float(mm.group("num").replace(",", "")) * MULT.get((mm.group("mult") or "").lower(), 1)
                except ValueError:
                    continue
                values.append(Money(amount, CURRENCY.get(cur.lower(), cur.upper())))
                ev.append(Evidence("procurement.value", mm.start(), mm.end()))
    # supplier: a company named with by/from in the system's sentence (or the next one)
    supplier = supplier_id = None
    sup_scope = list(scope)
    if sys_sent:
        k = sents.index(sys_sent)
        sup_scope += list(sents[k + 1 : k + 2])
    for s in sup_scope:
        comp = [mn for mn in an.mentions if s[0] <= mn.start < s[1] and (mn.kind == "company")]
        sm = SUPPLIER_RX.search(text, s[0], s[1])
        if comp and not (sm and sm.start("name") <= comp[0].start and coder._country(sm.group("name")) is None):
            supplier, supplier_id = comp[0].text, comp[0].entity_id
            ev.append(Evidence("procurement.supplier", comp[0].start, comp[0].end))
            break
        if sm:
            name = sm.group("name").rstrip(".,")
            if coder._country(name) is None:  # "by Israel" names a state, not a supplier
                supplier = name
                ment = next((mn for mn in an.mentions if mn.start == sm.start("name")), None)
                supplier_id = ment.entity_id if ment is not None else None
                if supplier_id is None and coder.kb is not None:
                    ent = coder._kb_resolve(name, "ORG")
                    supplier_id = ent.id if ent is not None else None
                ev.append(Evidence("procurement.supplier", sm.start("name"), sm.start("name") + len(name)))
                break
    # --- status and dates
    current = [d for d in deal_events if d.flags.get("historical") is None] or deal_events
    status_ev = current[0] if current else arms[0]
    status = STATUS_BY_SENSE.get(status_ev.sense)
    if status is None and status_ev.type == "SANCTION":
        status = "cancelled"
    t = status_ev.trigger
    if status_ev.text.where == "body":
        ev.append(Evidence("procurement.status", t[0], t[1]))
    ordered = [d for d in deal_events if STATUS_BY_SENSE.get(d.sense) in ("approved", "ordered") and d is not status_ev]
    date_ordered = _date_iso(ordered[0]) if ordered else None
    if ordered and date_ordered:
        ev += [Evidence("procurement.date_ordered", e.start, e.end) for e in ordered[0].evidence if e.field == "date"]
    date_status = _date_iso(status_ev)
    if date_status and status_ev.text.where == "body":
        ev += [Evidence("procurement.date_status", e.start, e.end) for e in status_ev.evidence if e.field == "date"]
    recipient = recipient_id = None
    if status_ev.actors:
        a = status_ev.actors[0]
        recipient, recipient_id = a.text, a.entity_id
        if a.start is not None and a.end is not None and status_ev.text.where == "body":
            ev.append(Evidence("procurement.recipient", a.start, a.end))
    rec = Procurement(
        supplier=supplier,
        recipient=recipient,
        system=system,
        system_kind=kind,
        quantity=qty,
        value=tuple(values),
        status=status,
        date_ordered=date_ordered,
        date_status=date_status,
        supplier_entity_id=supplier_id,
        recipient_entity_id=recipient_id,
    )
    return Deal(rec, ev, deal_events)
