"""The main job: read every input, detect, and write findings.jsonl and errors.jsonl.

``on_document`` is called with each document read and its findings, after they
are written: ``scanner scan --db`` records them in the review store through it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from .models import Document, Finding, ReadError
from .sources import Limits, read_paths

Detect = Callable[[Document], Iterable[Finding]]
OnDocument = Callable[[Document, list[Finding]], None]


@dataclass
class ScanSummary:
    documents: int = 0
    provisions: int = 0
    findings: int = 0
    errors: int = 0


def run_scan(inputs: list, out_dir: Path, limits: Limits, detect: Detect,
             on_document: OnDocument | None = None) -> ScanSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = ScanSummary()
    with open(out_dir / "findings.jsonl", "w", encoding="utf-8") as findings, \
            open(out_dir / "errors.jsonl", "w", encoding="utf-8") as errors:
        for got in read_paths(inputs, limits):
            if isinstance(got, ReadError):
                summary.errors += 1
                errors.write(json.dumps(asdict(got), ensure_ascii=False) + "\n")
                continue
            summary.documents += 1
            summary.provisions += len(got.provisions)
            found = list(detect(got))
            summary.findings += len(found)
            for finding in found:
                findings.write(json.dumps(finding.record(), ensure_ascii=False) + "\n")
            if on_document:
                on_document(got, found)
    return summary
