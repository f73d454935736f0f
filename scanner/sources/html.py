"""Parsing reiki HTML pages with lxml: shared by the ぎょうせい and 第一法規 readers."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_SPACES = re.compile(r"[ \t\r\n]+")


def parse_html(text: str) -> etree._Element:
    # The charset was already applied by encoding.decode(); drop declarations lxml would re-apply.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(text, parser=parser)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
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
