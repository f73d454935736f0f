"""Read an exported 点検結果一覧表, edited offline, back into the review store as decisions.

Each row carries its hidden keys (see ``export``). A row whose 判定, 見直し方針
and 備考 equal the provision's current decision adds nothing. Any other row
with a 判定 becomes a new decision on the text that was exported, by the
``reviewer`` given, or else by the row's 担当者, unless it conflicts:

- the provision's text has changed since the export (a later scan recorded
  another text): the row was decided on text that is no longer there;
- someone other than this row's reviewer decided it after the export.

Conflicts and invalid rows (unknown 判定 or 見直し方針, no reviewer, a provision
this store does not know) are reported and not applied. A 判定 emptied in the
sheet withdraws nothing: the history is append-only. The whole sheet is read in
one transaction, so no other writer slips in between a check and its write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .export import HEADERS, SHEET
from .store import Decision, InvalidDecision, Store


@dataclass(frozen=True)
class RowIssue:
    row: int  # the row number in the sheet
    citation: str
    category: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row} ({self.citation} {self.category}): {self.reason}"


@dataclass
class ImportReport:
    applied: list[Decision] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[RowIssue] = field(default_factory=list)
    invalid: list[RowIssue] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    number: int
    citation: str
    prov_key: str
    category: str
    text_hash: str
    decision_id: int
    verdict: str | None
    policy: str | None
    comment: str | None
    reviewer: str | None


def import_sheet(store: Store, path: Path, reviewer: str | None = None) -> ImportReport:
    """Record the edits of an exported sheet as decisions; see the module docstring for what is refused."""
    rows = _read(path)
    report = ImportReport()
    with store.transaction():
        for row in rows:
            _apply(store, row, reviewer or row.reviewer, report)
    return report


def _read(path: Path) -> list[_Row]:
    try:
        wb = load_workbook(path)
    except (BadZipFile, InvalidFileException) as exc:
        raise ValueError(f"{path}: not an xlsx workbook ({exc})") from exc
    if SHEET not in wb.sheetnames:
        raise ValueError(f"{path}: no sheet {SHEET}: not a sheet written by `scanner export`")
    ws = wb[SHEET]
    header = [c.value for c in ws[1]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise ValueError(f"{path}: the column(s) {', '.join(missing)} are gone: export again")
    at = {h: header.index(h) for h in HEADERS}
    rows = []
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        if not values[at["prov_key"]]:
            continue  # a row someone added by hand, or an empty one
        text = {h: _text(values[at[h]]) for h in ("条項号", "判定", "見直し方針", "担当者")}
        comment = values[at["備考"]]
        rows.append(_Row(number, text["条項号"] or "", values[at["prov_key"]], values[at["category"]],
                         values[at["text_hash"]], int(values[at["decision_id"]] or 0), text["判定"],
                         text["見直し方針"], str(comment) if _text(comment) else None, text["担当者"]))
    return rows


def _text(value) -> str | None:
    """A cell as stripped text, None when blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _apply(store: Store, row: _Row, reviewer: str | None, report: ImportReport) -> None:
    def issue(reason: str) -> RowIssue:
        return RowIssue(row.number, row.citation, store.vocabulary.labels.get(row.category, row.category), reason)

    if row.verdict is None:
        if row.policy or row.comment:
            report.invalid.append(issue("見直し方針 or 備考 without a 判定"))
        return
    latest_text = store.latest_text_hash(row.prov_key)
    if latest_text is None:
        report.invalid.append(issue("this review store has no such provision: was the sheet exported from it?"))
        return
    latest = store.latest_decision(row.prov_key, row.category)
    current = latest if latest and latest.text_hash == latest_text else None
    if current and (current.verdict, current.policy, current.comment) == (row.verdict, row.policy, row.comment):
        report.unchanged += 1
        return
    try:
        store.check_decision(row.category, reviewer, row.verdict, row.policy)
    except InvalidDecision as exc:
        report.invalid.append(issue(str(exc)))
        return
    if latest_text != row.text_hash:
        report.conflicts.append(issue("the provision's text has changed since the export: decide it again "
                                      "on a fresh export"))
    elif latest and latest.id > row.decision_id and latest.reviewer != reviewer:
        report.conflicts.append(issue(f"{latest.reviewer} decided it ({latest.verdict}) at {latest.decided_at}, "
                                      "after the export"))
    else:
        report.applied.append(store.save_decision(row.prov_key, row.category, row.text_hash, reviewer,
                                                  row.verdict, row.policy, row.comment))
