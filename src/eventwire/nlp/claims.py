"""Attribution: who says what, and how sure the text is about it.

Rules over the dependency parse, one pass per sentence:

1. a reporting verb (say, tell, report, predict, deny, ...) with its subject as the source and
   its clausal complement (or object) as the claimed content; "said local sources" (subject
   after the verb) and "..., the ministry said" both come out of the parse the same way;
2. "according to X" — source X, certainty ``reported``;
3. a hedge word with no reporting verb ("vessels reportedly transporting") — certainty
   ``hedged``, no source.

Certainty by verb: say/tell/state/announce → asserted; report/publish → reported;
predict/expect/forecast → predicted; deny/reject/dismiss → denied. An anonymous source
("sources", "witnesses", "local press") turns asserted into reported; a hedge word (reportedly,
allegedly, may, could, ...) in the claimed content turns asserted/reported into hedged.
"""

from __future__ import annotations

from typing import Any

from ..records import Claim, Mention
from .docindex import positions, sent_index, sents, text_of

ASSERT = {
    "say", "tell", "state", "announce", "confirm", "add", "declare", "insist", "stress", "note",
    "explain", "argue", "assert", "write", "acknowledge", "admit", "affirm", "emphasize",
    "emphasise", "reiterate", "claim", "allege", "warn", "disclose", "reveal",
}
REPORT = {"report", "publish", "cite", "quote", "broadcast"}
PREDICT = {"predict", "expect", "forecast", "anticipate", "project", "estimate"}
DENY = {"deny", "reject", "dismiss", "refute", "rebut", "disavow"}
VERBS = ASSERT | REPORT | PREDICT | DENY
HEDGES = {
    "reportedly", "allegedly", "may", "might", "could", "possibly", "apparently", "purportedly",
    "supposedly", "likely", "unconfirmed", "unverified", "perhaps", "probably", "believed",
    "suspected", "rumored", "rumoured",
}
#: Objects that make "deny X" a denial of a statement rather than a refusal ("denied port entry").
DENIABLE = {
    "charge", "charges", "claim", "claims", "allegation", "allegations", "accusation",
    "accusations", "report", "reports", "involvement", "responsibility", "wrongdoing", "it",
    "this", "that", "them", "accounts", "rumours", "rumors", "link", "links",
}
#: Verbs whose direct object is what is claimed (for the others the content is a clause).
OBJECT_CONTENT = {"report", "publish", "predict", "expect", "forecast", "anticipate", "confirm", "announce", "deny", "reject", "dismiss", "refute", "rebut", "claim"}
ANONYMOUS = {
    "source", "sources", "witness", "witnesses", "resident", "residents", "activist", "activists",
    "press", "media", "report", "reports", "observer", "observers", "people", "insider", "insiders",
    "officials", "official",
}


_VERB_LIST = tuple(sorted(VERBS))
_TRIGGER_WORDS = ("according", "reportedly", "allegedly", "purportedly", "supposedly")


def _certainty(lemma: str) -> str:
    if lemma in DENY:
        return "denied"
    if lemma in PREDICT:
        return "predicted"
    if lemma in REPORT:
        return "reported"
    return "asserted"


def _span(tokens: list[Any]) -> tuple[int, int]:
    s = min(t.idx for t in tokens)
    e = max(t.idx + len(t.text) for t in tokens)
    return s, e


def _subtree(tok: Any) -> list[Any]:
    return list(tok.subtree)


def _is_anonymous(src: list[Any], mentions: list[Mention]) -> bool:
    if not src:
        return True
    s, e = _span(src)
    named = [m for m in mentions if m.start >= s and m.end <= e and m.label not in ("NORP", "CARDINAL", "DATE")]
    head = max(src, key=lambda t: t.i if t.dep_ in ("nsubj", "nsubjpass", "pobj") else -1)
    return not named and (head.lower_ in ANONYMOUS or head.lemma_.lower() in ANONYMOUS)


def _entity_for(s: int, e: int, mentions: list[Mention]) -> str | None:
    """The resolved entity id of the source span: a mention inside it, preferring KB-linked
    actors; a person mention with no id of its own counts as the organisation it speaks for when
    that one is in the span too ("government spokesperson Pilar Alegría")."""
    inside = [m for m in mentions if m.start >= s and m.end <= e]
    for m in inside:
        if m.entity_id:
            return m.entity_id
    return None


INSTITUTIONS = {"government", "regime", "ministry", "army", "military", "forces", "authorities", "police", "navy", "cabinet", "presidency"}


def _institution(head: Any, mentions: list[Mention], resolve: Any) -> str | None:
    """"Spain's leftist government" → the KB's Spanish government: the country mention inside
    the source plus its head noun, looked up in the KB."""
    if head.lemma_.lower() not in INSTITUTIONS and head.lower_ not in INSTITUTIONS:
        return None
    s, e = _span(_subtree(head))
    for m in mentions:
        if s <= m.start and m.end <= e and m.label in ("GPE", "NORP") and m.country:
            ent = resolve(f"{m.text} {head.lower_}", None, "")
            if ent is not None:
                return str(ent.id)
    return None


def extract(doc: Any, mentions: list[Mention], affiliations: dict[tuple[int, int], str] | None = None,
            resolve: Any = None) -> list[Claim]:
    out: list[Claim] = []
    affiliations = affiliations or {}
    # Candidate tokens from the doc's attribute arrays; only sentences holding one are read.
    cand: dict[int, list[int]] = {}
    for i in (*positions(doc, "LEMMA", _VERB_LIST), *positions(doc, "LOWER", _TRIGGER_WORDS)):
        cand.setdefault(sent_index(doc, i), []).append(i)
    all_sents = sents(doc)
    for k in sorted(cand):
        sent = all_sents[k]
        found = False
        for tok in (doc[i] for i in sorted(set(cand[k]))):
            lem = tok.lemma_.lower()
            if tok.pos_ not in ("VERB", "AUX") or lem not in VERBS:
                continue
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj and tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.i != tok.i:
                # "..., adding the government is studying": the subject is the main verb's.
                subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].lower_ in ("which", "who", "that") and tok.dep_ == "relcl":
                subj = [tok.head]  # "Rafael, which told AP ...": the antecedent speaks
            content_heads = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis")]
            content_heads = [
                c for c in content_heads
                if c.dep_ != "dobj" or (lem in OBJECT_CONTENT and (lem not in DENY or c.lower_ in DENIABLE))
            ]
            if lem in DENY and not content_heads:
                continue
            # "X, sources said" parses the content as the verb's head's clause (verb is ROOT and
            # the clause a ccomp) or, when the verb was attached as parataxis, as the head.
            if not content_heads and tok.dep_ in ("parataxis", "advcl") and tok.head.i != tok.i:
                content_heads = [tok.head]
            if not subj and not content_heads:
                continue
            if not subj and not any(c.dep_ == "auxpass" for c in tok.children):
                continue  # "It is worth noting that ...": no one is quoted
            if lem in ASSERT - {"say", "tell", "state", "announce", "report", "claim", "deny"} and not content_heads:
                continue
            if subj and subj[0].lower_ in ("it",) and tok.dep_ != "ROOT":
                continue
            src_tokens = _subtree(subj[0]) if subj else []
            if subj and subj[0].dep_ not in ("nsubj", "nsubjpass"):
                src_tokens = [t for t in src_tokens if t.i <= subj[0].i or t.dep_ in ("compound", "amod", "flat")]
                src_tokens = [t for t in src_tokens if t.i < tok.i and not t.is_punct] or [subj[0]]
            if content_heads:
                ctoks = [t for h in content_heads for t in _subtree(h)]
                cs, ce = _span(ctoks)
            else:
                cs, ce = sent.start_char, sent.end_char
            certainty = _certainty(lem)
            anon = _is_anonymous(src_tokens, mentions)
            if certainty == "asserted" and (anon or lem in ("claim", "allege")):
                certainty = "reported"
            if certainty in ("asserted", "reported"):
                scope = [t for t in sent if cs <= t.idx < ce] + [c for c in tok.children if c.dep_ == "advmod"]
                if any(t.lower_ in HEDGES for t in scope):
                    certainty = "hedged"
            ss: int | None = None
            se: int | None = None
            ent = None
            if src_tokens:
                ss, se = _span(src_tokens)
                ent = _entity_for(ss, se, mentions)
                if ent is None:
                    ent = next((v for (a, b), v in affiliations.items() if a >= ss and b <= se), None)
                if ent is None and resolve is not None and subj:
                    ent = _institution(subj[0], mentions, resolve)
            out.append(
                Claim(
                    start=cs, end=ce, source_text=text_of(doc)[ss:se] if ss is not None else None,
                    source_entity_id=ent, verb=tok.text, certainty=certainty,
                    source_start=ss, source_end=se,
                )
            )
            found = True
        # "according to X"
        for tok in (doc[i] for i in sorted(set(cand[k]))):
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                to = doc[tok.i + 1]
                obj = [c for c in to.children if c.dep_ == "pobj"]
                if not obj:
                    continue
                src = _subtree(obj[0])
                ss, se = _span(src)
                rest = [t for t in sent if not (tok.i <= t.i <= src[-1].i) and not t.is_punct]
                cs, ce = _span(rest) if rest else (sent.start_char, sent.end_char)
                hedged = any(t.lower_ in HEDGES for t in rest)
                out.append(
                    Claim(
                        start=cs, end=ce, source_text=text_of(doc)[ss:se],
                        source_entity_id=_entity_for(ss, se, mentions), verb="according to",
                        certainty="hedged" if hedged else "reported", source_start=ss, source_end=se,
                    )
                )
                found = True
        if not found:
            hedge = next((t for t in sent if t.lower_ in ("reportedly", "allegedly", "purportedly", "supposedly")), None)
            if hedge is not None:
                out.append(
                    Claim(start=sent.start_char, end=sent.end_char, source_text=None,
                          source_entity_id=None, verb=hedge.text, certainty="hedged")
                )
    return out
