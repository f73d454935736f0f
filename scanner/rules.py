"""Rule patterns kept as data in ``rules/``: one JSONL file per type, plus exclusions.

Each rule is ``{"id", "label", "pattern", "note"}``; the id travels with every
hit so a finding can say which rules found it. Exclusions are
``{"id", "pattern", "reason"}``: signals shown to the reviewer and fed to the
classifier (罰則, 準用, definitions, an electronic alternative …). An exclusion
with ``"veto": [types]`` (``"*"`` for all) settles the case on its own: a
provision that only punishes, or only charges the fee for a course, is never
flagged for those types, whatever the classifier says.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

TYPES = ("visual_inspection", "periodic_inspection", "onsite_audit", "resident_staffing", "posted_documents",
         "inperson_training", "inperson_viewing", "storage_media")


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    pattern: re.Pattern
    note: str


@dataclass(frozen=True)
class Exclusion:
    id: str
    pattern: re.Pattern
    reason: str
    veto: tuple[str, ...] = ()  # types this exclusion rejects outright; "*" for every type

    def vetoes(self, label: str) -> bool:
        return "*" in self.veto or label in self.veto


@dataclass(frozen=True)
class Hit:
    rule: str
    label: str
    start: int
    end: int
    matched: str


class RuleSet:
    def __init__(self, rules: list[Rule], exclusions: list[Exclusion], keywords: dict[str, list[str]]):
        self.rules = rules
        self.exclusions = exclusions
        self.keywords = keywords

    @classmethod
    def load(cls, directory: Path = RULES_DIR) -> "RuleSet":
        rules, exclusions = [], []
        for path in sorted(directory.glob("*.jsonl")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    pattern = re.compile(row["pattern"])
                except (ValueError, KeyError, re.error) as exc:
                    raise ValueError(f"{path}:{n}: bad rule: {exc}") from exc
                if path.stem == "exclusions":
                    exclusions.append(Exclusion(row["id"], pattern, row["reason"], tuple(row.get("veto", ()))))
                elif row.get("label") not in TYPES:
                    raise ValueError(f"{path}:{n}: unknown label {row.get('label')!r}")
                else:
                    rules.append(Rule(row["id"], row["label"], pattern, row.get("note", "")))
        table = json.loads((directory / "keywords.json").read_text(encoding="utf-8"))
        keywords = {t: table[t] for t in TYPES}
        return cls(rules, exclusions, keywords)

    def hits(self, text: str) -> list[Hit]:
        """Every match of every rule, in text order; overlapping matches are all kept."""
        found = [Hit(rule.id, rule.label, m.start(), m.end(), m.group())
                 for rule in self.rules for m in rule.pattern.finditer(text)]
        return sorted(found, key=lambda h: (h.start, h.rule))

    def excluded_by(self, text: str) -> list[Exclusion]:
        return [e for e in self.exclusions if e.pattern.search(text)]

    def keyword_types(self, text: str) -> set[str]:
        """The plain keyword baseline: the types any of whose keywords occur in the text."""
        return {t for t, words in self.keywords.items() if any(w in text for w in words)}
