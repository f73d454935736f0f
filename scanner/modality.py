"""The modality of the predicate a trigger belongs to, read from the sentence tail after the trigger.

義務 (しなければならない, ものとする), 許可 (することができる), 禁止 (してはならない),
努力義務 (努めなければならない). The first sentence end after the trigger bounds the search.

The sentence ends and the places each modality's wording begins are found once
per text, so that a provision with thousands of triggers and no 。 costs
a bisection per trigger rather than a scan of the rest of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

_ORDER = [
    ("prohibition", re.compile(r"てはならない|ことができない")),
    ("effort", re.compile(r"努めなければならない|努めるものとする|努めること")),
    ("obligation", re.compile(r"なければならない|ものとする|させなければ|を要する|こととする")),
    ("permission", re.compile(r"ことができる")),
]


def modality_after(text: str, end: int) -> str:
    """The first modality in ``_ORDER`` whose wording lies between ``end`` and the next 。."""
    stops, starts = _positions(text)
    i = bisect_left(stops, end)
    stop = stops[i] if i < len(stops) else len(text)
    for name, _ in _ORDER:
        at = starts[name]
        j = bisect_left(at, end)
        if j < len(at) and at[j] < stop:  # no wording holds a 。: begun before the stop, it ends before it
            return name
    return "none"


@lru_cache(maxsize=8)
def _positions(text: str) -> tuple[list[int], dict[str, list[int]]]:
    """Where the sentences of ``text`` end, and every place each modality's wording begins (overlaps included)."""
    stops = [m.start() for m in re.finditer("。", text)]
    starts = {name: [m.start() for m in re.finditer(f"(?=(?:{pattern.pattern}))", text)] for name, pattern in _ORDER}
    return stops, starts
