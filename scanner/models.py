"""The data that flows through every stage: plain frozen dataclasses, no parser objects.

A ``Document`` is one ordinance, rule or Act; its ``Provision`` objects are the
units a reviewer cites and judges: one 項 (paragraph) with its 号 (items).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Format = Literal["egov", "gyosei", "d1law", "text"]
Part = Literal["main", "suppl", "appdx"]


@dataclass(frozen=True)
class Item:
    """One 号 inside a provision; ``start``/``end`` index the provision's text."""

    num: str  # e-Gov form: "3", "3_2"; sub-items "3-イ"
    start: int
    end: int


@dataclass(frozen=True)
class Provision:
    """One 項 (or an unnumbered single-paragraph 条, or a 附則 paragraph).

    ``text`` holds the paragraph sentence followed by one line per item.
    ``start``/``end`` are the offsets of ``text`` in the owning document's
    ``text``, so ``document.text[start:end] == text``.
    """

    article: str | None  # e-Gov form: "17_2" for 第十七条の二; None for a bare 附則 paragraph
    paragraph: str  # "1" for a single-paragraph article
    part: Part
    citation: str  # as a reviewer writes it: 第17条の2第1項
    text: str
    start: int
    end: int
    caption: str | None = None  # 見出し, e.g. (立入調査)
    suppl_label: str | None = None  # the amending act of an amendment 附則
    items: tuple[Item, ...] = ()

    @property
    def suppl(self) -> bool:
        return self.part == "suppl"

    def item_at(self, offset: int) -> Item | None:
        """The 号 containing ``offset`` (an index into ``text``), if any."""
        for item in self.items:
            if item.start <= offset < item.end:
                return item
        return None


@dataclass(frozen=True)
class Document:
    """One ordinance, rule or Act as read from one file (or one zip member)."""

    source: str  # file path; "archive.zip!member.html" for a zip member
    format: Format
    title: str
    number: str | None  # 例規番号 / 法令番号: 令和5年条例第23号
    text: str  # the whole document as plain text, one source line per line
    sha256: str  # of the source bytes
    provisions: tuple[Provision, ...] = ()


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read, with a reason a person understands."""

    source: str
    reason: str


def provision_record(doc: Document, prov: Provision) -> dict:
    """A provision as one JSON object, with its document's identity."""
    rec = asdict(prov)
    rec["items"] = [asdict(i) for i in prov.items]
    rec["suppl"] = prov.suppl
    return {"source": doc.source, "title": doc.title, "number": doc.number, "format": doc.format, **rec}


@dataclass(frozen=True)
class Finding:
    """One flagged (or, with --all, rejected) type in one provision. Plain data: survives JSON and processes."""

    source: str
    title: str
    number: str | None
    citation: str
    article: str | None
    paragraph: str
    item: str | None
    suppl: bool
    caption: str | None
    category: str
    score: float
    verdict: str  # "flagged" or "rejected"
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    span: tuple[int, int]  # in the provision text
    source_span: tuple[int, int]  # in the document text
    matched: str
    modality: str
    text: str

    def record(self) -> dict:
        rec = asdict(self)
        rec["rules"], rec["reasons"] = list(self.rules), list(self.reasons)
        rec["span"], rec["source_span"] = list(self.span), list(self.source_span)
        return rec
