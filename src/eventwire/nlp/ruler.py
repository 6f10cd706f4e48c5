"""The entity ruler of the nlp stage: spaCy's EntityRuler with phrase patterns that load fast.

spaCy's ``entity_ruler`` keeps every phrase pattern as a tokenised ``Doc`` and serialises its
patterns as text, so loading it tokenises all ~75k phrases again (3.3 s CPU and ~320 MB on the
shipped KB and gazetteer; measured with ``resource.getrusage``, see benchmarks/README.md,
start-up). :class:`Ruler` matches exactly as the EntityRuler does — same matchers, same
``match`` and ``set_annotations`` — but keeps each phrase as its text and the token hashes the
PhraseMatcher matches on (:class:`Phrase`), and :meth:`Ruler.to_bytes` writes those hashes, so
:meth:`Ruler.from_bytes` fills the PhraseMatcher without tokenising anything.

A token hash is the vocabulary hash of the token's ``phrase_matcher_attr`` (ORTH or LOWER) as
the tokenizer that built the ruler split the phrase; the cache key of :mod:`.model` holds the
spaCy and model versions, so the hashes are only ever read by the tokenizer that made them.

This module imports spaCy: import it only where a pipeline is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np
import srsly
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.pipeline.entityruler import DEFAULT_ENT_ID_SEP

FACTORY = "eventwire_entity_ruler"
#: Bump when the byte layout of :meth:`Ruler.to_bytes` changes.
FORMAT = "eventwire.ruler/1"


class Phrase(NamedTuple):
    """One phrase pattern: its text and the token hashes the PhraseMatcher holds for it."""

    text: str
    keyword: tuple[int, ...]


class Ruler(EntityRuler):
    """EntityRuler whose ``phrase_patterns`` hold :class:`Phrase` tuples instead of Docs.

    Everything EntityRuler reads from a phrase pattern is its ``.text`` (``patterns``,
    ``to_disk``) or its label (``labels``, ``remove``, ``len``), so those work unchanged.
    """

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        super().add_patterns(patterns)
        # The same conversion PhraseMatcher.add applies to each Doc: the hashes it matches on.
        convert = self.phrase_matcher._convert_to_array  # type: ignore[attr-defined]
        for label, docs in self.phrase_patterns.items():
            if any(not isinstance(d, Phrase) for d in docs):
                self.phrase_patterns[label] = [
                    d if isinstance(d, Phrase) else Phrase(d.text, tuple(convert(d))) for d in docs
                ]

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        labels = list(self.phrase_patterns)
        texts: list[str] = []
        label_of: list[int] = []
        lengths: list[int] = []
        hashes: list[int] = []
        for j, label in enumerate(labels):
            for p in self.phrase_patterns[label]:
                texts.append(p.text)
                label_of.append(j)
                lengths.append(len(p.keyword))
                hashes.extend(p.keyword)
        by_key = {self.matcher._normalize_key(lab): lab for lab in labels}
        ent_ids = {by_key[k]: list(v) for k, v in self._ent_ids.items() if k in by_key}
        token = [p for p in self.patterns if not isinstance(p["pattern"], str)]
        return srsly.msgpack_dumps({
            "format": FORMAT,
            "overwrite": self.overwrite,
            "ent_id_sep": self.ent_id_sep,
            "phrase_matcher_attr": self.phrase_matcher_attr,
            "labels": labels,
            "ent_ids": ent_ids,
            "texts": texts,
            "label_of": np.asarray(label_of, dtype=np.int32).tobytes(),
            "lengths": np.asarray(lengths, dtype=np.int32).tobytes(),
            "hashes": np.asarray(hashes, dtype=np.uint64).tobytes(),
            "token_patterns": token,
        })  # fmt: skip

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Ruler:
        cfg = srsly.msgpack_loads(data)
        if not isinstance(cfg, dict) or cfg.get("format") != FORMAT:
            raise ValueError(f"not an {FORMAT} ruler")
        self.overwrite = bool(cfg["overwrite"])
        self.ent_id_sep = cfg["ent_id_sep"]
        self.phrase_matcher_attr = cfg["phrase_matcher_attr"]
        self.clear()  # new matchers, on the attribute just set
        labels: list[str] = cfg["labels"]
        label_of = np.frombuffer(cfg["label_of"], dtype=np.int32).tolist()
        lengths = np.frombuffer(cfg["lengths"], dtype=np.int32).tolist()
        hashes = np.frombuffer(cfg["hashes"], dtype=np.uint64).tolist()
        groups: list[list[Phrase]] = [[] for _ in labels]
        pos = 0
        for text, j, n in zip(cfg["texts"], label_of, lengths, strict=True):
            groups[j].append(Phrase(text, tuple(hashes[pos : pos + n])))
            pos += n
        ent_ids = cfg["ent_ids"]
        for label, phrases in zip(labels, groups, strict=True):
            if label in ent_ids:
                self._ent_ids[self.matcher._normalize_key(label)] = tuple(ent_ids[label])
            self.phrase_patterns[label] = phrases
            # PhraseMatcher.add takes token-hash sequences as well as Docs (phrasematcher.pyx)
            self.phrase_matcher.add(label, [p.keyword for p in phrases])  # type: ignore[misc]
        if cfg["token_patterns"]:
            super().add_patterns(cfg["token_patterns"])
        return self


def _make(nlp: Language, name: str, phrase_matcher_attr: int | str | None, matcher_fuzzy_compare: Callable[..., Any],
          validate: bool, overwrite_ents: bool, ent_id_sep: str, scorer: Callable[..., Any] | None) -> Ruler:  # fmt: skip
    return Ruler(
        nlp, name, phrase_matcher_attr=phrase_matcher_attr, matcher_fuzzy_compare=matcher_fuzzy_compare,
        validate=validate, overwrite_ents=overwrite_ents, ent_id_sep=ent_id_sep, scorer=scorer,
    )  # fmt: skip


def register() -> None:
    """Register the ``eventwire_entity_ruler`` factory (the entity_ruler's config) once."""
    if Language.has_factory(FACTORY):
        return
    Language.factory(
        FACTORY,
        assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
        default_config={
            "phrase_matcher_attr": None,
            "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"},
            "validate": False,
            "overwrite_ents": False,
            "ent_id_sep": DEFAULT_ENT_ID_SEP,
            "scorer": {"@scorers": "spacy.entity_ruler_scorer.v1"},
        },
        default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
    )(_make)


__all__ = ["Ruler", "Phrase", "FACTORY", "FORMAT", "register"]
