"""Read-only helpers over the flat :class:`~eventwire.records.Parse` (heads, children, phrases).

The nlp stage hands over offsets, not spaCy objects, so the small amount of tree walking the coder
needs is done here on the token tuples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from ..records import Parse, Token

#: Dependents that open a new clause: their words are not arguments of the head's predicate.
CLAUSAL = frozenset({"ccomp", "advcl", "relcl", "csubj", "csubjpass", "parataxis", "acl"})
#: Left/inner modifiers that belong to a noun phrase's text.
NP_MODS = frozenset(
    {"det", "amod", "compound", "poss", "case", "nummod", "nmod", "quantmod", "predet", "flat",
     "advmod", "npadvmod", "prt", "punct", "cc", "conj"}
)  # fmt: skip


@dataclass
class Tree:
    """A parse with child lists, plus lookups by sentence."""

    parse: Parse

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.parse.tokens

    @cached_property
    def children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.tokens]
        for i, t in enumerate(self.tokens):
            if t.head != i and 0 <= t.head < len(kids):
                kids[t.head].append(i)
        return kids

    def head(self, i: int) -> int:
        h = self.tokens[i].head
        return h if 0 <= h < len(self.tokens) else i

    def kids(self, i: int, *deps: str) -> list[int]:
        return [c for c in self.children[i] if not deps or self.tokens[c].dep in deps]

    def ancestors(self, i: int) -> Iterator[int]:
        seen = {i}
        while True:
            h = self.head(i)
            if h in seen:
                return
            seen.add(h)
            yield h
            i = h

    def subtree(self, i: int, stop: frozenset[str] = frozenset()) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(c for c in self.children[j] if self.tokens[c].dep not in stop)
        return sorted(out)

    def sentence_tokens(self, span: tuple[int, int]) -> range:
        toks = self.tokens
        lo = next((k for k, t in enumerate(toks) if t.start >= span[0]), len(toks))
        hi = lo
        while hi < len(toks) and toks[hi].end <= span[1]:
            hi += 1
        return range(lo, hi)

    def np_span(self, i: int) -> tuple[int, int]:
        """Token range [a, b] of the noun phrase headed by ``i``: its left modifiers and flat
        name parts, without relative clauses, appositions or trailing prepositional phrases."""
        a = b = i
        stack = [c for c in self.children[i] if self.tokens[c].dep in NP_MODS - {"conj", "cc"}]
        while stack:
            j = stack.pop()
            if self.tokens[j].dep == "punct" and (j < a - 1 or j > b + 1):
                continue
            if j > i and self.tokens[j].dep not in ("compound", "flat", "prt", "case", "nummod", "punct"):
                continue
            a, b = min(a, j), max(b, j)
            stack.extend(c for c in self.children[j] if self.tokens[c].dep in NP_MODS - {"conj", "cc"})
        while a < b and self.tokens[a].pos == "PUNCT":
            a += 1
        while b > a and self.tokens[b].pos == "PUNCT":
            b -= 1
        return a, b

    def conjuncts(self, i: int) -> list[int]:
        out, stack = [i], list(self.kids(i, "conj"))
        while stack:
            j = stack.pop(0)
            out.append(j)
            stack.extend(self.kids(j, "conj"))
        return out
