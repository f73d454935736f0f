"""The e-Gov reader against the real Acts of the shared corpus."""

from lxml import etree

from scanner.models import Document
from scanner.sources import read_document


def _read(path) -> Document:
    doc = read_document(str(path), path.read_bytes())
    assert isinstance(doc, Document), doc
    return doc


def test_one_main_provision_per_paragraph_element(egov_dir):
    files = sorted(egov_dir.glob("*.xml"))
    assert len(files) == 2072
    sample = files[::8]  # 259 Acts spread over the whole corpus
    assert len(sample) >= 200
    for path in sample:
        doc = _read(path)
        main = etree.parse(str(path)).find(".//MainProvision")
        expected = len(main.findall(".//Paragraph"))
        got = [p for p in doc.provisions if p.part == "main"]
        assert len(got) == expected, path.name
        for prov in doc.provisions:
            assert doc.text[prov.start:prov.end] == prov.text


def test_food_sanitation_act_citations_items_and_suppl(egov_dir):
    doc = _read(egov_dir / "322AC0000000233.xml")
    assert doc.title == "食品衛生法"
    assert doc.number == "昭和二十二年法律第二百三十三号"
    by_cite = {p.citation: p for p in doc.provisions if p.part == "main"}
    first = by_cite["第1条"]  # a single-paragraph article is cited without 第1項
    assert first.text.startswith("この法律は、食品の安全性の確保のために")
    assert by_cite["第2条第1項"].paragraph == "1"
    art6 = by_cite["第6条"]
    assert [i.num for i in art6.items][:3] == ["1", "2", "3"]
    assert art6.text[art6.items[0].start:art6.items[0].end].startswith("一　腐敗し、若しくは変敗したもの")
    suppl = [p for p in doc.provisions if p.suppl]
    assert suppl and all(p.citation.startswith("附則") for p in suppl)


def test_branch_articles_use_egov_numbers(egov_dir):
    doc = _read(egov_dir / "322AC0000000233.xml")
    branch = [p for p in doc.provisions if p.article and "_" in p.article and p.part == "main"]
    assert branch, "食品衛生法 has 第N条の2 articles"
    for prov in branch:
        first, second = prov.article.split("_")[:2]
        assert prov.citation.startswith(f"第{first}条の{second}")


def test_ruby_readings_are_not_text(egov_dir):
    """<Ruby>base<Rt>reading</Rt></Ruby>: the provision text carries the base only."""
    for path in sorted(egov_dir.glob("*.xml")):
        data = path.read_bytes()
        if b"<Rt>" not in data:
            continue
        root = etree.fromstring(data)
        sentence = next(s for s in root.iter("Sentence") if s.find(".//Rt") is not None)
        with_reading = "".join(sentence.itertext())
        etree.strip_elements(sentence, "Rt", with_tail=False)
        without = "".join(sentence.itertext())
        doc = _read(path)
        texts = [p.text for p in doc.provisions]
        assert any(without in t for t in texts)
        assert not any(with_reading in t for t in texts)
        return
    raise AssertionError("no Act with ruby in the corpus")
