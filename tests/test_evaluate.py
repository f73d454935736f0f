"""scanner eval: cross-validation grouped by law, the keyword baseline beside it, and the learning curve."""

import json

import pytest

from scanner import evaluate
from scanner.cli import main
from scanner.detect import load_gold
from scanner.rules import TYPES


@pytest.fixture(scope="module")
def some_gold():
    """The first 400 gold provisions (batches 00-07: keyword hits and random provisions of the first Acts)."""
    return load_gold()[:400]


def test_each_fold_of_a_learning_curve_trains_on_its_share_of_the_training_acts_only(some_gold, monkeypatch):
    trained: dict[float, list[set[str]]] = {}

    class Recorder:
        @classmethod
        def train(cls, units, rules):
            trained[share].append({u["law_id"] for u in units})
            return cls()

        def labels(self, text):
            return set()

    monkeypatch.setattr(evaluate, "Detector", Recorder)
    for share in (0.5, 1.0):
        trained[share] = []
        evaluate.cross_validated(some_gold, folds=3, train_share=share)

    laws = {u["law_id"] for u in some_gold}
    for half, whole in zip(trained[0.5], trained[1.0]):
        assert half < whole  # a smaller share's Acts are among the whole's: the curve adds data, never swaps it
        assert 0.3 < len(half) / len(whole) < 0.7
    for whole in trained[1.0]:
        assert len(whole) / len(laws) == pytest.approx(2 / 3, abs=0.1)  # the other folds' Acts, never the test fold's
    assert set.union(*(laws - w for w in trained[1.0])) == laws  # every Act was tested once


def test_eval_on_a_share_prints_the_model_beside_the_keyword_baseline(some_gold, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(u, ensure_ascii=False) + "\n" for u in some_gold), encoding="utf-8")
    assert main(["eval", str(gold), "--folds", "2", "--train-share", "0.5", "--model", str(tmp_path / "none")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "400 provisions, 2-fold cross-validation grouped by law, each fold trained on 50%" in out[0]
    rows = {line.split()[0]: line.split()[1:] for line in out[2:]}
    assert list(rows) == [*TYPES, "micro"]
    gold_positives = sum(len(u["labels"]) for u in some_gold)
    assert int(rows["micro"][0]) == gold_positives
    assert all(0 <= float(x) <= 1 for row in rows.values() for x in row[1:])
    assert float(rows["micro"][3]) > float(rows["micro"][6])  # the model's F1 beats the keyword baseline's


@pytest.mark.parametrize("share", ["0", "1.5", "-0.2"])
def test_eval_refuses_a_share_outside_0_to_1(share, capsys):
    with pytest.raises(SystemExit) as refused:
        main(["eval", "corpora/gold/gold.jsonl", "--train-share", share])
    assert refused.value.code == 2
    assert f"--train-share: must be more than 0 and at most 1: {share}" in capsys.readouterr().err
