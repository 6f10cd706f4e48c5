"""JSONL input: one article per line, ``{"text", "title"?, "url"?, "published_at"?,
"publisher"?, "byline"?, "id"?, "captions"?}``. A bad line is one rejection; the other lines go on.

``"id"`` (or ``"external_id"``) is the caller's own id for the article: it is kept as
``external_id`` (checked by :mod:`.checks`), never used as the article id, which always comes
from the text (a crafted id could otherwise overwrite or shadow a stored article).

An article record as ``eventwire split --jsonl`` writes it (``"body"`` instead of ``"text"``,
its paragraphs joined by blank lines) is read as is, so that stages pipe (README): its body is the
text, its id, source and captions (``[{"text", "credit"?}]``, or plain strings) are kept."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..records import Caption, RawDocument, Rejection

_OPTIONAL = ("title", "url", "published_at", "publisher", "byline", "external_id")


def _captions(val: object) -> tuple[Caption, ...] | None:
    """The ``"captions"`` of a line (None when malformed): a list of ``{"text", "credit"?}``
    objects, as ``split --jsonl`` writes them, or of strings."""
    if val is None:
        return ()
    if not isinstance(val, list):
        return None
    out = []
    for c in val:
        if isinstance(c, str):
            c = {"text": c}
        if not isinstance(c, dict) or not isinstance(c.get("text"), str):
            return None
        credit = c.get("credit")
        if credit is not None and not isinstance(credit, str):
            return None
        # (ingest.checks looks at string fields only: a lone surrogate or a NUL in a caption
        # would reach the store, so such a line is rejected here)
        if any("\x00" in t or any("\ud800" <= ch <= "\udfff" for ch in t) for t in (c["text"], credit or "")):
            return None
        if c["text"].strip():
            out.append(Caption(c["text"], credit or None))
    return tuple(out)


def parse_jsonl(data: bytes, source: str) -> Iterator[RawDocument | Rejection]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16", "replace").encode("utf-8")
    if not data.strip():
        yield Rejection(source, "empty file")
        return
    for n, raw in enumerate(data.split(b"\n"), start=1):
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Rejection(source, f"invalid UTF-8 at byte {exc.start} of the line", n)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(source, f"line is not JSON ({exc.msg} at column {exc.colno})", n)
            continue
        except RecursionError:
            yield Rejection(source, "line is JSON nested too deeply to read", n)
            continue
        if not isinstance(obj, dict):
            yield Rejection(source, f"line is a JSON {type(obj).__name__}, not an object", n)
            continue
        text = obj.get("text")
        where = f"{source}:{n}"
        if text is None and isinstance(obj.get("body"), str):  # an article record (split --jsonl)
            text = obj["body"]
            if isinstance(obj.get("source"), str) and obj["source"].strip():
                where = obj["source"]
        if not isinstance(text, str) or not text.strip():
            yield Rejection(source, 'line has no "text" string (or "body", as split --jsonl writes)', n)
            continue
        meta: dict[str, str | None] = {}
        bad = None
        for key in _OPTIONAL:
            val = obj.get(key)
            if key == "external_id" and val is None:
                val = obj.get("id")
            if val is None or val == "":
                meta[key] = None
            elif isinstance(val, (str, int)) and not isinstance(val, bool):
                meta[key] = str(val)
            else:
                bad = key
                break
        if bad:
            name = "id" if bad == "external_id" and "external_id" not in obj else bad
            yield Rejection(source, f'"{name}" must be a string', n)
            continue
        captions = _captions(obj.get("captions"))
        if captions is None:
            yield Rejection(source, '"captions" must be a list of {"text", "credit"} objects or strings', n)
            continue
        yield RawDocument(source=where, text=text, kind="article", encoding="utf-8", captions=captions, **meta)
