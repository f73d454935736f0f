"""The main job: read every input, detect, and write findings.jsonl and errors.jsonl.

Those two files, in the output folder, are all a scan writes there.
``on_document`` is called with each document read and its findings, after they
are written, and ``on_error`` with each input that could not be read.
``record_scan`` is the same job recorded in the review store as one scan:
``scanner scan --db`` and the review app both scan through it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, TextIO

from . import __version__
from .models import Document, Finding, ReadError
from .sources import Limits, read_paths

if TYPE_CHECKING:
    from .store import Store

Detect = Callable[[Document], Iterable[Finding]]
OnDocument = Callable[[Document, list[Finding]], None]
OnError = Callable[[ReadError], None]


@dataclass
class ScanSummary:
    documents: int = 0
    provisions: int = 0
    findings: int = 0
    errors: int = 0


def run_scan(inputs: list, out_dir: Path, limits: Limits, detect: Detect,
             on_document: OnDocument | None = None, on_error: OnError | None = None,
             source_name: Callable[[str], str] | None = None) -> ScanSummary:
    """Scan ``inputs`` into ``out_dir``. ``source_name`` renames each document's and error's source
    (the review app names uploaded files by their uploaded names, not by the temporary paths read)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = ScanSummary()
    with _fresh(out_dir / "findings.jsonl") as findings, _fresh(out_dir / "errors.jsonl") as errors:
        for got in read_paths(inputs, limits):
            if source_name:
                got = replace(got, source=source_name(got.source))
            if isinstance(got, ReadError):
                summary.errors += 1
                errors.write(json.dumps(asdict(got), ensure_ascii=False) + "\n")
                if on_error:
                    on_error(got)
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


def record_scan(store: "Store", inputs: list, out_dir: Path, limits: Limits, detect: Detect, model: dict, *,
                described: list[str] | None = None, on_error: OnError | None = None,
                source_name: Callable[[str], str] | None = None) -> tuple[int, ScanSummary]:
    """``run_scan`` with every document and finding recorded in ``store`` as one scan.

    ``model`` is what the scan records of the detector (its path and versions);
    ``described`` the inputs as the scan records them (default: ``inputs``).
    Returns the new scan's id and the summary.
    """
    scan_id = store.begin_scan(described if described is not None else inputs, __version__, model)
    summary = run_scan(inputs, out_dir, limits, detect, partial(store.add_document, scan_id), on_error, source_name)
    store.finish_scan(scan_id, **asdict(summary))
    return scan_id, summary


def _fresh(path: Path) -> TextIO:
    """A new file at ``path``: a file or link left there before is replaced, never written through."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return open(fd, "w", encoding="utf-8", errors="backslashreplace")  # no text can stop a scan
