"""Name keys for gazetteer look-ups: diacritics folded, transliteration variants collapsed.

Two keys per name:

- :func:`fold` — exact look-up key: transliterated to ASCII (Unidecode, so ``Rafaḩ`` → ``rafah``,
  ``Ālbū Kamāl`` → ``albu kamal``), lower-cased, apostrophes and ayn/hamza marks dropped
  (``Ma'rib`` → ``marib``), every other non-alphanumeric run a single space
  (``Deir ez-Zor`` → ``deir ez zor``).
- :func:`skeleton` — a looser key for the spelling variants Arabic, Persian and Slavic names
  get in English news: the article particle dropped (``al``/``el``/``ez``/``az``/``ash`` …) and
  each word reduced to its first letter plus its consonants (``Deir al-Zour``, ``Dayr az Zawr``
  and ``Deir ez-Zor`` all become ``dr zr``). It is lossy by design, so the geocoder uses it only
  for spans the NER already calls a place, and only when the exact key finds nothing.

Unidecode is the well-kept library for the transliteration; the particle and consonant rules are
ours because no library models English-press spellings of Arabic names.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_APOSTROPHES = re.compile(r"['’‘`´ʻʼʿʾ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

#: Romanised Arabic definite article forms (sun-letter assimilated ones included).
ARTICLES = frozenset(
    "al el il ul al- ez es ed et en er ash esh as az ad at an ar adh ath".split()
)
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLE = re.compile(r"(.)\1+")
_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"),
             ("ch", "k"), ("q", "k"), ("c", "k"), ("j", "g"), ("h", ""))


def fold(text: str) -> str:
    """Exact look-up key (see module docstring)."""
    t = unidecode(_APOSTROPHES.sub("", text)).lower()
    t = _APOSTROPHES.sub("", t)  # unidecode turns some marks into "'"
    return _NON_ALNUM.sub(" ", t).strip()


def _word_skeleton(word: str) -> str:
    if len(word) <= 2:
        return word
    head, rest = word[0], word[1:]
    for a, b in _DIGRAPHS:
        rest = rest.replace(a, b)
    rest = _VOWELS.sub("", rest)
    return _DOUBLE.sub(r"\1", head + rest)


def skeleton(text: str) -> str:
    """Loose variant key (see module docstring); empty when nothing distinctive is left."""
    words = fold(text).split()
    # fold() already split "al-Zour" into "al zour", so the article is a word of its own.
    kept = [w for w in words if w not in ARTICLES]
    if not kept:
        return ""
    return " ".join(_word_skeleton(w) for w in kept)


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is Latin script (others make noisy Unidecode keys)."""
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in name if ch.isalpha())
