"""The records that cross pipeline stages, and nothing else.

Every stage takes and returns these frozen dataclasses (or a :class:`Rejection`). Offsets are
character offsets into :attr:`Article.body`; no spaCy object ever leaves the nlp stage. Each record
has ``to_dict()`` giving the JSON shape of the CLI/API contracts (see README "Output format").
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Span = tuple[int, int]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin: JSON-ready dict of a record (tuples become lists, nested records dicts)."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[no-any-return]


def content_id(*parts: str, length: int = 16) -> str:
    """Stable id from content: sha256 over NFC-normalised, whitespace-collapsed parts."""
    h = hashlib.sha256()
    for p in parts:
        norm = " ".join(unicodedata.normalize("NFC", p or "").split())
        h.update(norm.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


# ------------------------------------------------------------------------------------ ingest
@dataclass(frozen=True)
class Caption(Record):
    text: str
    credit: str | None = None


@dataclass(frozen=True)
class RawDocument(Record):
    """One unit read by the ingest stage, before cleaning.

    ``kind`` says how clean must treat ``text``: ``text`` (a raw dump, may hold several articles),
    ``html`` (a web page), ``article`` (already one article, e.g. a JSONL line: clean only tidies
    it), ``plain`` (one article body to keep byte for byte: no splitting or cleaning).
    """

    source: str
    text: str
    kind: str = "text"
    #: The caller's own id (JSONL ``"id"``), validated by ingest.checks; kept as
    #: :attr:`Article.external_id`, never used as the article id (that is always the content hash).
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: str | None = None  # ISO 8601 date or datetime when known
    publisher: str | None = None
    byline: str | None = None
    encoding: str | None = None
    #: Captions the input already carries (a ``split --jsonl`` record read back): kept as
    #: :attr:`Article.captions` of an ``article``/``plain`` document.
    captions: tuple[Caption, ...] = ()


@dataclass(frozen=True)
class Rejection(Record):
    """Bad input, counted and reported with its reason; never a silent None."""

    source: str
    reason: str
    line: int | None = None
    stage: str = "ingest"

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


# ------------------------------------------------------------------------------------ clean
@dataclass(frozen=True)
class Article(Record):
    """A clean article. ``body`` is the paragraphs joined by a blank line; ``paragraphs`` are
    (start, end) offsets into ``body``."""

    id: str
    source: str
    title: str | None
    body: str
    paragraphs: tuple[Span, ...]
    captions: tuple[Caption, ...] = ()
    published_at: str | None = None
    byline: str | None = None
    publisher: str | None = None
    language: str | None = "en"
    url: str | None = None
    furniture_removed: int = 0
    external_id: str | None = None  # the caller's id for the document (RawDocument.external_id)

    @staticmethod
    def make_id(source: str, body: str) -> str:
        # Source is deliberately not hashed: the same text from two paths is one article.
        return content_id(body)

    @classmethod
    def from_paragraphs(
        cls, source: str, paragraphs: list[str], *, id: str | None = None, **meta: Any
    ) -> Article:
        body, spans, pos = "", [], 0
        for i, p in enumerate(paragraphs):
            if i:
                body += "\n\n"
                pos += 2
            spans.append((pos, pos + len(p)))
            body += p
            pos += len(p)
        return cls(
            id=id or cls.make_id(source, body),
            source=source,
            body=body,
            paragraphs=tuple(spans),
            **meta,
        )


# ------------------------------------------------------------------------------------ nlp
class Token(NamedTuple):
    """A token of the parse; ``head`` is an index into :attr:`Parse.tokens`."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int


@dataclass(frozen=True)
class Parse(Record):
    """The dependency parse of an article body as plain offsets (the nlp stage's Doc, flattened)."""

    tokens: tuple[Token, ...]
    sentences: tuple[Span, ...]


@dataclass(frozen=True)
class Mention(Record):
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None = None
    kind: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # PLOVER sector code (GOV, MIL, REB, BUS, MED, ...)


@dataclass(frozen=True)
class Quantity(Record):
    start: int
    end: int
    text: str
    value: float
    unit: str | None = None
    currency: str | None = None  # ISO 4217, for money
    kind: str | None = None  # dead, injured, arrested, troops, units, money, duration, salary
    approximate: bool = False
    same_as: int | None = None  # index of another quantity stating the same amount
    value_max: float | None = None  # upper bound of a range


@dataclass(frozen=True)
class DateRef(Record):
    start: int
    end: int
    text: str
    date_start: str  # ISO date
    date_end: str
    precision: str  # day, week, month, quarter, year
    anchor: str  # publication | ingest: what relative dates were resolved against


@dataclass(frozen=True)
class Claim(Record):
    start: int
    end: int
    source_text: str | None
    source_entity_id: str | None
    verb: str | None
    certainty: str  # asserted, reported, hedged, predicted, denied
    source_start: int | None = None
    source_end: int | None = None


@dataclass(frozen=True)
class Analysis(Record):
    """What the nlp stage knows of one article."""

    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateRef, ...] = ()
    claims: tuple[Claim, ...] = ()
    parse: Parse | None = None
    #: Analysis of each caption's text (offsets into that caption), same order as Article.captions.
    captions: tuple[Analysis, ...] = ()
    #: Analysis of the title (offsets into Article.title), when there is one.
    title: Analysis | None = None
    #: The ISO day relative dates were read against: the publication date, else the ingest date
    #: (``DateRef.anchor`` says which); None when the analysis did not resolve dates.
    anchor_date: str | None = None


# ------------------------------------------------------------------------------------ kb
@dataclass(frozen=True)
class Relation(Record):
    type: str  # backed_by, subsidiary_of, part_of, member_of, made_by
    target: str  # entity id
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True)
class Entity(Record):
    id: str
    name: str
    kind: str  # state, state_forces, government, armed_group, political_party, company, igo, ngo, media, person, military_unit, weapon, platform
    aliases: tuple[str, ...] = ()
    country: str | None = None
    sector: str | None = None
    relations: tuple[Relation, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None
    description: str | None = None
    #: Countries (alpha-3) where the actor operates, beyond ``country`` (its home country).
    operates_in: tuple[str, ...] = ()
    #: For kind weapon / platform: what the system is ("anti-tank missile", "MBT", "drone", ...).
    system_kind: str | None = None


# ------------------------------------------------------------------------------------ geo
@dataclass(frozen=True)
class Place(Record):
    start: int
    end: int
    text: str
    name: str
    geonameid: int | None
    lat: float
    lon: float
    country: str | None  # ISO alpha-3
    admin1: str | None
    feature: str | None  # GeoNames feature class.code, e.g. "P.PPLA"
    precision: int  # 1 town or finer, 2 district/near town, 3 region, 4 country
    how: str | None = None  # why this entry: "landmark", "qualifier Jamaica", "context USA"… (geo)


# ------------------------------------------------------------------------------------ events
@dataclass(frozen=True)
class EventActor(Record):
    """Who took part in an event. ``kind`` says what sort of thing the name is: a knowledge-base
    kind (state, state_forces, government, armed_group, person, ...), a generic group
    (protesters, rioters, civilians), or ``unknown``; ``country`` and ``sector`` are None when
    unknown. ``name`` is the knowledge-base entity's name when the actor resolved to one."""

    text: str
    entity_id: str | None = None
    country: str | None = None
    sector: str | None = None
    start: int | None = None
    end: int | None = None
    kind: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Evidence(Record):
    """Span behind a filled field. ``where`` is ``body`` (offsets into Article.body), ``title``,
    or ``caption:N`` (offsets into the N-th caption's text)."""

    field: str
    start: int
    end: int
    where: str = "body"


@dataclass(frozen=True)
class Money(Record):
    amount: float
    currency: str


@dataclass(frozen=True)
class Procurement(Record):
    supplier: str | None = None
    recipient: str | None = None
    system: str | None = None
    system_kind: str | None = None
    quantity: float | None = None
    value: tuple[Money, ...] = ()
    status: str | None = None  # ordered, licensed, approved, delivered, cancelled, suspended
    date_ordered: str | None = None
    date_status: str | None = None
    supplier_entity_id: str | None = None
    recipient_entity_id: str | None = None


@dataclass(frozen=True)
class EventFlags(Record):
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    historical: bool = False


@dataclass(frozen=True)
class EventPlace(Record):
    place: Place
    how: str  # trigger | paragraph | article


@dataclass(frozen=True)
class AcledActors(Record):
    """An event's actors in ACLED's conventions (docs/acled.md): names as ACLED writes them,
    associated actors joined by "; ", inter codes 1-8 and the interaction code."""

    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    interaction: int | None = None


@dataclass(frozen=True)
class Event(Record):
    id: str
    article_id: str
    type: str
    sentence: Span
    mode: str | None = None
    context: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    cameo: str | None = None
    actors: tuple[EventActor, ...] = ()
    recipients: tuple[EventActor, ...] = ()
    place: dict[str, Any] | None = None  # Place.to_dict(); "how" its locate route, "resolved" Place.how
    date: dict[str, Any] | None = None  # DateRef.to_dict() or {"date_start",..., "source": "publication"}
    quantities: tuple[Quantity, ...] = ()
    claim: Claim | None = None
    flags: EventFlags = field(default_factory=EventFlags)
    procurement: Procurement | None = None
    confidence: float = 0.5
    evidence: tuple[Evidence, ...] = ()
    trigger: Span | None = None
    in_caption: bool = False
    acled_actors: AcledActors | None = None

    @staticmethod
    def make_id(article_id: str, span: Span, type_: str) -> str:
        return content_id(article_id, f"{span[0]}:{span[1]}", type_)


# ------------------------------------------------------------------------------------ result
@dataclass(frozen=True)
class Result(Record):
    """Everything the pipeline knows of one article: what `extract` prints and the store keeps."""

    article: Article
    analysis: Analysis = field(default_factory=Analysis)
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = self.article.to_dict()
        a = self.analysis
        out["mentions"] = [m.to_dict() for m in a.mentions]
        out["quantities"] = [q.to_dict() for q in a.quantities]
        out["dates"] = [d.to_dict() for d in a.dates]
        out["claims"] = [c.to_dict() for c in a.claims]
        out["places"] = [p.to_dict() for p in self.places]
        out["events"] = [e.to_dict() for e in self.events]
        return out
