"""Plain-text 条文 → Document.

Recognised lines: 第N条 (an article and its first 項), N / ２ (a further 項),
一 / (1) (号), ア / イ / (ア) (sub-items), （見出し）, 第N章 headings and 附則.
Any other line continues the provision before it.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..numerals import IROHA, article_num, number_label, to_ascii_digits
from .builder import DocumentBuilder

_NUM = "0-9０-９"
_KANJI = "一二三四五六七八九十百千"
_ARTICLE = re.compile(rf"^(第[{_NUM}{_KANJI}]+条(?:の[{_NUM}{_KANJI}]+)*)[\s　]*(.*)$")
_PARAGRAPH = re.compile(rf"^([{_NUM}]+)[\s　]+(.*)$")
_ITEM_KANJI = re.compile(rf"^([{_KANJI}]+(?:の[{_KANJI}]+)*)[\s　]+(.*)$")
_ITEM_PAREN = re.compile(rf"^[(（]([{_NUM}]+)[)）][\s　]*(.*)$")
_SUBITEM = re.compile(rf"^[(（]?([アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ{IROHA}])[)）]?[\s　]+(.*)$")
_CAPTION = re.compile(r"^[(（][^()（）]{1,40}[)）]$")
_HEADING = re.compile(rf"^第[{_NUM}{_KANJI}]+[編章節款目][\s　]")
_SUPPL = re.compile(r"^附[\s　]*則(.*)$")
# Repeats are bounded: with ``[^\s　]*?`` a search of a 26 MB line of 令和5年令和5年… ran past five minutes.
_NUMBER = re.compile(r"((?:明治|大正|昭和|平成|令和)(?:元|[0-9０-９一二三四五六七八九十]{1,4})年)"
                     r"(?:[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}日)?"
                     r"([^\s　]{0,40}?(?:条例|規則|規程|訓令|告示|法律|政令|省令)第[0-9０-９一二三四五六七八九十百千]{1,8}号)")
_NUMBER_LINE_CHARS = 200  # a 例規番号 line is short; only its head is searched


# The line boundaries of str.splitlines(), found one at a time.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one: a file of millions of short lines is not held as millions of strings."""
    start = 0
    for m in _LINE_BREAK.finditer(text):
        yield text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield text[start:]


def read(builder: DocumentBuilder, text: str) -> None:
    part, article, suppl_label, caption = "main", None, None, None
    item_style: str | None = None
    for index, raw in enumerate(_lines(text)):
        line = raw.strip(" \t\r").strip("　")
        if not line:
            continue
        if not builder.title:
            builder.title = line.lstrip("○")
            builder.heading(line)
            continue
        if (builder.number is None and index < 6 and not builder.has_provision
                and (m := _NUMBER.search(to_ascii_digits(line[:_NUMBER_LINE_CHARS])))):
            builder.number = m.group(1) + m.group(2)
            builder.heading(line)
            continue
        if m := _SUPPL.match(line):
            builder.heading(line)
            builder.start_suppl()
            part, article, caption = "suppl", None, None
            label = m.group(1).strip("　 ")
            suppl_label = label.strip("()（）") or None if label.startswith(("(", "（")) else None
            continue
        if _CAPTION.match(line):
            caption = line
            builder.heading(line)
            continue
        if _HEADING.match(line):
            builder.heading(line)
            continue
        if m := _ARTICLE.match(line):
            article = article_num(m.group(1))
            item_style = None
            builder.provision(article=article, paragraph="1", part=part, caption=caption,
                              suppl_label=suppl_label, text=m.group(2))
            continue
        if (m := _PARAGRAPH.match(line)) and (article is not None or part == "suppl"):
            item_style = None
            builder.provision(article=article, paragraph=number_label(m.group(1)), part=part,
                              caption=caption if article else None, suppl_label=suppl_label, text=m.group(2))
            continue
        if builder.has_provision:
            if (m := _ITEM_KANJI.match(line)) and item_style in (None, "kanji"):
                item_style = "kanji"
                builder.item(number_label(m.group(1)), line)
                continue
            if m := _ITEM_PAREN.match(line):
                if item_style in (None, "paren"):
                    item_style = "paren"
                    builder.item(number_label(m.group(1)), line)
                else:
                    builder.item(f"{builder.last_item_num()}-({to_ascii_digits(m.group(1))})", line)
                continue
            if (m := _SUBITEM.match(line)) and builder.last_item_num():
                builder.item(f"{builder.last_item_num()}-{m.group(1)}", line)
                continue
            builder.continuation(line)
        elif part == "suppl":  # an unnumbered 附則 paragraph
            builder.provision(article=None, paragraph="1", part=part, suppl_label=suppl_label, text=line)
        else:
            builder.heading(line)
