"""Where one article of a text dump ends and the next begins: a scored decision per line.

People join articles in one ``.txt`` file in many ways: runs of blank lines, rule lines
(``----``, ``====``, ``* * *``, ``###``), form feeds, "Page N of M" markers, a headline +
byline + dateline block repeated for each article, wire datelines ("BEIRUT, March 3 (Reuters)
-"), numbered items of a digest. No single one of these is safe alone (``* * *`` also breaks
sections of one long read, a digest's numbers also number a list inside an article), so each
content line that could start an article gets a score summed from the signals around it and
becomes a boundary when the score reaches :data:`THRESHOLD`. The lines between two sections
(the blank run, the rule, the page marker) are the file's furniture, reported as separators.

Sections are then split further by :mod:`.dump` (which finds pages run together without any
separator, as in a naive rendering of several HTML pages).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# ------------------------------------------------------------------------- tuned constants
# Scores measured on the generated multi-article set (eval.dumps.separated: 165 dev reference
# bodies with a headline/byline/dateline, 2-4 a file, each separator kind) and on the 100 dev
# renderings (which have no separators: every boundary found there is a false one). Weights are
# defined, not fitted, so that one strong separator (a form feed) is enough, a weaker one (a rule
# line, which also breaks sections of a long read; a blank run) needs a second signal, and the
# head/topic signals alone cannot split a page (0.7 + 0.3 = 1.0 needs a repeated head pattern).
THRESHOLD = 1.0
FORM_FEED = 1.0
RULE = 0.7
PAGE_MARK = 0.6
BLANK_RUN = 0.7  # two or more blank lines, more than between the file's paragraphs
BLANK_ONE = 0.5  # one blank line in a file whose paragraphs have none between them
HEAD_FULL = 0.7  # headline, byline and dateline
HEAD_PART = 0.5  # headline and one of byline / dateline / wire dateline
HEAD_PROSE = 0.2  # headline over a prose line
HEAD_PATTERN = 0.3  # full heads occur at least twice in the file (an article collection)
WIRE = 0.4  # "BEIRUT, March 3 (Reuters) -" at the line or under its headline
DIGEST = 0.6  # the next number of a numbered sequence of items
TOPIC = 0.3  # the text after shares (almost) no content words with the section so far
# "Skip to content" / "Skip to main content" / "Skip navigation": the accessibility link a page
# template prints first. In the 165 dev pages' line renderings 45 have one, 41 of them in the
# page's first four lines (the others at lines 20, 53, 351): a page of a naive rendering starts
# there -- when the section so far already holds SKIP_PROSE characters of prose (in the
# menus_first renderings the link follows the moved menus, whose teasers then became articles).
# Chosen on the even-numbered dev renderings of every kind (dump001, dump003, ...), scanning
# SKIP_PROSE 0/1000/2000/4000 against no skip signal: summed count accuracy over the 5 kinds
# 4.589 (off) / 4.418 / 4.494 / 4.529 / 4.589, summed body F1 4.141 / 4.154 / 4.155 / 4.147 /
# 4.148; 4000 is the only setting that loses no file. Reported on the odd-numbered ones (off ->
# on), count / F1: line .80/.806 -> .80/.818, every_tag .74/.758 -> .74/.758, menus_last
# .68/.739 -> .66/.758, menus_first .68/.759 -> .70/.768, shuffled .80/.789 -> .825/.801.
SKIP_LINK = 1.0
SKIP_PROSE = 4000
SKIP_SPAN = 5  # content lines after a skip link in which another one is the same page's
# Cosine of content words under which the next lines are on another story. Same value as
# dump.SAME_TOPIC's far-block rule (dump.OTHER_TOPIC, flat 0.05-0.15 on dev pairs).
OTHER_TOPIC = 0.1
# Lines after a candidate read for its topic (a lead, a few paragraphs).
TOPIC_LINES = 12
# A boundary with no separator line (heads, wire datelines, digest numbers only) needs plain
# text before it: this much sentence text, and at most PLAIN_SHARE of the section's lines after
# its first four not ending like a sentence. In a page rendering the same heads are teaser
# lists (headline, byline, date, one line of teaser): with the heads alone, 2 dev renderings
# were cut into 15 and 6 articles (count accuracy 0.88 -> 0.85); with this guard none is.
MIN_PROSE = 150
PLAIN_SHARE = 0.15  # as dump.PLAIN_SHARE and dump.MENU_SHARE (measured there)
MENU_SHARE = 0.11

_RULE = re.compile(r"^\s*(?:([-=_~*#•·+])(?:\s*\1){2,}|(?:[-=_*#~]\s*){3,})\s*$")
_PAGE = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4})"
                   r"(?:\s*[-–—])?\s*$", re.I)
_BYLINE = re.compile(r"^(?:by|written by|posted by|reporting by|from)\s+\S.{0,80}$", re.I)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"^(?:(?:published|updated|posted|date)\s*:?\s*)?(?:\w+day,?\s+)?(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\b.{{0,30}}$",
    re.I,
)
# "BEIRUT, March 3 (Reuters) -", "WASHINGTON (AP) —", "KYIV, Ukraine, May 2 (AFP) --".
_WIRE = re.compile(
    r"^[A-Z][A-Z .'-]{2,30}(?:,\s*[A-Z][\w .'-]{1,30}){0,2}(?:,?\s+\w+\.?\s+\d{1,2})?\s*"
    r"\((?:Reuters|AP|AFP|UPI|Xinhua|Anadolu|dpa|Bloomberg|IANS|PTI|ANI)\)\s*[-–—]+",
)
_DIGEST = re.compile(r"^\s*\(?(\d{1,3})[.)]\s+\S")
_SKIP = re.compile(r"^\W*skip\s+(?:to\s+(?:the\s+)?(?:main\s+|primary\s+)?(?:content|navigation|article|main)|navigation)\b.{0,30}$",
                   re.I)
_DIGEST_START = frozenset("(0123456789")
_HAS_DIGIT = re.compile(r"\d").search
_SENTENCE = re.compile(r"""[.!?…]["'”’)\]]*$""")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Section:
    start: int  # first line index of the section
    end: int  # one past its last line
    score: float  # the boundary score that opened it (0 for the first)
    signals: tuple[str, ...] = ()


def is_rule(line: str) -> bool:
    return len(line) <= 80 and bool(_RULE.match(line))


def is_skip_link(line: str) -> bool:
    """"Skip to main content" and the like: page furniture wherever it stands."""
    return len(line) <= 60 and bool(_SKIP.match(line))


def is_page_mark(line: str) -> bool:
    return len(line) <= 40 and bool(_PAGE.match(line))


def _title_like(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 30 or len(line) > 250:
        return False
    first = _DIGEST.sub("", line, count=1).lstrip()[:1] if _DIGEST.match(line) else line[:1]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘" or (first.isalpha() and first.lower() == first.upper())):
        return False
    return not (line.endswith((".", ",", ";", ":")) and not line.endswith("..."))


def _prose(line: str) -> bool:
    # (a line of 200+ characters is a paragraph however it ends: dump.LENGTH_HIGH)
    return len(line) >= 200 or (len(line) >= 40 and len(line.split()) >= 6 and bool(_SENTENCE.search(line)))


def marker(line: str) -> str | None:
    """``"byline"``, ``"dateline"`` or ``"wire"`` for a line that is one, else None."""
    return _marker(line.strip())


def _marker(line: str) -> str | None:
    if len(line) > 130:  # (cheap guard: none of the three is longer)
        return None
    if _BYLINE.match(line) and len(line.split()) <= 12:
        return "byline"
    if len(line) <= 60 + 30 and _HAS_DIGIT(line) and _DATE.match(line):
        return "dateline"
    if "(" in line and _WIRE.match(line):
        return "wire"
    return None


@lru_cache(maxsize=1)
def _stops() -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist("English"))


def _content(lines: list[str]) -> Counter[str]:
    stops = _stops()
    return Counter(w for ln in lines for w in (t.lower() for t in _WORD.findall(ln)) if len(w) > 2 and w not in stops)


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    na = sum(n * n for n in a.values()) ** 0.5
    nb = sum(n * n for n in b.values()) ** 0.5
    return dot / (na * nb) if na and nb else 0.0


def sections(lines: list[str], form_feeds: frozenset[int] = frozenset()) -> tuple[list[Section], set[int]]:
    """Sections of ``lines`` (line indices) and the separator lines between them.

    ``form_feeds`` holds the indices of lines followed by a form feed.
    """
    stripped = [ln.strip() for ln in lines]
    rule = {i for i, ln in enumerate(stripped) if ln and is_rule(ln)}
    page = {i for i, ln in enumerate(stripped) if ln and i not in rule and is_page_mark(ln)}
    content = [i for i, ln in enumerate(stripped) if ln and i not in rule and i not in page]
    if len(content) < 2:
        return [Section(0, len(lines), 0.0)], set()
    # Blank lines between consecutive content lines: the paragraph gap is the most common one.
    gaps = [b - a - 1 - sum(1 for j in range(a + 1, b) if j in rule or j in page) if b - a > 1 else 0
            for a, b in zip(content, content[1:], strict=False)]
    para_gap = Counter(gaps).most_common(1)[0][0]
    mark = {i: _marker(stripped[i]) for i in content}
    heads: dict[int, tuple[float, str]] = {}
    for k, i in enumerate(content):
        # The lines right under it, in the same block (no more blank lines in between than
        # between paragraphs, no rule line).
        nxt: list[int] = []
        for j in content[k + 1 : k + 4]:
            prev = content[k + len(nxt)]
            if j - prev > 1 and (j - prev - 1 > para_gap or any(stripped[x] for x in range(prev + 1, j))):
                break
            nxt.append(j)
        line = stripped[i]
        if _WIRE.match(line):
            heads[i] = (WIRE, "wire dateline")
            continue
        # (tabloid headlines run to 40+ words; over a byline and a dateline they are still heads)
        if mark[i] or not nxt or not (mark[nxt[0]] or _prose(stripped[nxt[0]])) or len(line.split()) > 60:
            continue
        marks = {m for j in nxt[:2] if (m := mark[j])}
        if mark[nxt[0]] and {"byline", "dateline"} <= marks:  # a one-word headline too
            heads[i] = (HEAD_FULL + WIRE * ("wire" in marks), "headline+byline+dateline")
        elif mark[nxt[0]] and 2 <= len(line.split()) <= 30:
            marks = {m for j in nxt[:1] if (m := mark[j])}
            heads[i] = (HEAD_PART + WIRE * ("wire" in marks), "headline+" + "+".join(sorted(marks)))
        elif _title_like(line) and _prose(stripped[nxt[0]]):
            heads[i] = (HEAD_PROSE, "headline")
    pattern = sum(1 for s, why in heads.values() if why.startswith("headline+byline+dateline")) >= 2
    opens: list[tuple[int, float, tuple[str, ...]]] = [(0, 0.0, ())]
    prose = 0
    # Content lines of the section after its first four; those not ending like a sentence; those
    # of them with one or two words (menu items).
    n_lines = n_other = n_menu = 0
    digest = 0
    sec_k = 0  # index in ``content`` of the section's first line
    texts = [stripped[i] for i in content]
    separated_anywhere = bool(rule or page or form_feeds) or any(g > para_gap for g in gaps)
    # Skip links after the file's first content line that follow no other skip link.
    # (a template printing a second one a few lines on, after a cookie notice, starts nothing).
    skips: set[int] = set()
    last_skip = -SKIP_SPAN - 1
    separators: set[int] = set()
    for k, t in enumerate(texts):
        if is_skip_link(t):
            separators.add(content[k])  # furniture of the page it opens, never its headline
            if k and k - last_skip > SKIP_SPAN:
                skips.add(k)
            last_skip = k
    if not separated_anywhere and not any(sc >= HEAD_PART - 1e-9 for sc, _ in heads.values()) and not any(
            t[:1] in _DIGEST_START and _DIGEST.match(t) for t in texts):
        # No separator line, no strong head, no numbered item: nothing else can reach THRESHOLD
        # (a headline over prose + new topic is 0.5). Most page renderings end here, cut at
        # their skip links only (the same decision as the loop below, without its other signals).
        cuts: list[tuple[int, float, tuple[str, ...]]] = [(0, 0.0, ())]
        prose = 0
        for k, t in enumerate(texts[: max(skips, default=-1) + 1]):
            if k in skips and prose >= SKIP_PROSE and SKIP_LINK >= THRESHOLD - 1e-9:
                cuts.append((content[k], SKIP_LINK, ("skip link (a page starts)",)))
                prose = 0
            if _prose(t) or len(t.split()) >= 5:
                prose += len(t)
        found = [Section(first, cuts[n + 1][0] if n + 1 < len(cuts) else len(lines), score, why)
               for n, (first, score, why) in enumerate(cuts)]
        return found, separators
    # Text a section must hold before a boundary without separator closes it: lines of five
    # words or more (prose, and verse or list items too: a lyrics page has no sentence ends);
    # menus are one to three words a line.
    prose_len = [len(t) if _prose(t) or len(t.split()) >= 5 else 0 for t in texts]
    # Lines that count against plain text: no sentence end (table rows excepted); menu items.
    loose = [not _SENTENCE.search(t) and not (t[:1] == "|" and t[-1:] == "|") for t in texts]
    numbers = [int(d.group(1)) if t[:1] in _DIGEST_START and (d := _DIGEST.match(t)) else None for t in texts]
    for k, i in enumerate(content):
        line = texts[k]
        number = numbers[k]
        if k == 0:
            prose += prose_len[k]
            digest = number if number == 1 else 0
            continue
        q = content[k - 1]
        if i - q == 1 and i not in heads and number is None and k not in skips and not (form_feeds and q in form_feeds):
            pass  # no signal here (most lines): only the counts below
        else:
            score, why = 0.0, []
            gap = range(q + 1, i)
            if form_feeds and any(j in form_feeds for j in range(q, i)):
                score += FORM_FEED
                why.append("form feed")
            if i - q > 1:
                if any(j in rule for j in gap):
                    score += RULE
                    why.append("rule line")
                if any(j in page for j in gap):
                    score += PAGE_MARK
                    why.append("page marker")
            if k in skips and prose >= SKIP_PROSE:
                score += SKIP_LINK
                why.append("skip link (a page starts)")
            separated = bool(why)
            blanks = gaps[k - 1]
            if blanks > para_gap:
                score += BLANK_RUN if blanks >= 2 else BLANK_ONE
                why.append(f"{blanks} blank lines")
                separated = True
            if i in heads:
                sc, w = heads[i]
                score += sc + (HEAD_PATTERN if pattern and w.startswith("headline+byline+dateline") else 0.0)
                why.append(w)
            if number is not None and digest and number == digest + 1:
                score += DIGEST
                why.append(f"item {number}")
            if score and THRESHOLD - TOPIC <= score < THRESHOLD:
                sec_start = opens[-1][0]
                before = _content([stripped[j] for j in content[max(0, k - TOPIC_LINES) : k] if j >= sec_start])
                after = _content(texts[k : k + TOPIC_LINES])
                if _cosine(before, after) < OTHER_TOPIC:
                    score += TOPIC
                    why.append("new topic")
            is_plain = prose >= MIN_PROSE and (n_other <= PLAIN_SHARE * n_lines or n_menu <= MENU_SHARE * n_lines)
            if score >= THRESHOLD - 1e-9 and (separated or is_plain):
                separators.update(j for j in gap if stripped[j])
                opens.append((i, round(score, 2), tuple(why)))
                prose = n_lines = n_other = n_menu = 0
                sec_k = k
        prose += prose_len[k]
        if k - sec_k >= 4:
            n_lines += 1
            if loose[k]:
                n_other += 1
                n_menu += len(line.split()) <= 2
        if number is not None and (number == digest + 1 or number == 1):
            digest = number
    out: list[Section] = []
    for n, (first, total, signals) in enumerate(opens):
        end = opens[n + 1][0] if n + 1 < len(opens) else len(lines)
        out.append(Section(first, end, total, signals))
    return out, separators
