"""Bytes to text: the document's own declaration first, else detection.

Reiki exports come as UTF-8, Shift_JIS (CP932) or EUC-JP, sometimes with the
charset declaration stripped or wrong.
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
_CANDIDATES = ["utf_8", "cp932", "euc_jis_2004"]


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
    """Decode a document: BOM, then its declaration, then UTF-8, then detection.

    A declaration that does not fit the bytes (a Shift_JIS page saved with a
    UTF-8 meta tag) is ignored rather than trusted.
    """
    if not data.strip():
        raise DecodeError("the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError("binary data, not a text document")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16"))
    declared = declared_encoding(data)
    for name in [declared, "utf_8"]:
        if name:
            try:
                return _checked(data.decode(name))
            except UnicodeDecodeError as exc:
                if exc.start >= len(data) - 4 and exc.end == len(data):
                    # a truncated file cut inside its last character: read what is there
                    return _checked(data[:exc.start].decode(name))
            except LookupError:
                pass
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("not text in UTF-8, Shift_JIS or EUC-JP (binary data or an unknown encoding)")
    return _checked(str(best))


def _checked(text: str) -> str:
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\t\r\n\f")
    if controls > 0.01 * min(len(text), 20000):
        raise DecodeError("binary data, not a text document")
    return text
