"""The review vocabulary, kept as data in ``rules/review_policies.json``.

The three 判定 a reviewer can give, the Japanese name of each type (規制類型)
and the 見直し方針 options offered for it: the type's own options followed by
the ones every type shares. The verdicts are also fixed in the review store's
schema (a CHECK on ``decisions.verdict``): changing them needs a migration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .rules import RULES_DIR, TYPES

POLICIES_FILE = RULES_DIR / "review_policies.json"


@dataclass(frozen=True)
class Vocabulary:
    verdicts: tuple[str, ...]  # 該当, 非該当, 要確認
    labels: dict[str, str]  # type → 規制類型 name (目視 …)
    policies: dict[str, tuple[str, ...]]  # type → 見直し方針 options, shared ones last

    @classmethod
    def load(cls, path: Path = POLICIES_FILE) -> "Vocabulary":
        table = json.loads(path.read_text(encoding="utf-8"))
        categories, common = table["categories"], tuple(table["common_policies"])
        missing = set(TYPES) - set(categories)
        if missing:
            raise ValueError(f"{path}: no entry for {', '.join(sorted(missing))}")
        return cls(
            verdicts=tuple(table["verdicts"]),
            labels={t: categories[t]["label"] for t in TYPES},
            policies={t: tuple(categories[t]["policies"]) + common for t in TYPES},
        )
