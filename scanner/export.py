"""The 点検結果一覧表: the flagged findings of a scan with their decisions, as xlsx or CSV.

xlsx: one row per flagged finding, highest score first, on the sheet
点検結果一覧表 (frozen header, autofilter, wrapped text), with a dropdown on 判定
and, on 見直し方針, the options of the row's type (from the hidden sheet 選択肢);
a 集計 sheet counts each type by status. Four hidden columns after 判定日 —
``prov_key``, ``category``, ``text_hash`` (of the text exported) and
``decision_id`` (the latest decision at export, 0 if none) — let ``scanner
import`` find the provision again and tell a stale row from a fresh one.

A text cell that begins with = + - @ (or a tab or carriage return) is never a
formula: in xlsx it is written as a string cell with Excel's quote prefix, so it
reads back unchanged; in CSV (UTF-8 with BOM, the visible columns only) it gets
a leading apostrophe ``'``, the usual guard against formula injection.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .rules import TYPES
from .store import UNDECIDED, QueueEntry, Store

SHEET, SUMMARY, OPTIONS = "点検結果一覧表", "集計", "選択肢"
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_MAX = 32_767  # characters; a longer 条文 is cut and ends in …
ROW_HEIGHT_MAX = 409.0  # points, Excel's largest row


@dataclass(frozen=True)
class Column:
    header: str
    width: float


COLUMNS = (
    Column("No", 6), Column("例規名", 28), Column("例規番号", 18), Column("条項号", 16), Column("見出し", 16),
    Column("条文", 60), Column("該当箇所", 20), Column("規制類型", 14), Column("スコア", 8), Column("検出理由", 36),
    Column("判定", 10), Column("見直し方針", 32), Column("備考", 30), Column("担当者", 12), Column("判定日", 12),
)
KEY_COLUMNS = ("prov_key", "category", "text_hash", "decision_id")
HEADERS = tuple(c.header for c in COLUMNS) + KEY_COLUMNS
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(name="Calibri", size=11, bold=True)  # the workbook's font: a Font without a name prints as a serif
_WRAP = Alignment(wrap_text=True, vertical="top")


def export(store: Store, out: Path, scan_id: int | None = None) -> int:
    """Write the sheet of ``scan_id`` (default: the latest) to ``out``, .xlsx or .csv; returns the rows written."""
    scan_id = scan_id if scan_id is not None else store.latest_scan_id()
    if scan_id is None:
        raise ValueError("the review store holds no scan yet: run `scanner scan … --db`")
    if scan_id not in {s.id for s in store.scans()}:
        raise ValueError(f"the review store has no scan {scan_id}")
    entries = store.queue(scan_id)
    rows = [_row(n, entry, store) for n, entry in enumerate(entries, 1)]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        _write_csv(out, rows)
    else:
        _write_xlsx(out, rows, entries, store, scan_id)
    return len(rows)


def _row(number: int, entry: QueueEntry, store: Store) -> list:
    f, d = entry.finding, entry.decision
    decided = [d.verdict, d.policy, d.comment, d.reviewer, _local_date(d.decided_at)] if d else [None] * 5
    latest = entry.decision or entry.previous
    return [
        number, f.title, f.number, f.citation, f.caption, f.text, f.matched,
        store.vocabulary.labels[f.category], f.score, "\n".join(f.reasons), *decided,
        entry.prov_key, f.category, entry.text_hash, latest.id if latest else 0,
    ]


def _local_date(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone().date()


# -- xlsx -------------------------------------------------------------------
def _write_xlsx(out: Path, rows: list[list], entries: list[QueueEntry], store: Store, scan_id: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _table(ws, rows)
    _dropdowns(ws, wb.create_sheet(OPTIONS), entries, store)
    _summary(wb.create_sheet(SUMMARY, 1), store, scan_id)
    wb.save(out)


def _table(ws: Worksheet, rows: list[list]) -> None:
    for col, header in enumerate(HEADERS, 1):
        cell = _put(ws, 1, col, header)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
    for r, values in enumerate(rows, 2):
        for col, value in enumerate(values, 1):
            cell = _put(ws, r, col, value)
            if col <= len(COLUMNS):  # not the hidden keys: LibreOffice draws wrapped text even in a hidden column
                cell.alignment = _WRAP
        ws.cell(r, HEADERS.index("スコア") + 1).number_format = "0.00"
        ws.row_dimensions[r].height = _row_height(values)
        ws.cell(r, HEADERS.index("判定日") + 1).number_format = "yyyy-mm-dd"
    for col, column in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = column.width
    for col in range(len(COLUMNS) + 1, len(HEADERS) + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    # printed: A3 landscape, every visible column on one page width, the header row on every page
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _row_height(values: list) -> float:
    """Points for a row whose wrapped text all shows: neither Excel nor LibreOffice fits rows when opening a file.

    A column's width counts half-width characters and a full-width one takes two; a little is
    kept for the cell's margins, and a line of Japanese text at 11 points takes about 18.
    """
    lines = 1
    for column, value in zip(COLUMNS, values):
        if isinstance(value, str):
            fits = max(2, int(column.width * 0.9))
            lines = max(lines, sum(max(1, -(-_text_width(line) // fits)) for line in value.split("\n")))
    return min(ROW_HEIGHT_MAX, 18.0 * lines)


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _dropdowns(ws: Worksheet, options: Worksheet, entries: list[QueueEntry], store: Store) -> None:
    """判定 from the three verdicts; 見直し方針 from the options of each row's type, listed on a hidden sheet."""
    vocab = store.vocabulary
    last = len(entries) + 1
    verdict_col = get_column_letter(HEADERS.index("判定") + 1)
    verdicts = DataValidation(type="list", formula1='"' + ",".join(vocab.verdicts) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="判定",
                              error=f"{'・'.join(vocab.verdicts)} から選んでください")
    verdicts.add(f"{verdict_col}2:{verdict_col}{last}")
    ws.add_data_validation(verdicts)

    policy_col = HEADERS.index("見直し方針") + 1
    for col, category in enumerate(TYPES, 1):
        _put(options, 1, col, vocab.labels[category])
        for r, option in enumerate(vocab.policies[category], 2):
            _put(options, r, col, option)
        rows = [r for r, e in enumerate(entries, 2) if e.finding.category == category]
        if not rows:
            continue
        letter = get_column_letter(col)
        listed = f"{quote_sheetname(OPTIONS)}!${letter}$2:${letter}${len(vocab.policies[category]) + 1}"
        dv = DataValidation(type="list", formula1=listed, allow_blank=True, showErrorMessage=True,
                            errorTitle="見直し方針", error=f"{vocab.labels[category]} の見直し方針から選んでください")
        for r in rows:
            dv.add(ws.cell(r, policy_col))
        ws.add_data_validation(dv)
    options.sheet_state = "hidden"


def _summary(ws: Worksheet, store: Store, scan_id: int) -> None:
    """Flagged findings per type and status, with totals."""
    statuses = store.statuses()
    names = {UNDECIDED: "未判定"}
    counts = store.counts_by_category(scan_id)
    _put(ws, 1, 1, f"スキャン {scan_id} の点検結果").font = _BOLD
    header = ["規制類型", *(names.get(s, s) for s in statuses), "計"]
    for col, text in enumerate(header, 1):
        _put(ws, 3, col, text).font = _BOLD
    totals = [0] * len(statuses)
    for r, category in enumerate(TYPES, 4):
        row = [counts.get(category, {}).get(s, 0) for s in statuses]
        totals = [t + n for t, n in zip(totals, row)]
        for col, value in enumerate([store.vocabulary.labels[category], *row, sum(row)], 1):
            _put(ws, r, col, value)
    for col, value in enumerate(["計", *totals, sum(totals)], 1):
        _put(ws, len(TYPES) + 4, col, value).font = _BOLD
    ws.column_dimensions["A"].width = 18


def _put(ws: Worksheet, row: int, col: int, value):
    """Write one cell; text is always a string cell, never a formula."""
    cell = ws.cell(row, col)
    if isinstance(value, str):
        cell.value = _fit(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_LEADS)
    else:
        cell.value = value
    return cell


def _fit(text: str) -> str:
    return text if len(text) <= EXCEL_CELL_MAX else text[:EXCEL_CELL_MAX - 1] + "…"


# -- CSV --------------------------------------------------------------------
def _write_csv(out: Path, rows: list[list]) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(c.header for c in COLUMNS)
        for values in rows:
            writer.writerow(_csv_cell(v) for v in values[:len(COLUMNS)])


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return str(value)
