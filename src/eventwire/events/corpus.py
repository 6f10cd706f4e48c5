"""The labelled event corpus: load, validate, resolve references, split.

A corpus is JSON lines, one labelled sentence a line (schema in docs/annotation.md):
``{"id", "text" | "ref", "event", "plover", "mode", "acled_event_type", "acled_sub_event_type",
"source", "split"}``. ``ref`` points at a real sentence of a public data set by file and character
offsets (``{"path", "start", "end", "sha1"}``, path relative to a data root such as
``../shared/data``): its text is read at training time and checked against ``sha1``, so the
repository never holds the article text. Two more kinds of reference name a sentence inside a
container instead of offsets: ``{"path": "….tar.xz", "member", "sentence"}`` is sentence N of an
ECB+ token XML document in a tarball (tokens joined by :func:`detokenize`), and
``{"path": "….json", "record"}`` is the ``text`` of record N of a JSON array (the PLOVER
gold-standard records). The shipped corpus is ``events/data/corpus/*.jsonl``.

``split`` (train / dev / test) was assigned once, by :func:`assign_split`, before any model was
trained; a user's own file may leave it out (all ``train``) or set it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import tables

CORPUS_DIR = tables.DATA / "corpus"
SPLITS = ("train", "dev", "test")
#: Shares of train / dev / test (70 / 15 / 15). A convention, fixed before training.
SPLIT_SHARES = (70, 85)
NONE = "NONE"


@dataclass(frozen=True)
class Example:
    """One labelled sentence."""

    id: str
    text: str
    event: bool
    plover: str | None
    mode: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    source: str
    split: str

    @property
    def label(self) -> str:
        """The joint label the classifier predicts: ``NONE`` or ``PLOVER|ACLED sub-event``."""
        if not self.event or self.plover is None:
            return NONE
        return f"{self.plover}|{self.acled_sub_event_type or '-'}"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def assign_split(example_id: str) -> str:
    """The split of an id: a stable hash, so that adding examples never moves old ones."""
    h = int(hashlib.sha1(example_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if h < SPLIT_SHARES[0] else "dev" if h < SPLIT_SHARES[1] else "test"


@cache
def _file_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    return path.read_text(encoding="utf-8-sig")


#: Spaces a token join puts where running text has none: before closing punctuation and
#: clitics, after opening brackets and quotes. Written here rather than taken from a detokenizer
#: library because a reference's sha1 pins the exact text: a library upgrade that changed one
#: space would invalidate every ECB+ reference.
_NO_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'')")
_NO_SPACE_AFTER = re.compile(r"(?:(?<=[(\[{$])|(?<=``)) ")


def detokenize(tokens: Iterable[str]) -> str:
    """ECB+ tokens → running text (``"Reid , 33 , has n't"`` → ``"Reid, 33, hasn't"``)."""
    text = " ".join(t for t in tokens if t)
    text = _NO_SPACE_AFTER.sub("", _NO_SPACE_BEFORE.sub("", text))
    return text.replace("``", '"').replace("''", '"')


@cache
def tar_token_sentences(path: Path) -> dict[str, dict[int, list[str]]]:
    """Member name → sentence number → tokens, for every token-XML member of an ECB+ tarball, in
    the tarball's order (read once per process; the corpus references and the story eval share
    it). Bad XML raises ``ValueError`` naming the member."""
    out: dict[str, dict[int, list[str]]] = {}
    with tarfile.open(path) as tf:
        for m in tf.getmembers():
            fh = tf.extractfile(m) if m.isfile() and m.name.endswith(".xml") else None
            if fh is None:
                continue
            try:
                root = ET.parse(fh).getroot()
            except ET.ParseError as exc:
                raise ValueError(f"{m.name}: bad XML ({exc})") from exc
            sents: dict[int, list[str]] = {}
            for t in root.iter("token"):
                sents.setdefault(int(t.get("sentence") or 0), []).append(t.text or "")
            out[m.name] = sents
    return out


@cache
def _tar_sentences(path: Path) -> dict[tuple[str, int], str]:
    """(member, sentence number) → detokenized text (built once per process: it was rebuilt for
    every reference, which made reading the corpus's 2,450 ECB+ references take ~25 minutes)."""
    return {(m, n): detokenize(toks) for m, sents in tar_token_sentences(path).items() for n, toks in sents.items()}


@cache
def _json_records(path: Path) -> list[Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else []


def _ref_text(ref: dict[str, Any], path: Path, where: str) -> str:
    if "member" in ref:
        n = ref["sentence"]
        if not isinstance(n, int):
            raise InputError(where, f"ref sentence must be an integer, not {n!r}")
        try:
            return _tar_sentences(path)[(str(ref["member"]), n)]
        except KeyError as exc:
            raise InputError(where, f"no sentence {ref.get('sentence')} of {ref['member']} in {path}") from exc
    if "record" in ref:
        n = ref["record"]
        recs = _json_records(path)
        if not (isinstance(n, int) and 0 <= n < len(recs) and isinstance(recs[n], dict)
                and isinstance(recs[n].get("text"), str)):  # fmt: skip
            raise InputError(where, f"no record {n!r} with a text in {path}")
        return str(recs[n]["text"])
    text = _file_text(path)
    start, end = ref.get("start"), ref.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise InputError(where, f"ref offsets {start}:{end} outside {path}")
    return text[start:end]


def _resolve(ref: Any, data_root: Path | None, where: str) -> str:
    kinds = ({"path", "start", "end"}, {"path", "member", "sentence"}, {"path", "record"})
    if not isinstance(ref, dict) or not any(k <= set(ref) for k in kinds):
        raise InputError(where, 'ref must be {"path", "start", "end", "sha1"}, {"path", "member", "sentence", '
                                '"sha1"} or {"path", "record", "sha1"}')  # fmt: skip
    if data_root is None:
        raise InputError(where, "a ref needs the data root (--data-root, e.g. ../shared/data)")
    path = (data_root / str(ref["path"])).resolve()
    try:
        out = _ref_text(ref, path, where)
    except (OSError, tarfile.TarError, ET.ParseError, ValueError) as exc:
        raise InputError(where, f"ref file {path} cannot be read ({getattr(exc, 'strerror', None) or exc})") from exc
    sha = ref.get("sha1")
    if sha and sha1(out) != sha:
        raise InputError(where, f"ref text of {path} {ref} does not match its sha1 (file changed?)")
    return out


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _opt(rec: dict[str, Any], key: str) -> str | None:
    v = rec.get(key)
    return None if v in (None, "", "-") else str(v)


def parse(rec: Any, where: str, data_root: Path | None = None, hash_split: bool = False) -> Example:
    """One record → :class:`Example`, or :class:`InputError` saying what is wrong with it."""
    if not isinstance(rec, dict):
        raise InputError(where, "a corpus line must be a JSON object")
    rid = rec.get("id")
    if not isinstance(rid, str) or not rid:
        raise InputError(where, 'missing "id" string')
    if "text" in rec:
        text = rec["text"]
        if not isinstance(text, str) or not text.strip():
            raise InputError(where, '"text" must be a non-empty string')
    else:
        text = _resolve(rec.get("ref"), data_root, where)
    event = rec.get("event")
    if not isinstance(event, bool):
        raise InputError(where, '"event" must be true or false')
    plover, sub = _opt(rec, "plover"), _opt(rec, "acled_sub_event_type")
    etype = _opt(rec, "acled_event_type")
    acled = tables.acled_types()
    if event and plover not in tables.PLOVER_TYPES:
        raise InputError(where, f"event without a valid PLOVER type ({plover!r}); one of {', '.join(tables.PLOVER_TYPES)}")
    if not event and (plover or sub):
        raise InputError(where, "a non-event carries no PLOVER or ACLED type")
    if sub is not None:
        if sub not in acled:
            raise InputError(where, f"unknown ACLED sub-event type {sub!r}")
        if etype not in (None, acled[sub][0]):
            raise InputError(where, f"ACLED sub-event type {sub!r} belongs to {acled[sub][0]!r}, not {etype!r}")
        etype = acled[sub][0]
    elif etype is not None:
        raise InputError(where, "an ACLED event type needs its sub-event type")
    split = rec.get("split") or (assign_split(rid) if hash_split else "train")
    if split not in SPLITS:
        raise InputError(where, f"split must be one of {', '.join(SPLITS)}")
    return Example(rid, " ".join(text.split()), event, plover, _opt(rec, "mode"), etype, sub,
                   str(rec.get("source") or "user"), split)  # fmt: skip


def read(paths: Iterable[Path], data_root: Path | None = None, errors: list[InputError] | None = None,
         hash_split: bool = False) -> Iterator[Example]:  # fmt: skip
    """Examples of JSONL files. A bad line raises, or is appended to ``errors`` when given.
    A record without ``split`` is ``train``, or with ``hash_split`` :func:`assign_split`'s."""
    seen: set[str] = set()
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            err = InputError(str(path), f"cannot read labelled JSONL ({exc})")
            if errors is None:
                raise err from exc
            errors.append(err)
            continue
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    raise InputError(str(path), f"not JSON ({exc})", n) from exc
                ex = parse(rec, f"{path}:{n}", data_root, hash_split)
                if ex.id in seen:
                    raise InputError(str(path), f"duplicate id {ex.id!r}", n)
                seen.add(ex.id)
            except InputError as err:
                if errors is None:
                    raise
                errors.append(err)
                continue
            yield ex


def shipped_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.jsonl"))


def default_data_root() -> Path | None:
    """``../shared/data`` of the working directory or of the source checkout, if present."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        cand = base.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return None


def _list_tar(path: Path, topics: set[str]) -> Iterator[dict[str, Any]]:
    root = default_data_root()
    rel = str(path.resolve().relative_to(root.resolve())) if root and path.resolve().is_relative_to(root.resolve()) else str(path)
    for (member, n), text in sorted(_tar_sentences(path).items()):
        if topics and member.split("/")[-2] not in topics:
            continue
        yield {"ref": {"path": rel, "member": member, "sentence": n, "sha1": sha1(text)}, "text": text}


def main(argv: list[str] | None = None) -> int:
    """``python -m eventwire.events.corpus sentences TARBALL [TOPIC…]``: every sentence of an ECB+
    tarball (or of the given topic folders) as a JSON line with the ``ref`` an annotator pastes
    into a corpus line (the ``text`` is for reading only; it is never stored in the corpus)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "sentences":
        print(main.__doc__, file=sys.stderr)
        return 2
    for rec in _list_tar(Path(args[1]), set(args[2:])):
        print(json.dumps(rec, ensure_ascii=False))
    return 0


__all__ = ["Example", "detokenize", "sha1", "tar_token_sentences", "assign_split", "parse", "read", "shipped_files", "default_data_root", "NONE", "SPLITS"]


if __name__ == "__main__":
    raise SystemExit(main())
