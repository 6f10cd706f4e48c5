"""Name normalisation for alias matching, and surface variants for exact-match patterns.

Written by hand because no library folds the Arabic-transliteration variation this field has
("Kata'ib al-Imam Ali" / "Kataib Imam Ali" / "Katai'b al Imam 'Ali"): rapidfuzz scores strings
but does not know that "al-" is an article and an apostrophe a dropped 'ayn or hamza.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophe-like marks: ASCII and typographic quotes, modifier letters for 'ayn and hamza.
_APOS = dict.fromkeys(map(ord, "'’‘`´ʼʻʾʿ′"), None)
# Dashes and hyphens become spaces: "al-Nujaba" ~ "al Nujaba", "Shahed-136" ~ "Shahed 136".
_DASH = dict.fromkeys(map(ord, "-‐‑‒–—―_/"), " ")
# Arabic definite article in its assimilated transliterations ("ash-Sham", "ad-Dawla", "el-").
# Dropped only as a separate token, so "Alawite" or "Asaib" are untouched.
_ARTICLES = frozenset({"al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ul", "il"})
_LEADING = frozenset({"the"})
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"\w['’]s\b")


def _strip_marks(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Casefold, strip diacritics and punctuation, collapse spaces ("Bárbara" -> "barbara")."""
    t = text if text.isascii() else _strip_marks(text)
    t = t.translate(_APOS).translate(_DASH).casefold()
    t = t.replace("&", " and ")
    t = _NON_WORD.sub(" ", t)
    return _SPACE.sub(" ", t).strip()


def key(text: str) -> str:
    """The matching key of a name: :func:`fold`, then drop a leading "the" and Arabic articles.

    "The Kata'ib al-Imam Ali" and "Kataib Imam Ali" share the key "kataib imam ali". Articles are
    dropped only when they join another word (``al-``, ``ash-``) or stand alone as ``al``/``el``,
    so the English words "as", "at", "an" in "Ansar as ..." are kept unless hyphenated.
    """
    raw = (text if text.isascii() else _strip_marks(text)).translate(_APOS)
    # Mark hyphen-joined Arabic articles before hyphens become spaces.
    raw = re.sub(r"(?i)\b(al|el|ad|adh|an|ar|as|ash|at|ath|az|ul)[-‐‑–]", " ", raw)
    words = fold(raw).split()
    while words and words[0] in _LEADING and len(words) > 1:
        words = words[1:]
    kept = [w for w in words if w not in ("al", "el")]
    return " ".join(kept or words)


def surface_variants(alias: str) -> list[str]:
    """Spellings of ``alias`` an exact (case-sensitive) phrase matcher should also know.

    Texts write "Syrian army" and "Syrian Army", "Kata'ib" and "Kataib", "al-Nujaba" and
    "Al-Nujaba": each alias yields itself, an apostrophe-free form, a capitalised-articles form and a
    title-cased / lower-cased form of its ordinary words. Acronyms and mixed-case words keep their
    case. The alias itself comes first.
    """
    out = [alias]

    def add(v: str) -> None:
        v = _SPACE.sub(" ", v).strip()
        if v and v not in out:
            out.append(v)

    if not _POSSESSIVE.search(alias):  # "Israel's" keeps its apostrophe ("Israels" is no spelling)
        add(alias.translate(_APOS))
    add(re.sub(r"\bal-", "Al-", alias))
    add(re.sub(r"\b[Aa]l-", "al ", alias))
    words = alias.split(" ")
    if len(words) > 1:
        add(" ".join(w.capitalize() if w in _ROLE_WORDS else w for w in words))
        if words[0].lower() not in _ROLE_WORDS:  # "Spanish defence ministry", not "Ministry of defence of X"
            add(" ".join([words[0]] + [w.lower() if w.lower() in _ROLE_WORDS else w for w in words[1:]]))
    return out


# Common nouns of institution names, written either way in news ("Defence Ministry" /
# "defence ministry"); only these change case, so proper names ("Imam Ali") never do.
_ROLE_WORDS = frozenset(
    """army armed forces force military ministry defence defense government navy air police guard
    troops regime authorities foreign interior affairs cabinet security national
    department office intelligence service services gendarmerie coast militia militias brigade
    brigades division corps battalion regiment fleet command special operations unit units
    presidency administration junta executive""".split()
)
