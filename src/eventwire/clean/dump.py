"""Split a naive text dump into articles and strip the page furniture around them.

A dump is what a naive scraper saves: every visible text block of one or more pages on its own
line (menus, share buttons, bylines, captions, related links, footers), sometimes several pages
run together. The steps, each a function below:

1. :func:`units` — lines (or, for hard-wrapped text, blank-line separated blocks) with features;
2. :func:`classify` — jusText-style classification of each unit (length, stop-word density,
   sentence punctuation, repetition in the file, widget tokens), revised by its neighbours;
3. :func:`segment` — runs of good units become content blocks; blocks close together form one
   article; a page boundary (a repeated headline, a long run of furniture before a new
   substantial block) starts another;
4. :func:`build` — per article: title (headline-like line just before the body, repeated lines
   preferred), captions with their credits, byline, date, body paragraphs.

jusText (Pomikálek 2011) classifies HTML blocks using link density and markup; a dump has
neither, so the rules here lean on what a line-per-block rendering still shows: lengths, runs
of short lines, sentence punctuation, stop words and lines that repeat across the file. Written
by hand because no library segments a *text* dump into several articles.
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .sections import Section, is_skip_link, sections

# ------------------------------------------------------------------------- tuned constants
# All "dev F1" figures below: mean body 4-gram F1 of split+clean over the 100 dev dumps built by
# eventwire.eval.dumps (measured one constant at a time around the final values).
# jusText's defaults (tuned by its author on CleanEval). Stop-word floor 0.25 → dev F1 0.810,
# 0.28 → 0.806, 0.30 → 0.815, 0.32 → 0.809: kept at jusText's value.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
# Sentence-final prose lines this long count as good even under LENGTH_HIGH. Dev F1: 70 → 0.818,
# 85 → 0.816, 100 → 0.815, 120 → 0.805, 150 → 0.796 (short news paragraphs lost); the middle of
# the plateau is taken.
SENTENCE_GOOD = 85
# News sentences dense with names ("St. Louis Park Mayor Jake Spano did not seek reelection")
# fall under jusText's stop-word floor; whole sentences above this density are left to their
# neighbours instead of being rejected outright. Dev F1 flat from 0.10 to 0.25 (0.814-0.817).
NAMES_STOPWORDS = 0.15


@lru_cache(maxsize=1)
def stoplist(language: str = "en") -> frozenset[str] | None:
    """jusText's stop list for an ISO 639-1 code, or None when jusText has none (Chinese,
    Japanese, Thai...: no spaces between words, stop-word density means nothing there)."""
    import justext

    if language == "en":
        return frozenset(justext.get_stoplist("English"))
    import pycountry

    lang = pycountry.languages.get(alpha_2=language)
    name = lang.name.split(";")[0].strip() if lang else ""
    try:
        return frozenset(justext.get_stoplist(name)) if name else None
    except ValueError:  # jusText has no list for it
        return None


# A section whose long lines hold fewer English stop words than this is not in English (English
# prose: 0.35-0.5; the dev renderings' long lines, menus included: all above 0.25 but 2 pages
# that are not English). Its language is then detected (py3langid, trafilatura's detector) and
# its stop words taken from jusText's list for it.
ENGLISH_STOPWORDS = 0.2


def language(lines: list[str]) -> str:
    """ISO 639-1 code of the text of ``lines`` (``"en"`` unless it is clearly something else)."""
    long = [ln for ln in lines if len(ln) >= 40][:40]
    if not long:
        return "en"
    stops = stoplist("en") or frozenset()
    toks = [t.lower() for ln in long for t in _WORD.findall(ln)]
    if toks and sum(t in stops for t in toks) >= ENGLISH_STOPWORDS * len(toks):
        return "en"
    import py3langid

    code, _ = py3langid.classify(" ".join(long))
    return str(code)


# A stretch of this many long lines in a row under ENGLISH_STOPWORDS, inside an English section,
# is a page in another language run together with English ones (a naive rendering of pages of
# several sites): its language's stop words are counted too (:func:`other_language`), and each
# article found is labelled with its own language. Dev renderings, every kind, even-numbered
# files: unchanged for 3, 5 or 8 (no English page has such a run); odd-numbered files, count /
# F1 without -> with: line .80/.818 -> .82/.826, every_tag .74/.758 -> .76/.767, menus_last
# .66/.758 -> .68/.766, menus_first .70/.768 -> .72/.776, shuffled .825/.801 -> .85/.812
# (the Hungarian page of dump050 was lost as "few stop words").
OTHER_LANGUAGE_LINES = 5


def other_language(us: list[Unit], lang: str) -> str | None:
    """The language of a run of OTHER_LANGUAGE_LINES long units or more (``units`` of an English
    section) whose English stop-word density is under ENGLISH_STOPWORDS, when it is not English
    and has a stop list; else None. (Units already hold the density: no second pass over words.)"""
    if lang != "en":
        return None
    run: list[str] = []
    best: list[str] = []
    for u in us:
        if u.chars < 40:
            continue
        if u.words and u.stop_density < ENGLISH_STOPWORDS:
            run.append(u.text)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    if len(best) < OTHER_LANGUAGE_LINES:
        return None
    import py3langid

    code, _ = py3langid.classify(" ".join(best[:40]))
    return str(code) if code != "en" and stoplist(str(code)) else None


# Zero-width and invisible format characters that scrapers leave in text; never content (an
# invisible separator after each step of a recipe hid its sentence ends: choice half, summed F1
# 7.809 -> 7.821, counts equal; the recipe page .72 -> .97 in line and every_tag renderings, .72 ->
# .33 in menus_first, where its steps, now text, come before its footer and take the article).
# Also removed from JSONL article text (clean_article).
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060-\u2064\u180e\ufeff\u00ad]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’)\]]*$|["”]$""")
_COPYRIGHT = re.compile(r"©|&copy|\(c\)\s*\d{4}|all rights reserved|copyright\s+(?:©\s*)?\d{4}", re.I)
_CREDIT = re.compile(
    r"""^(?P<text>.*?\S)\s*(?:
        \((?P<p>[^()]{2,60})\)                                   # ... (Reuters)
      | [|/–—-]\s*(?:photo|image|picture|credit|source)s?\s*:?\s*(?P<d>[^|]{2,60}) # ... | Photo: AP
      | (?:photo|image|picture|credit)s?\s*:\s*(?P<c>[^:]{2,60})  # ... Photo: AP
    )\s*$""",
    re.I | re.X,
)
_CREDIT_WORDS = re.compile(
    r"\b(?:photo|image|picture|credit|file|afp|ap|reuters|getty|epa|anadolu|xinhua|tasnim|"
    r"handout|courtesy|sana|irna|wana|via|shutterstock|istock|associated press)\b",
    re.I,
)
# Phrases of page chrome that no news paragraph holds (sharing, newsletter sign-up, affiliate
# notices); lines under 300 characters holding one are furniture. Kept narrow on purpose: a
# wider list (cookies, "terms and conditions", privacy policy) cut real paragraphs — the seed's
# "terms and conditions involving registration" among them — and lowered dev F1 by 0.005.
_BOILERPLATE = re.compile(
    r"\bnewsletters?\b.*\b(?:sign\s*up|subscribe|inbox)\b|\b(?:sign\s*up|subscribe)\b.*\bnewsletters?\b"
    r"|\bsign\s+me\s+up\b|\bclick\s+to\s+(?:share|print|email)\b|\bopens\s+in\s+(?:a\s+)?new\s+window\b"
    r"|\bshare\s+(?:on|via|to)\s+(?:facebook|twitter|pinterest|linkedin|whatsapp|reddit)\b"
    r"|\bfollow\s+us\s+on\s+(?:facebook|twitter|instagram)\b|\bwe\s+may\s+(?:earn|receive)\s+(?:a\s+)?(?:commission|compensation)\b"
    r"|" + (_COOKIES := (
        # Cookie-consent banners, in their own words only ("cookies" alone is also a recipe): 58
        # lines of the 165 dev pages' renderings, none of their reference bodies. Dev renderings,
        # even-numbered files (where it was judged): count unchanged on every kind, F1 line
        # .8426 -> .8435, menus_first +.0002, shuffled +.0005, others equal; odd-numbered files:
        # every_tag count .76 -> .78, menus_last .68/.7663 -> .66/.7656, menus_first F1 +.0005.
        r"\bwe\s+use\s+cookies\b|\buse\s+of\s+cookies\b|\bcookies?\s+(?:policy|settings|preferences|consent|notice)\b"
        r"|\baccept\s+(?:all\s+)?cookies\b|\bthis\s+(?:web)?site\s+uses\s+cookies\b")),
    re.I,
)
# A cookie banner runs longer than other chrome: lines under COOKIE_CHARS holding its words are
# furniture too (2 of the dev pages print one of 359 and 384 characters, taken as articles of
# their own where a section held nothing else). Choice half (as PROSE_RUN_UNITS), count / F1
# summed over its 9 sets: 300 (as other chrome) 8.228 / 7.821, 600 8.278 / 7.821.
COOKIE_CHARS = 600
_COOKIE = re.compile(_COOKIES, re.I)
# A photo credit on its own line ("Photograph by Jeremy Holden", "Credit...AP", "Photo by ev
# on Unsplash", "Image caption ..." markers).
_CREDIT_LINE = re.compile(
    r"^(?:(?:photo(?:graph)?|image|picture|video)s?\s+(?:by|credit|courtesy)\b|credits?\s*(?:[:.…]|by\b)"
    r"|(?:photo|image|picture)\s*:\s*\S.{0,60}$|getty\s+images$|source\s*:)",
    re.I,
)
_CAPTION_PREFIX = re.compile(r"^(?:image\s+caption|caption|photo|picture|image)\s*[:.…]+\s*|^image\s+caption\s+", re.I)
# Teaser text cut short ("... more", "Read more", "Continue reading"): a link, not a headline.
_TEASER_END = re.compile(r"(?:\.\.\.|…)\s*(?:\S+\s*)?$|\b(?:read|see)\s+more\W*$|\bcontinue\s+reading\W*$", re.I)
# Two sentences on one line ("...use this site. If you're..."): prose, never a headline.
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?]\s+[A-Z]")
_BYLINE = re.compile(r"^(?:by|written by|posted by|reporting by)\s+\S.{0,80}$", re.I)


@dataclass
class Unit:
    """One block of the dump (a line, or a blank-line separated block of a wrapped text)."""

    text: str
    index: int
    words: int = 0
    stop_density: float = 0.0
    count: int = 1  # occurrences of this text in the whole dump
    sentence: bool = False  # ends like a sentence
    cf_class: str = "bad"  # context-free class: good, neargood, short, bad
    cls: str = "bad"  # after context revision
    reason: str = ""
    key: str = ""  # normalised text, for repeats
    content: Counter[str] = field(default_factory=Counter)  # content words (no stop words)
    lines: list[int] = field(default_factory=list)  # indices of the input lines it was made of

    @property
    def chars(self) -> int:
        return len(self.text)


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _wrapped(lines: list[str]) -> bool:
    """True for hard-wrapped text (e-mail, fixed-width dumps): paragraphs separated by blank
    lines, and most long lines broken near one width before a sentence ends."""
    if not any(not ln.strip() for ln in lines):
        return False
    cont = [
        len(ln.rstrip())
        for i, ln in enumerate(lines[:-1])
        if len(ln.strip()) >= 40 and lines[i + 1].strip() and not _SENTENCE_END.search(ln.rstrip())
    ]
    long_lines = sum(1 for ln in lines if len(ln.strip()) >= 40)
    if len(cont) < 4 or len(cont) < 0.5 * long_lines:
        return False
    # A wrap width: continued lines within 15 % of their median length (72-column mail: all of
    # them; a line-per-block rendering: lengths spread from 40 to 1000+).
    cont.sort()
    med = cont[len(cont) // 2]
    return sum(abs(n - med) <= 0.15 * med for n in cont) >= 0.7 * len(cont)


# A line this long that stops mid-sentence, followed by one starting in lower case or with
# punctuation, is a paragraph broken by <br>, a fixed width or inline markup (blog posts,
# mailing-list archives, scrapers that break at every tag); shorter lines that do so are mostly
# menu items. Rejoining at 40 raised dev count accuracy 0.87 → 0.88 and F1 0.810 → 0.815.
# Minimum length, dev F1 on line-per-block dumps / on dumps broken at every tag
# (render.html_to_lines(every_tag=True)): 40 → 0.816 / 0.773, 20 → 0.816 / 0.776,
# 10 → 0.810 / 0.780, 1 → 0.814 / 0.788.
REJOIN_MIN = 20
# A line of any length ending with a word no phrase ends with (``_open``: "Managing your", "The")
# is rejoined with the next one too: renderings broken at every tag put inline code and links
# on lines of their own. Choice half (as PROSE_RUN_UNITS), F1 without -> with: every_tag
# .8584 -> .8637, m_every_tag .8260 -> .8322, the other kinds within 0.0002 (a code-heavy post
# .63 -> .82), counts unchanged; summed 7.7315 -> 7.7422.
REJOIN_OPEN = True
# A short line (a link's text: "RTX 3080", "Supreme Court") between a line of prose that stops
# mid-sentence and lines that go on with it in lower case is an inline link rendered on a line
# of its own (a renderer that breaks at every element): the lines are one paragraph ("... the
# company's flagship" / "RTX 3080" / "card" / "sold out" / "instantly when it launched on
# September 17. The"). Words of the link at most LINK_WORDS; the line before holds
# LINK_PROSE_WORDS words or more (a byline or a date over a lower-case share menu, "By Matthew
# Humphries" / "February 7, 2020" / "facebook", is not prose); within LINK_CHAIN lines the
# continuation reaches prose (LINK_PROSE_WORDS words or a full stop; a comment's last line over
# a user name and a date does not). Choice half (even files + multi-page sets), count / F1
# summed over its 9 sets: without 8.328 / 7.8322; with 8.328 / 7.8483 (every_tag .871 -> .879,
# m_every_tag .839 -> .847, the other sets unchanged: no link-join in the line-per-block
# renderings of the choice half, 70 in its every_tag files, all within a sentence). Link words
# 3 / 4 / 5 / 6: 7.8423 / 7.8483 / 7.8457 / 7.8495; prose words 5 / 8 / 12: 7.8756 (count
# 8.375: a headline glued to its author's name, which happened to split a page run into the one
# before; not taken) / 7.8483 / 7.8450; chain 2 / 3 / 5 / 8: 7.8463 / 7.8468 / 7.8483 / 7.8483.
LINK_WORDS = 4
LINK_PROSE_WORDS = 8
LINK_CHAIN = 5


@lru_cache(maxsize=1)
def open_endings() -> frozenset[str]:
    """Words no phrase ends with (``clean/data/open_endings.yaml``)."""
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "data" / "open_endings.yaml").read_text(encoding="utf-8"))
    return frozenset(w.casefold() for words in data.values() for w in words)


def _open(line: str) -> bool:
    """A line ending with a word no phrase ends with ("Managing your", "install it with"): the
    rest of its sentence is on the next line (inline code or a link rendered on a line of its own)."""
    return line[line.rfind(" ") + 1 :].casefold() in open_endings()


def _continues(ln: str) -> bool:
    """A line that goes on with the sentence of the line before (lower case, punctuation)."""
    return bool(ln) and (ln[0].islower() or ln[0] in ",.;:)!?")


_FULL_STOP = re.compile(r"[.!?][\"'”’)\]]*(?:\s|$)")


def _prose_follows(lines: list[tuple[str, list[int]]], k: int) -> bool:
    """Lines from ``k`` go on with a sentence (start in lower case or with punctuation) and,
    within LINK_CHAIN of them, reach prose: a line of LINK_PROSE_WORDS words or a full stop
    (not a user name, a date or an e-mail address under a comment's last line)."""
    for ln, _ in lines[k : k + LINK_CHAIN]:
        if not _continues(ln):
            return False
        if len(ln.split()) >= LINK_PROSE_WORDS or _FULL_STOP.search(ln):
            return True
    return False


def _rejoin(lines: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    for k, (ln, idx) in enumerate(lines):
        prev = out[-1][0] if out else ""
        if ln and prev and not _SENTENCE_END.search(prev) and (
            (len(prev) >= REJOIN_MIN and (_continues(ln) or prev.endswith((",", "-", "—", "–"))))
            or (REJOIN_OPEN and _open(prev))
            or (LINK_WORDS and len(prev.split()) >= LINK_PROSE_WORDS and len(ln.split()) <= LINK_WORDS
                and not _SENTENCE_END.search(ln) and _prose_follows(lines, k + 1))
        ):
            out[-1] = (out[-1][0] + " " + ln, out[-1][1] + idx)
        else:
            out.append((ln, idx))
    return out


Line = tuple[int, str]  # (index of the line in the input, its text)


def units(text: str | list[Line], lang: str = "en", also: str | None = None) -> list[Unit]:
    """Units of a dump (``text``) or of a stretch of its lines (``(index, text)`` pairs), each
    knowing the input lines it was made of; stop words of language ``lang`` (and of ``also``)."""
    numbered = list(enumerate(text.splitlines())) if isinstance(text, str) else text
    lines = [ln for _, ln in numbered]
    blocks: list[tuple[str, list[int]]]
    if _wrapped(lines):
        blocks = []
        cur: list[tuple[int, str]] = []
        for n, ln in [*numbered, (-1, "")]:
            if ln.strip():
                cur.append((n, ln))
            elif cur:
                blocks.append((" ".join(INVISIBLE.sub("", " ".join(x for _, x in cur)).split()), [m for m, _ in cur]))
                cur = []
    else:
        # Blank lines stay in (as empty units, dropped below) so that no line is rejoined
        # across them.
        blocks = _rejoin([(" ".join(INVISIBLE.sub("", ln).split()), [n]) for n, ln in numbered])
    out = [Unit(b, 0, lines=idx) for b, idx in blocks if b]
    for i, u in enumerate(out):
        u.index = i
    for u in out:
        u.key = norm(u.text)
    counts = Counter(u.key for u in out)
    stops = stoplist(lang)
    if also and stops is not None:
        stops = stops | (stoplist(also) or frozenset())
    for u in out:
        toks = [t.lower() for t in _WORD.findall(u.text)]
        u.words = len(toks)
        if stops is None:
            # No stop list (a script without spaces): long lines are judged by length alone.
            u.stop_density = STOPWORDS_HIGH if u.chars >= LENGTH_LOW else 0.0
            u.content = Counter(t for t in toks if len(t) > 2)
        else:
            n_stop = sum(t in stops for t in toks)
            u.stop_density = n_stop / len(toks) if toks else 0.0
            u.content = Counter(t for t in toks if t not in stops and len(t) > 2)
        u.count = counts[u.key]
        u.sentence = bool(_SENTENCE_END.search(u.text))
    return out


# ------------------------------------------------------------------------- classification
def _cf_class(u: Unit) -> tuple[str, str]:
    if len(_LETTER.findall(u.text)) < 2 or u.words < 1:
        return "bad", "widget"
    if _COPYRIGHT.search(u.text):
        return "bad", "copyright"
    if u.chars < 300 and (_BOILERPLATE.search(u.text) or _CREDIT_LINE.match(u.text)):
        return "bad", "boilerplate"
    if u.chars < COOKIE_CHARS and _COOKIE.search(u.text):
        return "bad", "boilerplate"
    if u.count > 1:
        # Menus, headlines, captions and footers repeat. (Judging repeated whole sentences like
        # any other line, to keep leads printed twice, lowered dev body F1 0.800 → 0.786: the
        # teaser copy above the page then anchors a block of its own.)
        return "bad", "repeated"
    if u.chars < LENGTH_LOW:
        return "short", "short"
    if u.stop_density >= STOPWORDS_HIGH:
        cls = "good" if u.chars > LENGTH_HIGH else "neargood"
    elif u.stop_density >= STOPWORDS_LOW:
        cls = "neargood"
    else:
        if u.sentence and u.stop_density >= NAMES_STOPWORDS:
            return "short", "names"
        return "bad", "few stop words"
    if cls == "neargood" and u.sentence and u.chars >= SENTENCE_GOOD and u.text[-1] not in ":;":
        # A whole sentence of plain prose: in a line-per-block dump this is a body paragraph far
        # more often than not (news paragraphs are one or two sentences, mostly under 200 chars).
        cls = "good"
    if not u.sentence and cls == "good" and u.chars < 2 * LENGTH_HIGH:
        # A long line that does not end like a sentence is a teaser or a list of links more
        # often than a paragraph.
        cls = "neargood"
    return cls, "text"


# Runs of short lines read as text (:func:`_prose_runs`): at least PROSE_RUN_UNITS sentence lines,
# at most PROSE_RUN_BREAK other units in a row between two of them, the run's words at least
# STOPWORDS_LOW stop words. Chosen on the choice half (even-numbered dev renderings of every kind
# + the multi-page sets of eval.halves), count / body F1 summed over its 9 sets: without 7.975 /
# 7.562; a first version (maximal runs of short units, 60 % of them sentences) 8.125 / 7.721 (a
# 317-joke page 0.04 -> 0.90 in every kind); this one, units / breaks: 5/2 8.180 / 7.766, 6/2
# 8.228 / 7.799, 8/2 8.228 / 7.809, 10/2 8.225 / 7.801, 8/1 8.125 / 7.773, 8/3 8.228 / 7.804,
# 10/3 8.228 / 7.816 (on top of the other changes of this commit; 8/2 is the middle of the plateau).
# What it costs: a team page's staff quotes ("Critical thinking is a spark!") become body.
PROSE_RUN_UNITS = 8
PROSE_RUN_BREAK = 2


def _neighbours(us: list[Unit], step: int, ignore_neargood: bool) -> list[str]:
    """For each unit, the class of the nearest unit in direction ``step`` that is good or bad
    (or near-good unless ignored); ``bad`` past the ends. One linear pass (jusText's loop is
    quadratic on long runs of short lines)."""
    out = ["bad"] * len(us)
    last = "bad"
    order = range(len(us)) if step > 0 else range(len(us) - 1, -1, -1)
    for i in order:
        out[i] = last
        c = us[i].cls
        if c in ("good", "bad") or (c == "neargood" and not ignore_neargood):
            last = c
    return out


def _prose_runs(us: list[Unit]) -> None:
    """Runs of short lines that read as text -- jokes and their answers, a Q&A, a recipe's steps,
    list items written as sentences -- are good, not menus. A run: PROSE_RUN_UNITS or more short
    or near-good units that end like a sentence, with at most PROSE_RUN_BREAK other units in a
    row between two of them (a "-- Joe, age 10" credit, a step's number; symbol lines are not
    counted), whose words hold stop words like prose. Menus, tag lists and teaser headlines do
    not end like sentences; jusText's context rule would drop the whole run as a menu (its
    neighbours are bad)."""
    run: list[Unit] = []
    other = 0

    def close() -> None:
        words = sum(u.words for u in run)
        stops = sum(u.stop_density * u.words for u in run)
        if len(run) >= PROSE_RUN_UNITS and words and stops >= STOPWORDS_LOW * words:
            for u in run:
                u.cf_class, u.reason = "good", "prose run"

    for u in us:
        if u.cf_class in ("short", "neargood") and u.sentence:
            run.append(u)
            other = 0
        elif u.reason != "widget" and u.cf_class != "good":
            other += 1
            if other > PROSE_RUN_BREAK:
                close()
                run = []
    close()


def classify(us: list[Unit]) -> None:
    """jusText's context-free classification, then its context revision (short and near-good
    units take the class of their good/bad neighbours)."""
    for u in us:
        u.cf_class, u.reason = _cf_class(u)
        u.cls = u.cf_class
    if PROSE_RUN_UNITS:
        _prose_runs(us)
        for u in us:
            u.cls = u.cf_class
    prev_gb, next_gb = _neighbours(us, -1, True), _neighbours(us, 1, True)
    prev_any, next_any = _neighbours(us, -1, False), _neighbours(us, 1, False)
    new = {}
    for i, u in enumerate(us):
        if u.cls != "short":
            continue
        prev, nxt = prev_gb[i], next_gb[i]
        if prev == "good" and nxt == "good":
            new[i] = "good"
        elif prev == "bad" and nxt == "bad":
            new[i] = "bad"
        elif (prev == "bad" and prev_any[i] == "neargood") or (nxt == "bad" and next_any[i] == "neargood"):
            new[i] = "good"
        else:
            new[i] = "bad"
    for i, c in new.items():
        us[i].cls = c
    prev_gb, next_gb = _neighbours(us, -1, True), _neighbours(us, 1, True)
    for i, u in enumerate(us):
        if u.cls == "neargood":
            u.cls = "bad" if (prev_gb[i], next_gb[i]) == ("bad", "bad") else "good"


# ------------------------------------------------------------------------- segmentation
# Furniture lines tolerated inside one content block (ads, "Read more", an image caption).
# Dev F1: 2 → 0.811, 3 → 0.809, 4 → 0.815, 6 → 0.815, 8 → 0.814.
MAX_GAP = 4
# A block must hold this many characters of good text to anchor an article; smaller blocks are
# attached to a near article or dropped. Dev (count accuracy, F1): 200 → (0.85, 0.817),
# 300 → (0.87, 0.815), 400 → (0.86, 0.815), 500 → (0.85, 0.811).
MIN_ARTICLE_CHARS = 300
# Furniture lines between two anchors beyond which they may be separate pages: a page footer
# plus the next page's header (grid plateau 25-30 lines; page joins in the dev dumps are ≥ 19).
PAGE_GAP = 25


@dataclass
class Block:
    start: int  # unit index of the first good unit
    end: int  # unit index of the last good unit (inclusive)
    chars: int = 0


@dataclass
class Segment:
    blocks: list[Block] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end

    @property
    def chars(self) -> int:
        return sum(b.chars for b in self.blocks)


# What a site's footer says and a photo credit ("© Getty Images", "© Reuters") does not: a year
# or "all rights reserved" (an msn page prints "© Getty Images" over each photo of its body;
# its line and every_tag renderings lost body F1 .904 -> .424 to it as a footer).
_FOOTER_MARK = re.compile(r"\b(?:19|20)\d\d\b|rights\s+reserved", re.I)


def footer(u: Unit) -> bool:
    """A page's copyright footer ("© 2020 Strangemachines", "Copyright 2019 KnowTechie"): a
    short copyright line (a book's or a photo's credit inside a paragraph runs longer)."""
    return (u.reason == "copyright" and u.chars <= FOOTER_CHARS and bool(_FOOTER_MARK.search(u.text))
            and not _CREDIT_WORDS.search(u.text))


def _blocks(us: list[Unit]) -> list[Block]:
    out: list[Block] = []
    last_footer = -1  # a block never runs across a page's footer
    gap = 0  # furniture units since the last good one (symbol-only fragments not counted)
    for u in us:
        if u.cls != "good":
            if footer(u):
                last_footer = u.index
            # (symbol fragments -- "(", ",", ")" of code or markup broken at every tag -- are not
            # lines of furniture; counting them split code-heavy posts into blocks too small to
            # anchor. Choice set, summed body F1: even files 4.247 -> 4.256, multi-page sets
            # 3.294 -> 3.301, counts unchanged)
            gap += u.reason != "widget"
            continue
        g, gap = gap, 0
        if out and g <= MAX_GAP and last_footer < out[-1].end:
            out[-1].end = u.index
            out[-1].chars += u.chars
        else:
            out.append(Block(u.index, u.index, u.chars))
    return out


def _headline_repeat(us: list[Unit], lo: int, hi: int) -> bool:
    """A headline-like line occurring twice between units lo and hi: a page (re)starts there."""
    seen: set[str] = set()
    for u in us[lo:hi]:
        if u.count > 1 and _title_like(u):
            key = u.key
            if key in seen:
                return True
            seen.add(key)
    return False


# Page boundaries inside a section (pages of a naive rendering run together). Each signal's
# weight in PAGE_WEIGHTS is a logistic regression fit (scikit-learn, C=1) on the 644 pairs of
# neighbouring anchor blocks (same page / new page / furniture, from the pages' line ranges) of
# the choice set: the even-numbered dev renderings of every kind (dump001, dump003, ...) and 80
# multi-page dumps built from the pages of the even-numbered line files (2-3 a file, seeded,
# line / every_tag / menus_last / menus_first; the even files of 4 kinds hold one page each, so
# they alone cannot show a page boundary). A new page when the weighted sum reaches
# PAGE_THRESHOLD (the fit's intercept: probability 0.5). Pair accuracy 0.950 on the pairs it was fit
# on, 0.941 on those the final code makes (the rule it
# replaces, a conjunction of the same signals: 0.896 on the pairs it made). Choice set, count
# accuracy / body F1 summed over the 5 kinds' even files and over the 4 multi-page sets, before
# -> after the scored decision (with FOOTER and OWN_TITLE below): 4.589/4.150 -> 4.738/4.214,
# 2.601/3.039 -> 3.197/3.263.
# Share of a headline's content words found in the lead of the block under it (0.2-0.3 alike).
MIN_TITLE_OVERLAP = 0.2
# A repeated headline (seed: headline printed twice) overlapping its lead this much.
STRONG_TITLE = 0.5
# Cosine similarity of content words under which two blocks are different stories: new pages
# scored ≤ 0.17 against the previous article, continued articles mostly ≥ 0.2; under
# OTHER_TOPIC unrelated (flat 0.05-0.15).
SAME_TOPIC = 0.2
OTHER_TOPIC = 0.1
# A block after a footer needs this much good text to be taken for the page's article
# (plateau 800-1000; furniture blocks are mostly smaller). A far block on another story needs
# only to be an anchor bigger than the article so far (choice set, requiring 800 / 500 / 300
# chars there: summed count unchanged, body F1 of the even files 4.256 / 4.261 / 4.261, of the
# multi-page sets 3.301 alike; a 770-character story page after a cookie notice was lost at 800).
MIN_PAGE_CHARS = 800
# A copyright line at most this long is a page's footer: 28 of the 50 pages of the even-numbered
# line files print one of 120 chars or less, 24 of them in the page's last 10 lines (the footer
# moves to the top in menus_first, still between two pages); a book excerpt's credit inside a
# body runs to 200+. A block never runs across one.
FOOTER_CHARS = 120
# Signals (page_evidence): gap > PAGE_GAP; a footer between the blocks; a headline above the new
# block sharing MIN_TITLE_OVERLAP of its words with its lead; that headline repeated (STRONG_TITLE);
# a byline or date under it; similarity < SAME_TOPIC, < OTHER_TOPIC; log of the block's and of
# the article-so-far's good text / MIN_ARTICLE_CHARS.
PAGE_WEIGHTS = {"far": 3.12, "footer": 1.28, "title": 0.59, "repeated_title": 1.13, "head": 1.3,
                "new_topic": 1.97, "other_topic": 2.61, "size": 1.47, "size_before": 0.77}
PAGE_THRESHOLD = 12.31
# A far block on another story that is bigger than the whole article so far, short of page
# evidence, is the page's article and what came before it furniture (an author bio, an
# advertising notice) -- unless a headline above that shares this share of its words with its
# lead (then it was a small page of its own). Choice set (as above), count summed over the even
# files / over the multi-page sets: 0.5 -> 4.767 / 2.991, 0.7 -> 4.807 / 3.091, 0.8 -> 4.807 /
# 3.044 (the furniture had 0-0.67: a blog's name over its author's bio; small pages 0.75-1).
OWN_TITLE = 0.7
# ... and so is a block after a footer this many times bigger than the article so far: in
# renderings with the menus first, the footer and a sidebar notice ("Rutgers is an equal
# opportunity institution", "PCMag editors select ...") come before the page's article. Choice
# set, summed count / F1 of the even files: without 4.798 / 4.212, 2 and 3: 4.778 / 4.247, 5:
# 4.778 / 4.232 (multi-page sets unchanged); a teaser list 1.85 times the article after its
# footer stays furniture.
FOOTER_BIGGER = 3


def _vector(us: list[Unit], lo: int, hi: int) -> Counter[str]:
    c: Counter[str] = Counter()
    for u in us[lo : hi + 1]:
        if u.cls == "good":
            c.update(u.content)
    return c


def _similarity(us: list[Unit], seg: Segment, b: Block, a: Counter[str] | None = None) -> float:
    """Cosine similarity of the content words of an article so far (``a``, when the caller keeps
    it up to date) and of a new block."""
    if a is None:
        a = _vector(us, seg.start, seg.end)
    v = _vector(us, b.start, b.end)
    dot = sum(n * v[w] for w, n in a.items() if w in v)
    na = sum(n * n for n in a.values()) ** 0.5
    nv = sum(n * n for n in v.values()) ** 0.5
    return dot / (na * nv) if na and nv else 0.0


def _gap(us: list[Unit], a: int, b: int) -> int:
    """Furniture units between units ``a`` and ``b`` as :func:`_blocks` counts them: symbol-only
    fragments (the ``(`` ``,`` ``)`` of code or markup broken at every tag) are not lines of
    furniture (with GAP_SYMBOLS false)."""
    if GAP_SYMBOLS:
        return b - a - 1
    return sum(u.reason != "widget" for u in us[a + 1 : b])


# Counting symbol fragments in the page gap (as before) or not: choice half (as PROSE_RUN_UNITS),
# F1 every_tag .8529 -> .8584, m_every_tag .8205 -> .8260 (a code post broken at every tag was
# cut at its first code listing, "far" from the rest: .50 -> .77), other sets and counts equal.
GAP_SYMBOLS = False


def page_evidence(us: list[Unit], prev: Segment, b: Block, vec: Counter[str]) -> tuple[dict[str, float], float]:
    """The signals that anchor block ``b`` starts a new page rather than continuing ``prev``
    (whose content words are ``vec``), as weighed by :data:`PAGE_WEIGHTS`; and the blocks'
    similarity."""
    gap = _gap(us, prev.end, b.start)
    found = _title(us, prev.end + 1, b.start, b.end)
    t = found[1] if found else 0.0
    sim = _similarity(us, prev, b, vec)
    head = found is not None and any(
        _BYLINE.match(u.text) or parse_date(u.text) for u in us[found[0] + 1 : found[0] + 4])
    return {
        "far": float(gap > PAGE_GAP),
        "footer": float(any(footer(u) for u in us[prev.end + 1 : b.start])),
        "title": float(t >= MIN_TITLE_OVERLAP),
        "repeated_title": float(t >= STRONG_TITLE and _headline_repeat(us, prev.end + 1, b.start)),
        "head": float(head),
        "new_topic": float(sim < SAME_TOPIC),
        "other_topic": float(sim < OTHER_TOPIC),
        "size": math.log(b.chars / MIN_ARTICLE_CHARS),
        "size_before": math.log(max(prev.chars, MIN_ARTICLE_CHARS) / MIN_ARTICLE_CHARS),
    }, sim


def segment(us: list[Unit]) -> list[Segment]:
    blocks = _blocks(us)
    anchors = [b for b in blocks if b.chars >= MIN_ARTICLE_CHARS]
    if not anchors:
        # A short text (a brief, a two-paragraph item): its largest block of good text is the
        # article; a dump with no good text at all gives nothing.
        anchors = sorted(blocks, key=lambda b: -b.chars)[:1]
        if not anchors:
            return []
    segs: list[Segment] = [Segment([anchors[0]])]
    # Content words of the last article so far, kept up to date so that long dumps stay linear.
    vec = _vector(us, anchors[0].start, anchors[0].end)
    for b in anchors[1:]:
        prev = segs[-1]
        gap = _gap(us, prev.end, b.start)
        evidence, sim = page_evidence(us, prev, b, vec)
        if sum(w * evidence[k] for k, w in PAGE_WEIGHTS.items()) >= PAGE_THRESHOLD:
            segs.append(Segment([b]))  # a new page: a headline over a new body, a footer, far away
            vec = _vector(us, b.start, b.end)
        elif (gap > PAGE_GAP and sim < SAME_TOPIC and b.chars >= prev.chars) or (
                evidence["footer"] and b.chars >= max(MIN_PAGE_CHARS, FOOTER_BIGGER * prev.chars)):
            # A far block on another story, bigger than the whole article so far, with too little
            # page evidence of its own: the page's article, and what came before it furniture
            # (an author bio, an advertising notice at the top) -- unless a headline above that
            # shares most of its words with its lead (then it was a small page of its own).
            lo = segs[-2].end + 1 if len(segs) > 1 else 0
            own = _title(us, lo, prev.start, prev.end)
            if own is not None and own[1] >= OWN_TITLE:
                segs.append(Segment([b]))
            else:
                segs[-1] = Segment([b])
            vec = _vector(us, b.start, b.end)
        elif (gap <= PAGE_GAP or sim >= SAME_TOPIC) and not evidence["footer"]:
            vec.update(_vector(us, prev.end + 1, b.end))
            prev.blocks.append(b)  # same story, maybe after an interruption (table, gallery)
        # else: a block far from the article, on another topic and under no headline of its own
        # (cookie notice, comments, an author bio, a teaser list), or after the page's footer
        # (choice set: of the 25 anchor blocks after a footer that start no page, 2 are text of
        # the article before it; not attaching them, summed body F1 of the even files 4.214 ->
        # 4.212, of the multi-page sets 3.262 -> 3.294, counts unchanged): furniture.
    # Small blocks join the article they sit inside or right next to; others are furniture
    # (teasers, comment snippets, newsletter blurbs).
    for b in blocks:
        if b.chars >= MIN_ARTICLE_CHARS:
            continue
        for s in segs:
            if s.start <= b.start <= s.end or 0 <= s.start - b.end - 1 <= MAX_GAP or 0 <= b.start - s.end - 1 <= MAX_GAP:
                s.blocks.append(b)
                s.blocks.sort(key=lambda x: x.start)
                break
    for s in segs:
        _truncate(us, s)
    return segs


# Headings that end an article's text in page templates: what follows them is related links,
# comments or sign-up boxes. Matched on short lines only; "Advertisement" and "Read more" are
# left out because they also sit inside bodies.
_END_MARKER = re.compile(
    r"^(?:related(?:\s+(?:content|articles?|stories|posts|news|coverage|topics|videos|links|reading))?"
    r"|more\s+(?:\w+\s+){0,3}?(?:stories|articles|news|posts|videos|headlines|reads)"
    r"|more\s+(?:from|on|in|about|like\s+this|to\s+explore)\b.*|recent\s+(?:posts|articles|stories)"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)"
    r"|recommended(?:\s+(?:for\s+you|stories|reading|articles))?|\w+\s+recommends"
    r"|(?:leave|post|add|write)\s+a\s+(?:comment|reply|response)|comments?|\d+\s+(?:comments?|responses?)"
    r"|(?:join|view|show|read)\s+(?:the\s+)?(?:\d+\s+)?comments|discussion"
    r"|(?:most\s+(?:read|popular|viewed|shared))|trending(?:\s+now|\s+stories)?|popular\s+(?:stories|posts|now)"
    r"|latest\s+(?:news|stories|posts|articles)|also\s+read|further\s+reading|what\s+to\s+read\s+next"
    r"|published\s+by|view\s+all\s+posts\s+by\b.*|(?:posted|filed)\s+(?:in|under)\b.*|tags?|topics"
    r"|up\s+next|more\s+headlines|top\s+stories|about\s+the\s+authors?|share\s+this(?:\s+(?:article|story|post))?"
    r"|(?:previous|next)\s+(?:article|post|story)\b.*|(?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|the)\s+\w*\s*newsletters?"
    r")\s*[:.!]?$",
    re.I,
)


# Comment-section headings ("38 comments… read them below", "Leave a Reply"): the rest is
# readers' text, however long, so these cut even when most of the segment follows them.
_COMMENTS = re.compile(
    r"^\W*(?:(?:\d+|one|two|three|four|five)\s+(?:comments?|responses?|replies|thoughts?)\b"
    # (WordPress: "5 thoughts on “<the post's title>”", "12 responses to “...”": a title of any length)
    r"(?:\s+(?:on|to)\s+[“\"‘'].{1,200}[”\"’']|.{0,40})"
    r"|(?:comments?|responses?)(?:\s*\(\d+\))?"
    r"|(?:leave|post|add|write)\s+a\s+(?:comment|reply|response)\b.{0,30}"
    r"|join\s+the\s+(?:conversation|discussion))\W*$",
    re.I,
)


def _ends(u: Unit, before: int, total: int) -> bool:
    if before < MIN_ARTICLE_CHARS:
        return False
    if _COMMENTS.search(u.text):
        return True
    return u.chars <= 60 and bool(_END_MARKER.match(u.text)) and before > total - before


def _truncate(us: list[Unit], s: Segment) -> None:
    """Cut an article at the first end-of-article heading when most of its text is above it."""
    total = s.chars
    before = 0
    for k, b in enumerate(s.blocks):
        for i in range(b.start, b.end + 1):
            u = us[i]
            if _ends(u, before, total):
                kept = [x for x in s.blocks if x.end < i]
                if b.start < i:
                    kept.append(Block(b.start, i - 1, sum(us[j].chars for j in range(b.start, i) if us[j].cls == "good")))
                s.blocks = kept
                return
            if u.cls == "good":
                before += u.chars
        # gap units between blocks are checked too: a marker often sits right after a block
        nxt = s.blocks[k + 1].start if k + 1 < len(s.blocks) else b.end + 1
        for i in range(b.end + 1, nxt):
            u = us[i]
            if _ends(u, before, total):
                s.blocks = [x for x in s.blocks if x.end < i]
                return


# ------------------------------------------------------------------------- article parts
def _caseless(c: str) -> bool:
    """A letter of a script without case (Arabic, Hebrew, CJK...): any line may start a headline."""
    return c.isalpha() and c.lower() == c.upper()


def _title_like(u: Unit) -> bool:
    if not (3 <= u.words <= 30 and 15 <= u.chars <= 250):
        return False
    if not (u.text[:1].isupper() or u.text[:1].isdigit() or u.text[:1] in "\"'“‘" or _caseless(u.text[:1])):
        return False
    if re.search(r"[:;,]$", u.text) or _SENTENCE_BREAK.search(u.text) or _TEASER_END.search(u.text):
        return False
    if u.text.endswith(".") and not u.text.endswith("..."):
        # Headlines rarely end with a full stop, except after an abbreviation ("... Alert
        # Tues."); accept those only in Title Case, which sentences never are.
        words = u.text.split()
        return sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
    return True


def split_credit(text: str) -> tuple[str, str | None]:
    """``"Soldiers fire a mortar (Reuters)"`` → ``("Soldiers fire a mortar", "Reuters")``."""
    text = _CAPTION_PREFIX.sub("", text, count=1) or text
    m = _CREDIT.match(text)
    if not m:
        return text, None
    credit = (m.group("p") or m.group("d") or m.group("c") or "").strip()
    if m.group("p") and not _CREDIT_WORDS.search(credit) and len(credit.split()) > 4:
        return text, None  # a parenthesis in a sentence, not a credit
    return m.group("text").strip(), credit or None


def caption_like(u: Unit) -> bool:
    """Photo captions: a sentence-length line ending with a credit, or marked "Image caption"."""
    if u.words < 4:
        return False
    if _CAPTION_PREFIX.match(u.text):
        return True
    m = _CREDIT.match(u.text)
    if not m:
        return False
    credit = m.group("p") or m.group("d") or m.group("c") or ""
    return bool(_CREDIT_WORDS.search(credit)) or (
        bool(m.group("p")) and len(credit.split()) <= 3 and credit[:1].isupper()
    )


# Headline search window: the headline sits at most this many units above the first body unit
# (seed: 7 — headline, 2 captions, 2 widget tokens, headline, 2 captions; dev dumps: bylines,
# dates, share buttons and a lead image caption rarely take more than 12). Dev F1: 10 → 0.810,
# 15, 20 and 25 → 0.815.
TITLE_WINDOW = 15
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
    r"\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)


@dataclass
class Parts:
    """What :func:`split` finds for one article (plain strings; clean builds the record)."""

    title: str | None
    paragraphs: list[str]
    captions: list[tuple[str, str | None]]
    byline: str | None = None
    published_at: str | None = None
    language: str = "en"  # ISO 639-1 code of the section it came from
    # Where each input line of the article's stretch went: "title", "byline", "dateline",
    # "body", "caption", or "furniture: <why>" (line index → role); with the file's separators
    # and furniture-only sections just before it (or after it, for the last article).
    roles: dict[int, str] = field(default_factory=dict)

    @property
    def furniture(self) -> int:
        """Input lines of the article's stretch (and of the file's furniture it counts) kept in
        none of the fields above: its record's ``furniture_removed``."""
        return sum(1 for r in self.roles.values() if r.startswith("furniture"))


def parse_date(text: str) -> str | None:
    """ISO date of a short dateline ("Published June 3, 2025 10:04 am"), else None."""
    if len(text) > 80 or not _MONTH.search(text):
        return None
    from datetime import datetime

    from dateutil import parser

    try:
        with warnings.catch_warnings():  # "tzname EDT identified but not understood": harmless here
            warnings.simplefilter("ignore")
            dt = parser.parse(text, fuzzy=True, default=datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1900 <= dt.year <= 2100:
        return None
    return dt.date().isoformat()


# Headlines can sit inside the first block, under a good-looking line ("Sorry, your browser
# needs JavaScript...", a section label): look this many units into the block as well
# (with the lead built from prose lines only: dev count accuracy 0.85 → 0.87).
TITLE_LOOK_IN = 3
# ... but not under this many characters of the block's prose sentences: a title-like line
# there is a subheading under the article's first paragraphs, and taking it for the headline
# threw those paragraphs away as "above the article". Choice half (as PROSE_RUN_UNITS), count /
# F1 summed over its 9 sets: without 8.125 / 7.742; 1, 50 or 80 chars 8.175 / 7.785, 100 8.175 /
# 7.786, 150 or 200 8.125 / 7.775, 300 8.125 / 7.774 (25 files better, none worse at 100).
LOOK_IN_PROSE = 100


def _title(us: list[Unit], lo: int, start: int, end: int | None = None) -> tuple[int, float] | None:
    """Index of the headline of a body starting at unit ``start`` (searched back to ``lo`` and a
    few units into the body, not past ``end``) and the share of its content words found in the
    lead (the next five good units under it)."""
    end = len(us) - 1 if end is None else end
    best, best_score, best_overlap = None, 0.0, 0.0
    for i in range(min(start + TITLE_LOOK_IN, end), max(lo, start - TITLE_WINDOW) - 1, -1):
        u = us[i]
        if not _title_like(u) or caption_like(u) or _BYLINE.match(u.text) or parse_date(u.text):
            continue
        if u.reason == "prose run":  # a question of a Q&A list, not the page's headline
            continue
        if LOOK_IN_PROSE and i > start and sum(v.chars for v in us[start:i] if v.cls == "good" and v.sentence) >= LOOK_IN_PROSE:
            continue  # a subheading under the article's first paragraphs, not its headline
        words = set(u.content)
        if not words:
            continue
        lead: set[str] = set()
        n = 0
        for j in range(max(i + 1, start), end + 1):
            v = us[j]
            if v.cls == "good" and v.key != u.key and (v.sentence or v.chars >= LENGTH_LOW):
                lead.update(us[j].content)
                n += 1
                if n == 5:
                    break
        if n == 0:
            continue
        overlap = len(words & lead) / len(words)
        # Weights: overlap with the lead is the strongest headline signal (dev dumps: the right
        # line has overlap ≥ 0.3 in most pages); a repeated headline (seed) and closeness to the
        # body break ties.
        score = overlap + 0.3 * (u.count > 1) + 0.2 * (1 - abs(start - i) / TITLE_WINDOW)
        if score > best_score:
            best, best_score, best_overlap = i, score, overlap
    return None if best is None else (best, best_overlap)


def _body(us: list[Unit], s: Segment) -> list[int]:
    """Units of an article's body: its good units, and the short lines between two of them
    (list items, subheadings, one-line answers) when they look like text, not widgets."""
    good = [i for b in s.blocks for i in range(b.start, b.end + 1) if us[i].cls == "good"]
    if not INCLUDE_INTERIOR_SHORT:
        return good
    keep = set(good)
    for a, b in zip(good, good[1:], strict=False):
        for i in range(a + 1, b):
            u = us[i]
            if u.cf_class in ("short", "neargood") and u.count == 1 and u.words >= 2:
                keep.add(i)
    return sorted(keep)


# Keeping those interior short lines: dev recall +0.016, precision -0.013 (F1 +0.002); kept
# because list items and subheadings are part of the article.
INCLUDE_INTERIOR_SHORT = True


def _trim(idx: list[int], us: list[Unit]) -> list[int]:
    """Drop non-sentence lines at the head of a body (datelines, "Share:", agency names,
    section labels): bodies start with prose. (Trimming the tail the same way cut list items
    and lowered dev body F1 0.815 → 0.812, so the tail is left to the end markers.)"""
    a = 0
    while a < len(idx) and not us[idx[a]].sentence and us[idx[a]].chars < LENGTH_HIGH:
        a += 1
    return idx[a:]


# Units in a text short enough to be one brief rather than a page (a rendered news page has
# 100+ lines; the seed has 30).
SMALL_TEXT = 25


@dataclass
class Split:
    """Everything :func:`explain` found in a dump: the articles, and where every input line went."""

    lines: list[str]
    articles: list[Parts]
    # Lines of no article, line index → "furniture: <why>": only when the dump holds no article
    # (else the file's separators and sections without article text are in the roles of the
    # article they come before, the last one for those after it).
    furniture: dict[int, str]
    sections: list[Section]

    def unplaced(self) -> list[int]:
        """Non-blank input lines found nowhere (always empty: the no-silent-loss invariant)."""
        placed = set(self.furniture)
        for a in self.articles:
            placed.update(a.roles)
        return [i for i, ln in enumerate(self.lines) if ln.strip() and i not in placed]


def split(text: str) -> list[Parts]:
    """The articles of a dump, in order. Empty when no unit looks like article text."""
    return explain(text).articles


# Line terminators of str.splitlines(), stripped from the kept line text.
_EOL = "\r\n\f\v\x1c\x1d\x1e\x85\u2028\u2029"


def explain(text: str) -> Split:
    """Split a dump into sections (:mod:`.sections`), each section into articles, and account
    for every input line (``str.splitlines`` numbering): each lands in one article's title,
    byline, dateline, body or captions, or in the furniture of one article or of the file."""
    raw = text.splitlines(keepends=True)
    lines = [ln.rstrip(_EOL) for ln in raw]
    feeds = frozenset(i for i, ln in enumerate(raw) if "\f" in ln)
    secs, separators = sections(lines, feeds)
    furniture = {i: "furniture: " + ("skip link (page chrome)" if is_skip_link(lines[i].strip()) else "separator between articles")
                 for i in separators}
    articles: list[Parts] = []
    for sec in secs:
        numbered = [(i, lines[i]) for i in range(sec.start, sec.end) if i not in separators]
        lang = language([ln for _, ln in numbered])
        us = units(numbered, lang)
        also = other_language(us, lang)
        if also:
            us = units(numbered, lang, also)
        parts = _split_units(us)
        for p in parts:
            p.language = language(p.paragraphs) if also else lang
        if parts:
            articles.extend(parts)
        else:
            why = "furniture: no article text in this section (only short lines, menus or repeats)"
            furniture.update((i, why) for u in us for i in u.lines)
    if articles:
        # The file's own furniture (separators, sections with no article text) is counted by the
        # article it comes before (the last one for what follows it), so that a record's
        # furniture_removed holds every line of the input it does not keep: nothing is dropped
        # where only ``split --explain`` would show it.
        starts = [min(a.roles) for a in articles]
        for i, why in furniture.items():
            host = next((a for a, s in zip(articles, starts, strict=True) if s > i), articles[-1])
            host.roles[i] = why
        furniture = {}
    return Split(lines, articles, furniture, secs)


_REASONS = {
    "widget": "widget or symbol line",
    "copyright": "copyright line",
    "boilerplate": "sharing, newsletter or photo-credit line",
    "repeated": "line repeated in the file (menu, headline, caption)",
    "few stop words": "not prose (few stop words: links, names, labels)",
}


def _why(u: Unit, s: Segment, body_start: int) -> str:
    if u.cf_class == "bad":
        why = _REASONS.get(u.reason, u.reason)
    elif u.index < s.start or u.index < body_start:
        why = "above the article text (menu, label, teaser)"
    elif u.index > s.end:
        why = "after the article text (links, comments, footer)"
    elif u.cls == "bad":
        why = "short line among furniture (menu, links, buttons)"
    else:
        why = "outside the article's text blocks"
    return "furniture: " + why


# A section is plain article text (typed, pasted, exported: no page around it) when at most
# PLAIN_SHARE of its units after the first four (headline, byline, dateline) fail to end like a
# sentence, or at most MENU_SHARE are menu items (no sentence end, one or two words). Measured
# on the 100 dev renderings (line kind) and the sections of the generated "dashes" files
# (eval.dumps.separated): non-sentence share, renderings 0.24-0.9, articles with list items
# and tables up to 0.8; one-or-two-word share, renderings 0.12-0.8, generated articles
# 0-0.10 but one at 0.19 (a table of OS names). Both thresholds sit below the renderings' minimum.
PLAIN_SHARE = 0.15
MENU_SHARE = 0.11
_TABLE_ROW = re.compile(r"^\|.*\|$")
# Repeated lines (menus, headlines, captions printed twice): the seed has 0.44 of its units
# repeated; generated plain files up to 0.18 (a reference that repeats its own headline).
REPEAT_SHARE = 0.25
_HEAD_UNITS = 4


def plain(us: list[Unit]) -> bool:
    rest = us[_HEAD_UNITS:]
    if not rest or sum(u.count > 1 for u in us) > REPEAT_SHARE * len(us):
        return False  # repeated lines are a page's menus, headlines and captions (the seed)
    # Table rows ("| Debian | 2.2 GB/s |", as text exports and trafilatura write tables) are
    # structured text, not menus: they count as neither.
    loose = [u for u in rest if not u.sentence and not _TABLE_ROW.match(u.text)]
    if len(loose) <= PLAIN_SHARE * len(rest):
        return True
    return sum(u.words <= 2 for u in loose) <= MENU_SHARE * len(rest)


def _plain_article(us: list[Unit]) -> Parts | None:
    """A section of plain text is one article: headline (its first line when headline-like),
    byline and dateline under it, then every line is body except widgets, copyright lines,
    sharing/credit lines, captions and repeats. jusText's context rules would only cut short
    sentences, list items and subheadings at the edges."""
    role: dict[int, str] = {}
    title = byline = date = None
    k = 0
    if us and _title_like(us[0]) and not _BYLINE.match(us[0].text) and not parse_date(us[0].text):
        title = us[0].text
        role[0] = "title"
        k = 1
    for u in us[k : k + 3]:
        if u.sentence and u.words >= 6:
            break
        if byline is None and _BYLINE.match(u.text) and u.words <= 12:
            byline = re.sub(r"^(?:by|written by|posted by|reporting by)\s+", "", u.text, flags=re.I)
            role[u.index] = "byline"
        elif date is None and (d := parse_date(u.text)):
            date = d
            role[u.index] = "dateline"
    paragraphs: list[str] = []
    captions: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for u in us:
        if u.index in role:
            continue
        if u.key in seen or (title is not None and u.key == us[0].key):
            role[u.index] = "furniture: repeat of a kept line"
        elif u.cf_class == "bad" and (u.reason in ("widget", "copyright") or (
                u.reason == "boilerplate" and _BOILERPLATE.search(u.text))):
            # (a "Source: ..." or "Photo by ..." line stays: in plain text it is the author's)
            role[u.index] = "furniture: " + _REASONS[u.reason]
        elif caption_like(u) and (_CAPTION_PREFIX.match(u.text) or _CREDIT_WORDS.search(u.text)):
            # (only captions that say so: in plain text "Item (Note)" is a list item)
            captions.append(split_credit(u.text))
            role[u.index] = "caption"
        else:
            paragraphs.append(u.text)
            role[u.index] = "body"
        seen.add(u.key)
    if not paragraphs:
        return None
    lines = {n: r for i, r in role.items() for n in us[i].lines}
    return Parts(
        title=title,
        paragraphs=paragraphs,
        captions=captions,
        byline=byline,
        published_at=date,
        roles=lines,
    )


# A section where the page rules find no article is kept as plain text when it holds this many
# characters of prose sentences (6+ words, not teaser text cut short with "..."); below that it
# is furniture: a teaser list after a page's skip link ("Pete Davidson gets star treatment
# from Lorne Michaels, 'SN...", "Filed under bill clinton , warner bros.") became an article.
# Choice half (as PROSE_RUN_UNITS, with COOKIE_CHARS 600), count / F1 summed: any such line
# (as before) 8.278 / 7.821; 80, 150 or 300 chars 8.328 / 7.821. Generated plain-text files and
# the seed unchanged (their sections are plain text, or short, before this fallback).
SECTION_PROSE = 150


def _split_units(us: list[Unit]) -> list[Parts]:
    classify(us)
    if plain(us):
        art = _plain_article(us)
        return [art] if art else []
    out = _split_page(us)
    if not out and sum(u.chars for u in us if u.sentence and u.words >= 6 and u.cf_class != "bad"
                       and not _TEASER_END.search(u.text)) >= SECTION_PROSE:
        # jusText's rules found no article in a section that has prose (a short item between
        # two separators, a section of list items): keep it as plain text rather than lose it.
        art = _plain_article(us)
        out = [art] if art else []
    return out


def _split_page(us: list[Unit]) -> list[Parts]:
    segs = segment(us)
    if not segs and 0 < len(us) <= SMALL_TEXT:
        # A short text file (a news brief typed or pasted by a user) has too little text for
        # jusText's context rules: its prose sentences are the article.
        for u in us:
            if u.cf_class != "bad" and u.sentence and u.words >= 4:
                u.cls = "good"
        prose = [u for u in us if u.cls == "good"]
        if prose:
            segs = [Segment([Block(prose[0].index, prose[-1].index, sum(u.chars for u in prose))])]
    if not segs and any(u.count > 1 for u in us):
        # Everything repeats (the same page saved twice): judge lines as if they were unique,
        # rather than return nothing.
        for u in us:
            u.count = 1
        classify(us)
        segs = segment(us)
    out: list[Parts] = []
    lo = 0  # where the next article's headline search may start (after the last segment)
    free = 0  # first unit not yet accounted to an article's stretch
    for k, s in enumerate(segs):
        hi = s.end + 1 if k + 1 < len(segs) else len(us)
        found = _title(us, lo, s.start, s.end)
        t = found[0] if found else None
        # A headline found inside the first block: what is above it there is furniture.
        body_idx = _trim([i for i in _body(us, s) if t is None or i > t], us)
        if not body_idx:
            lo = s.end + 1
            continue
        role: dict[int, str] = {}  # unit index → role
        used: set[int] = set()
        title = None
        if t is not None:
            title = us[t].text
            used.update(i for i in range(lo, hi) if us[i].key == us[t].key)
            role.update((i, "furniture: repeat of the headline") for i in used)
            role[t] = "title"
        first = t if t is not None else max(lo, s.start - TITLE_WINDOW)
        captions: list[tuple[str, str | None]] = []
        seen_caps: set[str] = set()
        byline = date = None
        for i in range(first, s.end + 1):
            u = us[i]
            if i in used:
                continue
            if caption_like(u) and (i < s.start or u.cls != "good" or u.count > 1 or i in body_idx):
                cap = split_credit(u.text)
                key = norm(cap[0])
                if key not in seen_caps:
                    seen_caps.add(key)
                    captions.append(cap)
                    role[i] = "caption"
                copies = [j for j in range(lo, hi) if us[j].key == u.key]
                used.update(copies)
                role.update((j, "furniture: repeat of a caption") for j in copies if j not in role)
                continue
            if i <= body_idx[0]:
                if byline is None and _BYLINE.match(u.text) and u.words <= 12:
                    byline = re.sub(r"^(?:by|written by|posted by|reporting by)\s+", "", u.text, flags=re.I)
                    used.add(i)
                    role[i] = "byline"
                elif date is None and (d := parse_date(u.text)):
                    date = d
                    used.add(i)
                    role[i] = "dateline"
        paragraphs = []
        seen_keys: set[str] = set()
        for i in body_idx:
            if i not in used and us[i].key not in seen_keys:
                seen_keys.add(us[i].key)
                paragraphs.append(us[i].text)
                role[i] = "body"
            elif i not in role:
                role[i] = "furniture: repeat of a body line"
        if paragraphs:
            # The article's stretch: from the first unit no earlier article took to the end of
            # its segment (the last article: to the end of the section).
            stretch = range(min(free, *role), max(hi, *(x + 1 for x in role)))
            lines: dict[int, str] = {}
            for i in stretch:
                why = role.get(i) or _why(us[i], s, body_idx[0])
                lines.update((n, why) for n in us[i].lines)
            out.append(
                Parts(
                    title=title,
                    paragraphs=paragraphs,
                    captions=captions,
                    byline=byline,
                    published_at=date,
                    roles=lines,
                )
            )
            free = stretch.stop
        lo = s.end + 1
    if out and free < len(us):
        # Units after the last article that no stretch took (a trailing segment without text).
        for u in us[free:]:
            out[-1].roles.update((n, "furniture: after the article text (links, comments, footer)") for n in u.lines)
    return _notices(out)


def _notices(out: list[Parts]) -> list[Parts]:
    """Among several articles of a section, one of a single paragraph under no headline is a
    notice of some page (cookies, advertising disclosure), not a page of its own: its lines
    become furniture of the article next to it. Choice set (even-numbered dev renderings and
    the multi-page sets): 5 such articles in files of several, none matching a page; with a
    headline 3 of 7 match a small page (kept); alone in a file 6 of 6 match (kept)."""
    if len(out) < 2:
        return out
    keep = [p for p in out if p.title is not None or len(p.paragraphs) > 1]
    if not keep or len(keep) == len(out):
        return out
    why = "furniture: a one-paragraph notice among the pages (cookies, advertising, disclosure)"
    for n, p in enumerate(out):
        if p in keep:
            continue
        host = next((q for q in out[n + 1 :] if q in keep), None) or next(q for q in reversed(out[:n]) if q in keep)
        host.roles.update((i, why) for i in p.roles)
    return keep
