"""The modality of the predicate a trigger belongs to, read from the sentence tail after the trigger.

義務 (しなければならない, ものとする), 許可 (することができる), 禁止 (してはならない),
努力義務 (努めなければならない). The first sentence end after the trigger bounds the search.
"""

from __future__ import annotations

import re

_ORDER = [
    ("prohibition", re.compile(r"てはならない|ことができない")),
    ("effort", re.compile(r"努めなければならない|努めるものとする|努めること")),
    ("obligation", re.compile(r"なければならない|ものとする|させなければ|を要する|こととする")),
    ("permission", re.compile(r"ことができる")),
]


def modality_after(text: str, end: int) -> str:
    stop = text.find("。", end)
    tail = text[end: stop if stop >= 0 else len(text)]
    for name, pattern in _ORDER:
        m = pattern.search(tail)
        if m:
            return name
    return "none"
