"""GiNZA syntax of a trigger: its predicate, that predicate's modality, actor and object.

The parser is the expensive stage (a few thousand characters a second), so it
parses only the sentence around a trigger, only when the classifier asks for
it, and remembers the triggers it has seen (statutes repeat their formulas) in
a bounded cache. The triggers of a document's candidates are analysed together:
each sentence parsed once, all of them in one batch. Each batch runs in a spaCy
memory zone, so the strings of a long batch do not pile up in the vocabulary;
only plain strings leave it, and a lock keeps a process's threads (a Dask
worker's) from parsing at once.
GiNZA is loaded once per process, with NER disabled and thinc's NumpyOps
without blis (the generic blis kernel on these machines is six times slower
and gives identical parses), and numpy's BLAS held to one thread: the
parser's matrices are small, and OpenBLAS's extra threads only spin against
the other work of the machine (a sentence took 260 ms instead of 13 ms on two
busy cores). A scan runs in parallel over documents instead.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

MAX_SENTENCE = 220  # characters parsed around one trigger
_SENTENCE_END = re.compile(r"[。\n]")
_PARSING = threading.Lock()
SEEN_KEPT = 50_000  # triggers whose syntax is remembered, by (sentence, offsets): a few MB
_seen: OrderedDict[tuple[str, int, int], "TriggerSyntax"] = OrderedDict()  # least recently used first


@functools.lru_cache(maxsize=1)
def nlp():
    """The GiNZA pipeline, loaded on first use."""
    from threadpoolctl import threadpool_limits
    from thinc.api import NumpyOps, set_current_ops

    threadpool_limits(1, user_api="blas")  # for the rest of the process
    set_current_ops(NumpyOps(use_blis=False))
    import spacy

    return spacy.load("ja_ginza", disable=["ner"])


@dataclass(frozen=True)
class TriggerSyntax:
    predicate: str  # lemma of the verb the trigger belongs to ("" when none was found)
    predicate_dep: str  # ROOT for the main predicate; acl / advcl when it is in a subordinate clause
    trigger_dep: str  # the trigger's own relation: obj, obl, nsubj, ROOT …
    modality: str  # obligation / permission / prohibition / effort / none, read off the predicate's auxiliaries
    actor: str  # lemma of the predicate's subject (nsubj), if any
    obj: str  # lemma of the predicate's object (obj), if any
    causative: bool  # させる: the actor makes someone else do it

    def features(self) -> dict[str, float]:
        out = {f"syn.pred={self.predicate}": 1.0, f"syn.pred_dep={self.predicate_dep}": 1.0,
               f"syn.trigger_dep={self.trigger_dep}": 1.0, f"syn.modality={self.modality}": 1.0}
        if self.actor:
            out[f"syn.actor={self.actor}"] = 1.0
        if self.obj:
            out[f"syn.obj={self.obj}"] = 1.0
        if self.causative:
            out["syn.causative"] = 1.0
        return out


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence holding ``text[start:end]``, cut to MAX_SENTENCE, and the trigger's offsets in it."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_END.search(text, end)
    right = stop.end() if stop else len(text)
    if right - left > MAX_SENTENCE:
        left = max(left, start - MAX_SENTENCE * 2 // 3)
        right = min(right, left + MAX_SENTENCE)
    return text[left:right], start - left, end - left


def analyse(text: str, start: int, end: int) -> TriggerSyntax:
    """The syntax of the trigger ``text[start:end]`` inside a provision's text."""
    return analyse_all([(text, start, end)])[0]


def analyse_all(triggers: list[tuple[str, int, int]]) -> list[TriggerSyntax]:
    """``analyse`` for each ``(text, start, end)``: the sentences not seen before are parsed once each, in one
    batch (GiNZA's ``pipe``: 1.7 times as fast as one by one, and the same parses on the gold data)."""
    keys = [sentence_around(*trigger) for trigger in triggers]
    with _PARSING:  # also keeps two threads from loading GiNZA twice
        todo = [key for key in dict.fromkeys(keys) if key not in _seen]
        if todo:
            parser = nlp()
            sentences = list(dict.fromkeys(sentence for sentence, _, _ in todo))
            with parser.memory_zone():
                docs = dict(zip(sentences, parser.pipe(sentences, batch_size=16)))
                for sentence, start, end in todo:
                    _seen[sentence, start, end] = _trigger_syntax(docs[sentence], start, end)
        found = []
        for key in keys:
            _seen.move_to_end(key)
            found.append(_seen[key])
        while len(_seen) > SEEN_KEPT:
            _seen.popitem(last=False)
    return found


def _trigger_syntax(doc, start: int, end: int) -> TriggerSyntax:
    tokens = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not tokens:
        return TriggerSyntax("", "", "", "none", "", "", False)
    trigger = min(tokens, key=_depth)  # the head-most token of the trigger
    pred = trigger
    while pred.pos_ not in ("VERB", "ADJ") and pred.head.i != pred.i:
        pred = pred.head
    auxes = [c for c in pred.children if c.dep_ in ("aux", "fixed", "mark", "compound")]
    auxes += [g for c in auxes for g in c.children if g.dep_ == "fixed"]
    actor = next((c.lemma_ for c in pred.children if c.dep_ == "nsubj"), "")
    obj = next((c.lemma_ for c in pred.children if c.dep_ == "obj" and c.i != trigger.i), "")
    return TriggerSyntax(
        predicate=pred.lemma_ if pred.pos_ in ("VERB", "ADJ") else "",
        predicate_dep=pred.dep_,
        trigger_dep=trigger.dep_,
        modality=_modality(pred, auxes),
        actor=actor,
        obj=obj,
        causative=any(a.lemma_ in ("せる", "させる") for a in auxes),
    )


def _depth(token) -> int:
    n = 0
    while token.head.i != token.i:  # spaCy makes a new Token object on every access
        token, n = token.head, n + 1
    return n


def _modality(pred, auxes) -> str:
    tail = "".join(t.text for t in sorted([pred, *auxes], key=lambda t: t.i)[1:])
    if "努め" in pred.lemma_ or "努め" in tail:
        return "effort"
    if "はならない" in tail or (tail.startswith("は") and "ならない" in tail):  # してはならない, 行つてはならない
        return "prohibition"
    if "なければならない" in tail or "ねばならない" in tail:
        return "obligation"
    if "ことができる" in tail or tail.endswith("できる"):
        return "permission"
    return "none"
