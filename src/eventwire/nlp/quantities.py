"""Quantities: money with currency, and counts with what they count.

Built on spaCy's MONEY / CARDINAL / QUANTITY spans; the numbers are parsed here because the
libraries that exist get this field wrong: quantulum3 reads "($325 million)" as −325,000,000 and
price-parser ignores scale words ("million"). So: our own number words, scale words, currency
words/symbols, ranges and approximators, and the dependency parse for what a count counts.
"""

from __future__ import annotations

import re
from typing import Any

from ..records import Quantity
from .docindex import ents, sent_of, text_of

NUMBER_WORDS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24,
    "hundreds": 200, "thousands": 2000, "several": 3, "a few": 3,
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
#: Approximate or bounded amounts: the number is kept, ``approximate`` set.
APPROX = (
    "about", "around", "approximately", "roughly", "some", "nearly", "almost", "up to",
    "at least", "more than", "over", "less than", "under", "at most", "an estimated",
    "estimated", "close to", "upwards of", "as many as", "as much as", "some", "circa", "~",
)
SYMBOLS = {
    "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "$": "USD", "€": "EUR",
    "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₪": "ILS", "₴": "UAH", "₺": "TRY",
}
CURRENCY_WORDS = {
    "dollar": "USD", "usd": "USD", "euro": "EUR", "eur": "EUR", "pound": "GBP", "sterling": "GBP",
    "gbp": "GBP", "ruble": "RUB", "rouble": "RUB", "rub": "RUB", "shekel": "ILS", "ils": "ILS",
    "nis": "ILS", "yuan": "CNY", "renminbi": "CNY", "cny": "CNY", "rupee": "INR", "inr": "INR",
    "riyal": "SAR", "sar": "SAR", "lira": "TRY", "hryvnia": "UAH", "uah": "UAH", "yen": "JPY",
    "dirham": "AED", "aed": "AED", "rial": "IRR", "toman": "IRR", "naira": "NGN", "rand": "ZAR",
    "franc": "CHF", "chf": "CHF", "won": "KRW", "dinar": "IQD", "krone": "NOK", "krona": "SEK",
    "zloty": "PLN", "cfa": "XOF",
}
DOLLAR_COUNTRY = {
    "australian": "AUD", "canadian": "CAD", "new zealand": "NZD", "hong kong": "HKD",
    "singapore": "SGD", "taiwan": "TWD", "zimbabwe": "ZWL",
}
SALARY_WORDS = {"salary", "salaries", "wage", "wages", "stipend", "monthly", "per month", "a month", "a week", "per week", "bonus", "paycheck"}

# What a count counts, by the lemma of the counted noun.
TROOP_NOUNS = {
    "fighter", "troop", "soldier", "militant", "militiaman", "recruit", "personnel", "combatant",
    "mercenary", "volunteer", "servicemember", "marine", "paratrooper", "reservist", "conscript",
    "guerrilla", "insurgent", "jihadist", "service member", "sailor", "airman", "commando",
}
UNIT_NOUNS = {
    "regiment", "brigade", "battalion", "division", "unit", "squadron", "platoon", "company",
    "system", "missile", "rocket", "vessel", "ship", "boat", "aircraft", "jet", "plane",
    "helicopter", "drone", "tank", "vehicle", "launcher", "rifle", "gun", "howitzer", "shell",
    "round", "bomb", "munition", "warship", "frigate", "submarine", "fighter jet", "warplane",
    "interceptor", "battery", "grenade", "mortar", "weapon", "truck",
}
PEOPLE_NOUNS = {
    "people", "person", "civilian", "child", "woman", "man", "resident", "protester",
    "demonstrator", "worker", "student", "suspect", "member", "official", "journalist",
    "migrant", "refugee", "policeman", "officer", "victim", "passenger", "prisoner", "other",
    "others", "individual", "villager", "pilgrim",
} | TROOP_NOUNS
DURATION_NOUNS = {"second", "minute", "hour", "day", "week", "month", "year", "decade"}
DEAD = {"kill", "die", "dead", "death", "slay", "massacre", "execute", "behead", "fatality", "killing", "perish", "murder", "body"}
INJURED = {"injure", "wound", "hurt", "injured", "wounded", "injury", "casualty", "maim"}
ARRESTED = {"arrest", "detain", "capture", "apprehend", "jail", "imprison", "abduct", "kidnap", "seize", "round"}

_NUM = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
_NUM_SCALE = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*-?\s*(thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b)?\b",
    re.I,
)
_RANGE = re.compile(
    r"(\d[\d,.]*)\s*(?:-|–|to|and)\s*(\d[\d,.]*)\s*(thousand|million|billion|trillion|bn|mn)?", re.I
)


def parse_number(text: str) -> tuple[float | None, float | None]:
    """(value, value_max) of a number phrase: digits with commas, number words, scale words,
    ranges ("10 to 15 million", "between 10 and 20"). (None, None) if it holds no number."""
    t = text.replace("\u00a0", " ").strip()
    low = t.lower()
    nums = list(_NUM_SCALE.finditer(t))
    if len(nums) >= 2 and re.fullmatch(r"\s*(?:-|–|to|and)\s*(?:US\$|[$€£¥])?\s*", t[nums[0].end() : nums[1].start()]):
        # "between $10 million and $15 million", "10 to 15 million": a range; a bound with no
        # scale word of its own takes the other's.
        a, b = _to_float(nums[0].group(1)), _to_float(nums[1].group(1))
        sa, sb = (nums[0].group(2) or "").lower(), (nums[1].group(2) or "").lower()
        if a is not None and b is not None:
            fa, fb = SCALES.get(sa or sb, 1.0), SCALES.get(sb or sa, 1.0)
            if b * fb >= a * fa:
                return a * fa, b * fb
    m = _RANGE.search(t)
    if m and re.search(r"\d\s*(?:-|–|to|and)\s*\d", t):
        scale = SCALES.get((m.group(3) or "").lower(), 1.0)
        a, b = _to_float(m.group(1)), _to_float(m.group(2))
        if a is not None and b is not None and b >= a:
            return a * scale, b * scale
    m = _NUM_SCALE.search(t)
    if m:
        v = _to_float(m.group(1))
        if v is None:
            return None, None
        sc = (m.group(2) or "").lower()
        # Single-letter scales ("5m", "2b") only when glued to the number (not "5 m" metres).
        if sc in ("m", "b", "k") and t[m.end(1) : m.end(1) + 1].isspace():
            sc = ""
        return v * SCALES.get(sc, 1.0), None
    words = re.findall(r"[a-z]+(?:-[a-z]+)?", low)
    total, cur, seen = 0.0, 0.0, False
    for w in words:
        for part in w.split("-"):
            if part in NUMBER_WORDS and part not in ("a", "an"):
                n = NUMBER_WORDS[part]
                if part in ("hundred", "dozen"):
                    cur = (cur or 1) * n  # "a dozen", "two hundred"
                elif part in ("dozens", "hundreds", "thousands"):
                    cur = cur + n if cur else n
                else:
                    cur += n
                seen = True
            elif part in ("a", "an") and not seen:
                cur, seen = 1, True
            elif part in SCALES and part not in ("m", "b", "k") and seen:
                total += (cur or 1) * SCALES[part]
                cur = 0
    if not seen:
        return None, None
    return total + cur, None


def _to_float(s: str) -> float | None:
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def is_approx(prefix: str) -> bool:
    p = prefix.lower().strip()
    return any(p.endswith(a) or p.startswith(a + " ") or p == a for a in APPROX)


def currency_of(text: str, before: str = "") -> str | None:
    for sym in sorted(SYMBOLS, key=len, reverse=True):
        if sym in text:
            if sym == "$":
                ctx = (before[-20:] + " " + text).lower()
                for k, v in DOLLAR_COUNTRY.items():
                    if k + " dollar" in ctx:
                        return v
            return SYMBOLS[sym]
    low = text.lower()
    for k, v in DOLLAR_COUNTRY.items():
        if k + " dollar" in low:
            return v
    for w in re.findall(r"[a-z]+", low):
        w1 = w[:-1] if w.endswith("s") and w[:-1] in CURRENCY_WORDS else w
        if w1 in CURRENCY_WORDS:
            return CURRENCY_WORDS[w1]
    return None


def extract(doc: Any, mentions_by_token: dict[int, Any] | None = None) -> list[Quantity]:
    """Money and counts of a parsed doc (offsets into ``doc.text``)."""
    out: list[Quantity] = []
    text = text_of(doc)
    for ent in ents(doc):
        if ent.label_ == "MONEY":
            q = _money(ent, text)
        elif ent.label_ in ("CARDINAL", "QUANTITY"):
            nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
            if nxt is not None and currency_of(nxt.text):
                # "about 300 million euros" tagged CARDINAL + a currency word outside it
                q = _money(ent.doc[ent.start : ent.end + 1], text)
            else:
                q = _count(ent, text, mentions_by_token or {})
        elif ent.label_ == "DATE":
            q = _duration(ent, text)
        else:
            q = None
        if q is not None:
            out.append(q)
    return _link_same(out, text)


def _prefix(ent: Any, text: str) -> tuple[str, int]:
    """Approximator words just before ``ent`` ("about", "up to", "at least"): (words, start)."""
    doc = ent.doc
    start = ent.start
    for n in (2, 1):
        if start - n >= 0:
            words = doc[start - n : start].text
            if words.lower() in APPROX:
                return words, doc[start - n].idx
    return "", ent.start_char


def _money(ent: Any, text: str) -> Quantity | None:
    value, vmax = parse_number(ent.text)
    if value is None:
        return None
    before = text[max(0, ent.start_char - 40) : ent.start_char]
    sym = re.search(r"(US\$|A\$|C\$|NZ\$|HK\$|[$€£¥₹₽₪₴₺])\s?$", before)
    if sym and ent.start > 0 and ent.doc[ent.start - 1].idx == ent.start_char - len(sym.group(0)):
        # "$200": the model left the symbol out of the span; take it in.
        ent = ent.doc[ent.start - 1 : ent.end]
        before = text[max(0, ent.start_char - 40) : ent.start_char]
    cur = currency_of(ent.text, before)
    if cur is None:
        # "285 million" + following currency word outside the span ("285 million euros")
        nxt = ent.doc[ent.end : ent.end + 1]
        cur = currency_of(nxt.text) if len(nxt) else None
    pre, start = _prefix(ent, text)
    approx = bool(pre) or is_approx(ent.text.split("$")[0]) or "estimated" in before[-25:].lower()
    if ent.text.lower().startswith("between") or vmax is not None:
        approx = approx or False
    sent = sent_of(ent.doc, ent.start)
    ctx = text[sent.start_char : ent.start_char].lower()
    after = text[ent.end_char : min(sent.end_char, ent.end_char + 30)].lower()
    kind = "salary" if any(w in ctx[-60:] or w in after for w in SALARY_WORDS) else "money"
    # Keep the approximator inside the span ("up to $5 million") so the span reads as it means.
    return Quantity(
        start=start, end=ent.end_char, text=text[start : ent.end_char], value=value, unit=None,
        currency=cur, kind=kind, approximate=approx, value_max=vmax,
    )


def _counted(ent: Any, mentions_by_token: dict[int, Any]) -> tuple[Any, Any]:
    """(first, last) tokens of what a count counts: the noun run after the number, where a
    ruler mention (e.g. WEAPON "SPIKE LR2") counts as part of the run whatever its tags."""
    doc = ent.doc
    i = ent.end
    first = last = None
    while i < len(doc) and i < ent.end + 8:
        t = doc[i]
        in_mention = i in mentions_by_token
        if t.is_punct and t.text not in ("-",):
            break
        if not (in_mention or t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or t.text == "-"):
            break
        if t.pos_ == "ADJ" and first is None and t.lower_ in ("more", "other", "additional", "new"):
            pass
        if first is None:
            first = t
        if in_mention or t.pos_ in ("NOUN", "PROPN"):
            last = t
        if t.tag_ in ("NNS", "NNPS") and not in_mention:
            break
        i += 1
    if last is None:
        # The number stands alone or the noun comes first ("30 wounded"): use the head noun.
        head = doc[ent.end - 1].head
        if head.i >= ent.end and head.pos_ in ("NOUN", "PROPN"):
            return head, head
        return None, None
    return first, last


def _event_kind(tokens: list[Any]) -> str | None:
    """dead / injured / arrested from the verbs and adjectives around a count."""
    for t in tokens:
        lem = t.lemma_.lower()
        if lem in DEAD or t.lower_ in DEAD:
            return "dead"
        if lem in INJURED or t.lower_ in INJURED:
            return "injured"
        if lem in ARRESTED or t.lower_ in ARRESTED:
            if lem == "round" and not any(c.lower_ == "up" for c in t.children):
                continue
            return "arrested"
    return None


def _count(ent: Any, text: str, mentions_by_token: dict[int, Any]) -> Quantity | None:
    value, vmax = parse_number(ent.text)
    if value is None:
        return None
    if ent.label_ == "CARDINAL" and re.fullmatch(r"(1[89]|20)\d\d", ent.text.strip()):
        return None  # a year the model called a number
    doc = ent.doc
    pre, start = _prefix(ent, text)
    approx = bool(pre) or is_approx(" ".join(t.text for t in ent[:-1]))
    first, last = _counted(ent, mentions_by_token)
    unit = text[first.idx : last.idx + len(last.text)] if first is not None else None
    noun = last
    kind = None
    if noun is not None:
        lem = noun.lemma_.lower()
        # Look at what governs the count: "12 people were killed", "killed 12", "12 dead".
        gov = [noun, noun.head, noun.head.head] + list(noun.children)
        gov += [c for c in noun.head.children if c.dep_ in ("acomp", "oprd", "amod")]
        ev = _event_kind(gov) if lem in PEOPLE_NOUNS or noun.pos_ == "PROPN" else None
        if ev:
            kind = ev
        elif lem in TROOP_NOUNS:
            kind = "troops"
        elif lem in UNIT_NOUNS or noun.i in mentions_by_token and mentions_by_token[noun.i] in (
            "WEAPON", "MILITARY_PLATFORM", "MILITARY_UNIT",
        ):
            kind = "units"
        elif lem in DURATION_NOUNS:
            kind = "duration"
    else:
        last_tok = doc[ent.end - 1]
        ev = _event_kind([last_tok.head] + [c for c in last_tok.head.children if c.dep_ != "punct"])
        nxt = doc[ent.end] if ent.end < len(doc) else None
        if nxt is not None and nxt.lower_ in ("dead", "killed", "injured", "wounded", "arrested", "detained"):
            ev = _event_kind([nxt])
            unit = None
        if ev:
            kind = ev
    return Quantity(
        start=start, end=ent.end_char, text=text[start : ent.end_char], value=value, unit=unit,
        currency=None, kind=kind, approximate=approx, value_max=vmax,
    )


_DURATION = re.compile(r"^(?:(about|around|some|nearly|almost|more than|over|up to|at least)\s+)?(\S+(?:\s\S+)?)\s+(second|minute|hour|day|week|month|year|decade)s?$", re.I)


def _duration(ent: Any, text: str) -> Quantity | None:
    """Durations the model tags DATE ("20 days of service"), unless they place an event in time
    ("four days before", "two years ago": those are dates, see :mod:`.dates`)."""
    m = _DURATION.match(ent.text.strip())
    if not m:
        return None
    nxt = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
    if nxt in ("ago", "before", "after", "later", "earlier", "since", "prior"):
        return None
    value, _ = parse_number(m.group(2))
    if value is None:
        return None
    return Quantity(
        start=ent.start_char, end=ent.end_char, text=ent.text, value=value,
        unit=m.group(3).lower(), kind="duration", approximate=bool(m.group(1)),
    )


def _link_same(qs: list[Quantity], text: str) -> list[Quantity]:
    """Money stated twice in two currencies — "285 million euros ($325 million)" — is one amount:
    the second points to the first and vice versa (``same_as``)."""
    out = list(qs)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.kind in ("money", "salary") and b.kind == a.kind and a.currency != b.currency:
            gap = text[a.end : b.start]
            if re.fullmatch(r"\s*[\(\[,]\s*(?:or|about|around|roughly|some|approximately)?\s*", gap):
                out[i] = _replace(a, same_as=i + 1)
                out[i + 1] = _replace(b, same_as=i)
    return out


def _replace(q: Quantity, **kw: Any) -> Quantity:
    import dataclasses

    return dataclasses.replace(q, **kw)
