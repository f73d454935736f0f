"""e-Gov 法令標準XML (schema v3) → Document.

One provision per <Paragraph>, wherever it stands: under an <Article>, directly
under <MainProvision> or a <SupplProvision>, or (rarely) inside a table cell.
e-Gov law XML has no DTD: a document with a <!DOCTYPE> is refused before it is
parsed, so no entity is ever declared, expanded or fetched; the parser itself
also resolves no entity, loads no DTD and reaches no network.
"""

from __future__ import annotations

import re

from lxml import etree

from ..models import Part
from ..numerals import article_num, number_label
from .builder import DocumentBuilder

PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                         huge_tree=False, remove_comments=True, remove_pis=True)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# Elements whose text is a heading line of the document, not a provision.
_HEADINGS = {"PartTitle", "ChapterTitle", "SectionTitle", "SubsectionTitle", "DivisionTitle"}
# Item levels: <Item>, then <Subitem1> … <Subitem10>.
_ITEM_TAGS = {"Item"} | {f"Subitem{i}" for i in range(1, 11)}


class NotALaw(ValueError):
    """Well-formed XML that is not an e-Gov law document."""


class Refused(ValueError):
    """XML not parsed on purpose: a DTD (entities, external references) or more than the parser's limits."""


# libxml2's own limits (text node over 10 MB, nesting deeper than 256, entity amplification):
# errors about the size of the document, not about its syntax.
_LIMIT_MESSAGES = ("Resource limit exceeded", "Excessive depth", "XML_PARSE_HUGE", "amplification")


def parse_xml(text: str) -> etree._Element:
    """Parse decoded XML safely: refuse any DTD, say so when a parser limit is hit."""
    text = _XML_DECLARATION.sub("", text, count=1)
    # The whole text is searched, not its head: comments may stand before a DOCTYPE.
    if re.search(r"<!ENTITY", text, re.IGNORECASE):
        raise Refused("the XML declares entities (a DTD with <!ENTITY>); refused so that none is expanded or fetched")
    if re.search(r"<!DOCTYPE", text, re.IGNORECASE):
        raise Refused("the XML has a document type declaration (<!DOCTYPE>), which e-Gov law XML never has; "
                      "refused so that no DTD or entity is loaded")
    try:
        return etree.fromstring(text.encode("utf-8"), PARSER)
    except etree.XMLSyntaxError as exc:
        if any(m in str(exc) for m in _LIMIT_MESSAGES):
            raise Refused(f"XML beyond the parser's limits, not a law as e-Gov publishes it ({exc})") from exc
        raise


def read(builder: DocumentBuilder, text: str) -> None:
    root = parse_xml(text)
    if root.tag != "Law" or root.find("LawBody") is None:
        raise NotALaw(f"XML whose root is <{root.tag}>, not an e-Gov <Law> with a <LawBody>")
    etree.strip_elements(root, "Rt", with_tail=False)  # ruby readings are not part of the text
    body = root.find("LawBody")
    builder.title = _text(body.find("LawTitle"))
    builder.number = _text(root.find("LawNum")) or None
    builder.heading(builder.title)
    main = body.find("MainProvision")
    if main is not None:
        _walk(builder, main, "main", None)
    for suppl in body.iterfind("SupplProvision"):
        builder.start_suppl()
        label = suppl.get("AmendLawNum") or None
        builder.heading(_text(suppl.find("SupplProvisionLabel")) + (f"（{label}）" if label else ""))
        _walk(builder, suppl, "suppl", label)
    for table in body.iterfind("AppdxTable"):
        title = _text(table.find("AppdxTableTitle"))
        builder.heading(title)
        rows = [_text(x) for x in table if x.tag not in ("AppdxTableTitle", "RelatedArticleNum")]
        builder.provision(article=None, paragraph="1", part="appdx", caption=title or "別表",
                          text="\n".join(r for r in rows if r))


def _walk(builder: DocumentBuilder, parent: etree._Element, part: Part, suppl_label: str | None) -> None:
    for el in parent:
        tag = el.tag
        if tag in _HEADINGS:
            builder.heading(_text(el))
        elif tag == "Article":
            _article(builder, el, part, suppl_label)
        elif tag == "Paragraph":
            _paragraph(builder, el, None, None, part, suppl_label)
        elif tag in ("Part", "Chapter", "Section", "Subsection", "Division"):
            _walk(builder, el, part, suppl_label)
        elif tag == "SupplProvisionLabel":
            continue
        elif isinstance(tag, str):
            builder.continuation(_text(el))


def _article(builder: DocumentBuilder, art: etree._Element, part: Part, suppl_label: str | None) -> None:
    num = art.get("Num") or article_num(_text(art.find("ArticleTitle"))) or ""
    caption = _text(art.find("ArticleCaption")) or None
    if caption:
        builder.heading(caption)
    for el in art:
        if el.tag == "Paragraph":
            _paragraph(builder, el, num, caption, part, suppl_label)
        elif el.tag not in ("ArticleCaption", "ArticleTitle"):
            builder.continuation(_text(el))  # e.g. <SupplNote>


def _paragraph(builder: DocumentBuilder, para: etree._Element, article: str | None, caption: str | None,
               part: Part, suppl_label: str | None) -> None:
    num = para.get("Num") or number_label(_text(para.find("ParagraphNum"))) or "1"
    own_caption = _text(para.find("ParagraphCaption")) or None
    builder.provision(article=article, paragraph=num, part=part, caption=own_caption or caption,
                      suppl_label=suppl_label, text=_text(para.find("ParagraphSentence")))
    nested: list[etree._Element] = []
    for el in para:
        if el.tag in ("ParagraphNum", "ParagraphSentence", "ParagraphCaption"):
            continue
        if el.tag == "Item":
            _item(builder, el, el.get("Num") or "", nested)
        else:
            _block(builder, el, nested)
    for inner in nested:  # a <Paragraph> inside a table cell is a provision of its own
        _paragraph(builder, inner, article, caption, part, suppl_label)


def _item(builder: DocumentBuilder, item: etree._Element, num: str, nested: list) -> None:
    title = sentence = ""
    for el in item:
        if not isinstance(el.tag, str):
            continue
        if el.tag.endswith("Title"):
            title = _text(el)
        elif el.tag.endswith("Sentence"):
            sentence = _sentence(el)
    builder.item(num, f"{title}　{sentence}".strip("　"))
    for el in item:
        if el.tag in _ITEM_TAGS:  # sub-items are numbered by their title: 3-イ, 3-イ-(1)
            label = _text(el.find(f"{el.tag}Title")) or el.get("Num") or ""
            _item(builder, el, f"{num}-{label}", nested)
        elif isinstance(el.tag, str) and not (el.tag.endswith("Title") or el.tag.endswith("Sentence")):
            _block(builder, el, nested)


def _block(builder: DocumentBuilder, el: etree._Element, nested: list) -> None:
    """Tables, lists, figures and amendment text inside a paragraph or item: continuation lines."""
    if el.tag in ("TableStruct", "Table"):
        for title in el.iterfind("TableStructTitle"):
            builder.continuation(_text(title))
        for row in el.iter("TableRow"):
            cells = []
            for col in row.iterfind("TableColumn"):
                nested.extend(col.iterfind(".//Paragraph"))
                cells.append(_text(col, skip="Paragraph"))
            builder.continuation("　".join(c for c in cells if c))
    else:
        builder.continuation(_text(el))


def _sentence(el: etree._Element) -> str:
    """Sentence text; <Column> parts (定義語　説明) are separated by a full-width space."""
    columns = el.findall("Column")
    if columns:
        return "　".join(_text(c) for c in columns)
    return _text(el)


def _text(el: etree._Element | None, skip: str | None = None) -> str:
    """The element's text, without the layout whitespace between elements and without ``skip`` children."""
    if el is None:
        return ""
    out: list[str] = []

    def keep(piece: str | None) -> None:
        if piece and not (piece.isspace() and "\n" in piece):
            out.append(piece)

    def walk(node: etree._Element) -> None:
        keep(node.text)
        for child in node:
            if child.tag != skip and isinstance(child.tag, str):
                walk(child)
            keep(child.tail)

    walk(el)
    return "".join(out).strip()
