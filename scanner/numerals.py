"""Kanji and full-width numerals, article numbers and citations: converted here and nowhere else.

e-Gov numbers an article 第十七条の二 as ``17_2``; reviewers write 第17条の2.
A citation reads 第17条の2第1項第3号, or 附則第2項 inside a 附則.
"""

from __future__ import annotations

import re

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_BIG = {"万": 10_000}
KANJI_NUMERAL = "〇零一二三四五六七八九十百千万"

# Sub-items (イ, ロ, ハ …) follow the iroha order.
IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"

# Bounded repeats: an article number has at most a dozen numerals (一万二千三百四十五) and
# a few spaces, and unbounded ones make a search quadratic on a long run of numerals or spaces.
_ARTICLE = re.compile(r"第?\s{0,3}([0-9〇零一二三四五六七八九十百千万]{1,12})\s{0,3}条"
                      r"((?:\s{0,3}の\s{0,3}[0-9〇零一二三四五六七八九十百千万]{1,12})*)")
_BRANCH = re.compile(r"の\s{0,3}([0-9〇零一二三四五六七八九十百千万]{1,12})")


_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def to_ascii_digits(text: str) -> str:
    """Full-width digits ０-９ to ASCII; every other character is kept."""
    return text.translate(_ASCII_DIGITS)  # in C: a page of millions of characters costs no Python loop


def to_int(numeral: str) -> int:
    """Parse Arabic (half- or full-width) or kanji numerals: "十七" → 17, "１７" → 17, "二〇" → 20.

    Raises ValueError on anything else.
    """
    s = to_ascii_digits(numeral.strip())
    if not s:
        raise ValueError("empty numeral")
    if s.isascii() and s.isdigit():
        return int(s)
    if any(c not in KANJI_NUMERAL for c in s):
        raise ValueError(f"not a numeral: {numeral!r}")
    if not any(c in _KANJI_UNITS or c in _KANJI_BIG for c in s):
        # positional form: 二〇 = 20
        return int("".join(str(_KANJI_DIGITS[c]) for c in s))
    total = section = 0
    digit = None
    for c in s:
        if c in _KANJI_DIGITS:
            if digit is not None:
                raise ValueError(f"not a numeral: {numeral!r}")
            digit = _KANJI_DIGITS[c]
        elif c in _KANJI_UNITS:
            section += (1 if digit is None else digit) * _KANJI_UNITS[c]
            digit = None
        else:  # 万
            total += (section + (digit or 0) or 1) * _KANJI_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def to_kanji(n: int) -> str:
    """17 → 十七 (the form e-Gov uses in 条 titles)."""
    if n < 0:
        raise ValueError("negative numeral")
    if n == 0:
        return "〇"
    digits = "〇一二三四五六七八九"
    out = ""
    if n >= 10_000:
        out += to_kanji(n // 10_000) + "万"
        n %= 10_000
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit)
        if q:
            out += ("" if q == 1 else digits[q]) + name
    if n:
        out += digits[n]
    return out


def article_num(label: str) -> str | None:
    """第十七条の二 / 第１７条の２ → "17_2"; None when the label names no article."""
    m = _ARTICLE.search(to_ascii_digits(label))
    if not m:
        return None
    try:
        parts = [to_int(m.group(1))] + [to_int(b) for b in _BRANCH.findall(m.group(2))]
    except ValueError:  # found by fuzzing: 第0一条, Arabic and kanji numerals run together
        return None
    return "_".join(str(p) for p in parts)


def number_label(label: str) -> str:
    """A paragraph or item label to e-Gov form: "２" → "2", "三の二" → "3_2", "(1)" → "1", "イ" → "イ",
    "第3号の2" → "3_2"; a label that is no number comes back stripped."""
    s = to_ascii_digits(label).strip().strip("()（）〔〕[]").strip()
    if len(s) > 40:  # no label is this long: keep it as it is rather than parse it
        return s
    s = re.sub(r"^第|[項号](?=の|$)", "", s)  # 第3号の2, as a citation writes it, is 3_2 too
    pieces = re.split(r"\s*の\s*", s)
    try:
        return "_".join(str(to_int(p)) for p in pieces)
    except ValueError:
        return s


def article_label(num: str) -> str:
    """"17_2" → 第17条の2."""
    first, *branches = num.split("_")
    return f"第{first}条" + "".join(f"の{b}" for b in branches)


def _numbered(num: str, unit: str) -> str:
    first, *branches = num.split("_")
    return f"第{first}{unit}" + "".join(f"の{b}" for b in branches)


def citation(
    article: str | None,
    paragraph: str | None,
    item: str | None = None,
    *,
    suppl: bool = False,
    suppl_label: str | None = None,
    single_paragraph: bool = False,
) -> str:
    """A citation as a reviewer writes it.

    >>> citation("17_2", "1", "3")
    '第17条の2第1項第3号'
    >>> citation("5", "1", single_paragraph=True)
    '第5条'
    >>> citation(None, "2", suppl=True)
    '附則第2項'
    >>> citation(None, "1", single_paragraph=True)  # the one paragraph of an Act without articles
    '本則'
    """
    out = ""
    if suppl:
        out += "附則" + (f"({suppl_label})" if suppl_label else "")
    if article:
        out += article_label(article)
    if paragraph and not single_paragraph:
        out += _numbered(paragraph, "項")
    if item:
        out += item_label(item)
    return out or "本則"


def item_label(item: str) -> str:
    """"3_2" → 第3号の2; a sub-item "3-イ-(1)" → 第3号イ(1)."""
    main, _, sub = item.partition("-")
    return _numbered(main, "号") + sub.replace("-", "")
