"""The main job: read every input, detect, and write findings.jsonl and errors.jsonl.

Those two files, in the output folder, are all a scan writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO

from .models import Document, Finding, ReadError
from .sources import Limits, read_paths

Detect = Callable[[Document], Iterable[Finding]]


@dataclass
class ScanSummary:
    documents: int = 0
    provisions: int = 0
    findings: int = 0
    errors: int = 0


def run_scan(inputs: list, out_dir: Path, limits: Limits, detect: Detect) -> ScanSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = ScanSummary()
    with _fresh(out_dir / "findings.jsonl") as findings, _fresh(out_dir / "errors.jsonl") as errors:
        for got in read_paths(inputs, limits):
            if isinstance(got, ReadError):
                summary.errors += 1
                errors.write(json.dumps(asdict(got), ensure_ascii=False) + "\n")
                continue
            summary.documents += 1
            summary.provisions += len(got.provisions)
            for finding in detect(got):
                summary.findings += 1
                findings.write(json.dumps(finding.record(), ensure_ascii=False) + "\n")
    return summary


def _fresh(path: Path) -> TextIO:
    """A new file at ``path``: a file or link left there before is replaced, never written through."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return open(fd, "w", encoding="utf-8", errors="backslashreplace")  # no text can stop a scan
