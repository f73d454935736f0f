"""ぎょうせい reiki pages → Document.

Each line of the page is a ``div.eline`` whose first child says what it is:
``head`` (title, date, number), ``article`` (第N条, caption in ``p.title``),
``clause`` (a numbered 項 or an unnumbered 附則 paragraph), ``item`` (号),
``s-head`` (附則, 別表 headings), ``table_frame`` (a table in the text).
"""

from __future__ import annotations

import re

from ..numerals import article_num, number_label
from .builder import DocumentBuilder
from .html import has_class, parse_html, table_rows, text_of

_ERA_YEAR = re.compile(r"^((?:明治|大正|昭和|平成|令和)(?:元|\d{1,4})年)")
_SUPPL_LABEL = re.compile(r"附\s{0,3}則\s{0,3}[(（]([^)）]{0,80})[)）]")  # bounded: linear on any heading


class NotGyosei(ValueError):
    """HTML without the ぎょうせい line structure."""


def looks_like(text: str) -> bool:
    return 'class="eline"' in text or "class='eline'" in text


def read(builder: DocumentBuilder, text: str) -> None:
    root = parse_html(text)
    lines = root.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " eline ")]')
    if not lines:
        raise NotGyosei("no div.eline lines: not a ぎょうせい reiki page")
    part, suppl_label, article, caption, date = "main", None, None, None, ""
    for line in lines:
        kids = [k for k in line if isinstance(k.tag, str)]
        if not kids:
            continue
        kind = kids[0]
        cls = (kind.get("class") or "").split()
        if "head" in cls:
            p = kind.find(".//p")
            value = text_of(kind)
            builder.heading(value)
            if p is not None and (has_class(p, "title-irregular") or has_class(p, "title")):
                builder.title = value.lstrip("○")
            elif p is not None and has_class(p, "date"):
                date = value
            elif p is not None and has_class(p, "number"):
                era = _ERA_YEAR.match(date)
                builder.number = (era.group(1) if era else "") + value
        elif "article" in cls:
            titles = [p for p in kind.iter("p") if has_class(p, "title")]
            caption = text_of(titles[0]) if titles else None
            if caption:
                builder.heading(caption)
            num_p = _num_paragraph(kind)
            label = _label(num_p)
            article = article_num(label) or label
            builder.provision(article=article, paragraph="1", part=part, caption=caption,
                              suppl_label=suppl_label, text=_body(num_p, label))
        elif "clause" in cls:
            num_p = _num_paragraph(kind)
            label = _label(num_p)
            builder.provision(article=article, paragraph=number_label(label) if label else "1", part=part,
                              caption=caption if article else None, suppl_label=suppl_label,
                              text=_body(num_p, label))
        elif any(re.fullmatch(r"(sub)?item\d*", c) for c in cls):
            num_p = _num_paragraph(kind)
            label = _label(num_p)
            num = number_label(label) if label else ""
            if "item" not in cls:  # a sub-item (ア, (ア) …) belongs to the item before it
                num = f"{builder.last_item_num() or ''}-{num}"
            builder.item(num, text_of(num_p if num_p is not None else kind))
        elif "s-head" in cls:
            heading = text_of(kind)
            builder.heading(heading)
            if heading.replace("　", "").startswith("附則"):
                builder.start_suppl()
                part, article, caption = "suppl", None, None
                m = _SUPPL_LABEL.search(heading.replace("　", ""))
                suppl_label = m.group(1) if m else None
            elif heading.startswith("別表"):
                part, article = "appdx", None
                builder.provision(article=None, paragraph="1", part="appdx", caption=heading, text="")
        elif "table_frame" in cls:
            for table in kind.iter("table"):
                for row in table_rows(table):
                    builder.continuation(row)  # a heading when no provision is open
        elif "form_section" in cls:
            builder.heading(text_of(kind))
            part = "appdx"
        else:
            builder.heading(text_of(kind))  # 章・節 headings and anything unknown: kept as context


def _num_paragraph(kind):
    for p in kind.iter("p"):
        if has_class(p, "num") or has_class(p, "p"):
            return p
    return None


def _label(num_p) -> str:
    if num_p is None:
        return ""
    spans = [s for s in num_p if s.tag == "span" and has_class(s, "num")]
    return text_of(spans[0]) if spans else ""


def _body(num_p, label: str) -> str:
    text = text_of(num_p)
    if label and text.startswith(label):
        text = text[len(label):]
    return text.strip("　 ")
