"""The hard cases of ANNOTATION.md on real provisions of the shared Acts, none of them in the gold data.

Each negative names an analog act (立入検査, 掲示, 閲覧, 講習, 常時) that a keyword
search would report; the detector must not flag it. Each positive is a clause
a reviewer would flag, one per type.
"""

import json

import pytest

from scanner.detect import DEFAULT_GOLD, Detector
from scanner.models import Document
from scanner.rules import TYPES
from scanner.sources import read_document

from .conftest import SAMPLES


def provision(path, citation: str) -> str:
    doc = read_document(str(path), path.read_bytes())
    assert isinstance(doc, Document), doc
    return next(p.text for p in doc.provisions if p.citation == citation)


@pytest.fixture(scope="module")
def detector(model_path) -> Detector:
    return Detector.load(model_path)


@pytest.fixture(scope="module")
def gold_laws() -> set[str]:
    return {json.loads(line)["law_id"] for line in DEFAULT_GOLD.read_text(encoding="utf-8").splitlines()}


NEGATIVES = [
    # 罰則 that names 立入検査 (災害救助法)
    ("322AC0000000118", "第34条", "onsite_audit", "立入検査を拒み"),
    # pure 準用 of the rules of an inspection (担保付社債信託法)
    ("138AC0000000052", "第16条第3項", "onsite_audit", "立入検査について準用する"),
    # 「掲示してはならない」 (銀行法)
    ("356AC0000000059", "第52条の40第3項", "posted_documents", "掲示してはならない"),
    # a 閲覧 that is already electronic (犯罪利用預金口座等に係る資金による被害回復分配金の支払等に関する法律)
    ("419AC1000000133", "第27条", "inperson_viewing", "インターネットを利用して公衆の閲覧に供する"),
    # 「常時使用する従業員」: a head count, not presence (私的独占禁止法)
    ("322AC0000000054", "第7条の2第2項", "resident_staffing", "常時使用する従業員"),
    # the fee rule of a 講習機関 (消防法)
    ("323AC1000000186", "第16条の4第2項", "inperson_training", "手数料"),
]


@pytest.mark.parametrize("law, citation, category, phrase", NEGATIVES)
def test_hard_negatives_are_not_flagged(detector, egov_dir, gold_laws, law, citation, category, phrase):
    assert law not in gold_laws
    text = provision(egov_dir / f"{law}.xml", citation)
    assert phrase in text
    assert category not in detector.labels(text)


def test_identity_card_clause_is_not_flagged(detector, egov_dir, gold_laws):
    text = provision(egov_dir / "322AC0000000118.xml", "第6条第4項")  # 災害救助法
    assert "身分を示す証票" in text and "立ち入る" in text and "322AC0000000118" not in gold_laws
    assert "onsite_audit" not in detector.labels(text)


def test_an_entry_inspection_is_visual_only_when_it_examines_a_facility(detector, egov_dir, gold_laws):
    # ANNOTATION.md: 立入検査 adds 目視 only when a facility's state is examined, not for the bare
    # 「業務の状況若しくは設備、帳簿書類その他の物件」 formula
    named = provision(SAMPLES / "egov" / "333AC0000000084.xml", "第24条第1項")  # 工業用水道事業法
    bare = provision(egov_dir / "323AC1000000186.xml", "第13条の16第1項")  # 消防法
    assert "工業用水道施設、帳簿" in named and "状況若しくは設備、帳簿" in bare
    assert not {"333AC0000000084", "323AC1000000186"} & gold_laws
    assert {"onsite_audit", "visual_inspection"} <= detector.labels(named)
    assert "onsite_audit" in detector.labels(bare) and "visual_inspection" not in detector.labels(bare)


POSITIVES = [
    # 立ち入り…検査させることができる (工業用水道事業法, bundled)
    (SAMPLES / "egov" / "333AC0000000084.xml", "第24条第1項", "onsite_audit"),
    # 測量、実地調査 of other people's land (工業用水道事業法, bundled)
    (SAMPLES / "egov" / "333AC0000000084.xml", "第15条第1項", "visual_inspection"),
    # a right to 閲覧 the investigation records (獣医師法, bundled)
    (SAMPLES / "egov" / "324AC0000000186.xml", "第8条第5項", "inperson_viewing"),
    # 標識を設置しなければならない (留萌市空家等の適切な管理に関する条例, a 第一法規 page)
    (SAMPLES / "reiki" / "d1law" / "rumoi-akiya-jorei.html", "第10条第1項", "posted_documents"),
    # 事業場ごとに、専任の主任技術者を選任しなければならない (小型船造船業法)
    ("341AC0000000119", "第10条第1項", "resident_staffing"),
    # 危険物取扱者は…講習を受けなければならない (消防法)
    ("323AC1000000186", "第13条の23", "inperson_training"),
    # 定期に点検し、その点検記録を作成 (消防法)
    ("323AC1000000186", "第14条の3の2", "periodic_inspection"),
    # 書面の事項を磁気ディスクに記録すべきことを求めなければならない (工業所有権に関する手続等の特例に関する法律)
    ("402AC0000000030", "第7条第1項", "storage_media"),
]


@pytest.mark.parametrize("where, citation, category", POSITIVES)
def test_a_true_positive_of_every_type(detector, egov_dir, gold_laws, where, citation, category):
    if isinstance(where, str):
        assert where not in gold_laws
        where = egov_dir / f"{where}.xml"
    assert category in detector.labels(provision(where, citation))


def test_the_positives_cover_every_type():
    assert {category for _, _, category in POSITIVES} == set(TYPES)
