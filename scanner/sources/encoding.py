"""Bytes to text: the document's own declaration first, else detection.

Reiki exports come as UTF-8, Shift_JIS (CP932) or EUC-JP, sometimes with the
charset declaration stripped or wrong, and sometimes as two files pasted
together: a Shift_JIS page with lines added in UTF-8.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Declarations live in the first bytes: <?xml encoding=…?>, <meta charset=…>, content="…; charset=…".
_DECLARATION = re.compile(rb"""(?:encoding|charset)\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)

# Shift_JIS pages almost always use CP932 extensions (①, ～, ㈱): read them with the superset.
_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
            "windows-31j": "cp932", "euc-jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004", "eucjp": "euc_jis_2004"}
_LEGACY = ["cp932", "euc_jis_2004"]
_CANDIDATES = ["utf_8", *_LEGACY]

# Characters of Japanese prose: kana, kanji, full-width forms and punctuation (not half-width katakana,
# which is what EUC-JP bytes mostly become when read as CP932).
_JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


class DecodeError(ValueError):
    """The bytes are not text in any encoding a reiki export uses."""


def declared_encoding(data: bytes) -> str | None:
    """The charset a document declares in its first 2 KB, normalised to a Python codec name."""
    m = _DECLARATION.search(data[:2048])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> str:
    """Decode a document: BOM, then UTF-8, then its declaration, then detection.

    Text that is valid UTF-8 and not plain ASCII is UTF-8 whatever it declares
    (no Shift_JIS or EUC-JP page is valid UTF-8 by accident); a declaration that
    does not fit the bytes (a Shift_JIS page saved with a UTF-8 meta tag) is
    ignored rather than trusted. A file mixing UTF-8 lines with Shift_JIS or
    EUC-JP lines is read line by line, each line in its own encoding.
    """
    if not data.strip():
        raise DecodeError("the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError("binary data, not a text document")
    if data.startswith(codecs.BOM_UTF8):
        # UTF-8, though lines may have been added in another encoding: read on like any other file
        # (found by fuzzing: b"\xef\xbb\xbf\xbd", a BOM and then no UTF-8, raised UnicodeDecodeError)
        data = data[3:]
        if not data.strip():
            raise DecodeError("the file is empty")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise DecodeError(f"a UTF-16 byte order mark, but not UTF-16 text ({exc.reason})") from exc
    declared = declared_encoding(data)
    if declared and not _ascii_compatible(declared):
        declared = None  # "UTF-16" in a file whose declaration we could read as ASCII is not UTF-16
    if data.isascii():  # 7-bit: ASCII, or ISO-2022-JP when declared so
        return _checked(_strict(data, declared) or data.decode("ascii"))
    text = _strict(data, "utf_8")
    if text is not None:
        return _checked(text)
    lines = data.splitlines(keepends=True)
    utf8 = [_strict(line, "utf_8") if not line.isascii() else None for line in lines]
    if any(t is not None for t in utf8):
        return _checked(_mixed(lines, utf8, declared))
    if declared and declared not in ("utf-8", "utf_8"):
        text = _strict(data, declared)
        if text is not None:
            return _checked(text)
    return _checked(_legacy(data))


def _strict(data: bytes, name: str | None) -> str | None:
    """``data`` decoded strictly, tolerating only a last character cut short by truncation; else None."""
    if not name:
        return None
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 4 and exc.end == len(data):
            # a truncated file cut inside its last character: read what is there
            return _strict(data[:exc.start], name)
        return None
    except (LookupError, ValueError):  # an unknown codec, or one that refuses these bytes in another way
        return None


def _legacy(data: bytes) -> str:
    """Text in Shift_JIS (CP932) or EUC-JP: the one that decodes, or the likelier of the two."""
    name = _choose(data)
    if name is None:
        raise DecodeError("not text in UTF-8, Shift_JIS or EUC-JP (binary data or an unknown encoding)")
    return _strict(data, name)


def _mixed(lines: list[bytes], utf8: list[str | None], declared: str | None) -> str:
    """Lines that are UTF-8 read as UTF-8; the others all in one legacy encoding, the declared one if it fits."""
    others = [line for line, text in zip(lines, utf8) if text is None]
    if declared and declared not in ("utf-8", "utf_8") and all(_strict(line, declared) is not None for line in others):
        name = declared
    else:
        name = _choose(b"".join(others))
    if name is None or any(_strict(line, name) is None for line in others):
        bad = [n for n, (line, text) in enumerate(zip(lines, utf8), 1)
               if text is None and not any(_strict(line, legacy) is not None for legacy in _LEGACY)]
        where = f"line {bad[0]} is" if bad else "its other lines are"
        raise DecodeError(f"UTF-8 mixed with other bytes, and {where} neither Shift_JIS nor EUC-JP")
    return "".join(text if text is not None else _strict(line, name) for line, text in zip(lines, utf8))


def _choose(data: bytes) -> str | None:
    """CP932 or EUC-JP, whichever reads ``data``; when both do, the likelier; None when neither does."""
    readings = {name: text for name in _LEGACY if (text := _strict(data, name)) is not None}
    if len(readings) < 2:
        return next(iter(readings), None)
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None and best.encoding in readings:
        return best.encoding
    # charset_normalizer gives up on short or repetitive text: count the characters of Japanese prose
    return max(readings, key=lambda name: len(_JAPANESE.findall(readings[name])))


def _ascii_compatible(name: str) -> bool:
    try:
        return "<a =\"'>".encode(name) == b"<a =\"'>"
    except (LookupError, UnicodeError, ValueError):
        return False


def _checked(text: str) -> str:
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\t\r\n\f")
    if controls > 0.01 * min(len(text), 20000):
        raise DecodeError("binary data, not a text document")
    return text
