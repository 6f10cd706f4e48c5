"""``rules.v1``: a PETRARCH-style coder — trigger lexicon + dependency patterns — over the nlp
stage's parse.

Per sentence (body, title and each caption):

1. every token is looked up in the trigger lexicon (data/lexicon.tsv) by lemma, "verb particle"
   ("call off"), "modifier noun" ("hunger strike") and "verb object" ("set fire"); a row with a
   cue only matches when a cue lemma is among the trigger's arguments;
2. each match gets a clause depth: the number of contentful predicates above it (reporting verbs
   such as "said", light verbs such as "held" and aspectual verbs such as "began" are transparent,
   so "X said it had begun talks" puts "talks" at depth 0). The shallowest match is the sentence's
   main event; shallow matches outside its subtree that have an actor become further events;
3. frames: a wrap trigger ("threatened to X", "agreed to X", "demanded that X", "refused to X")
   takes its type from the frame and its mode/context from X; modality then adjusts the type the
   way the PLOVER coding rules do: intent/future of a cooperative act is AGREE, of a hostile act
   THREATEN; a negated cooperative act is REJECT; "must"/"should" in reported speech is REQUEST;
4. roles come from the dependency tree (subject/agent → actor, object/oblique → recipient;
   passives, coordination, appositions, possessives, pronouns), resolved through the nlp mentions,
   the knowledge base and a demonym table; place, date, quantities, claim and flags are attached;
   arms-trade events get a :class:`~eventwire.records.Procurement`;
5. events of the same sense whose actors agree are merged across title, body and captions, so
   one real-world action is one event carrying every evidence span.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..errors import InputError
from ..kb import acled as acled_names
from ..records import (
    Analysis,
    Article,
    Claim,
    DateRef,
    Event,
    EventActor,
    EventFlags,
    Evidence,
    Mention,
    Parse,
    Place,
    Quantity,
    Token,
)
from ..registry import register
from . import tables
from .procurement import build_procurement
from .syntax import CLAUSAL, Tree

REPORTING = frozenset(
    "say report tell announce state add claim quote accord predict argue note write reveal "
    "confirm believe think explain indicate show suggest learn hear publish conclude warn_ "
    "acknowledge admit assert allege_ insist_ reiterate stress emphasize maintain".split()
)
#: Aspectual, light and raising verbs: they carry no event of their own.
TRANSPARENT = frozenset(
    "be have do continue begin start try attempt manage decide seem appear want hope expect "
    "resume remain keep go come move engage take hold launch stage conduct carry make issue "
    "become get need plan intend aim prepare mount wage complete undertake use help seek "
    "fail vote step set"
    .split()
)  # fmt: skip
LIGHT = frozenset(
    "hold stage launch conduct carry make take issue begin start give mount wage complete "
    "undertake open lodge engage file announce pursue continue resume".split()
)
INTENT_VERBS = frozenset("plan intend prepare aim decide expect want hope promise".split())
INTENT_ADJ = frozenset("prepared ready willing poised determined set likely about".split())
#: Parts of speech of a word that can name a party (an actor span needs one).
_CONTENT_POS = frozenset({"NOUN", "PROPN", "NUM", "ADJ", "PRON"})
#: Dependencies of a nominal trigger that end its predicate chain: a noun that is the subject
#: (or a modifier) of a clause is not that clause's act, so the clause's modality is not its own.
_OWN_REALITY_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "compound", "appos", "npadvmod"})
FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo", "'d"})
HYPO_AUX = frozenset({"could", "might", "may"})
OBLIG_AUX = frozenset({"must", "should", "ought"})
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "PROTEST"})
#: Prepositions that introduce the offence of an arrest or charge ("charged with murder",
#: "arrested for drunk driving", "detained on suspicion of", "indicted over"), not its target.
OFFENCE_PREPS = frozenset("with for on of over".split())
RECIPIENT_PREPS = frozenset(
    "with against to on toward towards into at from over upon of for".split()
)
#: Dependents of a frame verb that hold its complement ("threatened [to ban]", "demanded [that]").
COMPLEMENT_DEPS = ("xcomp", "ccomp", "dobj", "prep", "pcomp", "attr", "acomp", "oprd", "advcl")
#: Nouns whose "with" phrase names co-actors ("in a coordinated effort with Norway and Ireland").
JOINT = frozenset("effort coordination concert conjunction partnership tandem cooperation together along alongside jointly".split())
NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"})
#: Objects that are the means of an action, not its target ("sent troops", "fired rockets").
INSTRUMENTS = frozenset(
    "troop force soldier unit army warship reinforcement police tank peacekeeper aid food medicine "
    "supply arm weapon missile rocket shell mortar artillery ammunition money help relief".split()
)
HARM_VERBS = frozenset("kill wound injure maim hurt".split())
#: Nouns naming an attack, whose "by" phrase gives the attacker ("in a strike by drones").
ATTACK_NOUNS = frozenset("attack assault ambush raid strike airstrike bombing shelling offensive operation".split())
GROUPS = frozenset("member part group population citizen representative delegation head chief ally".split())
#: Head words of a number of people ("thousands of protesters", "dozens of villagers").
MULTITUDES = frozenset("thousand hundred dozen score scores number crowd group band".split())
PARTICLES = frozenset("out off down up back over in away".split())
#: Kinds of KB entity a person's name never resolves to.
STATE_KINDS = frozenset({"state", "state_forces", "government"})
#: Head words of a police body ("Spanish Town Police", "Kano State Police Command").
POLICE_HEADS = frozenset("police constabulary gendarmerie command sheriff".split())
#: Generic nouns of people: the target of an attack or an arrest they head is civilians.
PERSON_NOUNS = frozenset(
    "man woman boy girl teenager teen child kid baby driver motorist suspect person people victim "
    "student worker passenger youth pedestrian customer father mother son daughter".split()
)
#: Heads that name a police officer in a story about the police, else a soldier or a member of
#: parliament (events/data/sectors.tsv).
OFFICER_HEADS = frozenset("officer deputy".split())
#: Words of a story about soldiers (against POLICE_HEADS words, see _police_story).
MILITARY_WORDS = frozenset("army military soldier troop marine navy".split())
#: Means of attack whose owner is the actor: "Russian warplanes", "Israeli drones", "Israeli
#: airstrikes" are that state's forces.
ARMED_INSTRUMENTS = frozenset(
    "warplane jet aircraft plane fighter bomber helicopter gunship drone uav tank artillery "
    "missile rocket shell mortar warship gunboat airstrike strike raid shelling bombardment "
    "bombing barrage fire".split()
)
#: Capitalised head words after a place name that make it an organisation or a place, not a
#: person's first name ("Kano State", "Spanish Town", "Gaza City").
NAME_HEADS = frozenset(
    "state town city province district county region police station army force ministry "
    "government council university hospital airport port coast island street road square "
    "camp base border valley river lake mountain desert bay strip bank office court".split()
)
ACTOR_POS = frozenset({"PROPN", "NOUN", "PRON", "ADJ"})
#: Head words of a site: after "at" it tells where a non-violent act took place, not its target.
SITE_HEADS = frozenset(
    "airport port station hospital school university market church mosque synagogue temple border "
    "checkpoint crossing street road home house office hotel building prison jail court courthouse "
    "headquarters residence embassy consulate stadium square".split()
)
#: Recipient kinds that name who an act is aimed at: with one of them, the place of the act does
#: not stand for its target ("held Fahie … at a Miami airport": the target is Fahie, not the USA).
PARTICIPANT_KINDS = frozenset({"person", "civilians", "protesters", "rioters", "armed_group", "political_party"})
PRONOUNS = {"it": "sg", "its": "sg", "they": "pl", "their": "pl", "them": "pl", "he": "per",
            "his": "per", "she": "per", "her": "per", "we": "pl"}  # fmt: skip
HISTORICAL_CUES = re.compile(
    r"\b(last year|years? ago|months ago|decades? ago|at the time|previously|formerly|"
    r"in the past|back in|since \d{4}|in (?P<year>(?:19|20)\d\d))\b",
    re.I,
)
#: An event dated this many days or more before the article's reference date is historical.
#: A definition, not a measurement: the issue's examples ("in May 2024" for an article of June
#: 2025; "in 2015") are all far past it, while "on Tuesday" or "last week" stay current.
HISTORICAL_DAYS = 45
#: An undated sentence takes the last date of the this many sentences before it (its "narrative
#: time"; source ``context``). A reading choice, not fitted: on a dev page nobody annotated, the
#: undated sentences of a 1923 coup story stand two and three sentences after its date; the
#: judged sample in docs/events.md counts what it gets right and wrong.
CARRY_SENTENCES = 3
#: Words of a sentence's own time that the date stage does not resolve: such a sentence carries
#: no earlier date (seen on dev pages: "Last night, … MP … urged" took a 1989 of the sentence
#: before it; a live blog's "tonight's announcement" took a date of June).
NOW_WORDS = re.compile(
    r"\b(?:today|tonight|tonight's|yesterday|now|currently|last night|this (?:morning|afternoon|evening|week))\b", re.I
)
#: A date expression that names its own year needs no anchor (``Event.date["anchor"] == "text"``).
_SELF_DATED = re.compile(r"\b(?:19|20)\d\d\b")
ARMS_WORDS = frozenset(
    "missile weapon arm jet fighter tank helicopter drone system aircraft rifle ammunition "
    "warship submarine frigate munition howitzer artillery".split()
)
DEAL_WORDS = frozenset("deal contract license licence order purchase sale agreement".split())
#: Sector of an implied actor's KB role when its country is unknown (kb/countries.py roles).
ROLE_SECTORS = {"police": "COP", "mil": "MIL", "intel": "SPY"}
QUANTITY_KINDS = frozenset({"dead", "injured", "arrested", "troops", "units", "money"})


# ------------------------------------------------------------------------------ data holders
@dataclass
class Text:
    """One text of an article the coder reads: the body, the title or a caption."""

    where: str  # body | title | caption:N
    text: str
    analysis: Analysis
    tree: Tree
    paragraphs: tuple[tuple[int, int], ...]
    #: no dependency parse came with this text (the nlp stage parses body and title only):
    #: triggers are matched on word forms and roles taken from the nearest mentions
    shallow: bool = False

    @property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """Sentence spans (the whole text when the parse has none)."""
        return tuple(self.tree.parse.sentences) or ((0, len(self.text)),)


@dataclass
class Match:
    tok: int
    row: tables.Row
    depth: float
    cue_tok: int | None = None


@dataclass(frozen=True)
class Modality:
    """What the predicate chain of a trigger says about its reality (cue spans or None)."""

    neg: tuple[int, int] | None
    fut: tuple[int, int] | None
    hyp: tuple[int, int] | None
    oblig: tuple[int, int] | None
    conditional: bool
    under_report: bool
    kind: str  # the trigger row's kind: act | wrap

    def type_of(self, t: str) -> tuple[str, bool]:
        """The PLOVER type an act of type ``t`` gets under this modality (the manual's intent
        convention: an intended cooperative act is AGREE, an intended or conditional hostile one
        THREATEN, a negated cooperative one REJECT, an obligation in reported speech REQUEST),
        and whether the negation was consumed by it."""
        if self.kind == "wrap":
            if self.neg and t == "AGREE":
                return "REJECT", True
            if self.neg and t == "REJECT":
                return "AGREE", True
            return t, False
        if self.oblig and self.under_report and t not in ("REQUEST", "REJECT", "THREATEN"):
            return "REQUEST", False
        if self.neg and t in COOPERATIVE:
            return "REJECT", True
        if (self.fut or self.hyp) and self.conditional:
            return "THREATEN", False
        if self.fut and t in COOPERATIVE:
            return "AGREE", False
        if self.fut and t in HOSTILE:
            return "THREATEN", False
        return t, False


@dataclass
class Draft:
    """An event under construction (mutable), turned into an :class:`Event` at the end."""

    text: Text
    sentence: tuple[int, int]
    match: Match
    type: str
    mode: str | None
    context: str | None
    cameo: str
    sense: str
    actors: list[EventActor] = field(default_factory=list)
    recipients: list[EventActor] = field(default_factory=list)
    flags: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    date: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    quantities: list[Quantity] = field(default_factory=list)
    claim: Claim | None = None
    confidence: float = 0.5
    extra_spans: list[tuple[str, int, int, str]] = field(default_factory=list)  # merged evidence
    args: frozenset[str] = frozenset()
    #: set by a coder that decides the ACLED type itself (the learned coder): used as is
    acled: tuple[str, str] | None = None
    acled_fixed: bool = False
    #: a calibrated confidence from a classifier; else the rules' ordering score is used
    prior: float | None = None
    modal: Modality | None = None
    #: set by a classifier-driven coder: drafts with the same key may be one action (merging)
    merge_key: str | None = None

    @property
    def trigger(self) -> tuple[int, int]:
        t = self.text.tree.tokens[self.match.tok]
        return t.start, t.end


# ------------------------------------------------------------------------------ the coder
@register("coder", "rules.v1")
class RulesCoder:
    """Lexicon + dependency-pattern coder (see the module docstring)."""

    name = "rules.v1"

    def __init__(self, kb: Any = None, geocoder: Any = None) -> None:
        self.kb = kb
        self.geocoder = geocoder
        self.lex = tables.lexicon()
        # every word of every trigger key: a token whose lemma is none of them cannot match
        self._words = frozenset(w for k in self.lex for w in k.split())
        self.demonyms = tables.demonyms()
        self.sectors = tables.sectors()
        self.implied = {t: v.get("implied_actor_by_mode") or {} for t, v in tables.types().items()}
        self._kb_cache: dict[str, Any] = {}

    # ---------------------------------------------------------------- entry point
    def code(
        self, article: Article, analysis: Analysis, places: tuple[Place, ...] = ()
    ) -> tuple[Event, ...]:
        if analysis.parse is not None and analysis.parse.tokens and analysis.parse.tokens[-1].end > len(article.body):
            raise InputError(
                article.source,
                f"analysis of article {article.id} runs past its body ({analysis.parse.tokens[-1].end} > "
                f"{len(article.body)} characters): analyse this article, not another one",
            )
        texts = self._texts(article, analysis)
        self._prepare(texts)
        drafts: list[Draft] = []
        for text in texts:
            for sent in text.sentences:
                drafts.extend(self._code_sentence(text, sent))
        if not drafts:
            return ()
        if any(d.context == "arms_trade" for d in drafts):
            # "Spain approved the deal": a deal of an article about an arms deal is that deal
            for d in drafts:
                if d.args & DEAL_WORDS and d.type in ("AGREE", "SUPPORT", "SANCTION", "REJECT", "AID"):
                    d.context = "arms_trade"
        ref = _reference_date(article, texts)
        for d in drafts:
            self._attach(article, d, places, ref)
        merged = _merge(drafts)
        arms = [d for d in merged if d.context == "arms_trade" and d.text.where == "body"]
        if arms:
            proc = build_procurement(self, article, texts[0], arms)
            return tuple(self._event(article, d, proc if d in proc.events else None) for d in merged)
        return tuple(self._event(article, d, None) for d in merged)

    # ---------------------------------------------------------------- inputs
    def _prepare(self, texts: list[Text]) -> None:
        """Hook run once per article before its sentences are coded (the learned coder
        classifies all of them in one batch here)."""

    def _texts(self, article: Article, analysis: Analysis) -> list[Text]:
        out: list[Text] = []
        if analysis.parse is not None:
            out.append(Text("body", article.body, analysis, Tree(analysis.parse), article.paragraphs))
        if article.title and analysis.title is not None and analysis.title.parse is not None:
            out.append(
                Text("title", article.title, analysis.title, Tree(analysis.title.parse),
                     ((0, len(article.title)),))
            )  # fmt: skip
        for i, (cap, can) in enumerate(zip(article.captions, analysis.captions, strict=False)):
            whole = ((0, len(cap.text)),)
            if can.parse is not None:
                out.append(Text(f"caption:{i}", cap.text, can, Tree(can.parse), whole))
            else:
                out.append(Text(f"caption:{i}", cap.text, can, Tree(_flat_parse(cap.text)), whole, True))
        return out

    # ---------------------------------------------------------------- triggers
    def _lemma_keys(self, tree: Tree, i: int, title: bool) -> list[str]:
        t = tree.tokens[i]
        lemmas = [t.lemma.lower()]
        if title or t.lemma.lower() == t.text.lower() and t.pos == "PROPN":
            # Title case misleads the tagger ("Cancels" as a proper noun): try plain word forms.
            w = t.text.lower()
            for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", "")):
                if w.endswith(suf) and len(w) > len(suf) + 2:
                    lemmas.append(w[: -len(suf)] + rep)
            lemmas.append(w)
        keys: list[str] = []
        for lem in lemmas:
            for c in tree.children[i]:
                ct = tree.tokens[c]
                if (ct.dep in ("prt", "compound", "amod", "dobj", "advmod") or (
                    ct.dep == "prep" and ct.text.lower() in PARTICLES
                )) and abs(c - i) <= 3:
                    keys.append(f"{lem} {ct.lemma.lower()}" if c > i else f"{ct.lemma.lower()} {lem}")
            if i >= 2 and tree.tokens[i - 1].text == "-":
                keys.append(f"{tree.tokens[i - 2].lemma.lower()}-{lem}")  # "test-fired"
            keys.append(lem)
        return keys

    def _args(self, tree: Tree, i: int) -> dict[str, int]:
        """Lemmas of the trigger's arguments (objects, obliques, complements, their modifiers)
        up to three levels down, without crossing into subjects or other clauses."""
        out: dict[str, int] = {}
        frontier = [(c, 1) for c in tree.children[i]]
        while frontier:
            j, lvl = frontier.pop()
            t = tree.tokens[j]
            if t.dep in ("nsubj", "nsubjpass", "punct", "aux", "auxpass") or (
                t.dep in CLAUSAL and lvl == 1 and t.dep != "acl"
            ):
                continue
            out.setdefault(t.lemma.lower(), j)
            out.setdefault(t.text.lower(), j)
            if lvl < 3:
                frontier.extend((c, lvl + 1) for c in tree.children[j])
        # a noun trigger's own compound head ("hunger" in "hunger strike") counts too
        h = tree.head(i)
        if tree.tokens[i].dep == "compound":
            out.setdefault(tree.tokens[h].lemma.lower(), h)
        return out

    def _match(self, tree: Tree, i: int, title: bool, shallow: bool = False) -> Match | None:
        t = tree.tokens[i]
        if not shallow and t.pos not in ("VERB", "NOUN", "PROPN", "ADJ") and not (title and t.pos in ("AUX",)):
            return None
        pos = "V" if t.pos == "VERB" else "N"
        args: dict[str, int] | None = None
        if not title and t.lemma.lower() not in self._words:
            return None
        if t.lemma.lower() in ("seek", "try") and tree.kids(i, "xcomp", "ccomp", "pcomp"):
            return None  # "sought to weaken" is an attempt, not a request
        for key in self._lemma_keys(tree, i, title):
            for row in self.lex.get(key, ()):
                if row.pos != "*" and row.pos != pos and not title:
                    continue
                if row.cue:
                    if args is None:
                        args = _flat_args(tree, i) if shallow else self._args(tree, i)
                    hit = next((args[c] for c in row.cue if c in args), None)
                    if hit is None:
                        continue
                    return Match(i, row, 0.0, hit)
                return Match(i, row, 0.0)
        return None

    def _depth(self, tree: Tree, i: int, trig: set[int], sent: range) -> float:
        d = 0.0
        cur = i
        t = tree.tokens[i]
        if t.pos != "VERB":
            # a noun trigger inside a prepositional phrase or as subject is background
            if t.dep in ("pobj", "nsubj", "nsubjpass", "npadvmod", "appos", "conj"):
                d += 0.25
        for h in tree.ancestors(i):
            if h not in sent:
                break
            ht = tree.tokens[h]
            dep = tree.tokens[cur].dep
            if h in trig and not (ht.lemma.lower() in LIGHT and dep in ("dobj", "attr")):
                d += 1
            elif ht.pos in ("VERB", "AUX") and ht.lemma.lower() not in (REPORTING | TRANSPARENT):
                d += 1
            if dep in ("advcl", "relcl", "acl", "pcomp") and h not in trig:
                d += 0.5
            cur = h
        return d

    # ---------------------------------------------------------------- one sentence
    def _code_sentence(self, text: Text, sent: tuple[int, int]) -> list[Draft]:
        tree = text.tree
        rng = tree.sentence_tokens(sent)
        title = text.where == "title" or text.shallow
        matches = [m for i in rng if (m := self._match(tree, i, title, text.shallow)) is not None]
        if not matches and not title:
            # back-off for a misparsed sentence: any part of speech, plain word forms
            matches = [m for i in rng if (m := self._match(tree, i, True)) is not None]
        if not matches:
            return []
        trig = {m.tok for m in matches}
        for m in matches:
            m.depth = self._depth(tree, m.tok, trig, rng)
        matches.sort(key=lambda m: (m.depth, tree.tokens[m.tok].pos != "VERB", m.tok))
        chosen: list[Match] = []
        for m in matches:
            if chosen and (m.depth > 1.5 or any(a in {c.tok for c in chosen} for a in tree.ancestors(m.tok))):
                continue
            if chosen and any(m.tok in tree.ancestors(c.tok) for c in chosen):
                continue
            chosen.append(m)
        drafts: list[Draft] = []
        for k, m in enumerate(chosen):
            d = self._draft(text, sent, m, matches, rng)
            if d is None:
                continue
            if k and not (d.actors or d.recipients):
                continue  # further events need a participant; the main one is kept regardless
            drafts.append(d)
        return drafts

    def _complement(self, tree: Tree, m: Match, matches: list[Match]) -> Match | None:
        heads = [c for c in tree.kids(m.tok, *COMPLEMENT_DEPS)]
        inside = [x for x in matches if x is not m and (x.tok in heads or any(h in tree.ancestors(x.tok) for h in heads))]
        inside.sort(key=lambda x: (x.depth, x.tok))
        return inside[0] if inside else None

    def _draft(
        self, text: Text, sent: tuple[int, int], m: Match, matches: list[Match], rng: range
    ) -> Draft | None:
        tree = text.tree
        row = m.row
        comp = self._complement(tree, m, matches) if row.kind == "wrap" else None
        type_, mode, context, cameo, sense = row.type, row.mode, row.context, row.cameo, row.sense
        if comp is not None:
            mode = mode or comp.row.mode
            context = context or comp.row.context
            if type_ == "AGREE" and comp.row.lemma in ("demand", "request", "call", "appeal", "petition"):
                # agreeing to a demand is acceding to it (CAMEO 083)
                type_, cameo, sense = "CONCEDE", "083", "concede"
            if row.lemma in ("vow", "swear", "pledge") and comp.row.type in COOPERATIVE:
                type_, cameo = "AGREE", "030"  # "vowed to continue aid" is a promise, not a threat
            if row.sense == "agree" and row.lemma in ("approve", "approval") and comp.row.kind == "act" and (
                comp.row.type in ("AID", "CONCEDE", "RETREAT", "SUPPORT")
            ):
                # approving a loan is giving it: the approved act is the event
                type_, cameo, sense = comp.row.type, comp.row.cameo, comp.row.sense
        args = self._args(tree, m.tok)
        d = Draft(text, sent, m, type_, mode, context, cameo, sense, args=frozenset(args))
        self._modality(d, comp, rng)
        self._roles(d, comp)
        # arms trade: the deal's object or the sentence names weapons
        if d.context != "arms_trade" and (
            (set(args) & ARMS_WORDS and (set(args) & DEAL_WORDS or row.sense.startswith("arms")))
            or (set(args) & DEAL_WORDS and d.type in ("SANCTION", "AGREE", "SUPPORT", "AID"))
        ):
            d.context = "arms_trade" if _mentions_arms(text, sent) or set(args) & ARMS_WORDS else d.context
        return d

    # ---------------------------------------------------------------- modality and flags
    def _modality(self, d: Draft, comp: Match | None, rng: range) -> None:
        tree = d.text.tree
        toks = tree.tokens
        i = d.match.tok
        # the predicate chain whose auxiliaries and negations count: trigger (its light/aspectual
        # verb for nouns) up to the first reporting verb
        chain = [i]
        for h in tree.ancestors(i):
            if h not in rng:
                break
            ht = toks[h]
            if ht.lemma.lower() in REPORTING and ht.pos == "VERB":
                break
            last = toks[chain[-1]]
            if last.pos in ("NOUN", "PROPN") and last.dep in _OWN_REALITY_DEPS:
                break  # "The arrest will not affect his status": the arrest's own reality is not "affect"'s
            if ht.pos in ("VERB", "AUX", "ADJ") or last.dep in ("dobj", "attr", "pobj", "prep"):
                chain.append(h)
            if toks[chain[-1]].dep in ("ccomp", "advcl", "relcl", "parataxis"):
                break
        neg = fut = hyp = oblig = None
        for c in chain:
            for k in tree.children[c]:
                kt = toks[k]
                low = kt.text.lower()
                if kt.dep == "neg" or (low in ("never", "no") and kt.dep in ("neg", "advmod", "det")):
                    neg = neg or (kt.start, kt.end)
                if kt.dep in ("aux", "auxpass") or kt.tag == "MD":
                    if low in FUTURE_AUX:
                        fut = fut or (kt.start, kt.end)
                    elif low in HYPO_AUX:
                        hyp = hyp or (kt.start, kt.end)
                    elif low in OBLIG_AUX:
                        oblig = oblig or (kt.start, kt.end)
                if kt.dep == "aux" and low == "going":
                    fut = fut or (kt.start, kt.end)
            ct = toks[c]
            if c != i and (ct.lemma.lower() in INTENT_VERBS or ct.text.lower() in INTENT_ADJ) and any(
                toks[k].dep == "xcomp" for k in chain[: chain.index(c)]
            ):
                # an intent word governs the act through its infinitive ("set to attack",
                # "planned to withdraw"), not as a coordinated verb ("set up barricades and attacked")
                fut = fut or (ct.start, ct.end)
            if c != i and ct.lemma.lower() == "fail":
                neg = neg or (ct.start, ct.end)
        conditional = any(
            toks[k].text.lower() in ("unless", "if")
            for c in chain for a in tree.kids(c, "advcl") for k in tree.kids(a, "mark")
        )
        under_report = any(
            toks[h].lemma.lower() in REPORTING | {"conclude", "insist"} for h in tree.ancestors(chain[-1])
            if h in rng
        )
        d.modal = Modality(neg, fut, hyp, oblig, conditional, under_report, d.match.row.kind)
        t = d.type
        d.type, consumed = d.modal.type_of(t)
        if consumed:
            neg = None
        if d.type != t:
            d.cameo = tables.types()[d.type]["cameo"]
        d.flags = {"negated": neg, "future": fut, "hypothetical": hyp}

    # ---------------------------------------------------------------- roles
    def _roles(self, d: Draft, comp: Match | None) -> None:
        if d.text.shallow:
            self._shallow_roles(d)
            return
        tree = d.text.tree
        toks = tree.tokens
        i = d.match.tok
        actor_heads: list[int] = []
        recip_heads: list[int] = []
        passive = bool(tree.kids(i, "nsubjpass", "auxpass"))
        # headline passive: "BVI Premier Fahie Arrested in USA", "Troops Killed in Ambush" — a
        # title's participle with no object reports what was done to its subject
        headline = d.text.where == "title" and toks[i].tag in ("VBN", "VBD") and not tree.kids(i, "dobj")
        # a reduced relative is passive too: "Haitian Premier Arrested in Miami", "the men
        # detained at the border" — the noun the participle modifies is what was done to
        reduced = toks[i].dep == "acl" and toks[i].tag == "VBN" and tree.head(i) != i
        agent = [p for a in tree.kids(i, "agent") for p in tree.kids(a, "pobj")]
        if (passive or headline or reduced) and toks[i].pos == "VERB":
            actor_heads += agent
            recip_heads += tree.kids(i, "nsubjpass", "nsubj") if headline else tree.kids(i, "nsubjpass")
            if reduced:
                recip_heads.append(tree.head(i))
            if not agent:
                # "were killed in a strike by Israeli drones": the attack's agent is the actor
                for p in tree.kids(i, "prep"):
                    for o in tree.kids(p, "pobj"):
                        if toks[o].lemma.lower() in ARMED_INSTRUMENTS | ATTACK_NOUNS:
                            for b in tree.kids(o, "prep", "agent"):
                                if toks[b].text.lower() == "by":
                                    actor_heads += tree.kids(b, "pobj")
        else:
            subj = self._subject(tree, i)
            if subj is not None:
                actor_heads.append(subj)
        if not actor_heads and acled_names.generic_kind(toks[i].lemma) in ("protesters", "rioters"):
            # "a battleground between police and protesters": the trigger names the protesters
            actor_heads.append(i)
        if toks[i].pos != "VERB":
            actor_heads += tree.kids(i, "poss")
            for p in tree.kids(i, "prep", "agent"):
                if toks[p].text.lower() in ("by", "from"):
                    actor_heads += tree.kids(p, "pobj")
        # co-actors: "in a coordinated effort with Norway and Ireland", "together with X"
        for j in self._args(tree, i).values():
            if toks[j].text.lower() == "with" and toks[j].dep == "prep" and (
                toks[tree.head(j)].lemma.lower() in JOINT or toks[tree.head(j)].text.lower() in JOINT
            ):
                actor_heads += tree.kids(j, "pobj")
        # recipients: objects of the trigger, then of its complement (or its cue's clause)
        hosts = [i] + ([comp.tok] if comp is not None else [])
        cue = d.match.cue_tok
        if cue is not None and cue != i and toks[cue].pos == "VERB":
            hosts.append(cue)
        # "struck a market, killing 12 civilians": the victims of the attack are its targets too
        for adv in tree.kids(i, "advcl", "xcomp", "conj"):
            if toks[adv].lemma.lower() in HARM_VERBS:
                recip_heads += tree.kids(adv, "dobj")
        for host in hosts:
            objs = tree.kids(host, "dobj", "dative", "iobj", "attr")
            if host != i:
                objs = tree.kids(host, "nsubj", "nsubjpass") + objs
            for o in objs:
                if o not in actor_heads and not (o == d.match.cue_tok and toks[o].lemma.lower() in INSTRUMENTS):
                    recip_heads.append(o)
                # "lodged a protest with Albania", "threatened action against Russia"
                for p in tree.kids(o, "prep"):
                    if toks[p].text.lower() in ("with", "against", "to", "toward", "towards", "on", "into"):
                        recip_heads += [x for x in tree.kids(p, "pobj") if self._is_actorish(tree, x)]
            for p in tree.kids(host, "prep", "dative"):
                if any(p == tree.head(a) for a in actor_heads):
                    continue
                if toks[p].text.lower() in RECIPIENT_PREPS and not (
                    toks[i].pos != "VERB" and toks[p].text.lower() in ("by", "from")
                ):
                    offence = toks[p].text.lower() in OFFENCE_PREPS and (
                        d.match.row.mode in ("arrest", "detain") or d.match.row.lemma == "charge"
                    )
                    for o in tree.kids(p, "pobj"):
                        if toks[p].text.lower() == "at" and d.type not in ("ASSAULT", "PROTEST") and (
                            toks[o].lemma.lower() in SITE_HEADS
                        ):
                            continue  # "held Fahie … at a Miami airport": where, not whom
                        if offence and not self._named_party(d, o, ("PERSON",)):
                            continue  # "charged with Criminally Negligent Homicide": the offence
                        recip_heads.append(o)
                    for pc in tree.kids(p, "pcomp"):
                        recip_heads += tree.kids(pc, "nsubj")
            if toks[host].pos != "VERB":
                arrest = d.match.row.mode in ("arrest", "detain") or d.match.row.lemma == "charge"
                recip_heads += [
                    c for c in tree.kids(host, "amod", "compound")
                    if toks[c].text.lower() in self.demonyms or toks[c].pos == "PROPN" and not (
                        # "a previous DUI arrest": the offence, unless a person ("the Navalny arrest")
                        arrest and not any(m.start <= toks[c].start < m.end and m.label in ("PERSON", "NORP", "GPE")
                                           for m in d.text.analysis.mentions)
                    )
                ]
        actors = self._resolve_all(d, actor_heads)
        recips = [r for r in self._resolve_all(d, recip_heads, recipient=True)
                  if not any(_same_actor(r, a) for a in actors)]  # fmt: skip
        if d.text.where == "title":
            # title case makes every word a proper noun: keep only recipients that resolve, or
            # that the NER model reads as a person ("Chargers Jamal Williams Arrested for DUI")
            recips = [r for r in recips if r.country or r.entity_id or r.kind == "person"]
        if not any(r.country or r.entity_id or r.kind in PARTICIPANT_KINDS for r in recips) and (
            d.match.row.mode not in ("arrest", "detain")
        ):
            # no named target: the place the action is directed at stands for it ("lifted a curfew
            # in Montenegro", "deploy peacekeepers in Iraq"), as PLOVER coders do; an arrest's
            # place is only where it happened ("was arrested in San Diego")
            for host in hosts:
                for p in tree.kids(host, "prep"):
                    prep = toks[p].text.lower()
                    if prep == "in" or (prep == "at" and d.type in ("ASSAULT", "COERCE", "PROTEST")):
                        for o in tree.kids(p, "pobj"):
                            for r in self._resolve(d, o, True):
                                if r.country:
                                    recips.append(r)
                if any(r.country for r in recips):
                    break
        # an actor named by role only ("President Yoweri Museveni", "rebels") takes the country
        # its own phrase or its sentence names
        fixed = []
        taken = {r.country for r in recips}
        for a in actors:
            if a.country is None and a.entity_id is None and a.start is not None:
                named = re.match(r"(?:[A-Z][\w.-]*\s+){1,}[A-Z]", a.text) is not None
                found = [c for c in self._countries(d.text.text[d.sentence[0] : d.sentence[1]]) if c not in taken]
                c = found[0] if found and named else None
                if c is not None:
                    a = dataclasses.replace(a, country=c)
            fixed.append(a)
        # a dateline is no party: "ROANOKE -- Former Gov. Mike Huckabee campaigned…" parses the
        # town's name as the subject (the stop-24 LGL read)
        fixed = [a for a in fixed if not _is_dateline(d.text.text, a)]
        # an instrument is no actor ("A bomb exploded", "A fire-bomb attack killed"): who used it is
        # unknown; a state's platforms ("Russian warplanes") resolved to its forces above
        fixed = [a for a in fixed if not (a.kind in ("weapon", "platform") and a.country is None)]
        # nor is it a target ("Officers used a Taser to subdue him")
        recips = [r for r in recips if not (r.kind in ("weapon", "platform") and r.country is None)]
        d.actors, d.recipients = _dedupe(self._unfragment(d, fixed)), _dedupe(self._unfragment(d, recips))

    def _unfragment(self, d: Draft, actors: list[EventActor]) -> list[EventActor]:
        """Actors cut back to the name before a headline verb ("Police Arrest 37" → "Police");
        a span that holds the event's own trigger, or only a verb and a number, is no actor."""
        toks = d.text.tree.tokens
        t0 = d.trigger[0]
        own = acled_names.generic_kind(toks[d.match.tok].lemma) in ("protesters", "rioters")
        out = []
        for a in actors:
            if a.start is None or a.end is None:
                out.append(a)
                continue
            inside = [t for t in toks if a.start <= t.start and t.end <= a.end]
            cut = next(
                (k for k, t in enumerate(inside) if k and (t.start == t0 or (
                    t.text[:1].isupper() and (t.pos == "VERB" or _stem(t.text) in self._words)
                    and any(u.text[:1].isdigit() for u in inside[k + 1 :])
                ))),
                None,
            )  # fmt: skip
            if own and a.start <= t0 < a.end:
                out.append(a)  # "The protesters eventually backtracked": the trigger names the actor
                continue
            if a.start <= t0 < a.end and cut is None:
                continue  # the trigger itself
            if cut is not None and not any(t.pos in _CONTENT_POS for t in inside[:cut]):
                continue  # only "The" or "some" is left before the trigger: no actor
            if cut is not None:
                head = inside[cut - 1]
                a = self._actor(d.text, a.start, head.end, head_lemma=_stem(head.text))
            out.append(a)
        return out

    def _shallow_roles(self, d: Draft) -> None:
        """Roles without a parse: the named mention (plus the words up to the trigger, "Israeli
        soldiers") before the trigger is the actor, the first named mention after it the recipient."""
        text = d.text
        t0, t1 = d.trigger
        names = [m for m in text.analysis.mentions
                 if m.label not in NOT_ACTOR_LABELS and m.label not in ("WEAPON", "MILITARY_PLATFORM")]
        before = [m for m in names if m.end <= t0 and d.sentence[0] <= m.start]
        after = [m for m in names if m.start >= t1 and m.end <= d.sentence[1]]
        if before:
            m = before[-1]
            if re.search(r"\s\d", m.text) and re.search(r"\s[A-Z][a-z]+\s+\d", m.text):
                # "Police Arrest 37": a headline the model took for a name; its first word acts
                m = dataclasses.replace(m, end=m.start + len(m.text.split()[0]), text=m.text.split()[0],
                                        entity_id=None, country=None, sector=None, kind=None)
            gap = text.text[m.end : t0]
            end = m.end
            head = None
            if re.fullmatch(r"(\s+[a-z][\w-]*){0,2}\s*", gap):
                end = m.end + len(gap.rstrip())
                words = gap.split()
                head = _stem(words[-1]) if words else None
            d.actors = [self._actor(text, m.start, end, head_lemma=head)]
        if after:
            m = after[0]
            d.recipients = [self._actor(text, m.start, m.end, head_lemma=None)]

    def _subject(self, tree: Tree, i: int) -> int | None:
        toks = tree.tokens
        cur = i
        for _ in range(8):
            subj = tree.kids(cur, "nsubj", "csubj", "expl")
            subj = [s for s in subj if toks[s].dep != "expl"]
            if subj:
                s = subj[0]
                if toks[s].tag in ("WDT", "WP") and toks[cur].dep == "relcl":
                    return tree.head(cur)  # "a case that accuses Israel" → case
                return s
            if toks[cur].dep == "relcl":
                return tree.head(cur)
            if toks[cur].dep in ("xcomp", "conj", "advcl", "acl", "pcomp", "prep", "pobj", "dobj",
                                 "attr", "compound", "amod", "appos", "ccomp", "oprd", "acomp"):  # fmt: skip
                nxt = tree.head(cur)
                if nxt == cur:
                    return None
                cur = nxt
                continue
            return None
        return None

    def _named_party(self, d: Draft, j: int, labels: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")) -> bool:
        """A token inside a name of one of ``labels`` (person, organisation, place), or a sector
        word ("police"). The offence of a charge takes persons only: "charged with DWI",
        "with Criminally Negligent Homicide" are read as organisations in capitals."""
        t = d.text.tree.tokens[j]
        if t.lemma.lower() in self.sectors or t.text.lower() in self.demonyms:
            return True
        return any(m.start <= t.start < m.end and m.label in labels for m in d.text.analysis.mentions)

    def _is_actorish(self, tree: Tree, j: int) -> bool:
        t = tree.tokens[j]
        low = t.text.lower()
        return low in self.demonyms or (t.pos == "PROPN") or t.lemma.lower() in self.sectors

    def _resolve_all(self, d: Draft, heads: Sequence[int], recipient: bool = False) -> list[EventActor]:
        tree = d.text.tree
        out: list[EventActor] = []
        appos = {a for h in heads for a in tree.kids(h, "appos")}
        for h in heads:
            if h in appos:
                continue  # "the top UN court, the International Court of Justice" is one actor
            for c in tree.conjuncts(h):
                out.extend(self._resolve(d, c, recipient))
        return out

    def _resolve(self, d: Draft, h: int, recipient: bool) -> list[EventActor]:
        """An actor (or several, for "Hungarian and Romanian officials") from an NP head."""
        text = d.text
        tree = text.tree
        toks = tree.tokens
        t = toks[h]
        if t.pos == "PRON" or t.tag in ("PRP", "PRP$"):
            ante = self._antecedent(d, h)
            return [ante] if ante is not None else []
        if t.lemma.lower() in MULTITUDES or t.text.lower() in MULTITUDES:
            # "Thousands of protesters marched", "Dozens of villagers": the people counted (not a
            # pronoun: "a group of them" would look for its antecedent, which may be this group)
            for p in tree.kids(h, "prep"):
                if toks[p].text.lower() == "of":
                    for o in tree.kids(p, "pobj"):
                        if toks[o].pos == "PRON":
                            continue
                        inner = self._resolve(d, o, recipient)
                        if inner and any(x.country or x.entity_id or acled_names.generic_kind(toks[o].lemma)
                                         for x in inner):  # fmt: skip
                            return inner
        if t.pos not in ACTOR_POS:
            return []
        if any(m.start <= t.start < m.end and m.label in NOT_ACTOR_LABELS for m in text.analysis.mentions) or any(
            x.start <= t.start < x.end for x in text.analysis.dates
        ):
            return []
        # apposition: prefer the named part ("the proxy militia, Kataib al-Imam Ali"); the
        # description still tells the country ("a member of the Syrian parliament, M. Mamoun")
        described = None
        # (a name keeps its place: "Terry Lee Jolly, 60, Lebanon, was arrested" is Jolly, not
        # the town after his age; judged sample D)
        for ap in tree.kids(h, "appos") if t.pos != "PROPN" else ():
            if toks[ap].pos == "PROPN":
                described = h
                h, t = ap, toks[ap]
                break
        a, b = tree.np_span(h)
        # split coordinated nationality modifiers of a generic head
        nat = [m for m in tree.kids(h, "amod", "compound") if toks[m].text.lower() in self.demonyms]
        nat_conj = [c for m in nat for c in tree.conjuncts(m)[1:] if toks[c].text.lower() in self.demonyms]
        if nat and nat_conj:
            # one actor per nationality, each of the head's kind ("Somali and Yemeni pirates")
            whole = self._actor(text, toks[a].start, toks[b].end, head_lemma=t.lemma.lower())
            out = []
            for m in nat + nat_conj:
                mt = toks[m]
                one = self._actor(text, mt.start, mt.end, head_lemma=t.lemma.lower())
                if one.kind == "state" and whole.kind != "state":
                    one = dataclasses.replace(one, entity_id=None, name=None, kind=whole.kind, sector=whole.sector)
                out.append(one)
            return out
        start, end = toks[a].start, toks[b].end
        actor = self._actor(text, start, end, head_lemma=t.lemma.lower())
        if actor.country is None and described is not None:
            da, db = tree.np_span(described)
            c = self._country(text.text[toks[da].start : toks[db].end])
            if c is None:
                for p in tree.kids(described, "prep"):
                    c = c or self._country(text.text[toks[p].start : toks[tree.subtree(p)[-1]].end])
            if c:
                actor = dataclasses.replace(actor, country=c)
        if actor.country is None:
            head_ok = self._is_actorish(tree, h)
            for p in tree.kids(h, "prep"):
                if toks[p].text.lower() in ("in", "of", "from"):
                    # "the backdrop of a Russian orientation" is no Russian actor
                    for o in [x for x in tree.kids(p, "pobj") if head_ok or self._is_actorish(tree, x)]:
                        oa, ob = tree.np_span(o)
                        # the mention's own country first: "officers from the Spanish Town
                        # Police" are Jamaican, whatever "Spanish" says
                        om = _best_mention(text.analysis.mentions, toks[oa].start, toks[ob].end)
                        c = om.country if om is not None else None
                        c = c or self._country(self._unplaced(text, toks[oa].start, toks[ob].end))
                        if c:
                            sector = actor.sector
                            if om is not None and om.sector == "COP" and sector in (None, "MIL"):
                                sector = "COP"  # "officers from the Spanish Town Police"
                            actor = dataclasses.replace(actor, country=c, sector=sector, kind=(
                                actor.kind if actor.kind not in (None, "unknown") else _SECTOR_KINDS.get(sector or "", actor.kind)))
                            break
        if actor.country is None and actor.entity_id is None and not self._is_actorish(tree, h):
            # an object that is not itself an actor ("rejected an Indian proposal"): the actor
            # inside it, if any
            for j in range(a, b + 1):
                if j != h and toks[j].text.lower() in self.demonyms:
                    return [self._actor(text, toks[j].start, toks[j].end, head_lemma=None)]
            for p in tree.kids(h, "poss"):
                inner = self._resolve(d, p, recipient)
                if inner and (inner[0].country or inner[0].entity_id or inner[0].sector):
                    return inner
            for p in tree.kids(h, "prep"):
                if toks[p].text.lower() == "of" and (t.lemma.lower() in self.sectors or t.lemma.lower() in GROUPS):
                    for o in tree.kids(p, "pobj"):
                        inner = self._resolve(d, o, recipient)
                        if inner and (inner[0].country or inner[0].entity_id):
                            return inner
            if recipient and d.type in ("ASSAULT", "COERCE") and t.lemma.lower() in PERSON_NOUNS:
                # "shot and killed a 24-year-old man", "arrested two teenagers": the people an
                # attack or an arrest is done to are its target, as civilians unless said otherwise
                return [dataclasses.replace(actor, sector=actor.sector or "CVL", kind="civilians")]
            if recipient:
                return []
            if t.lemma.lower() not in self.sectors and t.pos != "PROPN" and not acled_names.generic_kind(t.lemma):
                return []  # (a crowd word is a party: "Rioters attacked a police station")
        return [actor]

    def _actor(self, text: Text, start: int, end: int, head_lemma: str | None) -> EventActor:
        span_text = text.text[start:end]
        ment = _best_mention(text.analysis.mentions, start, end)
        entity_id = country = sector = kind = None
        person = ment is not None and ment.label == "PERSON" and ment.start <= start and end <= ment.end + 1
        # "BVI Premier Andrew Fahie", "Democratic nominee Joe Biden": a phrase that ends in a
        # person's name is that person (the place or party before it only tells the country)
        named = next((m for m in text.analysis.mentions if m.label == "PERSON" and start < m.start
                      and abs(m.end - end) <= 1), None)  # fmt: skip
        modifier_country = None
        if not person and named is not None and (ment is None or ment.label in ("GPE", "NORP", "PERSON")):
            # (an organisation before the name stays the actor: "U.N. Secretary-General Kofi
            # Annan" acts for the UN, as PLOVER codes it)
            modifier_country = ment.country if ment is not None and ment.label in ("GPE", "NORP") else None
            ment, person = named, True
        if ment is not None:
            entity_id, country, sector, kind = ment.entity_id, ment.country, ment.sector, ment.kind
            country = country or modifier_country
        # The nlp stage already resolved its mentions against the KB; only a phrase it did not
        # mark ("Regime forces", "the government") is looked up here (KB fuzzy matching costs
        # ~9 ms a call, measured on plover-gsr, so it is not repeated for mentions).
        ent = None
        words = span_text.split()
        proper = any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and words[0][:1].isupper())
        if self.kb is not None and ment is None and len(span_text) <= 80 and proper:
            ent = self._kb_resolve(span_text, None, self._context(text, start, end))
        elif self.kb is not None and ment is not None and ment.entity_id is None and ment.label in ("GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"):
            # a name the nlp stage left unresolved may be in a user KB loaded for this coder
            ent = self._kb_resolve(ment.text, ment.label)
        if ent is not None and person and ent.kind in STATE_KINDS:
            ent = None  # "Chad Hull" is a man, not the state of Chad
        named_after = ment is not None and ment.label in ("GPE", "LOC", "NORP") and self._name_after(text, ment, end)
        if named_after:
            # "Chad Hull", "Israel Katz": a place name before another capitalised name is a
            # first name, not the place
            ent, person, entity_id, country, kind = None, True, None, None, "person"
        if ent is not None and not str(ent.id).startswith("generic:"):
            entity_id = ent.id
            country = country or ent.country
            sector = sector or ent.sector
            kind = kind if ment is not None and ment.entity_id else ent.kind
        elif ent is not None:
            country = country or ent.country
            sector = sector or ent.sector
            kind = kind or ent.kind
        if ment is not None and ment.label == "NORP" and ment.end < end and kind == "state" and head_lemma and (
            head_lemma not in self.demonyms
        ):
            # "23 Somali and Yemeni pirates", "12 Somali nationals", "Indian commandos": the
            # nationality gives the country, the head noun says what they are (not the state)
            entity_id, kind = None, None
        if country is None and not person:
            country = self._country(self._unplaced(text, start, end))
        if head_lemma and sector is None:
            sector = self.sectors.get(head_lemma)
        if head_lemma and sector in ("MIL", None) and head_lemma in POLICE_HEADS:
            sector = "COP"  # "the Spanish Town Police", "Kano State Police"
        elif head_lemma in OFFICER_HEADS and sector in ("MIL", "LEG") and entity_id is None and _police_story(text):
            # "two plainclothes officers", "a sheriff's deputy" of a story about the police, not
            # the army or a parliament
            sector = "COP"
        if person:
            kind = "person"
        elif head_lemma in ARMED_INSTRUMENTS and country and (kind in (None, "platform", "weapon", "state") or (entity_id or "").startswith("class-")):
            # "Russian warplanes", "Israeli drones", "Israeli airstrikes": the state's forces
            forces = self.kb.get(f"{country}-mil") if self.kb is not None else None
            entity_id = forces.id if forces is not None else None
            kind, sector = "state_forces", "MIL"
        kind = _kind_of(kind, sector, head_lemma, entity_id, country, span_text, self.demonyms)
        if kind in ("platform", "weapon"):
            entity_id = entity_id if country is None else None
        name = None
        if entity_id and self.kb is not None and not entity_id.startswith(("generic:", "class-", "role:")):
            e = self.kb.get(entity_id)
            name = e.name if e is not None else None
            if e is not None and kind == "state_forces" and e.sector == "COP":
                sector = "COP"
        return EventActor(span_text, entity_id, country, sector, start, end, kind, name)

    def _name_after(self, text: Text, ment: Mention, end: int) -> bool:
        """Whether a capitalised word that names no group, role or place follows ``ment`` inside
        the span ending at ``end`` (the "Hull" of "Chad Hull")."""
        rest = text.text[ment.end : end].split()
        if not rest or len(rest) > 2:
            return False
        w = rest[0].strip(",.;:").lower()
        return (
            rest[0][:1].isupper()
            and rest[0].isalpha()
            and w not in self.sectors
            and w not in self.demonyms
            and _stem(w) not in self.sectors
            and _stem(w) not in NAME_HEADS
            and not any(m.start >= ment.end and m.start < end for m in text.analysis.mentions if m is not ment)
        )

    def _context(self, text: Text, start: int, end: int) -> str:
        """Text around a span for KB resolution, with place names replaced by their country
        ("Spanish Town" → "Jamaica"), so a demonym inside a place name names no country."""
        lo, hi = max(0, start - 200), end + 200
        return self._unplaced(text, lo, min(hi, len(text.text)))

    def _unplaced(self, text: Text, lo: int, hi: int) -> str:
        out, pos = [], lo
        for m in sorted(text.analysis.mentions, key=lambda m: m.start):
            if m.label in ("GPE", "LOC", "FAC") and lo <= m.start and m.end <= hi and m.start >= pos:
                out.append(text.text[pos : m.start])
                out.append(_country_word(m.country) if m.country else " ")
                pos = m.end
        out.append(text.text[pos:hi])
        return "".join(out)

    def _kb_resolve(self, name: str, label: str | None, context: str = "") -> Any:
        key = f"{label}|{name}|{context}"
        if key not in self._kb_cache:
            if len(self._kb_cache) > 50_000:
                self._kb_cache.clear()
            try:
                self._kb_cache[key] = self.kb.resolve(name, label=label, context=context)
            except Exception:  # noqa: BLE001 - a KB that cannot resolve a name gives no entity
                self._kb_cache[key] = None
        return self._kb_cache[key]

    def _countries(self, text: str) -> list[str]:
        """Distinct countries named in a text (names, capitals, nationality words), in order."""
        words = [w.lower().rstrip(".") for w in re.findall(r"[A-Za-z][A-Za-z.\-]*", text)]
        out: list[str] = []
        k = 0
        while k < len(words):
            for n in (3, 2, 1):
                cand = " ".join(words[k : k + n])
                if cand in self.demonyms:
                    if self.demonyms[cand] not in out:
                        out.append(self.demonyms[cand])
                    k += n - 1
                    break
            k += 1
        return out

    def _country(self, span_text: str) -> str | None:
        words = re.findall(r"[A-Za-z][A-Za-z.\-]*", span_text)
        low = [w.lower().rstrip(".") if w.lower() not in self.demonyms else w.lower() for w in words]
        for n in (3, 2, 1):
            for k in range(len(low) - n + 1):
                cand = " ".join(low[k : k + n])
                if cand in self.demonyms:
                    return self.demonyms[cand]
                if n == 1 and cand.endswith("'s") and cand[:-2] in self.demonyms:
                    return self.demonyms[cand[:-2]]
        return None

    def _antecedent(self, d: Draft, h: int) -> EventActor | None:
        """Nearest compatible antecedent of a pronoun in its paragraph: an earlier subject,
        else an earlier named mention."""
        text = d.text
        tree = text.tree
        toks = tree.tokens
        pron = toks[h].text.lower()
        kind = PRONOUNS.get(pron)
        if kind is None:
            return None
        para = next((p for p in text.paragraphs if p[0] <= toks[h].start < p[1]), (0, toks[h].start))
        best = None
        for j in range(h - 1, -1, -1):
            tj = toks[j]
            if tj.start < para[0]:
                break
            if tj.dep in ("nsubj", "nsubjpass") and tj.pos in ("PROPN", "NOUN"):
                if kind == "per" and tj.pos != "PROPN" and tj.lemma.lower() not in self.sectors:
                    continue
                if kind == "sg" and tj.tag in ("NNS", "NNPS"):
                    continue
                best = j
                break
        if best is None:
            for m in sorted(text.analysis.mentions, key=lambda m: -m.start):
                if para[0] <= m.start < toks[h].start and m.label in ("ORG", "GPE", "NORP", "PERSON"):
                    if kind == "per" and m.label != "PERSON":
                        continue
                    return self._actor(text, m.start, m.end, head_lemma=None)
            return None
        if (
            toks[best].lemma.lower() in MULTITUDES
            # (no pronoun inside, whose antecedent could be this very group: no loop)
            and not any(toks[j].pos == "PRON" for j in tree.subtree(best))
            and (counted := self._resolve(d, best, False))
        ):
            return counted[0]  # "A group of Moroccan diplomats … their": the diplomats
        a, b = tree.np_span(best)
        for ap in tree.kids(best, "appos"):
            if toks[ap].pos == "PROPN":
                a, b = tree.np_span(ap)
                break
        return self._actor(text, toks[a].start, toks[b].end, head_lemma=toks[best].lemma.lower())

    # ---------------------------------------------------------------- place, date, quantities…
    def _attach(self, article: Article, d: Draft, places: tuple[Place, ...], ref: date | None) -> None:
        if d.type == "PROTEST" and any(a.kind == "state_forces" for a in d.actors):
            # ACLED's convention: the protesters are actor 1 and the police who intervene actor 2
            # ("the crowd was being dispersed by police")
            crowd = [r for r in d.recipients if r.kind in ("protesters", "rioters", "civilians")]
            d.actors, d.recipients = (
                [a for a in d.actors if a.kind != "state_forces"] + crowd,
                [a for a in d.actors if a.kind == "state_forces"] + [r for r in d.recipients if r not in crowd],
            )
        text = d.text
        an = text.analysis
        s0, s1 = d.sentence
        trig = d.trigger
        # date: the sentence's date nearest the trigger, else the publication date
        clause = _clause(text.tree, d.match.tok, d.sentence)
        in_sent = [x for x in an.dates if s0 <= x.start and x.end <= s1]
        # a date of a clause embedded in the act's ("…a teenager shot by police last year") dates
        # that clause's act, not this one
        in_sent = [x for x in in_sent if any(t.start <= x.start < t.end for t in clause)]
        if in_sent:
            _date_from(d, min(in_sent, key=lambda x: abs(x.start - trig[0])), "text")
        elif (dr := self._carried_date(d)) is not None:
            # "The coup fizzled when…" after "…Hitler's November 8, 1923, Beer Hall Putsch": an
            # undated sentence goes on in the time of the text just before it
            _date_from(d, dr, "context")
        elif article.published_at:
            day = article.published_at[:10]
            d.date = {"date_start": day, "date_end": day, "precision": "day", "source": "publication",
                      "anchor": "publication"}
        # quantities of this event: in the sentence, of an event-relevant kind
        for q in an.quantities:
            if s0 <= q.start and q.end <= s1 and (q.kind in QUANTITY_KINDS):
                d.quantities.append(q)
                d.evidence.append(Evidence(f"quantities[{len(d.quantities) - 1}]", q.start, q.end, text.where))
        # claim covering the trigger
        for c in an.claims:
            if c.start <= trig[0] < c.end or (c.start <= s0 and s1 <= c.end):
                d.claim = c
                if c.source_start is not None and c.source_end is not None:
                    d.evidence.append(Evidence("claim", c.source_start, c.source_end, text.where))
                else:
                    d.evidence.append(Evidence("claim", c.start, c.end, text.where))
                break
        # place
        d.place = self._place(article, d, places)
        if text.where == "body":
            # a place name inside a party's phrase is read as the geocoder read it in this article
            # ("A Paris man" of a Tennessee paper, "an Alexandria grand jury" in Virginia), not as
            # the country a name lookup gives (France, Egypt)
            d.actors = [_as_placed(a, places) for a in d.actors]
            d.recipients = [_as_placed(r, places) for r in d.recipients]
        if not d.actors and (role := self.implied[d.type].get(d.mode or "")):
            d.actors = [self._implied_actor(d, role)]
        if (country := (d.place or {}).get("country")) and self.kb is not None:
            # police named without a country are the police of where it happened ("On Monday,
            # police arrested two men in Denver"): a force of another country says so
            d.actors, d.recipients = (
                [self._local_police(a, country) for a in d.actors],
                [self._local_police(r, country) for r in d.recipients],
            )
        # historical
        hist: tuple[int, int] | None = None
        if d.date and d.date.get("source") in ("text", "context") and ref is not None:
            try:
                end = date.fromisoformat(str(d.date["date_end"])[:10])
                if end < ref - timedelta(days=HISTORICAL_DAYS):
                    hist = next((e.start, e.end) for e in d.evidence if e.field == "date")
            except ValueError:
                pass
        if hist is None:
            for mt in HISTORICAL_CUES.finditer(text.text, s0, s1):
                if not any(t.start <= mt.start() < t.end for t in clause):
                    # "…the parents of a teenager shot by police last year were waiting": the cue
                    # dates another clause's act, not this one
                    continue
                year = mt.group("year")
                if year is not None and ref is not None and int(year) >= ref.year:
                    continue  # "in 2025" of an article of 2025 is not the past
                hist = (mt.start(), mt.end())
                break
        d.flags["historical"] = hist
        # future: dated after the article's reference day ("from 2040"), whatever the grammar
        past = any(t.tag == "VBD" or (t.tag == "VBN" and t.dep != "amod") for t in clause[:1])
        if (
            d.flags.get("future") is None and not past
            and d.date and d.date.get("source") in ("text", "context") and ref is not None
        ):
            # (an act told in the past tense is not future whatever day was read for it: "poured
            # into the streets Wednesday" read against the ingest day, a date carried from a
            # sentence about something else)
            try:
                if date.fromisoformat(str(d.date["date_start"])[:10]) > ref:
                    d.flags["future"] = next((e.start, e.end) for e in d.evidence if e.field == "date")
            except ValueError:
                pass
        for k, span in d.flags.items():
            if span is not None:
                d.evidence.append(Evidence(f"flags.{k}", span[0], span[1], text.where))
        d.confidence = round(d.prior, 3) if d.prior is not None else round(
            min(0.95, 0.45 + 0.2 * bool(d.actors) + 0.1 * bool(d.recipients)
                + 0.15 * (d.match.depth == 0) - 0.1 * (d.text.tree.tokens[d.match.tok].pos != "VERB")),
            2,
        )  # fmt: skip

    def _local_police(self, a: EventActor, country: str) -> EventActor:
        """``a`` as the KB's police of ``country`` when it is police of no stated country."""
        if a.sector != "COP" or a.country is not None or a.entity_id is not None:
            return a
        ent = self.kb.get(f"{country}-police")
        if ent is None:
            return dataclasses.replace(a, country=country)
        return dataclasses.replace(a, entity_id=ent.id, country=country, kind=ent.kind, name=ent.name)

    def _implied_actor(self, d: Draft, role: str) -> EventActor:
        """The actor an act's own word implies when the sentence names none (types.yaml
        ``implied_actor_by_mode``): "Gomes was arrested yesterday" — by the police of where it
        happened, as ACLED and PLOVER coders read it. Its evidence is the trigger."""
        country = (d.place or {}).get("country")
        if country is None:
            # no place located: the first country the sentence names after the trigger ("was
            # arrested in Lebanon"), else before it ("A Canadian missionary" is no place)
            named = self._countries(d.text.text[d.trigger[1] : d.sentence[1]]) or self._countries(
                d.text.text[d.sentence[0] : d.sentence[1]]
            )
            country = named[0] if named else None
        ent = self.kb.get(f"{country}-{role}") if self.kb is not None and country else None
        d.evidence.append(Evidence("actors[0]", d.trigger[0], d.trigger[1], d.text.where))
        if ent is not None:
            return EventActor(role, ent.id, country, ent.sector, None, None, ent.kind, ent.name)
        return EventActor(role, None, country, ROLE_SECTORS.get(role), None, None, "state_forces", None)

    def _carried_date(self, d: Draft) -> DateRef | None:
        """The last date expression of the :data:`CARRY_SENTENCES` body sentences before an
        undated one, if any (a body sentence only: a title or caption stands alone)."""
        text = d.text
        if text.where != "body":
            return None
        sents = text.sentences
        k = next((j for j, s in enumerate(sents) if s == d.sentence), None)
        if not k:
            return None
        if NOW_WORDS.search(text.text, d.sentence[0], d.sentence[1]):
            return None  # "last night … urged", "tonight's announcement": its own time, unparsed
        lo = sents[max(0, k - CARRY_SENTENCES)][0]
        before = [x for x in text.analysis.dates if lo <= x.start and x.end <= d.sentence[0]]
        last = max(before, key=lambda x: x.start) if before else None
        # only a day carries: a bare year or month before ("since 1989", "in June") is background
        return last if last is not None and last.precision == "day" else None

    def _place(self, article: Article, d: Draft, places: tuple[Place, ...]) -> dict[str, Any] | None:
        text = d.text
        if text.where != "body":
            return None  # places are body offsets; a caption's or title's place is not known
        if self.geocoder is not None and hasattr(self.geocoder, "locate"):
            try:
                hit = self.geocoder.locate(article, text.analysis, places, d.sentence, d.trigger)
            except Exception:  # noqa: BLE001 - a geocoder failure leaves the place empty
                hit = None
            if hit:
                pl, how = hit
                out = pl.to_dict() | {"how": how, "resolved": pl.how}
                d.evidence.append(Evidence("place", pl.start, pl.end, "body"))
                return out
            return None
        if not places:
            return None
        s0, s1 = d.sentence
        sub = {text.tree.tokens[j].start for j in text.tree.subtree(d.match.tok, CLAUSAL)}
        in_sent = [p for p in places if s0 <= p.start < s1]
        near = [p for p in in_sent if p.start in sub] or in_sent
        how = "trigger"
        if not near:
            para = next((p for p in article.paragraphs if p[0] <= s0 < p[1]), None)
            near = [p for p in places if para and para[0] <= p.start < para[1]]
            how = "paragraph"
        if not near:
            near, how = [min(places, key=lambda p: (p.precision, p.start))], "article"
        pl = min(near, key=lambda p: (p.precision if how != "trigger" else 0, abs(p.start - d.trigger[0])))
        d.evidence.append(Evidence("place", pl.start, pl.end, "body"))
        return pl.to_dict() | {"how": how, "resolved": pl.how}

    # ---------------------------------------------------------------- output
    def _event(self, article: Article, d: Draft, proc: Any) -> Event:
        where = d.text.where
        trig = d.trigger
        ev = [Evidence("type", trig[0], trig[1], where)]
        cue = d.match.cue_tok
        for f in ("mode", "context", "cameo"):
            if getattr(d, f):
                ev.append(Evidence(f, trig[0], trig[1], where))
        acled = d.acled if d.acled_fixed else tables.acled(d.type, d.mode, d.context, d.sense)
        if not d.acled_fixed and d.type == "ASSAULT" and acled and acled[0] == "Battles" and any(
            r.sector in ("CVL", "REF") for r in d.recipients
        ):
            acled = ("Violence against civilians", "Attack")
        if acled:
            ev.append(Evidence("acled_event_type", trig[0], trig[1], where))
            ev.append(Evidence("acled_sub_event_type", trig[0], trig[1], where))
        if cue is not None:
            ct = d.text.tree.tokens[cue]
            ev.append(Evidence("mode", ct.start, ct.end, where))
        for k, a in enumerate(d.actors):
            if a.start is not None and a.end is not None:
                ev.append(Evidence(f"actors[{k}]", a.start, a.end, where))
        for k, r in enumerate(d.recipients):
            if r.start is not None and r.end is not None:
                ev.append(Evidence(f"recipients[{k}]", r.start, r.end, where))
        ev.extend(d.evidence)
        for fld, s, e, w in d.extra_spans:
            ev.append(Evidence(fld, s, e, w))
        procurement = None
        if proc is not None:
            procurement = proc.record
            ev.extend(proc.evidence)
        flags = EventFlags(**{k: v is not None for k, v in d.flags.items()})
        type_key = d.type if where == "body" else f"{d.type}|{where}"
        acled_actors = None
        if acled:
            acled_actors = acled_names.acled_actors(
                [a.to_dict() for a in d.actors], [r.to_dict() for r in d.recipients], acled[0],
                on=(d.date or {}).get("date_start") or article.published_at,
                where=(d.place or {}).get("country"),
            )
        return Event(
            id=Event.make_id(article.id, d.sentence, type_key),
            article_id=article.id,
            type=d.type,
            sentence=d.sentence,
            mode=d.mode,
            context=d.context,
            acled_event_type=acled[0] if acled else None,
            acled_sub_event_type=acled[1] if acled else None,
            cameo=tables.cameo_root(d.type, d.mode, d.cameo),
            actors=tuple(d.actors),
            recipients=tuple(d.recipients),
            place=d.place,
            date=d.date,
            quantities=tuple(d.quantities),
            claim=d.claim,
            flags=flags,
            procurement=procurement,
            confidence=d.confidence,
            evidence=tuple(_uniq_evidence(ev)),
            trigger=trig,
            in_caption=where.startswith("caption"),
            acled_actors=acled_actors,
        )


# ------------------------------------------------------------------------------ helpers
_WORD = re.compile(r"[A-Za-z][\w'-]*|\d[\d,.]*|\S")


def _flat_parse(text: str) -> Parse:
    """Word tokens without a tree, for texts the nlp stage did not parse."""
    toks = tuple(
        Token(m.start(), m.end(), m.group(0), m.group(0).lower(), "X", "", "dep", k)
        for k, m in enumerate(_WORD.finditer(text))
    )
    return Parse(tokens=toks, sentences=((0, len(text)),))


_SECTOR_KINDS = {
    **dict.fromkeys(("MIL", "COP", "SPY"), "state_forces"),
    **dict.fromkeys(("GOV", "LEG", "JUD"), "government"),
    **dict.fromkeys(("REB", "PRM", "INS", "UAF", "CRM"), "armed_group"),
    **dict.fromkeys(("CVL", "REF", "EDU", "HLH", "JRN", "AGR", "LAB"), "civilians"),
    "BUS": "company", "MED": "media", "NGO": "ngo", "IGO": "igo", "PTY": "political_party",
}  # fmt: skip


def _kind_of(
    kind: str | None, sector: str | None, head: str | None, entity_id: str | None, country: str | None,
    span_text: str, demonyms: dict[str, str],
) -> str:
    """What sort of thing an actor is: its KB kind, else the generic group its head word names
    ("protesters", "civilians"), else its sector's kind, else a state for a bare country or
    nationality word, else "unknown"."""
    if kind:
        return kind
    generic = acled_names.generic_kind(head)
    if generic:
        return generic
    if sector in _SECTOR_KINDS:
        return _SECTOR_KINDS[sector]
    bare = re.sub(r"^(?:the|The)\s+|['’]s$", "", span_text).lower()
    if country and bare in demonyms:
        return "state"
    return "unknown"


def _as_placed(a: EventActor, places: Sequence[Place]) -> EventActor:
    """``a`` with the country of the geocoded place its phrase holds when that differs from
    the country its name gave; a phrase that is only the place names a town, not the state."""
    if a.start is None or a.end is None or a.country is None:
        return a
    p = next((p for p in places if a.start <= p.start and p.end <= a.end and p.country), None)
    if p is None or p.country == a.country or p.precision >= 4:
        return a  # (a country's own name is the state the lookup found)
    if a.kind in STATE_KINDS and not (p.start, p.end) == (a.start, a.end) and not _names_people(a.text):
        return a  # "the Lebanese army in Tyre": the force's own country stands
    if (p.start, p.end) == (a.start, a.end) or (a.kind in STATE_KINDS and _names_people(a.text)):
        # a town's name alone, or people from it: not the state the name lookup found
        return dataclasses.replace(a, entity_id=None, name=None, kind="unknown", sector=None, country=p.country)
    return dataclasses.replace(a, country=p.country)


def _names_people(phrase: str) -> bool:
    """Whether a phrase is headed by a generic noun of people ("A 36-year-old Palestine man"): a
    place in it is where they are from, whatever state a name lookup made of the phrase."""
    words = re.findall(r"[A-Za-z]+", phrase)
    if not words:
        return False
    head = words[-1].lower()
    return head in PERSON_NOUNS or _stem(head) in PERSON_NOUNS or head in ("men", "women", "children")


def _clause(tree: Tree, i: int, sent: tuple[int, int]) -> list[Any]:
    """The tokens of the clause that reports the act of trigger ``i``, its head verb first: the
    trigger's own subtree plus that of the verb a nominal trigger depends on ("staged a protest
    last year"), without clauses embedded in them (a relative clause's "last year")."""
    toks = tree.tokens
    h = i
    for _ in range(6):
        if toks[h].pos in ("VERB", "AUX") or tree.head(h) == h or toks[h].dep in CLAUSAL:
            break
        h = tree.head(h)
    within = set(tree.subtree(h, CLAUSAL)) | set(tree.subtree(i, CLAUSAL))
    g = h
    while toks[g].dep in ("xcomp", "advcl") and any(
        toks[c].dep == "aux" and toks[c].text.lower() == "to" for c in tree.children[g]
    ) and tree.head(g) != g:
        # an infinitive ("were called in early Saturday to break up a bar brawl", "went to Kabul
        # on Monday to meet…") happens in the time of the clause it completes
        g = tree.head(g)
        within |= set(tree.subtree(g, CLAUSAL))
    idx = sorted(within)
    if len(idx) == 1:
        # a trigger left alone by the parse (a caption's flat parse, or a leaf): the parse says
        # nothing of its clause, so the whole sentence is it
        idx = list(tree.sentence_tokens(sent))
    return [toks[h]] + [toks[j] for j in idx if j != h]


def _police_story(text: Text) -> bool:
    """Whether a text names the police more often than soldiers (by lemma)."""
    lemmas = [t.lemma.lower() for t in text.tree.tokens]
    return sum(w in POLICE_HEADS for w in lemmas) > sum(w in MILITARY_WORDS for w in lemmas)


def _country_word(a3: str) -> str:
    """A name of ``a3`` the demonym table knows ("Jamaica")."""
    import pycountry

    c = pycountry.countries.get(alpha_3=a3)
    return str(getattr(c, "common_name", None) or c.name) if c is not None else " "


def _stem(word: str) -> str:
    w = word.lower()
    for suf, rep in (("ies", "y"), ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            return w[: -len(suf)] + rep
    return w


def _flat_args(tree: Tree, i: int) -> dict[str, int]:
    """Cue words for an unparsed text: the next eight words and their plain stems."""
    out: dict[str, int] = {}
    for j in range(i + 1, min(i + 9, len(tree.tokens))):
        w = tree.tokens[j].text.lower()
        out.setdefault(w, j)
        out.setdefault(_stem(w), j)
    return out


def _best_mention(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    inside = [m for m in mentions if m.start < end and start < m.end]
    if not inside:
        return None
    return min(
        inside,
        key=lambda m: (m.entity_id is None, m.country is None, m.label not in ("ORG", "GPE", "NORP", "PERSON"), m.start),
    )


_DATELINE_DASH = re.compile(r"(?:,[^\n,]{1,30})?\s*(?:--|—|–|-)\s")


def _is_dateline(body: str, a: EventActor) -> bool:
    """Whether ``a`` is an all-caps place opening a line before a dash ("ROANOKE --",
    "BEIRUT, Lebanon —"). Stricter than the geocoder's ``_dateline_at``, which also takes a
    comma or a bracket after the name: an actor "NATO, the alliance said…" opening a paragraph is
    no dateline."""
    if a.start is None or a.end is None or not a.text.isupper() or len(a.text) < 3:
        return False
    opens = a.start == 0 or body[a.start - 1] == "\n"
    return opens and _DATELINE_DASH.match(body, a.end) is not None


def _same_actor(a: EventActor, b: EventActor) -> bool:
    if a.entity_id and a.entity_id == b.entity_id:
        return True
    return a.start == b.start and a.end == b.end


def _dedupe(actors: list[EventActor]) -> list[EventActor]:
    """Drop repeated actors and ones nested in another actor's span (compound actors)."""
    out: list[EventActor] = []
    for a in actors:
        if any(_same_actor(a, b) for b in out):
            continue
        if any(
            b.start is not None and a.start is not None and b.end is not None and a.end is not None
            and b.start <= a.start and a.end <= b.end and (a.entity_id is None or a.entity_id == b.entity_id)
            for b in out
        ):  # fmt: skip
            continue
        out.append(a)
    return out


def _uniq_evidence(ev: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for e in ev:
        key = (e.field, e.start, e.end, e.where)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _mentions_arms(text: Text, sent: tuple[int, int]) -> bool:
    s = text.text[sent[0] : sent[1]].lower()
    return any(w in s for w in ARMS_WORDS) or any(
        m.label in ("WEAPON", "MILITARY_PLATFORM") for m in text.analysis.mentions if sent[0] <= m.start < sent[1]
    )


def _reference_date(article: Article, texts: list[Text]) -> date | None:
    """The article's date: publication, else the ingest date its relative dates were read
    against (``Analysis.anchor_date``), else the latest explicitly dated day it mentions."""
    if article.published_at:
        try:
            return date.fromisoformat(article.published_at[:10])
        except ValueError:
            pass
    anchor = next((t.analysis.anchor_date for t in texts if t.analysis.anchor_date), None)
    if anchor:
        try:
            return date.fromisoformat(anchor[:10])
        except ValueError:
            pass
    best: date | None = None
    for t in texts:
        for dr in t.analysis.dates:
            if not re.search(r"\b(19|20)\d\d\b", dr.text):
                continue
            try:
                d = date.fromisoformat(dr.date_end[:10])
            except ValueError:
                continue
            best = d if best is None or d > best else best
    return best


def _actor_keys(d: Draft, by_kind: bool = False) -> set[str]:
    """Who did it, as far as it is known (a bare "the government" identifies nobody); with
    ``by_kind``, an unnamed actor of no country counts by its kind and sector ("officers" of a
    police story): the parties that make two tellings of an act with two readings one."""
    # an implied actor (no span: "was arrested" → the police) identifies nobody either
    return {k for a in d.actors if a.start is not None
            and (k := a.entity_id or a.country or (f"{a.kind}/{a.sector}" if by_kind and a.sector else None))}  # fmt: skip


def _same_action(o: Draft, d: Draft) -> bool:
    """Whether two drafts of one article report one real-world action. Drafts a classifier
    labelled (``merge_key``: PLOVER type + ACLED sub-event) are one action unless they name
    different actors or places, as an ACLED coder records one event for a story's several
    sentences about it; lexicon drafts need the same sense and agreeing actors (below)."""
    labelled = o.merge_key is not None and d.merge_key is not None
    key = (_gathering(o.merge_key), _gathering(d.merge_key)) if labelled else (o.sense, d.sense)
    if o.type != d.type:
        return False
    if key[0] != key[1] and not (labelled and _actor_keys(o, by_kind=True) & _actor_keys(d, by_kind=True)):
        # one act told twice with two ACLED readings ("officers shot and killed a teenager" —
        # Attack; "both officers fired at the suspect" — Armed clash) is one act when the same
        # party does it; the first telling's reading stands
        return False
    for flag in ("historical", "future", "negated"):
        if (o.flags.get(flag) is None) != (d.flags.get(flag) is None):
            return False
    if d.text.where == "title":
        return True  # a headline restates the story's main action, however it names the actor
    ka, kb = _actor_keys(o), _actor_keys(d)
    if labelled:
        if ka and kb and not ka & kb:
            return False
        # only a place the action's own clause names tells two actions apart; the article's or
        # paragraph's place, taken when the sentence names none, says nothing about it
        po = o.place if o.place and o.place.get("how") == "trigger" else {}
        pd = d.place if d.place and d.place.get("how") == "trigger" else {}
        if po.get("name") is None or pd.get("name") is None or po.get("name") == pd.get("name"):
            return True
        # two place names in one country: a story restating its action names other places of
        # it (a suspect's home town, the capital) — 7 of 53 judged learned.v1 events were such
        # copies; places in two countries, or two dates, are two actions
        do, dd = (o.date or {}).get("date_start"), (d.date or {}).get("date_start")
        return po.get("country") is not None and po.get("country") == pd.get("country") and (
            do is None or dd is None or do == dd
        )
    if ka & kb:
        return True
    if ka and kb:
        return False
    if d.text.where.startswith("caption"):
        return False
    # one side names no actor: the same action only if it refers back ("the cancellation") or
    # shares an argument ("establishing the drafting center" ~ "opened a recruitment center")
    lone = d if not kb else o
    noun = lone.text.tree.tokens[lone.match.tok].pos != "VERB"
    shared = (o.args & d.args) - {"the", "a", "an", "of", "in", "to", "on", ",", "its", "their"}
    return noun or bool({w for w in shared if len(w) > 3})


def _date_from(d: Draft, dr: DateRef, source: str) -> None:
    """Date ``d`` by the expression ``dr`` of its text. "anchor": what the day was read against —
    "publication", "story", "ingest" (views say the day is only as good as that) or "text" (the
    expression names its own year, "Oct. 3, 2023", and needs no anchor)."""
    anchor = "text" if _SELF_DATED.search(dr.text) else dr.anchor
    d.date = dr.to_dict() | {"source": source, "anchor": anchor}
    d.evidence.append(Evidence("date", dr.start, dr.end, d.text.where))


def _gathering(merge_key: str | None) -> str | None:
    """A protest's merge key without its sub-event type when that type is one moment of one
    gathering (types.yaml ``one_gathering``)."""
    if merge_key is None:
        return None
    plover, _, sub = merge_key.partition("|")
    return f"{plover}|gathering" if sub in tables.types()[plover].get("one_gathering", ()) else merge_key


def _escalate(target: Draft, d: Draft) -> None:
    """The merged gathering keeps its most severe moment (ACLED codes a protest that turned
    violent as a violent demonstration)."""
    order = list(tables.types()[target.type].get("one_gathering", ()))
    a, b = (target.acled or ("", ""))[1], (d.acled or ("", ""))[1]
    if a in order and b in order and order.index(b) > order.index(a):
        target.acled, target.merge_key = d.acled, d.merge_key


def _merge(drafts: list[Draft]) -> list[Draft]:
    """One event per real-world action: same sense, compatible actors (one side empty or a shared
    entity/country), same historical status. Title and caption drafts fold into a body event."""
    order = sorted(drafts, key=lambda d: (d.text.where != "body", d.sentence[0], d.match.depth))
    out: list[Draft] = []
    for d in order:
        target = next((o for o in out if _same_action(o, d)), None)
        if target is None:
            out.append(d)
            continue
        w = d.text.where
        t = d.trigger
        _escalate(target, d)
        target.extra_spans.append(("type", t[0], t[1], w))
        for k, a in enumerate(d.actors):
            if a.start is not None and a.end is not None:
                target.extra_spans.append((f"actors[{k}]", a.start, a.end, w))
        if not target.actors and d.actors:
            target.actors = d.actors
        elif target.type == "PROTEST" and d.recipients and not target.recipients:
            target.recipients = [r for r in d.recipients if r.kind in STATE_KINDS]
        if not target.recipients and d.recipients and d.text.where == "body":
            target.recipients = d.recipients
        if target.date is None and d.date is not None:
            target.date = d.date
        if target.place is None and d.place is not None:
            target.place = d.place
        target.quantities.extend(q for q in d.quantities if q not in target.quantities)
    return sorted(out, key=lambda d: (d.text.where != "body", d.text.where, d.sentence[0], d.match.depth))


__all__ = ["RulesCoder", "Draft", "Text", "Modality"]
