"""Rules → candidates → classifier → Finding, and the saved model that carries its versions.

The model is rebuilt from corpora/gold/ by ``scanner train`` and saved outside
the package (``models/`` by default) beside a JSON file naming the versions it
was built with; a mismatching install refuses it with a clear message.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

import joblib
import sklearn

from . import __version__
from .classify import Candidate, TypeModel, candidates
from .models import Document, Finding
from .numerals import item_label
from .rules import RULES_DIR, TYPES, RuleSet

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO / "models" / "detector.joblib"
DEFAULT_GOLD = REPO / "corpora" / "gold" / "gold.jsonl"


class ModelMismatch(RuntimeError):
    """The saved model was built by another install (or other rules); rebuild it with ``scanner train``."""


def rules_digest(directory: Path = RULES_DIR) -> str:
    """Of the files the RuleSet reads; review_policies.json is the reviewers' vocabulary, not the model's."""
    h = hashlib.sha256()
    for path in sorted([*directory.glob("*.jsonl"), directory / "keywords.json"]):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def load_gold(path: Path = DEFAULT_GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Detector:
    def __init__(self, rules: RuleSet, models: dict[str, TypeModel]):
        self.rules = rules
        self.models = models
        self.versions = _versions()  # what it was built with: ``load`` refuses a model built otherwise

    @classmethod
    def train(cls, gold: list[dict], rules: RuleSet | None = None) -> "Detector":
        rules = rules or RuleSet.load()
        cands = [{c.label: c for c in candidates(g["text"], rules)} for g in gold]
        models = {}
        for label in TYPES:
            idx = [i for i, c in enumerate(cands) if label in c]
            models[label] = TypeModel(label).fit([cands[i][label] for i in idx],
                                                 [label in gold[i]["labels"] for i in idx],
                                                 [f"{gold[i]['law_title']} {gold[i]['citation']}" for i in idx])
        return cls(rules, models)

    def decide(self, text: str) -> list[tuple[Candidate, float]]:
        """Every candidate type of a provision text, with its score."""
        return self.decide_all([text])[0]

    def decide_all(self, texts: list[str]) -> list[list[tuple[Candidate, float]]]:
        """``decide`` for each text, with the candidates of all texts scored together: one call of each type's
        classifier instead of one per candidate (the scores are the same: every feature is per candidate)."""
        found = [candidates(text, self.rules) for text in texts]
        by_label: dict[str, list[Candidate]] = {}
        for cands in found:
            for cand in cands:
                by_label.setdefault(cand.label, []).append(cand)
        scores = {label: iter(self.models[label].scores(cands)) for label, cands in by_label.items()}
        return [[(cand, float(next(scores[cand.label]))) for cand in cands] for cands in found]

    def labels(self, text: str) -> set[str]:
        """The types the detector flags in a provision text."""
        return {cand.label for cand, score in self.decide(text) if score >= self.models[cand.label].threshold}

    def findings(self, doc: Document, include_rejected: bool = False) -> Iterable[Finding]:
        for prov, decided in zip(doc.provisions, self.decide_all([p.text for p in doc.provisions])):
            for cand, score in decided:
                model = self.models[cand.label]
                flagged = score >= model.threshold
                if not flagged and not include_rejected:
                    continue
                first = cand.hits[0]
                item = prov.item_at(first.start)
                yield Finding(
                    source=doc.source, title=doc.title, number=doc.number,
                    citation=prov.citation + (item_label(item.num) if item else ""),
                    article=prov.article, paragraph=prov.paragraph, item=item.num if item else None,
                    suppl=prov.suppl, caption=prov.caption, category=cand.label, score=round(score, 4),
                    verdict="flagged" if flagged else "rejected",
                    rules=tuple(dict.fromkeys(h.rule for h in cand.hits)),
                    reasons=tuple(_reasons(cand, model.rules_only)),
                    span=(first.start, first.end), source_span=(prov.start + first.start, prov.start + first.end),
                    matched=first.matched, modality=cand.modality, text=prov.text,
                )

    # -- persistence -------------------------------------------------------
    def save(self, path: Path = DEFAULT_MODEL) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.models, path)
        path.with_suffix(".json").write_text(json.dumps(_versions(), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "Detector":
        meta_path = path.with_suffix(".json")
        if not path.exists() or not meta_path.exists():
            raise FileNotFoundError(f"no model at {path}: build it with `scanner train`")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        now = _versions()
        wrong = {k: (meta.get(k), v) for k, v in now.items() if meta.get(k) != v}
        if wrong:
            said = ", ".join(f"{k} {was} (now {is_})" for k, (was, is_) in wrong.items())
            raise ModelMismatch(f"the model at {path} was built with {said}: rebuild it with `scanner train`")
        return cls(RuleSet.load(), joblib.load(path))


def _versions() -> dict:
    return {"scanner": __version__, "scikit-learn": sklearn.__version__, "rules": rules_digest()}


def _reasons(cand: Candidate, rules_only: bool) -> list[str]:
    out = [f"trigger 「{h.matched}」 ({h.rule})" for h in cand.hits[:3]]
    if cand.modality != "none":
        out.append(f"modality: {cand.modality}")
    for syn in cand.syntax or ():
        said = [f"predicate {syn.predicate}"] if syn.predicate else []
        said += [f"actor {syn.actor}"] if syn.actor else []
        said += [f"object {syn.obj}"] if syn.obj else []
        said += ["causative (させる)"] if syn.causative else []
        if said:
            out.append("syntax: " + ", ".join(said))
    if cand.neighbours:
        out.append("nearest gold: " + "; ".join(
            f"{n.ref} ({'該当' if n.positive else '非該当'}, similarity {n.similarity:.2f})" for n in cand.neighbours))
    out += cand.reasons
    if rules_only:
        out.append("decided by rules (too few gold examples to learn from)")
    return out
