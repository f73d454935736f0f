"""A scikit-learn classifier per type that decides 該非 for rule candidates.

A provision is a candidate for a type when one of the type's rules fires. The
features of a candidate: character n-grams of the text around its triggers,
the ids of the rules that fired (its own and, as separate features, the other
types'), the exclusion signals of the provision, and the modality of each
trigger's predicate.

Two stages, so that the parser runs only where it decides something:

1. ``base`` scores every candidate from those cheap features.
2. A candidate whose base score falls inside ``BAND`` (neither clearly in nor
   clearly out) is parsed with GiNZA (``scanner.syntax``) and re-scored by
   ``refine``, which adds the trigger's predicate, actor, object, causative and
   modality; the candidate's score is the mean of the two. ``refine`` is
   trained on the training candidates whose out-of-fold base score fell in the
   wider ``TRAIN_BAND``, i.e. on the kind of case it decides. Deciding only
   0.35–0.6 (around the threshold) rather than 0.1–0.9 parsed a fifth as many
   candidates (99 against 521, cross-validated on the first 2,140 gold
   provisions) for the same F1 (0.777 against 0.780).

The threshold is 0.4, below the even 0.5, for recall first. Cross-validated on
the gold data (7,716 provisions) it gives P 0.886 / R 0.861 against 0.899 /
0.853 at 0.5 and 0.845 / 0.884 at 0.3; R 0.95 would need about 0.12, where P
falls to 0.64. A threshold per type gained nothing: 0.4 is within 0.02 F1 of
each type's best. The narrow window raised the base F1 from 0.833
to 0.838 and P at R 0.95 from 0.54 to 0.60; n-grams of the provision's opening
(its actor) scored the same but learnt 都道府県知事は from the Acts against
市長は, and were dropped. The other types' rules as features raised the base
periodic F1 from 0.51 to 0.59 (on 4,988 provisions): whether a 目視 rule such
as a facility inspection fires beside a 定期 trigger is evidence the periodic
model could not see before. Tried and not kept, each within 0.003 of the base
micro F1 measured beside it (0.863–0.865 on 5,769–6,566 provisions): Sudachi
word n-grams of the window, the mean of GiNZA's word vectors around the
trigger, n-grams of the article's caption, and one model over all types with
per-type copies of the features.

The base score blends the logistic regression (weight ``BLEND``) with the
vote of the candidate's ``NEIGHBOURS`` most similar labelled training
candidates of the type (cosine over hashed character 2–4-grams of the
trigger windows, weighted by similarity). The same clause recurs across Acts
in near identical words (登録講習機関の登録基準, 検査を受けるべき旨の命令), and the vote
reads that directly; the reviewer is shown the nearest labelled provisions as a
reason where they are that alike (cosine 0.5 or more: an ordinance's 立入調査
clause is about 0.15 from the nearest Act's, its identity-card clause 0.8).
Cross-validated on 7,222 gold provisions the blend raised the base micro F1
from 0.867 to 0.878 and P at R 0.90 from 0.81 to 0.85; the whole
detector's (with ``refine``) F1 from 0.873 to 0.878 and P at R 0.90 from 0.81
to 0.83, with P at R 0.95 0.66 against 0.67 (weights 0.8 /
0.6 gave 0.873 / 0.875; 5 or 10 neighbours, or the whole text instead of the
windows, scored within 0.005 of 7 on the gold before round 7). Scaling the
vote down where the nearest neighbour is far (cosine below 0.3 or 0.5) scored
the same F1 and a lower P at R 0.90 (0.84, 0.83), and was not kept. Other
learners in place of the logistic regression did not help: a calibrated
linear SVM 0.864, no class weights 0.866, C 8 or 128 0.856 / 0.862, against
0.865 (base, 6,566 provisions).

A candidate vetoed by an exclusion (``rules/exclusions.jsonl``) scores 0. A
type with too few gold positives to learn from is decided by its rules and
exclusions alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from .modality import modality_after
from .rules import Hit, RuleSet
from .syntax import TriggerSyntax, analyse_all

MIN_POSITIVES = 6  # fewer gold positives than this: rules decide
WINDOW = (80, 100)  # characters kept before and after a trigger (wider than 40/60: CV F1 0.780 vs 0.771)
NEAR = (20, 12)  # the narrow window: what the trigger is part of (保安検査のための組織, 施設を検査)
SYNTAX_HITS = 2  # triggers of one candidate whose sentence is parsed
TRAIN_BAND = (0.1, 0.9)  # out-of-fold base scores of the training candidates ``refine`` learns from
BAND = (0.35, 0.6)  # base scores in [low, high) are re-decided with syntax at scan time
THRESHOLD = 0.4  # recall first (see the module docstring)
MIN_BAND_EACH = 4  # positives and negatives needed in the band to train ``refine``
NEIGHBOURS = 7  # labelled training candidates whose similarity-weighted vote is blended into the base score
BLEND = 0.7  # weight of the logistic regression in the base score; the rest is the neighbours' vote
SHOWN_NEIGHBOURS = 2  # nearest labelled provisions given as a reason …
SHOWN_SIMILARITY = 0.5  # … when at least this alike (cosine): the same clause in other words, not a loose likeness
C = 32.0  # inverse regularisation of the logistic regressions (CV on 3,190 provisions: F1 0.792 at 32, 0.771 at 4)


@dataclass
class Candidate:
    label: str
    text: str  # the provision's text
    hits: list[Hit]
    excluded: list[str]  # exclusion ids
    reasons: list[str]
    modality: str
    window: str
    features: dict = field(default_factory=dict)
    vetoed: bool = False  # an exclusion settles it: never flagged
    syntax: list[TriggerSyntax] | None = None  # filled when the candidate is parsed
    neighbours: list["Neighbour"] = field(default_factory=list)  # filled when a trained model scores it


def parse_all(cands: list[Candidate]) -> None:
    """Fill ``syntax`` (and the modality it reads) of each candidate not parsed yet, all sentences in one batch."""
    todo = [c for c in cands if c.syntax is None]
    found = iter(analyse_all([(c.text, h.start, h.end) for c in todo for h in c.hits[:SYNTAX_HITS]]))
    for c in todo:
        c.syntax = [next(found) for _ in c.hits[:SYNTAX_HITS]]
        main = next((s.modality for s in c.syntax if s.modality != "none"), None)
        c.modality = main or c.modality


def candidates(text: str, rules: RuleSet) -> list[Candidate]:
    """One candidate per type whose rules fire in ``text``."""
    hits = rules.hits(text)
    exclusions = rules.excluded_by(text)
    out = []
    for label in dict.fromkeys(h.label for h in hits):
        mine = [h for h in hits if h.label == label]
        modalities = [modality_after(text, h.end) for h in mine]
        window = _around(text, mine, WINDOW)
        feats = {f"rule={h.rule}": 1.0 for h in mine}
        feats.update({f"also={h.rule}": 1.0 for h in hits if h.label != label})  # the other types' rules
        feats.update({f"exclude={e.id}": 1.0 for e in exclusions})
        feats.update({f"modality={m}": 1.0 for m in modalities})
        feats["hits"] = float(np.log1p(len(mine)))
        main = next((m for m in modalities if m != "none"), "none")
        out.append(Candidate(label, text, mine, [e.id for e in exclusions], [e.reason for e in exclusions],
                             main, window, feats, vetoed=any(e.vetoes(label) for e in exclusions)))
    return out


def _around(text: str, hits: list[Hit], span: tuple[int, int]) -> str:
    """The text ``span`` characters before and after each of the first six triggers, joined by …."""
    return "…".join(text[max(0, h.start - span[0]): h.end + span[1]] for h in hits[:6])


# Feature extractors: module-level functions so that a saved pipeline loads again.
def _windows(cands: list[Candidate]) -> list[str]:
    return [c.window for c in cands]


def _near(cands: list[Candidate]) -> list[str]:
    return [_around(c.text, c.hits, NEAR) for c in cands]


def _rule_features(cands: list[Candidate]) -> list[dict]:
    return [c.features for c in cands]


def _syntax_features(cands: list[Candidate]) -> list[dict]:
    parse_all(cands)
    out = []
    for c in cands:
        feats = dict(c.features)
        for s in c.syntax:
            feats.update(s.features())
        out.append(feats)
    return out


def _ngrams(texts) -> Pipeline:
    return Pipeline([("texts", FunctionTransformer(texts)),
                     ("ngrams", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True))])


def _pipeline(features) -> Pipeline:
    return Pipeline([
        ("features", FeatureUnion([
            ("text", _ngrams(_windows)),
            ("near", _ngrams(_near)),
            ("signals", Pipeline([("dict", FunctionTransformer(features)), ("vec", DictVectorizer())])),
        ])),
        ("clf", LogisticRegression(C=C, class_weight="balanced", max_iter=5000)),
    ])


@dataclass(frozen=True)
class Neighbour:
    """A labelled training provision like a candidate: what it is, how alike (cosine), and its gold label."""

    ref: str  # 食品衛生法 第26条第1項
    similarity: float
    positive: bool


class Neighbours:
    """The labelled training candidates of one type, to find the ones most like a new candidate."""

    def fit(self, cands: list[Candidate], y: np.ndarray, refs: list[str]) -> "Neighbours":
        # hashed n-grams: no vocabulary to hold (a TfidfVectorizer's added 63 MB to each scan worker, this 36 MB)
        self.ngrams = make_pipeline(
            HashingVectorizer(analyzer="char", ngram_range=(2, 4), n_features=2 ** 18, alternate_sign=False, norm=None),
            TfidfTransformer(sublinear_tf=True))
        self.matrix = self.ngrams.fit_transform(_windows(cands)).astype(np.float32)
        self.y = np.asarray(y, dtype=bool)
        self.refs = refs
        return self

    def vote(self, cands: list[Candidate], chunk: int = 500) -> np.ndarray:
        """The similarity-weighted share of positives among each candidate's NEIGHBOURS nearest; fills
        ``neighbours`` of each candidate with its SHOWN_NEIGHBOURS nearest that are SHOWN_SIMILARITY alike."""
        out = np.zeros(len(cands))
        for lo in range(0, len(cands), chunk):
            sims = (self.ngrams.transform(_windows(cands[lo:lo + chunk])) @ self.matrix.T).toarray()
            for k, sim in enumerate(sims):
                near = np.argsort(-sim, kind="stable")[:NEIGHBOURS]
                weight = sim[near] + 1e-6
                out[lo + k] = float(weight @ self.y[near] / weight.sum())
                cands[lo + k].neighbours = [Neighbour(self.refs[j], round(float(sim[j]), 2), bool(self.y[j]))
                                            for j in near[:SHOWN_NEIGHBOURS] if sim[j] >= SHOWN_SIMILARITY]
        return out


class TypeModel:
    """The base and refine classifiers of one type, and its threshold."""

    def __init__(self, label: str, threshold: float = THRESHOLD):
        self.label = label
        self.threshold = threshold
        self.base: Pipeline | None = None
        self.refine: Pipeline | None = None
        self.neighbours: Neighbours | None = None

    @property
    def rules_only(self) -> bool:
        return self.base is None

    def fit(self, cands: list[Candidate], y: list[bool], refs: list[str]) -> "TypeModel":
        """``refs`` name the training provisions (law and citation), shown when one is a nearest neighbour."""
        y_arr = np.asarray(y)
        if y_arr.sum() < MIN_POSITIVES or y_arr.all():
            return self
        self.base = _pipeline(_rule_features).fit(cands, y_arr)
        self.neighbours = Neighbours().fit(cands, y_arr, refs)
        folds = StratifiedKFold(min(3, int(y_arr.sum())), shuffle=True, random_state=0)
        oof = cross_val_predict(_pipeline(_rule_features), cands, y_arr, cv=folds, method="predict_proba")[:, 1]
        band = np.flatnonzero((oof >= TRAIN_BAND[0]) & (oof < TRAIN_BAND[1]))
        if min(y_arr[band].sum(), (~y_arr[band]).sum()) >= MIN_BAND_EACH:
            self.refine = _pipeline(_syntax_features).fit([cands[i] for i in band], y_arr[band])
        return self

    def scores(self, cands: list[Candidate]) -> np.ndarray:
        if not cands:
            return np.zeros(0)
        if self.rules_only:
            return np.array([0.0 if c.excluded else 0.9 for c in cands])
        scores = BLEND * self.base.predict_proba(cands)[:, 1] + (1 - BLEND) * self.neighbours.vote(cands)
        scores[[c.vetoed for c in cands]] = 0.0
        if self.refine is not None:
            band = np.flatnonzero((scores >= BAND[0]) & (scores < BAND[1]))
            if len(band):
                refined = self.refine.predict_proba([cands[i] for i in band])[:, 1]
                scores[band] = (scores[band] + refined) / 2
        return scores
