"""Draw the provisions to label for corpora/gold/ and split them into labelling batches.

The pool (ANNOTATION.md, issue "Detection"): every keyword hit in the main body
of the municipal-type Acts listed below, plus random provisions without any
keyword from the whole shared corpus. The reserved evaluation Acts are not in
the corpus at all. Batches are shuffled so that no batch is one law; the
first DOUBLE batches are labelled twice, independently.

    python tools/gold_pool.py EGOV_DIR OUT_DIR
"""

from __future__ import annotations

import json
import random
import sys
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
    out_dir.mkdir(parents=True, exist_ok=True)
    batches = [pool[i:i + BATCH] for i in range(0, len(pool), BATCH)]
    for n, batch in enumerate(batches):
        with open(out_dir / f"batch_{n:02d}.jsonl", "w", encoding="utf-8") as fh:
            for rec in batch:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(hits)} keyword hits in {len(ACTS)} Acts + {RANDOM_NEGATIVES} random without a keyword "
          f"= {len(pool)} provisions in {len(batches)} batches; batches 00-{DOUBLE - 1:02d} are labelled twice")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
