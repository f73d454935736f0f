"""第一法規 reiki pages → Document.

The page is flat: every line is a ``div.danraku-normal`` and the structure is
only in its ``id``, e.g. ``h:hL20:::2:7.0.0.0-4.0-0.0.0-0-0-0-0:1:`` is 第7条第4項:
the position field reads article.branch… - paragraph.branch - item.branch….
The second field says what the line is: ``hL10`` a caption, ``hL20`` body text,
``sO10``/``kO10`` a 附則 heading (original / amendment), ``sL30``/``kL30`` 附則 text,
``zA10`` the title, ``zB10`` the date and number.
"""

from __future__ import annotations

import re

from ..numerals import to_ascii_digits
from .builder import DocumentBuilder
from .html import parse_html, table_rows, text_of

# ASCII digits, a few of them: int() refuses numbers of over 4,300 digits, and \d matches any script's.
_POSITION = re.compile(r"^([0-9]{1,6}(?:\.[0-9]{1,6})*)-([0-9]{1,6}(?:\.[0-9]{1,6})*)-([0-9]{1,6}(?:\.[0-9]{1,6})*)")
_LEADING_ARTICLE = re.compile(r"^第[0-9０-９一二三四五六七八九十百千]+条(?:の[0-9０-９一二三四五六七八九十]+)*\s*")
_LEADING_NUMBER = re.compile(r"^[(（]?[0-9０-９]+[)）]?[　\s]+")
_NUMBER_LINE = re.compile(r"((?:明治|大正|昭和|平成|令和)(?:元|[0-9０-９]{1,4})年)[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
                          r"(.{1,60}第[0-9０-９]{1,8}号)")
_SUPPL_LABEL = re.compile(r"附\s{0,3}則\s{0,3}[(（]([^)）]{0,80})[)）]")  # bounded: linear on any heading


class NotD1law(ValueError):
    """HTML without the 第一法規 danraku structure."""


def looks_like(text: str) -> bool:
    return "danraku-normal" in text


def _branch(dotted: str) -> str:
    """'7.2.0.0' → '7_2' (zeros are unused branch slots)."""
    head, *rest = dotted.split(".")
    branches = [b for b in rest if b != "0"]
    return "_".join([str(int(head))] + [str(int(b)) for b in branches])


def read(builder: DocumentBuilder, text: str) -> None:
    root = parse_html(text)
    lines = root.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " danraku-normal ")]')
    if not lines:
        raise NotD1law("no div.danraku-normal lines: not a 第一法規 reiki page")
    part, suppl_label, caption = "main", None, None
    seen_title = False
    for line in lines:
        fields = (line.get("id") or "").split(":")
        kind = fields[1] if len(fields) > 1 else ""
        value = text_of(line)
        if not value:
            continue
        if kind.startswith("zA") or (not seen_title and kind.startswith("d")):
            if not builder.title:
                builder.title = value.lstrip("○")
            seen_title = True
            builder.heading(value)
            continue
        if kind.startswith("zB"):
            m = _NUMBER_LINE.search(to_ascii_digits(value))
            if m:
                builder.number = m.group(1) + m.group(2)
            builder.heading(value)
            continue
        if kind[1:2] == "O" or (kind[:1] in ("s", "k") and value.replace("　", "").startswith("附則")):
            builder.heading(value)
            builder.start_suppl()
            part = "suppl"
            m = _SUPPL_LABEL.search(value.replace("　", ""))
            suppl_label = m.group(1) if m else None
            caption = None
            continue
        if kind.endswith("10") and kind.startswith("h"):  # a caption such as （目的）
            caption = value
            builder.heading(value)
            continue
        pos = _POSITION.match(fields[5] if len(fields) > 5 else "")
        tables = line.findall(".//table")
        if pos is None:
            builder.heading(value)
            continue
        art, para, item = pos.groups()
        article = None if art.startswith("0") else _branch(art)
        paragraph = "1" if para.startswith("0") else _branch(para)
        if not item.startswith("0"):
            builder.item(_branch(item), value)
        elif tables:
            for table in tables:
                for row in table_rows(table):
                    builder.continuation(row)
        else:
            strip = _LEADING_ARTICLE if article is not None and paragraph == "1" else _LEADING_NUMBER
            builder.provision(article=article, paragraph=paragraph, part=part, caption=caption,
                              suppl_label=suppl_label, text=strip.sub("", value))
