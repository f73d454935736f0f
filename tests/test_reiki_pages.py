"""The four real reiki pages read into the 条・項・号 a reader sees; expectations checked by hand."""

import json
import zipfile

import pytest

from scanner.models import Document
from scanner.sources import read_document, read_paths

from .conftest import EXPECTED, FIXTURES, REIKI

PAGES = sorted(REIKI.glob("*/*.html"))


def _read(path, data=None) -> Document:
    doc = read_document(str(path), path.read_bytes() if data is None else data)
    assert isinstance(doc, Document), doc
    return doc


def _view(doc: Document) -> dict:
    return {"title": doc.title, "number": doc.number, "provisions": [
        {"citation": p.citation, "article": p.article, "paragraph": p.paragraph, "suppl": p.suppl,
         "caption": p.caption, "text": p.text, "items": {i.num: p.text[i.start:i.end] for i in p.items}}
        for p in doc.provisions]}


def test_all_four_pages_are_bundled():
    assert [p.name for p in PAGES] == ["rumoi-akiya-jorei.html", "k518RG00000012.html",
                                       "k518RG00000055.html", "k518RG00000080.html"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_matches_hand_checked_expectation(page):
    expected = json.loads((EXPECTED / f"{page.stem}.json").read_text(encoding="utf-8"))
    doc = _read(page)
    assert _view(doc) == expected
    for prov in doc.provisions:
        assert doc.text[prov.start:prov.end] == prov.text


def test_rumoi_identity_card_paragraph():
    doc = _read(REIKI / "d1law" / "rumoi-akiya-jorei.html")
    assert doc.format == "d1law"
    assert doc.title == "留萌市空家等の適切な管理に関する条例"
    assert doc.number == "令和5年条例第23号"
    prov = next(p for p in doc.provisions if p.citation == "第7条第4項")
    assert prov.caption == "（立入調査）"
    assert prov.text == ("第１項の規定により立入調査をする職員は、その身分を示す証明書を携帯し、"
                         "関係者の請求があったときは、これを提示しなければならない。")
    branch = next(p for p in doc.provisions if p.article == "8_2")
    assert branch.citation == "第8条の2"
    items = next(p for p in doc.provisions if p.citation == "第10条第2項").items
    assert [i.num for i in items] == ["1", "2", "3", "4"]


def test_gyosei_items_suppl_and_tables():
    doc = _read(REIKI / "gyosei" / "k518RG00000080.html")
    assert doc.format == "gyosei" and doc.number == "平成9年条例第25号"
    art3 = next(p for p in doc.provisions if p.citation == "第3条")
    assert "船岡山駐車場　かつらぎ町大字西渋田372番地の5" in art3.text  # the table belongs to 第3条
    suppl = [p for p in doc.provisions if p.suppl]
    assert len(suppl) == 9
    assert suppl[1].citation == "附則(平成10年3月30日条例第5号)"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_shift_jis_copy_without_declaration_reads_the_same(page, tmp_path):
    html = page.read_text(encoding="utf-8")
    stripped = html.replace("charset=utf-8", "").replace("charset=UTF-8", "").replace('charset="utf-8"', "")
    assert "charset=utf" not in stripped.lower()
    sjis = tmp_path / page.name
    sjis.write_bytes(stripped.encode("cp932"))
    assert _view(_read(sjis)) == _view(_read(page))


@pytest.mark.parametrize("codec", ["euc_jp", "utf-8-sig"])
def test_other_encodings_read_the_same(codec, tmp_path):
    page = REIKI / "gyosei" / "k518RG00000012.html"
    html = page.read_text(encoding="utf-8").replace("charset=utf-8", "")
    copy = tmp_path / page.name
    copy.write_bytes(html.encode(codec))
    assert _view(_read(copy)) == _view(_read(page))


def test_plain_text_reads_like_the_html_page():
    text = _read(FIXTURES / "rumoi-akiya-jorei.txt")
    html = _read(REIKI / "d1law" / "rumoi-akiya-jorei.html")
    assert text.format == "text"
    assert _view(text) == _view(html)


def test_zip_of_a_saved_site_is_read_member_by_member(tmp_path):
    archive = tmp_path / "reiki-site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for page in PAGES:
            zf.write(page, f"site/{page.parent.name}/{page.name}")
        zf.writestr("site/reiki.css", "body {}")
    docs = list(read_paths([archive]))
    assert [d.source for d in docs] == [f"{archive}!site/{p.parent.name}/{p.name}" for p in sorted(
        PAGES, key=lambda p: f"{p.parent.name}/{p.name}")]
    by_name = {d.source.rsplit("/", 1)[1]: d for d in docs}
    for page in PAGES:
        assert _view(by_name[page.name]) == _view(_read(page))
    assert list(tmp_path.iterdir()) == [archive]  # nothing extracted to disk
