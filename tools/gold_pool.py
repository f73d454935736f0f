"""Draw the provisions to label for corpora/gold/ and split them into labelling batches.

Round 1 (ANNOTATION.md, issue "Detection"): every keyword hit in the main body
of the municipal-type Acts in ``ACTS``, plus random provisions without any
keyword from the whole shared corpus (batches 00-42, 00-09 labelled twice).

Round 2, for the types round 1 had few positives of (目視, 定期検査, 常駐・専任,
書面掲示, 対面講習, 記録媒体): every provision of the main body where a rule of
``rules/`` fires, in the Acts of ``ACTS_2`` (at most the cap given there, drawn
at random), plus random provisions where no rule fires and no keyword occurs
(batches 43 on, the first DOUBLE_2 of them labelled twice). Acts the tests use
as unseen text are not drawn. The reserved evaluation Acts are not in the
corpus at all. Batches are shuffled so that no batch is one law.

Round 3, more of the same types from the whole corpus: in every Act not drawn
before (and not used by the tests), the provisions where a rule of one of
``WEAK`` fires, at most PER_ACT_3 per Act, PICK_3 of them at random, plus
RANDOM_NEGATIVES_3 random provisions where no rule fires (batches 64 on, the
first DOUBLE_3 labelled twice).

Round 4, the same from the Acts still not drawn, for the types still weakest
(目視, 定期検査, 常駐・専任, 対面講習): at most PER_ACT_4 per Act, PICK_4 at random,
plus RANDOM_NEGATIVES_4 random provisions where no rule fires (batches 81-99,
every one labelled twice).

Round 5, for the types with fewest positives after round 4 (定期検査 29,
記録媒体 19, 常駐・専任 50, 対面講習 58): from every Act but the test Acts, the
provisions not drawn before where a rule of the type fires, QUOTA_5 of each
type at random (for 定期検査 only those that also name 検査・点検・測定・試験, every
one of them), at most PER_ACT_5 per Act, plus RANDOM_NEGATIVES_5 random
provisions where no rule fires (batches 100-115, every one labelled twice).

Round 6, the same way for the weakest types with many positives after round 5
(目視 F1 0.79, 対面講習 0.78, 記録媒体 0.75): QUOTA_6 of each, the 目視 ones
only where no 立入・臨検・質問 wording occurs (those are mostly the 立入検査
formula, drawn plenty before), at most PER_ACT_6 per Act, plus
RANDOM_NEGATIVES_6 random provisions where no rule fires (batches 116 on,
every one labelled twice).

Round 7, for the types whose CV F1 still rose with more data after round 6
(half the training Acts → all of them: 定期検査 0.73 → 0.81, 常駐・専任 0.74 →
0.81, 対面講習 0.78 → 0.79; 目視 stayed at 0.78–0.79): QUOTA_7 of each, the
定期検査 ones only where they name 検査・点検・測定・試験 and the 目視 ones only
where no 立入・臨検・質問 wording occurs, at most PER_ACT_7 per Act, plus
RANDOM_NEGATIVES_7 random provisions where no rule fires (batches 132 on, every
one labelled twice).

Round 8, for the types still under F1 0.85 after round 7 (対面講習, 目視, 定期検査)
and the last 常駐・専任 candidates: QUOTA_8 of each, the 定期検査 ones only where
they name an act of inspection other than those of round 5 (調査, 監査, 確認 …;
the round-5 ones are all drawn), the 目視 ones only where no 立入・臨検・質問
wording occurs, at most PER_ACT_8 per Act, plus RANDOM_NEGATIVES_8 random
provisions where no rule fires (batches 146 on, every one labelled twice).

Each round reads the batches of the rounds before it from OUT_DIR and never
draws a provision twice. The batches in corpora/gold/batches are the record of
what was drawn: each round was drawn with the rules of its day, and two random
provisions of test Acts (獣医師法 25-1 in round 1, 銀行法 59-2 in round 2) were
taken out of the batches and the annotations after drawing.

    python tools/gold_pool.py EGOV_DIR OUT_DIR             # round 1
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 2   # with batches 00-42 in OUT_DIR
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 3   # with batches 00-63 in OUT_DIR
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 4   # with batches 00-80 in OUT_DIR
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 5   # with batches 00-99 in OUT_DIR
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 6   # with batches 00-115 in OUT_DIR
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 7   # with batches 00-131 in OUT_DIR
    python tools/gold_pool.py EGOV_DIR OUT_DIR --round 8   # with batches 00-145 in OUT_DIR
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.models import Document  # noqa: E402
from scanner.sources import read_document  # noqa: E402

ACTS = {  # LawId: municipal-type Acts (営業, 衛生, 建築, 消防, 環境, 福祉 …)
    "322AC0000000233": "食品衛生法", "328AC0000000114": "と畜場法", "402AC0000000070": "食鳥処理法",
    "345AC1000000020": "建築物衛生法", "332AC1000000164": "生活衛生関係営業法", "325AC0000000303": "毒物及び劇物取締法",
    "335AC0000000146": "薬剤師法", "348AC1000000105": "動物愛護管理法", "324AC1000000208": "家畜商法",
    "404AC0000000046": "獣医療法", "323AC0000000068": "予防接種法", "325AC1000000202": "建築士法",
    "336AC0000000191": "宅地造成及び特定盛土等規制法", "427AC0000000053": "建築物省エネ法", "331AC0000000079": "都市公園法",
    "332AC0000000106": "駐車場法", "344AC0000000057": "急傾斜地法", "333AC0000000030": "地すべり等防止法",
    "326AC1000000193": "公営住宅法", "412AC1000000149": "マンション管理適正化法", "322AC0000000226": "消防組織法",
    "325AC0000000149": "火薬類取締法", "350AC0000000084": "石油コンビナート等災害防止法", "324AC0000000193": "水防法",
    "343AC0000000098": "騒音規制法", "351AC0000000064": "振動規制法", "346AC0000000091": "悪臭防止法",
    "345AC0000000138": "水質汚濁防止法", "414AC0000000053": "土壌汚染対策法", "411AC0100000105": "ダイオキシン類対策特別措置法",
    "333AC0000000079": "下水道法", "407AC0000000112": "容器包装リサイクル法", "413AC1000000064": "フロン排出抑制法",
    "338AC0000000133": "老人福祉法", "324AC1000000283": "身体障害者福祉法", "335AC0000000037": "知的障害者福祉法",
    "412AC1000000082": "児童虐待防止法", "362AC0000000030": "社会福祉士及び介護福祉士法", "325AC0000000144": "生活保護法",
    "347AC0000000117": "警備業法", "323AC0000000122": "風俗営業法", "363AC1000000099": "遊漁船業法",
    "343AC0000000074": "砂利採取法", "325AC0000000291": "採石法", "324AC0000000207": "社会教育法",
    "325AC0000000118": "図書館法", "326AC1000000285": "博物館法", "414AC0000000088": "鳥獣保護管理法",
}
RANDOM_NEGATIVES = 450
BATCH = 50
DOUBLE = 10
SEED = 20261123

ACTS_2 = {  # LawId: (name, at most this many rule candidates; None: all)
    "326AC0000000204": ("高圧ガス保安法", 60), "326AC0000000185": ("道路運送車両法", 50), "404AC0000000051": ("計量法", 60),
    "326AC1000000166": ("家畜伝染病予防法", 45), "325AC0000000151": ("植物防疫法", 30),
    "332AC0000000167": ("放射性同位元素等の規制に関する法律", 40), "401AC0000000083": ("貨物自動車運送事業法", None),
    "342AC0000000081": ("住民基本台帳法", None), "325AC0100000123": ("精神保健福祉法", None),
    "414AC0000000103": ("健康増進法", None), "413AC0000000057": ("自動車運転代行業法", None),
    "502AC0000000060": ("賃貸住宅管理業法", None), "406AC0000000077": ("不動産特定共同事業法", None),
    "322AC0000000049": ("労働基準法", None), "323AC0000000082": ("農薬取締法", None), "325AC0000000127": ("肥料法", None),
    "328AC0000000014": ("麻薬及び向精神薬取締法", None), "326AC0100000252": ("覚醒剤取締法", None),
    "329AC0000000071": ("あへん法", None), "332AC0000000161": ("自然公園法", None), "407AC0000000123": ("耐震改修促進法", None),
    "324AC1000000279": ("国際観光ホテル整備法", None), "412AC0000000104": ("建設リサイクル法", None),
    "425AC0000000070": ("食品表示法", None), "331AC0000000121": ("倉庫業法", None), "401AC0000000082": ("貨物利用運送事業法", None),
    "346AC0000000035": ("卸売市場法", None), "345AC1000000019": ("柔道整復師法", None),
    "322AC0000000217": ("あん摩マツサージ指圧師、はり師、きゆう師等に関する法律", None), "333AC0000000056": ("学校保健安全法", None),
    "418AC0000000077": ("認定こども園法", None), "339AC0000000129": ("母子及び父子並びに寡婦福祉法", None),
    "413AC0000000147": ("電磁的記録式投票機特例法", None), "327AC0000000229": ("農地法", None), "324AC0000000188": ("測量法", 30),
    "344AC0000000064": ("職業能力開発促進法", 30), "323AC0000000203": ("保健師助産師看護師法", None),
    "337AC0000000100": ("ビル用水法", None), "363AC0000000040": ("港湾労働法", None), "428AC0000000089": ("技能実習法", 40),
}
RANDOM_NEGATIVES_2 = 100
FIRST_BATCH_2 = 43
DOUBLE_2 = 5
SEED_2 = 20261124

TEST_ACTS = {  # Acts the tests read as text the model has not seen
    "323AC1000000186", "322AC0000000118", "138AC0000000052", "356AC0000000059", "419AC1000000133", "322AC0000000054",
    "324AC0000000186", "324AC0000000204", "333AC0000000084", "341AC0000000119", "402AC0000000030",
}
WEAK = {"periodic_inspection", "resident_staffing", "posted_documents", "inperson_training", "inperson_viewing",
        "storage_media"}
PER_ACT_3 = 15
PICK_3 = 800
RANDOM_NEGATIVES_3 = 50
FIRST_BATCH_3 = 64
DOUBLE_3 = 4
SEED_3 = 20261125

WEAK_4 = {"visual_inspection", "periodic_inspection", "resident_staffing", "inperson_training"}  # F1 < 0.8 after round 3
PER_ACT_4 = 8
PICK_4 = 910
RANDOM_NEGATIVES_4 = 40
FIRST_BATCH_4 = 81
SEED_4 = 20261126

QUOTA_5 = {"periodic_inspection": None, "storage_media": 150, "resident_staffing": 250, "inperson_training": 200}
INSPECTION_WORDS = ("検査", "点検", "測定", "試験")  # a 定期検査 candidate of round 5 names one of these
PER_ACT_5 = 8
RANDOM_NEGATIVES_5 = 49
FIRST_BATCH_5 = 100
SEED_5 = 20261127

# after round 5 the weakest types with many positives: 目視 (F1 0.79), 対面講習 (0.78), 記録媒体 (0.75)
QUOTA_6 = {"visual_inspection": 400, "inperson_training": 250, "storage_media": 100}
ENTRY = re.compile(r"立ち?入|臨検|質問")  # a 目視 candidate of round 6 is not a 立入検査・質問検査 clause
PER_ACT_6 = 8
RANDOM_NEGATIVES_6 = 50
FIRST_BATCH_6 = 116
SEED_6 = 20261128

# after round 6 the types that still learn from more data: 定期検査 (F1 0.81), 常駐・専任 (0.81), 対面講習 (0.79)
QUOTA_7 = {"periodic_inspection": None, "resident_staffing": 250, "inperson_training": 200, "visual_inspection": 150}
PER_ACT_7 = 8
RANDOM_NEGATIVES_7 = 50
FIRST_BATCH_7 = 132
SEED_7 = 20261129

# after round 7 the types still under F1 0.85: 対面講習 (0.80), 目視 (0.80), 定期検査 (0.79); 定期検査 candidates
# naming 検査・点検・測定・試験 are all drawn, so those naming another act of inspection are drawn now
QUOTA_8 = {"periodic_inspection": None, "resident_staffing": None, "inperson_training": 200, "visual_inspection": 150}
OTHER_INSPECTION_WORDS = ("調査", "監査", "確認", "校正", "巡視", "診断")
PER_ACT_8 = 8
RANDOM_NEGATIVES_8 = 50
FIRST_BATCH_8 = 146
SEED_8 = 20261130


def keywords(rules_dir: Path) -> list[str]:
    table = json.loads((rules_dir / "keywords.json").read_text(encoding="utf-8"))
    return [word for key, words in table.items() if not key.startswith("_") for word in words]


def unit(law_id: str, doc: Document, prov) -> dict:
    return {"id": f"{law_id}/{prov.part}/{prov.article}/{prov.paragraph}", "law_id": law_id, "law_title": doc.title,
            "article": prov.article, "paragraph": prov.paragraph, "suppl": prov.suppl,
            "citation": prov.citation, "caption": prov.caption, "text": prov.text}


def main(egov_dir: Path, out_dir: Path) -> None:
    words = keywords(Path(__file__).resolve().parent.parent / "rules")
    rng = random.Random(SEED)
    hits, others = [], []
    for path in sorted(egov_dir.glob("*.xml")):
        doc = read_document(path.name, path.read_bytes())
        law_id = path.stem
        for prov in doc.provisions:
            if prov.part != "main" or not prov.text.strip():
                continue
            has_keyword = any(w in prov.text for w in words)
            if law_id in ACTS and has_keyword:
                hits.append(unit(law_id, doc, prov))
            elif not has_keyword:
                others.append(unit(law_id, doc, prov))
    pool = hits + rng.sample(others, RANDOM_NEGATIVES)
    rng.shuffle(pool)
    last = write_batches(pool, out_dir, 0)
    print(f"{len(hits)} keyword hits in {len(ACTS)} Acts + {RANDOM_NEGATIVES} random without a keyword "
          f"= {len(pool)} provisions in {last + 1} batches; batches 00-{DOUBLE - 1:02d} are labelled twice")


def _drawn(out_dir: Path) -> list[dict]:
    """The provisions the batches already in ``out_dir`` hold (the rounds before)."""
    return [json.loads(line) for f in out_dir.glob("batch_*.jsonl") for line in f.read_text("utf-8").splitlines()]


def write_batches(pool: list[dict], out_dir: Path, first: int) -> int:
    """Write ``pool`` as batches of BATCH numbered from ``first``; the number of the last batch."""
    out_dir.mkdir(parents=True, exist_ok=True)
    batches = [pool[i:i + BATCH] for i in range(0, len(pool), BATCH)]
    for n, batch in enumerate(batches, start=first):
        with open(out_dir / f"batch_{n:02d}.jsonl", "w", encoding="utf-8") as fh:
            for rec in batch:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return first + len(batches) - 1


def round_2(egov_dir: Path, out_dir: Path) -> None:
    from scanner.rules import RuleSet

    rules = RuleSet.load()
    words = keywords(Path(__file__).resolve().parent.parent / "rules")
    done = {r["id"] for r in _drawn(out_dir)}
    rng = random.Random(SEED_2)
    picked, others = [], []
    for path in sorted(egov_dir.glob("*.xml")):
        doc = read_document(path.name, path.read_bytes())
        law_id = path.stem
        found = []
        for prov in doc.provisions:
            if prov.part != "main" or not prov.text.strip():
                continue
            rec = unit(law_id, doc, prov)
            if rec["id"] in done:
                continue
            if rules.hits(prov.text):
                found.append(rec)
            elif not any(w in prov.text for w in words):
                others.append(rec)
        if law_id in ACTS_2:
            cap = ACTS_2[law_id][1]
            picked += found if cap is None or len(found) <= cap else rng.sample(found, cap)
    pool = picked + rng.sample([o for o in others if o["law_id"] not in ACTS_2], RANDOM_NEGATIVES_2)
    pool = [p for p in pool if p["law_id"] not in TEST_ACTS]
    rng.shuffle(pool)
    last = write_batches(pool, out_dir, FIRST_BATCH_2)
    print(f"{len(picked)} rule candidates in {len(ACTS_2)} Acts + {RANDOM_NEGATIVES_2} random without one = {len(pool)} "
          f"provisions in batches {FIRST_BATCH_2}-{last}; {FIRST_BATCH_2}-{FIRST_BATCH_2 + DOUBLE_2 - 1} are labelled twice")


def round_3(egov_dir: Path, out_dir: Path) -> None:
    _from_new_acts(egov_dir, out_dir, WEAK, PER_ACT_3, PICK_3, RANDOM_NEGATIVES_3, FIRST_BATCH_3, SEED_3)
    print(f"the first {DOUBLE_3} batches of round 3 were labelled twice")


def round_4(egov_dir: Path, out_dir: Path) -> None:
    _from_new_acts(egov_dir, out_dir, WEAK_4, PER_ACT_4, PICK_4, RANDOM_NEGATIVES_4, FIRST_BATCH_4, SEED_4)
    print("every batch of round 4 is labelled twice")


def round_5(egov_dir: Path, out_dir: Path) -> None:
    def keep(label: str, text: str) -> bool:
        return label != "periodic_inspection" or any(w in text for w in INSPECTION_WORDS)

    last = _by_quota(egov_dir, out_dir, QUOTA_5, keep, PER_ACT_5, RANDOM_NEGATIVES_5, FIRST_BATCH_5, SEED_5)
    print(f"batches {FIRST_BATCH_5}-{last}; every batch of round 5 is labelled twice")


def round_6(egov_dir: Path, out_dir: Path) -> None:
    def keep(label: str, text: str) -> bool:
        return label != "visual_inspection" or not ENTRY.search(text)

    last = _by_quota(egov_dir, out_dir, QUOTA_6, keep, PER_ACT_6, RANDOM_NEGATIVES_6, FIRST_BATCH_6, SEED_6)
    print(f"batches {FIRST_BATCH_6}-{last}; every batch of round 6 is labelled twice")


def round_7(egov_dir: Path, out_dir: Path) -> None:
    keep = _periodic_naming(INSPECTION_WORDS)
    last = _by_quota(egov_dir, out_dir, QUOTA_7, keep, PER_ACT_7, RANDOM_NEGATIVES_7, FIRST_BATCH_7, SEED_7)
    print(f"batches {FIRST_BATCH_7}-{last}; every batch of round 7 is labelled twice")


def round_8(egov_dir: Path, out_dir: Path) -> None:
    keep = _periodic_naming(OTHER_INSPECTION_WORDS)
    last = _by_quota(egov_dir, out_dir, QUOTA_8, keep, PER_ACT_8, RANDOM_NEGATIVES_8, FIRST_BATCH_8, SEED_8)
    print(f"batches {FIRST_BATCH_8}-{last}; every batch of round 8 is labelled twice")


def _periodic_naming(words: tuple[str, ...]):
    """Keep a 定期検査 candidate only where it names one of ``words``, a 目視 one only without 立入 wording."""
    def keep(label: str, text: str) -> bool:
        if label == "periodic_inspection":
            return any(w in text for w in words)
        return label != "visual_inspection" or not ENTRY.search(text)
    return keep


def _by_quota(egov_dir: Path, out_dir: Path, quota: dict, keep, per_act_cap: int, negatives: int, first: int,
              seed: int) -> int:
    """From every Act but the test Acts, the provisions not drawn before where a rule of a type of ``quota`` fires
    and ``keep(type, text)`` holds, ``quota[type]`` of each at random (None: every one), at most ``per_act_cap``
    per Act, plus ``negatives`` random provisions where no rule fires; the number of the last batch written."""
    from scanner.rules import RuleSet

    rules = RuleSet.load()
    done = {r["id"] for r in _drawn(out_dir)}
    rng = random.Random(seed)
    found: dict[str, list[dict]] = {t: [] for t in quota}
    others = []
    for path in sorted(egov_dir.glob("*.xml")):
        if path.stem in TEST_ACTS:
            continue
        doc = read_document(path.name, path.read_bytes())
        for prov in doc.provisions:
            rec = unit(path.stem, doc, prov)
            if prov.part != "main" or not prov.text.strip() or rec["id"] in done:
                continue
            labels = {h.label for h in rules.hits(prov.text)}
            if not labels:
                others.append(rec)
            for t in quota.keys() & labels:
                if keep(t, prov.text):
                    found[t].append(rec)
    pool, taken, per_act = [], set(), Counter()
    for t, wanted in quota.items():
        recs = [r for r in rng.sample(found[t], len(found[t])) if r["id"] not in taken]
        got = 0
        for r in recs:
            if (wanted is not None and got == wanted) or per_act[r["law_id"]] == per_act_cap:
                continue
            pool.append(r)
            taken.add(r["id"])
            per_act[r["law_id"]] += 1
            got += 1
        print(f"{t}: {got} of {len(found[t])} candidates")
    pool += rng.sample(others, negatives)
    rng.shuffle(pool)
    print(f"{len(pool)} provisions")
    return write_batches(pool, out_dir, first)


def _from_new_acts(egov_dir: Path, out_dir: Path, types: set[str], per_act: int, pick: int, negatives: int,
                   first: int, seed: int) -> None:
    """In every Act not drawn before (and not used by the tests), the provisions where a rule of ``types`` fires,
    at most ``per_act`` per Act, ``pick`` of them at random, plus ``negatives`` random provisions where no rule
    fires; batches numbered from ``first``."""
    from scanner.rules import RuleSet

    rules = RuleSet.load()
    earlier = _drawn(out_dir)
    done_laws = {r["law_id"] for r in earlier} | TEST_ACTS
    done = {r["id"] for r in earlier}
    rng = random.Random(seed)
    picked, others = [], []
    for path in sorted(egov_dir.glob("*.xml")):
        if path.stem in done_laws:
            continue
        doc = read_document(path.name, path.read_bytes())
        found = []
        for prov in doc.provisions:
            if prov.part != "main" or not prov.text.strip():
                continue
            rec = unit(path.stem, doc, prov)
            labels = {h.label for h in rules.hits(prov.text)}
            if labels & types:
                found.append(rec)
            elif not labels and rec["id"] not in done:
                others.append(rec)
        picked += found if len(found) <= per_act else rng.sample(found, per_act)
    pool = rng.sample(picked, pick) + rng.sample(others, negatives)
    rng.shuffle(pool)
    last = write_batches(pool, out_dir, first)
    print(f"{pick} of {len(picked)} candidates of {sorted(types)} + {negatives} random = {len(pool)} provisions "
          f"in batches {first}-{last}")


ROUNDS = {"2": round_2, "3": round_3, "4": round_4, "5": round_5, "6": round_6, "7": round_7, "8": round_8}

if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[3] == "--round" and sys.argv[4] in ROUNDS:
        ROUNDS[sys.argv[4]](Path(sys.argv[1]), Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]), Path(sys.argv[2]))
