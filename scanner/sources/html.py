"""Parsing reiki HTML pages with lxml: shared by the ぎょうせい and 第一法規 readers."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_SPACES = re.compile(r"[ \t\r\n]+")


class PageRefused(ValueError):
    """HTML the readers build no page from: nothing in it, or more than the parser's limits."""


def parse_html(text: str) -> etree._Element:
    # The charset was already applied by encoding.decode(): the parser is handed UTF-8 and told so,
    # whatever <?xml encoding> or <meta charset> the page declares (found by fuzzing: a declaration
    # cut short, b'<?xml version="1.0" encoding="<div class="eline">', made lxml refuse the text).
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except etree.ParserError as exc:  # found by fuzzing: b'<!<div class="eline">' is "Document is empty"
        raise PageRefused(f"an HTML page with no content the reader can use ({exc})") from exc
    # libxml2 does not stop at its limits (a text over 10 MB, nesting deeper than 256): it drops what is beyond.
    limits = [e.message.strip() for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:
        raise PageRefused(f"HTML beyond the parser's limits, which would lose part of the page ({limits[0]}); not read")
    # Stripped in C: drop_tree() re-sets the parent's text in Python, which lxml refuses when the
    # text holds a control character (found by fuzzing: a \x0b after a </script>).
    etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    return root


def has_class(el: etree._Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


def text_of(el: etree._Element | None) -> str:
    """Visible text of an element, HTML layout whitespace collapsed, full-width spaces kept."""
    if el is None:
        return ""
    return _SPACES.sub("", el.text_content()).strip("　")


def table_rows(table: etree._Element) -> list[str]:
    """One line per table row, cells separated by a full-width space."""
    rows = []
    for tr in table.iter("tr"):
        cells = [text_of(td) for td in tr if td.tag in ("td", "th")]
        line = "　".join(c for c in cells if c)
        if line:
            rows.append(line)
    return rows
