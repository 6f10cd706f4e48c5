"""Bytes → text: BOMs, UTF-8, declared HTML charsets, then charset-normalizer's guess.

Order (first that succeeds wins):

1. empty input → error;
2. a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) → that codec;
3. UTF-16 without a BOM (NUL bytes at every other position, none between) → that codec;
   other NUL bytes or a known binary signature → error "binary file";
4. strict UTF-8;
5. mostly valid UTF-8 multi-byte sequences, some invalid bytes → error "invalid UTF-8" (a UTF-8
   file that got corrupted; guessing a legacy codec would silently garble it). Legacy codecs
   (cp1256 Arabic, cp1252) form valid UTF-8 pairs only by accident, far fewer than invalid ones;
6. for HTML, a ``<meta charset>`` / ``http-equiv`` declaration that decodes cleanly;
7. charset-normalizer's best guess (cp1252, cp1256, latin-1, ...), unless it finds none.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of formats people drop into news folders by mistake.
_BINARY_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP/Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip data (name it .gz)"),
    (b"\x7fELF", "an executable"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# A UTF-8 multi-byte sequence (2-4 bytes): its presence means the file was meant as UTF-8.
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Share of control characters (other than tab/newline/CR/FF) above which decoded "text" is
# really binary. 1 % is far above any text seen in the dev data (0 control chars in 165 pages).
_MAX_CONTROL_SHARE = 0.01
_PREFERRED = ("cp1252", "cp1256", "latin_1", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _check_text(text: str, source: str) -> None:
    if text and len(_CONTROL.findall(text[:100_000])) > _MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise InputError(source, "binary file (control characters in the decoded text)")


# UTF-16 without a BOM: in text of any script, spaces, digits, newlines and Latin letters put
# a NUL on one side of this share of the code units (Arabic prose: ~0.2, English: ~1.0), and
# (almost) none on the other side (U+4E00 and the like end in a NUL byte); binary files have
# NULs on both sides. The decoded text must then pass the control-character check.
_UTF16_NUL_SHARE = 0.1
_UTF16_OTHER_SIDE = 0.02


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:65536]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= _UTF16_NUL_SHARE * half and even <= _UTF16_OTHER_SIDE * half:
        return "utf-16-le"
    if even >= _UTF16_NUL_SHARE * half and odd <= _UTF16_OTHER_SIDE * half:
        return "utf-16-be"
    return None


def decode(data: bytes, source: str, *, html: bool = False) -> tuple[str, str]:
    """Decode ``data`` to ``(text, encoding)``; raise :class:`InputError` for unusable bytes."""
    if not data.strip():
        raise InputError(source, "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(source, f"invalid {codec} after its byte-order mark: {exc.reason}") from None
            _check_text(text, source)
            return text, codec.replace("-sig", "")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(source, f"binary file ({what}), not text")
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            _check_text(text, source)
            return text, utf16
    if b"\x00" in data[:65536]:
        raise InputError(source, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        valid = len(_UTF8_MULTI.findall(data))
        invalid = data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
        if valid and invalid <= valid:
            raise InputError(
                source, f"invalid UTF-8 at byte {exc.start} (the rest is UTF-8; fix or re-encode the file)"
            ) from None
    else:
        _check_text(text, source)
        return text, "utf-8"
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "replace").lower()
            try:
                text = data.decode(codecs.lookup(name).name)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                _check_text(text, source)
                return text, codecs.lookup(name).name
    matches = list(from_bytes(data[:1_000_000]))
    if not matches:
        raise InputError(source, "cannot detect the text encoding (binary or corrupt file)")
    # Ties are common on short texts (cp1250/cp1252/cp1257 all decode "Café" without chaos);
    # among equally good guesses prefer the codecs news in this field actually uses.
    top = min(m.chaos for m in matches)
    tied = [c for m in matches if m.chaos <= top for c in (m.encoding, *m.could_be_from_charset)]
    encoding = next((c for c in _PREFERRED if c in tied), tied[0])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(source, f"not valid {encoding} text (corrupt file?)") from None
    _check_text(text, source)
    return text, encoding
