"""The 点検結果一覧表 out of the store and, edited offline, back in: columns, dropdowns, edits, conflicts, escaping."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from scanner.cli import main
from scanner.export import COLUMNS, HEADERS, SHEET, _row_height, export
from scanner.importer import import_sheet
from scanner.policies import Vocabulary
from scanner.store import Store

from .conftest import FIXTURES, SAMPLES
from .test_store import AMENDED_SIGN, SIGN, decide, entry, scan

RUMOI = FIXTURES / "rumoi-akiya-jorei.txt"


@pytest.fixture
def store_path(tmp_path, model_path):
    """The 留萌市 ordinance and the five sample Acts scanned into one fresh store."""
    db = tmp_path / "review.sqlite"
    assert main(["scan", str(RUMOI), str(SAMPLES / "egov"), "--out", str(tmp_path / "out"),
                 "--model", str(model_path), "--db", str(db)]) == 0
    return db


def rows_by_key(ws):
    """Sheet rows as dicts of cells, keyed by (例規名 prefix, 条項号, category)."""
    header = [c.value for c in ws[1]]
    out = {}
    for cells in ws.iter_rows(min_row=2):
        row = dict(zip(header, cells))
        out[(row["例規名"].value[:4], row["条項号"].value, row["category"].value)] = row
    return out


def test_sheet_layout_dropdowns_and_summary(store_path, tmp_path):
    out = tmp_path / "reports" / "点検結果.xlsx"
    assert main(["export", "--db", str(store_path), "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [SHEET, "集計", "選択肢"] and wb["選択肢"].sheet_state == "hidden"
    ws = wb[SHEET]
    with Store(store_path) as st:
        scan_id = st.latest_scan_id()
        queue = st.queue(scan_id)
        vocab = st.vocabulary
        counts = st.counts_by_category(scan_id)
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert ws.max_row == len(queue) + 1 and len(queue) >= 8
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == list(range(1, len(queue) + 1))
    assert [ws.cell(r, HEADERS.index("スコア") + 1).value for r in range(2, ws.max_row + 1)] == \
        [e.finding.score for e in queue]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:S{len(queue) + 1}"
    assert [letter for letter, dim in ws.column_dimensions.items() if dim.hidden] == ["P", "Q", "R", "S"]
    assert ws.column_dimensions["F"].width == 60 and ws["F2"].alignment.wrap_text

    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations.pop(f"K2:K{len(queue) + 1}") == '"該当,非該当,要確認"'
    options = wb["選択肢"]
    for sqref, formula in validations.items():
        cells = sqref.split()
        categories = {ws[c.replace("L", "Q")].value for c in cells}
        assert len(categories) == 1 and all(c.startswith("L") for c in cells)
        listed = [c.value for row in options[formula.split("!")[1].replace("$", "")] for c in row]
        assert tuple(listed) == vocab.policies[categories.pop()]
    assert sum(len(sqref.split()) for sqref in validations) == len(queue)

    summary = {row[0]: row[1:] for row in wb["集計"].iter_rows(min_row=4, values_only=True)}
    assert summary["実地監査"] == (*counts["onsite_audit"].values(), sum(counts["onsite_audit"].values()))
    assert summary["計"][-1] == len(queue)
    assert summary["FD等記録媒体"] == (0, 0, 0, 0, 0)


def test_printed_on_a3_landscape_one_page_wide_with_rows_tall_enough_for_their_text(store_path, tmp_path):
    out = tmp_path / "点検結果.xlsx"
    with Store(store_path) as st:
        export(st, out)
    ws = load_workbook(out)[SHEET]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 8, 1, 0)  # 8: A3
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert ws["A1"].font.name == "Calibri" and ws["A1"].font.b
    text_col = HEADERS.index("条文") + 1
    rows = range(2, ws.max_row + 1)
    for r in rows:  # every row as tall as the most-wrapped of its cells needs
        assert ws.row_dimensions[r].height == _row_height([ws.cell(r, c).value for c in range(1, len(COLUMNS) + 1)])
    longest = max(rows, key=lambda r: len(ws.cell(r, text_col).value))
    assert ws.row_dimensions[longest].height > 18  # the longest 条文 takes several lines
    # a 条文 of 60 full-width characters: 27 fit a line of the 60-wide column, so three lines
    assert _row_height([None] * 5 + ["あ" * 60]) == 54
    assert _row_height(["x" * 100_000]) == 409  # Excel's largest row
    assert not ws.cell(2, len(COLUMNS) + 1).alignment.wrap_text  # the hidden keys


def test_edits_made_offline_come_back_exactly(store_path, tmp_path):
    sheet = tmp_path / "reports" / "offline.xlsx"
    with Store(store_path) as st:
        export(st, sheet)
    wb = load_workbook(sheet)
    rows = rows_by_key(wb[SHEET])
    edits = {
        ("留萌市空", "第7条第1項", "onsite_audit"): ("該当", "書面・リモートでの確認を可能とする", "- 同行者の立入も対象", "佐藤"),
        ("工業用水", "第24条第1項", "onsite_audit"): ("非該当", None, "+ 罰則の前提規定", "佐藤"),
        ("留萌市空", "第10条第1項", "posted_documents"): ("要確認", "その他（備考に記載）", "@法務課に照会", "鈴木"),
    }
    for key, values in edits.items():
        for header, value in zip(("判定", "見直し方針", "備考", "担当者"), values):
            rows[key][header].value = value
    bad = rows[("留萌市空", "第7条第1項", "visual_inspection")]
    bad["判定"].value = "たぶん該当"
    wb.save(sheet)

    with Store(store_path) as st:
        report = import_sheet(st, sheet)
        assert len(report.applied) == 3 and report.conflicts == [] and report.unchanged == 0
        [invalid] = report.invalid
        assert invalid.row == bad["判定"].row and "判定" in invalid.reason
        queue = st.queue(st.latest_scan_id())
        decided = {(e.finding.title[:4], e.finding.citation, e.finding.category):
                   (e.decision.verdict, e.decision.policy, e.decision.comment, e.decision.reviewer)
                   for e in queue if e.decision}
        assert decided == edits
        assert st.progress(st.latest_scan_id()).by_reviewer == {"佐藤": 2, "鈴木": 1}

        again = import_sheet(st, sheet)  # the same sheet twice adds nothing
        assert (again.applied, again.unchanged, len(again.invalid)) == ([], 3, 1)

        second = tmp_path / "reports" / "again.xlsx"
        export(st, second)
    wb = load_workbook(second)
    back = rows_by_key(wb[SHEET])
    for key, values in edits.items():
        assert tuple(back[key][h].value for h in ("判定", "見直し方針", "備考", "担当者")) == values
        assert back[key]["判定日"].value.date() == date.today()
    untouched = [row for key, row in back.items() if key not in edits]
    assert untouched and all(row["判定"].value is None for row in untouched)
    summary = {row[0]: row[1:] for row in wb["集計"].iter_rows(min_row=4, values_only=True)}
    onsite = sum(1 for key in back if key[2] == "onsite_audit")  # 2 of them decided above
    assert onsite >= 2 and summary["実地監査"] == (onsite - 2, 1, 1, 0, onsite)
    assert summary["書面掲示"] == (0, 0, 0, 1, 1)


def test_stale_rows_are_reported_not_applied(store_path, tmp_path, model_path, capsys):
    sheet = tmp_path / "before.xlsx"
    with Store(store_path) as st:
        export(st, sheet)
        queue = st.queue(st.latest_scan_id())
        late = decide(st, entry(queue, "第24条第1項", "onsite_audit"), "田中", "該当")  # someone else, after export
        own = decide(st, entry(queue, "第15条第1項", "visual_inspection"), "佐藤", "要確認")  # the importer, after

    amended = tmp_path / "amended" / "rumoi.txt"  # a re-scan changes the text of 第10条第1項
    amended.parent.mkdir()
    amended.write_text(RUMOI.read_text(encoding="utf-8").replace(SIGN, AMENDED_SIGN), encoding="utf-8")
    scan(model_path, amended, store_path, tmp_path / "out2")

    wb = load_workbook(sheet)
    rows = rows_by_key(wb[SHEET])
    for key in [("工業用水", "第24条第1項", "onsite_audit"), ("留萌市空", "第10条第1項", "posted_documents"),
                ("留萌市空", "第7条第1項", "onsite_audit"), ("工業用水", "第15条第1項", "visual_inspection")]:
        rows[key]["判定"].value = "非該当"
    wb.save(sheet)

    assert main(["import", "--db", str(store_path), str(sheet), "--reviewer", "佐藤"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2
    assert printed[0].startswith(f"conflict: row {rows[('工業用水', '第24条第1項', 'onsite_audit')]['判定'].row} ")
    assert "田中 decided it" in printed[0]
    assert printed[1].startswith(f"conflict: row {rows[('留萌市空', '第10条第1項', 'posted_documents')]['判定'].row} ")
    assert "text has changed" in printed[1]

    with Store(store_path) as st:
        assert st.latest_decision(late.prov_key, "onsite_audit") == late
        changed = entry(st.queue(st.latest_scan_id()), "第10条第1項", "posted_documents")
        assert changed.decision is None and st.history(changed.prov_key, "posted_documents") == []
        kept = st.latest_decision(f"{changed.prov_key.split('#')[0]}#第7条第1項", "onsite_audit")
        assert (kept.verdict, kept.reviewer) == ("非該当", "佐藤")
        mine = st.latest_decision(own.prov_key, "visual_inspection")
        assert mine.id > own.id and mine.verdict == "非該当"


def test_formula_like_text_stays_text_in_xlsx_and_csv(tmp_path, model_path):
    source = tmp_path / "rumoi.txt"
    text = RUMOI.read_text(encoding="utf-8")
    text = text.replace("第７条　市長は", "第７条　+市長は").replace("第10条　市長は", "第10条　=市長は")
    source.write_text(text, encoding="utf-8")
    db = tmp_path / "review.sqlite"
    scan(model_path, source, db, tmp_path / "out")
    comments = {("第7条第1項", "onsite_audit"): "=1+1", ("第7条第1項", "visual_inspection"): "-目視不要",
                ("第10条第1項", "posted_documents"): "@担当課"}
    with Store(db) as st:
        queue = st.queue(st.latest_scan_id())
        for e in queue:
            if (e.finding.citation, e.finding.category) in comments:
                decide(st, e, "佐藤", "要確認", comment=comments[e.finding.citation, e.finding.category])
        export(st, tmp_path / "sheet.xlsx")
        export(st, tmp_path / "sheet.csv")
    starts = {e.finding.text[0] for e in queue}
    assert {"+", "="} <= starts

    ws = load_workbook(tmp_path / "sheet.xlsx")[SHEET]
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row))
        e = next(e for e in queue
                 if e.prov_key == cells["prov_key"].value and e.finding.category == cells["category"].value)
        assert cells["条文"].value == e.finding.text and cells["条文"].data_type == "s"
        assert cells["条文"].quotePrefix == e.finding.text.startswith(("=", "+"))
        assert cells["備考"].value == comments[e.finding.citation, e.finding.category]
        assert cells["備考"].data_type == "s" and cells["備考"].quotePrefix
    with Store(db) as st:  # the sheet read back equals the store: nothing to record
        report = import_sheet(st, tmp_path / "sheet.xlsx")
    assert (report.applied, report.unchanged, report.conflicts, report.invalid) == ([], len(queue), [], [])

    labels = Vocabulary.load().labels
    raw = (tmp_path / "sheet.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [c.header for c in COLUMNS]
    assert len(rows) == len(queue) + 1
    for row in rows[1:]:
        cells = dict(zip(rows[0], row))
        assert not cells["条文"].startswith(("=", "+", "-", "@"))
        e = next(e for e in queue if e.finding.citation == cells["条項号"]
                 and labels[e.finding.category] == cells["規制類型"])
        lead = "'" if e.finding.text.startswith(("=", "+")) else ""
        assert cells["条文"] == lead + e.finding.text
        assert cells["備考"] == "'" + comments[e.finding.citation, e.finding.category]


def test_export_and_import_need_an_existing_store(tmp_path, capsys):
    missing = tmp_path / "none.sqlite"
    assert main(["export", "--db", str(missing), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert main(["import", "--db", str(missing), str(tmp_path / "x.xlsx")]) == 2
    assert "no review store" in capsys.readouterr().err
    assert not missing.exists()
    Store(missing).close()
    assert main(["export", "--db", str(missing), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "holds no scan" in capsys.readouterr().err


def test_export_of_an_unknown_scan_and_import_of_a_csv_are_refused(store_path, tmp_path, capsys):
    assert main(["export", "--db", str(store_path), "--out", str(tmp_path / "x.xlsx"), "--scan", "7"]) == 2
    assert "no scan 7" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()
    assert main(["export", "--db", str(store_path), "--out", str(tmp_path / "x.csv")]) == 0
    assert main(["import", "--db", str(store_path), str(tmp_path / "x.csv")]) == 2
    assert "not an xlsx workbook" in capsys.readouterr().err
