"""Assemble a Document from what a reader walks through, in reading order.

Every reader hands over headings and provisions in page order; the builder
lays them out as the document's text, records each provision's offsets in it,
and writes the citations (a lone paragraph of an article is cited without 第1項).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from ..models import Document, Format, Item, Part, Provision
from ..numerals import citation


@dataclass
class _Draft:
    article: str | None
    paragraph: str
    part: Part
    caption: str | None
    suppl_label: str | None
    suppl_index: int
    lines: list[str]
    items: list[tuple[str, list[str]]] = field(default_factory=list)
    last_main: str | None = None  # the last 号 that is no sub-item: kept as items come, not searched for each


class TooManyLines(ValueError):
    """More lines than any real document has: refused before they cost more memory."""


class DocumentBuilder:
    def __init__(self, source: str, fmt: Format, data: bytes, max_lines: int = 100_000):
        self.source = source
        self.format = fmt
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.title = ""
        self.number: str | None = None
        self._blocks: list[str | _Draft] = []
        self._suppl_index = 0
        self._lines = 0
        self._max_lines = max_lines

    # -- what readers call -------------------------------------------------
    def heading(self, text: str) -> None:
        """A line that belongs to no provision: title, 章 heading, caption of a 附則, table caption."""
        text = text.strip()
        if text:
            self._count()
            self._blocks.append(text)

    def start_suppl(self) -> None:
        """A new 附則 begins (an Act or ordinance has one per amendment)."""
        self._suppl_index += 1

    def provision(self, *, article: str | None, paragraph: str, part: Part, text: str,
                  caption: str | None = None, suppl_label: str | None = None) -> None:
        self._count()
        self._blocks.append(_Draft(article, paragraph, part, caption or None, suppl_label or None,
                                   self._suppl_index if part == "suppl" else 0, [text.strip()]))

    def item(self, num: str, text: str) -> None:
        """A 号 (or sub-item "3-イ") of the current provision."""
        draft = self._current()
        if draft is None:
            self.heading(text)
        else:
            self._count()
            draft.items.append((num, [text.strip()]))
            if "-" not in num:
                draft.last_main = num

    def continuation(self, text: str) -> None:
        """More text of the current provision or item: a table, a list, a proviso on its own line."""
        text = text.strip()
        if not text:
            return
        draft = self._current()
        if draft is None:
            self.heading(text)
            return
        self._count()
        if draft.items:
            draft.items[-1][1].append(text)
        else:
            draft.lines.append(text)

    def last_item_num(self) -> str | None:
        """The number of the current provision's last main 号, for numbering its sub-items."""
        draft = self._current()
        return draft.last_main if draft is not None else None

    @property
    def has_provision(self) -> bool:
        return self._current() is not None

    # -- the result --------------------------------------------------------
    def build(self) -> Document:
        per_article = Counter((d.part, d.suppl_index, d.article) for d in self._blocks if isinstance(d, _Draft))
        chunks: list[str] = []
        provisions: list[Provision] = []
        pos = 0
        for block in self._blocks:
            if isinstance(block, str):
                chunks.append(block)
                pos += len(block) + 1
                continue
            body = "\n".join(line for line in block.lines if line)
            text, items = body, []
            for num, lines in block.items:
                start = len(text) + 1 if text else 0
                text = (text + "\n" if text else "") + "\n".join(lines)
                items.append(Item(num, start, len(text)))
            single = per_article[(block.part, block.suppl_index, block.article)] == 1
            provisions.append(Provision(
                article=block.article,
                paragraph=block.paragraph,
                part=block.part,
                citation=_cite(block, single),
                text=text,
                start=pos,
                end=pos + len(text),
                caption=block.caption,
                suppl_label=block.suppl_label,
                items=tuple(items),
            ))
            chunks.append(text)
            pos += len(text) + 1
        return Document(source=self.source, format=self.format, title=self.title.strip(),
                        number=self.number, text="\n".join(chunks), sha256=self.sha256,
                        provisions=tuple(provisions))

    def _count(self) -> None:
        self._lines += 1
        if self._lines > self._max_lines:
            raise TooManyLines(f"more than {self._max_lines:,} lines (headings, 項, 号, table rows; the longest of "
                               "the 2,072 e-Gov Acts has 6,932); not read")

    def _current(self) -> _Draft | None:
        """The provision still open: the last block, unless a heading has closed it."""
        last = self._blocks[-1] if self._blocks else None
        return last if isinstance(last, _Draft) else None


def _cite(d: _Draft, single: bool) -> str:
    if d.part == "appdx":
        return d.caption or "別表"
    return citation(d.article, d.paragraph, suppl=d.part == "suppl", suppl_label=d.suppl_label,
                    single_paragraph=single)
