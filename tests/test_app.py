"""The review app (app.py) under Streamlit's AppTest, on the 留萌市 ordinance scanned into a store in tmp."""

import tempfile

import pytest
from streamlit.testing.v1 import AppTest

from scanner.cli import main
from scanner.store import Store

from .conftest import FIXTURES, REIKI, ROOT

RUMOI_HTML = REIKI / "d1law" / "rumoi-akiya-jorei.html"
TITLE = "留萌市空家等の適切な管理に関する条例"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def db(rumoi_db, tmp_path, model_path, monkeypatch):
    """The 留萌市 store, which the app is pointed at; folders may be scanned from tmp only."""
    monkeypatch.setenv("SCANNER_DB", str(rumoi_db))
    monkeypatch.setenv("SCANNER_MODEL", str(model_path))
    monkeypatch.setenv("SCANNER_SCAN_ROOTS", str(tmp_path))
    return rumoi_db


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


def queue_of(db, **filters):
    with Store(db) as st:
        return st.queue(st.latest_scan_id(), **filters)


def shown(at):
    """The labels of the findings in the picker, in order, and the id of the one shown."""
    picker = at.selectbox(key="current")
    return picker.options, picker.value


def html_of(at) -> str:
    return "\n".join(h.value for h in at.html)


def test_the_queue_shows_every_finding_highest_score_first(db):
    at = app()
    assert not at.exception
    entries = queue_of(db)
    assert {("第7条第1項", "onsite_audit"), ("第10条第1項", "posted_documents")} <= {
        (e.finding.citation, e.finding.category) for e in entries}
    options, current = shown(at)
    assert len(options) == len(entries)
    assert options[0].startswith(f"1. {TITLE} {entries[0].finding.citation}")
    table = at.dataframe[0].value
    assert table["条項号"].tolist() == [e.finding.citation for e in entries]
    assert table["スコア"].tolist() == sorted(table["スコア"], reverse=True)
    page = html_of(at)
    first = entries[0].finding
    assert TITLE in page and "令和5年条例第23号" in page and first.citation in page
    assert f"<mark>{first.matched}</mark>" in page
    assert "全体: 0 / " in at.main.get("progress")[0].proto.text


def test_a_decision_needs_a_name_is_saved_to_the_store_and_the_next_finding_follows(db):
    at = app()
    assert all(at.button(key=f"verdict-{v}").disabled for v in ("該当", "非該当", "要確認"))
    first, second = queue_of(db)[:2]
    at.text_input(key="reviewer").input("佐藤").run()
    assert not at.button(key="verdict-該当").disabled
    policy = at.selectbox(key=f"policy-{first.finding_id}")
    option = policy.options[1]
    policy.select(option)
    at.text_area(key=f"comment-{first.finding_id}").input("立入調査は現地でしかできない")
    at.button(key="verdict-該当").click().run()
    assert not at.exception

    decided = [e for e in queue_of(db) if e.finding_id == first.finding_id][0].decision
    assert (decided.reviewer, decided.verdict, decided.policy, decided.comment) == (
        "佐藤", "該当", option, "立入調査は現地でしかできない")
    assert "該当" in at.success[0].value
    assert shown(at)[1] == second.finding_id
    progress = [p.proto.text for p in at.main.get("progress")]
    assert progress[0].startswith("全体: 1 / ") and progress[1].startswith("佐藤: 1 / ")

    at.button(key="previous").click().run()  # back to the decided one: its decision is shown
    assert "現在の判定: 該当" in html_of(at) and "佐藤" in html_of(at)
    assert at.selectbox(key=f"policy-{first.finding_id}").value == option


def test_filters_narrow_the_queue(db):
    at = app()
    total = len(queue_of(db))
    at.selectbox(key="f_category").select("onsite_audit").run()
    onsite = queue_of(db, category="onsite_audit")
    assert 0 < len(onsite) < total
    assert len(shown(at)[0]) == len(onsite)
    assert set(at.dataframe[0].value["規制類型"]) == {"実地監査"}

    at.selectbox(key="f_category").select(None)
    at.text_input(key="reviewer").input("佐藤").run()
    at.button(key="verdict-非該当").click().run()
    at.selectbox(key="f_status").select("undecided").run()
    assert len(shown(at)[0]) == total - 1
    at.selectbox(key="f_status").select("非該当").run()
    assert len(shown(at)[0]) == 1

    at.selectbox(key="f_status").select(None)
    top = max(e.finding.score for e in queue_of(db))
    floor = int(top * 20) / 20  # the slider's 0.05 step at or below the highest score
    at.slider(key="f_min_score").set_value(floor).run()
    assert 0 < len(shown(at)[0]) == len(queue_of(db, min_score=floor)) < total
    at.slider(key="f_min_score").set_value(0.0)
    at.checkbox(key="f_changed").check().run()  # one scan only: nothing has changed
    assert "条件に合う検出はありません" in at.info[0].value


def test_markup_in_a_provision_a_title_and_a_comment_is_shown_as_text(db, tmp_path, model_path):
    text = (FIXTURES / "rumoi-akiya-jorei.txt").read_text(encoding="utf-8")
    text = text.replace("○留萌市空家等", f"○{SCRIPT}留萌市空家等", 1).replace("（立入調査）", "（<i>立入</i>調査）", 1)
    text = text.replace("第７条　市長は、", f"第７条　市長は、{SCRIPT}", 1)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(text, encoding="utf-8")
    assert main(["scan", str(hostile), "--out", str(tmp_path / "out2"), "--model", str(model_path),
                 "--db", str(db)]) == 0
    at = app()
    assert SCRIPT in queue_of(db)[0].finding.text
    at.text_input(key="reviewer").input("佐藤").run()
    fid = shown(at)[1]
    at.text_area(key=f"comment-{fid}").input(f"備考{SCRIPT}")
    at.button(key="verdict-要確認").click().run()
    at.button(key="previous").click().run()
    assert shown(at)[1] == fid
    page = html_of(at)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;留萌市" in page  # the title
    assert "（&lt;i&gt;立入&lt;/i&gt;調査）" in page  # the caption
    assert "市長は、&lt;script&gt;" in page  # the provision text
    assert "備考: 備考&lt;script&gt;" in page  # the comment
    assert "<script" not in page and "<i>" not in page
    assert not [m.value for m in at.markdown if m.proto.allow_html and "<script" in m.value]


def test_uploaded_files_are_scanned_into_a_new_scan_and_unreadable_ones_named(db, tmp_path, monkeypatch):
    staging = tmp_path / "tmp"
    staging.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    at = app()
    at.file_uploader(key="scan_files").set_value([
        ("留萌市.html", RUMOI_HTML.read_bytes(), "text/html"),
        ("壊れた.xml", b"<Law><broken", "text/xml"),
    ])
    at.button(key="FormSubmitter:scan_form-スキャンする").click().run()
    assert not at.exception
    with Store(db) as st:
        scans = st.scans()
        assert len(scans) == 2 and scans[-1].inputs == ("upload:留萌市.html", "upload:壊れた.xml")
        [doc] = st.documents(scans[-1].id)
        assert doc.source == "upload:留萌市.html" and doc.title == TITLE
    assert at.selectbox(key="scan_pick").value == scans[-1].id
    assert "1 件の例規を読み" in at.success[0].value
    errors = at.sidebar.dataframe[0].value
    assert errors["ファイル"].tolist() == ["upload:壊れた.xml"] and errors["理由"][0]
    assert not list(staging.iterdir())  # the uploads were written there, and removed after the scan


def test_a_folder_on_the_server_is_scanned_only_inside_the_allowed_folders(db, tmp_path):
    folder = tmp_path / "reiki"
    folder.mkdir()
    (folder / "rumoi.html").write_bytes(RUMOI_HTML.read_bytes())
    at = app()
    at.text_input(key="scan_path").input("/etc")
    at.button(key="FormSubmitter:scan_form-スキャンする").click().run()
    assert "外です" in at.sidebar.error[0].value
    at.text_input(key="scan_path").input(str(folder))
    at.button(key="FormSubmitter:scan_form-スキャンする").click().run()
    with Store(db) as st:
        assert st.scans()[-1].inputs == (str(folder),)
    assert "1 件の例規を読み" in at.success[0].value
