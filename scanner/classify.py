"""A scikit-learn classifier per type that decides 該非 for rule candidates.

A provision is a candidate for a type when one of the type's rules fires. The
features of a candidate: character n-grams of the text around its triggers,
the ids of the rules that fired, the exclusion signals of the provision, and
the modality of each trigger's predicate. A type with too few gold positives
to learn from is decided by its rules and exclusions alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .modality import modality_after
from .rules import Hit, RuleSet

MIN_POSITIVES = 6  # fewer gold positives than this: rules decide
WINDOW = (40, 60)  # characters kept before and after a trigger


@dataclass
class Candidate:
    label: str
    hits: list[Hit]
    excluded: list[str]  # exclusion ids
    reasons: list[str]
    modality: str
    window: str
    features: dict = field(default_factory=dict)


def candidates(text: str, rules: RuleSet) -> list[Candidate]:
    """One candidate per type whose rules fire in ``text``."""
    hits = rules.hits(text)
    exclusions = rules.excluded_by(text)
    out = []
    for label in dict.fromkeys(h.label for h in hits):
        mine = [h for h in hits if h.label == label]
        modalities = [modality_after(text, h.end) for h in mine]
        window = "…".join(text[max(0, h.start - WINDOW[0]): h.end + WINDOW[1]] for h in mine[:6])
        feats = {f"rule={h.rule}": 1.0 for h in mine}
        feats.update({f"exclude={e.id}": 1.0 for e in exclusions})
        feats.update({f"modality={m}": 1.0 for m in modalities})
        feats["hits"] = float(np.log1p(len(mine)))
        main = next((m for m in modalities if m != "none"), "none")
        out.append(Candidate(label, mine, [e.id for e in exclusions], [e.reason for e in exclusions], main,
                             window, feats))
    return out


class TypeModel:
    """Logistic regression over n-grams + rule/exclusion/modality features, for one type."""

    def __init__(self, label: str, threshold: float = 0.5):
        self.label = label
        self.threshold = threshold
        self.text_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
        self.feat_vec = DictVectorizer()
        self.clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000)
        self.rules_only = False

    def _matrix(self, cands: list[Candidate], fit: bool = False):
        texts = [c.window for c in cands]
        feats = [c.features for c in cands]
        if fit:
            return hstack([self.text_vec.fit_transform(texts), self.feat_vec.fit_transform(feats)]).tocsr()
        return hstack([self.text_vec.transform(texts), self.feat_vec.transform(feats)]).tocsr()

    def fit(self, cands: list[Candidate], y: list[bool]) -> "TypeModel":
        if sum(y) < MIN_POSITIVES or all(y):
            self.rules_only = True
            return self
        self.clf.fit(self._matrix(cands, fit=True), np.asarray(y))
        return self

    def scores(self, cands: list[Candidate]) -> np.ndarray:
        if not cands:
            return np.zeros(0)
        if self.rules_only:
            return np.array([0.0 if c.excluded else 0.9 for c in cands])
        return self.clf.predict_proba(self._matrix(cands))[:, 1]
