"""What the review app shows and what it accepts: escaping, highlighting, navigation, uploads, paths, export bytes."""

import io

import pytest
from openpyxl import load_workbook

from scanner import review, uploads
from scanner.export import SHEET
from scanner.sources.inputs import MB
from scanner.store import Store


@pytest.mark.parametrize("text, span, expected", [
    ("職員に立ち入らせる。", (3, 8), "職員に<mark>立ち入らせ</mark>る。"),
    ("<script>alert(1)</script>を掲示", (26, 28), "&lt;script&gt;alert(1)&lt;/script&gt;を<mark>掲示</mark>"),
    ("a < b & 標識", (8, 10), "a &lt; b &amp; <mark>標識</mark>"),
    ("一　帳簿\n二　書類", (2, 4), "一　<mark>帳簿</mark><br>二　書類"),
    ("範囲外", (2, 9), "範囲外"),  # a span that does not fit the text marks nothing
])
def test_highlight_escapes_the_text_before_marking_the_span(text, span, expected):
    assert review.highlight(text, span) == expected


def test_a_trigger_made_of_markup_is_marked_as_text():
    assert review.highlight("<b>立入</b>", (0, 9)) == "<mark>&lt;b&gt;立入&lt;/b&gt;</mark>"


def test_next_and_previous_follow_the_queue_as_shown():
    ids = [7, 3, 9]
    assert review.following(ids, 7) == 3 and review.following(ids, 9) is None
    assert review.preceding(ids, 3) == 7 and review.preceding(ids, 7) is None
    assert review.following(ids, 4) is None  # a finding no longer in the queue


def test_keys_avoid_the_ones_streamlit_keeps():
    keys = [k for _, k in review.KEYS.verdicts] + [review.KEYS.next, review.KEYS.previous]
    assert len(set(keys)) == len(keys)
    assert not {k.lower() for k in keys} & {"c", "r"}


# -- uploads ---------------------------------------------------------------------
def test_uploads_are_written_under_generated_names_and_read_back_under_theirs(tmp_path):
    folder = tmp_path / "staging"
    folder.mkdir()
    staged = uploads.stage([uploads.Upload("../../etc/passwd.txt", b"x"),
                            uploads.Upload("C:\\例規\\留萌市.HTML", b"y"),
                            uploads.Upload("site.zip", b"z")], folder)
    assert [p.name for p in staged.paths] == ["upload-001.txt", "upload-002.html", "upload-003.zip"]
    assert all(p.parent == folder for p in staged.paths)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [p.name for p in staged.paths]
    assert staged.described == ["upload:passwd.txt", "upload:留萌市.HTML", "upload:site.zip"]
    assert staged.source_name(str(staged.paths[2]) + "!reiki/a.html") == "upload:site.zip!reiki/a.html"
    assert staged.source_name("/elsewhere/b.html") == "/elsewhere/b.html"


def test_uploads_too_large_empty_or_of_another_type_are_refused():
    ok = uploads.Upload("a.html", b"x" * 10)
    assert uploads.check_sizes([ok], MB, MB) == []
    problems = uploads.check_sizes([uploads.Upload("big.zip", b"x" * (MB + 1)), uploads.Upload("e.txt", b""),
                                    uploads.Upload("run.exe", b"MZ")], MB, 3 * MB)
    assert [p.split(":")[0] for p in problems] == ["big.zip", "e.txt", "run.exe"]
    assert uploads.check_sizes([ok, ok], 15, 15)[0].startswith("合計")


def test_display_names_drop_folders_and_control_characters():
    assert uploads.display_name("a/b\\c\x00\n.txt") == "c.txt"
    assert uploads.display_name("") == "(名前なし)"
    assert len(uploads.display_name("長" * 500)) == 120


def test_server_paths_stay_inside_the_allowed_folders(tmp_path, monkeypatch):
    inside = tmp_path / "reiki"
    inside.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (inside / "link").symlink_to(tmp_path / "secret.txt")
    monkeypatch.setenv(uploads.ROOTS_VARIABLE, str(inside))
    roots = uploads.allowed_roots()
    assert roots == [inside.resolve()]
    assert uploads.server_path(str(inside), roots) == inside.resolve()
    assert uploads.server_path(".", roots) == inside.resolve()
    for outside in ("..", "../secret.txt", str(tmp_path / "secret.txt"), "link", "/etc"):
        with pytest.raises(uploads.InputRefused, match="外です"):
            uploads.server_path(outside, roots)
    with pytest.raises(uploads.InputRefused, match="ありません"):
        uploads.server_path("missing", roots)
    with pytest.raises(uploads.InputRefused, match="入力"):
        uploads.server_path("  ", roots)


def test_without_the_variable_only_the_current_folder_is_allowed(tmp_path, monkeypatch):
    monkeypatch.delenv(uploads.ROOTS_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    assert uploads.allowed_roots() == [tmp_path.resolve()]


# -- views of a scanned store ------------------------------------------------------
def test_counts_for_the_charts_and_the_export_bytes(rumoi_db):
    with Store(rumoi_db) as st:
        scan_id = st.latest_scan_id()
        entries = st.queue(scan_id)
        first = entries[0]
        st.save_decision(first.prov_key, first.finding.category, first.text_hash, "佐藤", "該当")
        by_type = review.category_counts(st, scan_id)
        by_doc = review.document_counts(st, scan_id)
        by_reviewer = review.reviewer_counts(st, scan_id)
        labels = st.vocabulary.labels
    assert list(by_type.columns) == ["未判定", "該当", "非該当", "要確認"]
    assert by_type.loc[labels[first.finding.category], "該当"] == 1
    assert int(by_type.to_numpy().sum()) == len(entries)
    assert list(by_doc.index) == ["留萌市空家等の適切な管理に関する条例"]
    assert by_doc.loc["留萌市空家等の適切な管理に関する条例"].tolist() == [len(entries) - 1, 1, 0, 0]
    assert by_reviewer["件数"].to_dict() == {"佐藤": 1, "未判定": len(entries) - 1}

    sheet = load_workbook(io.BytesIO(review.export_xlsx(rumoi_db, scan_id)))[SHEET]
    assert sheet.max_row == len(entries) + 1
    assert sheet.cell(2, 11).value == "該当"
