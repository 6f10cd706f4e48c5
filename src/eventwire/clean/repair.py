"""Messy text repaired before anything reads it: mojibake, control characters, lost casing.

:func:`repair` is the first step of cleaning a text dump or an article. In order:

1. mojibake ("â€™" for "’", "Ã©" for "é": UTF-8 read as cp1252/latin-1 somewhere upstream) is
   repaired by ftfy (``fix_text``; a dependency of wordfreq), only when such a sequence is
   present, with the options that change nothing else (quotes, widths, ligatures, line breaks
   and normalisation are left alone, so a clean text comes back identical);
2. NUL and other control characters are removed (tab, newline, carriage return and the
   line-breaking form feed / vertical tab are kept: form feeds separate articles);
3. text written all in capitals or all in lower case is put in sentence case (first letter of
   each line and sentence upper, the rest lower) so that headlines and sentences are found, then
   the names the knowledge base knows get their written form back (:func:`restore_names`:
   "kataib al-imam ali" -> "Kataib al-Imam Ali", "iranian" -> "Iranian", "nato" -> "NATO"); the
   note says so, because other names (people, towns) stay in lower case and the nlp stage
   finds fewer of them.

Each step that changed something adds a note (``split --explain`` prints them).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Byte pairs of UTF-8 read as cp1252 / latin-1: a lead byte Ã Â â Ð Ñ Ø Ù (U+00C2-U+00E2 ...)
# followed by what a continuation byte 0x80-0xBF becomes in cp1252 or latin-1.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00c3\u00c5\u00ce-\u00d9\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\u0080-\u009f]")
# Casing is restored only in texts with at least this many letters, of which at most this share
# is in the minority case: a headline in capitals or an acronym-heavy line is not "all caps".
# Ordinary prose has capitals at sentence starts and names only: 1.7 % of the letters of a
# French news paragraph, 2-5 % of English ones (the seed: 3.9 %), so "all lower case" must be far
# below that; lower-case letters in capitals text are rarer still (units: "km", "mm").
MIN_LETTERS = 200
MINORITY_CASE = 0.02
MINORITY_CAPITALS = 0.003
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|^\W+)([^\W\d_])", re.M)


def _sentence_case(text: str) -> str:
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text.lower())


# One-word names that are also common English words (KB aliases such as "Hope", "Shield",
# "Storm") are not re-capitalised: at this Zipf frequency (wordfreq; "attack" 5.09, "hope" 5.44,
# "hamas" 3.63, "hezbollah" 3.27) a lower-case word is the word far more often than the name.
# Country names and demonyms are always names ("chad", "jordan" included). Entities recovered from all-caps text (nlp mentions, text and label,
# of the original text found again): the seed 0.52 with sentence case alone -> 0.91 with these
# names (precision 1.0 both); 15 long dev extraction pages (every 8th, not news of the KB's
# kind) 0.399 -> 0.429, precision 0.851 -> 0.820 (each text upper-cased, cleaned, run through
# nlp.Analyzer with the shipped KB; mentions compared as (case-folded text, label) sets).
COMMON_WORD = 4.0
# Acronyms of four letters or more are rarer as words: "nato" is at 4.01, "care" (the NGO CARE)
# at 5.56, "hope" 5.44.
COMMON_ACRONYM = 4.5
_NAME_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def known_names() -> dict[str, str]:
    """Case-folded name -> its written form: every entity name and alias of the shipped knowledge
    base that has a capital letter, and the demonyms of kb/data/countries.yaml."""
    from wordfreq import zipf_frequency

    from ..kb import KnowledgeBase
    from ..kb.base import DATA_DIR, read_yaml

    forms: dict[str, str] = {}
    states: set[str] = set()
    acronyms: set[str] = set()
    for e in KnowledgeBase.load().entities():
        for name in (e.name, *e.aliases):
            if name != name.lower() and len(name) >= 3:
                forms.setdefault(name.casefold(), name)
                if e.kind == "state":
                    states.add(name.casefold())
                if name.isupper() and len(name) >= 4:
                    acronyms.add(name.casefold())
    for f in (read_yaml(DATA_DIR / "countries.yaml") or {}).values():
        for d in [*f.get("dem", []), *f.get("nouns", [])]:
            forms.setdefault(d.casefold(), d)
            states.add(d.casefold())
    return {k: v for k, v in forms.items()
            if " " in k or k in states
            or zipf_frequency(k, "en") < (COMMON_ACRONYM if k in acronyms else COMMON_WORD)}


def restore_names(text: str) -> str:
    """``text`` (sentence-cased) with the longest known name at each word written as the
    knowledge base writes it (names broken over a line are left alone)."""
    names = known_names()
    longest = max((k.count(" ") + 1 for k in names), default=1)
    words = list(_NAME_WORD.finditer(text))
    out: list[str] = []
    pos = k = 0
    while k < len(words):
        step = 1
        for n in range(min(longest, len(words) - k), 0, -1):
            a, b = words[k].start(), words[k + n - 1].end()
            span = text[a:b]
            form = names.get(span.casefold())
            if form is not None and " ".join(span.split()) == span:
                if form != span:
                    out += [text[pos:a], form]
                    pos = b
                step = n
                break
        k += step
    out.append(text[pos:])
    return "".join(out)


def casing(text: str) -> str | None:
    """``"upper"`` or ``"lower"`` for a text written all in one case, else None."""
    sample = text[:10_000]  # (a dump in one case is so from its first lines)
    upper = sum(map(str.isupper, sample))
    letters = upper + sum(map(str.islower, sample))  # cased letters only (not Arabic, CJK)
    if letters < MIN_LETTERS:
        return None
    if upper <= MINORITY_CAPITALS * letters:
        return "lower"
    if upper >= (1 - MINORITY_CASE) * letters:
        return "upper"
    return None


def repair(text: str, *, restore_case: bool = True) -> tuple[str, list[str]]:
    """The repaired text and a note per repair made."""
    notes: list[str] = []
    if _MOJIBAKE.search(text):
        import ftfy

        fixed = ftfy.fix_text(
            text,
            unescape_html=False,
            uncurl_quotes=False,
            fix_line_breaks=False,
            fix_character_width=False,
            fix_latin_ligatures=False,
            normalization=None,
        )
        if fixed != text:
            notes.append("mojibake repaired (ftfy)")
            text = fixed
    n = len(_CONTROL.findall(text))
    if n:
        text = _CONTROL.sub("", text)
        notes.append(f"{n} control character{'s' * (n > 1)} removed")
    if restore_case and (case := casing(text)):
        text = restore_names(_sentence_case(text))
        notes.append(f"text was all {'capitals' if case == 'upper' else 'lower case'}: sentence case restored, "
                     "names the knowledge base knows re-capitalised (other names stay lower case: fewer "
                     "entities are found)")
    return text, notes


__all__ = ["repair", "casing"]
