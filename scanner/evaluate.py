"""Per-type precision, recall and F1 of the model and of the plain keyword baseline, side by side.

Evaluated on training data, the model is cross-validated with folds split by
law, so no law is in both the training and the test part of a fold. A learning
curve trains each fold on a share of its training Acts only (the same test
folds), to show what more labelled data would buy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sklearn.model_selection import GroupKFold

from .detect import Detector
from .rules import TYPES, RuleSet


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _score(gold: list[dict], predicted: list[set[str]]) -> dict[str, Scores]:
    table = {t: Scores() for t in TYPES}
    for unit, pred in zip(gold, predicted):
        truth = set(unit["labels"])
        for t in TYPES:
            table[t].tp += t in pred and t in truth
            table[t].fp += t in pred and t not in truth
            table[t].fn += t not in pred and t in truth
    return table


def cross_validated(gold: list[dict], folds: int = 5, train_share: float = 1.0) -> list[set[str]]:
    """Out-of-fold predictions, folds grouped by law; each fold trains on ``train_share`` of its training
    Acts (drawn by a fixed seed, so a smaller share's Acts are among a larger one's)."""
    if not 0 < train_share <= 1:
        raise ValueError(f"train_share must be in (0, 1], not {train_share}")
    predicted: list[set[str]] = [set() for _ in gold]
    groups = [unit["law_id"] for unit in gold]
    draw = random.Random(0)
    kept = {law for law in sorted(set(groups)) if draw.random() < train_share}
    rules = RuleSet.load()
    for train, test in GroupKFold(folds).split(gold, groups=groups):
        detector = Detector.train([gold[i] for i in train if groups[i] in kept], rules)
        for i in test:
            predicted[i] = detector.labels(gold[i]["text"])
    return predicted


def keyword_baseline(gold: list[dict]) -> list[set[str]]:
    rules = RuleSet.load()
    return [rules.keyword_types(unit["text"]) for unit in gold]


def report(gold: list[dict], model_predictions: list[set[str]], title: str) -> str:
    model, keyword = _score(gold, model_predictions), _score(gold, keyword_baseline(gold))
    lines = [title, f"{'type':22s} {'gold':>5s}   {'model P':>7s} {'R':>5s} {'F1':>5s}   {'keyword P':>9s} {'R':>5s} {'F1':>5s}"]
    for t in TYPES:
        m, k = model[t], keyword[t]
        lines.append(f"{t:22s} {m.tp + m.fn:5d}   {m.precision:7.3f} {m.recall:5.3f} {m.f1:5.3f}   "
                     f"{k.precision:9.3f} {k.recall:5.3f} {k.f1:5.3f}")
    mm = Scores(*(sum(getattr(s, a) for s in model.values()) for a in ("tp", "fp", "fn")))
    kk = Scores(*(sum(getattr(s, a) for s in keyword.values()) for a in ("tp", "fp", "fn")))
    lines.append(f"{'micro':22s} {mm.tp + mm.fn:5d}   {mm.precision:7.3f} {mm.recall:5.3f} {mm.f1:5.3f}   "
                 f"{kk.precision:9.3f} {kk.recall:5.3f} {kk.f1:5.3f}")
    return "\n".join(lines)
