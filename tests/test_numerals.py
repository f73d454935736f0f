import pytest

from scanner.numerals import article_label, article_num, citation, number_label, to_int, to_kanji


@pytest.mark.parametrize("numeral, value", [
    ("一", 1), ("十", 10), ("十七", 17), ("二十", 20), ("百", 100), ("百二十三", 123), ("千二百五", 1205),
    ("三千", 3000), ("一万二千三百四十五", 12345), ("二〇", 20), ("１７", 17), ("17", 17), ("０", 0),
])
def test_numerals_parse(numeral, value):
    assert to_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "条", "十X", "一二十"])
def test_non_numerals_are_refused(bad):
    with pytest.raises(ValueError):
        to_int(bad)


@pytest.mark.parametrize("n", [1, 9, 10, 11, 17, 20, 99, 100, 101, 110, 123, 999, 1000, 1205, 3000, 9999, 10000, 12345])
def test_kanji_round_trip(n):
    assert to_int(to_kanji(n)) == n


@pytest.mark.parametrize("label, num", [
    ("第十七条の二", "17_2"), ("第１７条の２", "17_2"), ("第17条の2の3", "17_2_3"), ("第一条", "1"),
    ("第百二十三条", "123"), ("附則", None), ("第三章", None),
])
def test_article_numbers_in_egov_form(label, num):
    assert article_num(label) == num


@pytest.mark.parametrize("label, num", [("２", "2"), ("三の二", "3_2"), ("(1)", "1"), ("（１２）", "12"), ("イ", "イ"), ("十", "10")])
def test_paragraph_and_item_labels(label, num):
    assert number_label(label) == num


def test_citations_as_a_reviewer_writes_them():
    assert citation("17_2", "1", "3") == "第17条の2第1項第3号"
    assert citation("5", "1", single_paragraph=True) == "第5条"
    assert citation("2", "1", "3-イ", single_paragraph=True) == "第2条第3号イ"
    assert citation(None, "2", suppl=True) == "附則第2項"
    assert citation(None, "1", suppl=True, single_paragraph=True) == "附則"
    assert citation("3", "1", suppl=True, suppl_label="平成10年3月30日条例第5号", single_paragraph=True) == \
        "附則(平成10年3月30日条例第5号)第3条"
    assert article_label("8_2") == "第8条の2"


def test_labels_as_citations_write_them_and_labels_that_are_no_number():
    assert number_label("第3号の2") == "3_2" and number_label("第2項") == "2"
    assert article_num("第0一条") is None  # Arabic and kanji numerals run together
    assert citation(None, "1", single_paragraph=True) == "本則"  # the one paragraph of an Act without articles
    assert citation(None, "2") == "第2項"
