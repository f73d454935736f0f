"""The main job: read every input, detect, and write findings.jsonl and errors.jsonl.

Those two files, in the output folder, are all a scan writes there.
``on_document`` is called with each document read and its findings, after they
are written, and ``on_error`` with each input that could not be read; both in
input order, whatever engine (``scanner.parallel``) did the work. The document
given to ``on_document`` has no ``text`` (its provisions carry theirs).
``record_scan`` is the same job recorded in the review store as one scan:
``scanner scan --db`` and the review app both scan through it. It carries over
the documents whose bytes are unchanged since a scan recorded with the same
detector and limits, instead of reading and detecting them again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, TextIO

from . import __version__
from .models import Document, Finding, ReadError
from .parallel import WINDOW_PER_WORKER, Detect, Engine, Scanned, Serial, done, in_order
from .sources import Limits
from .sources.inputs import Input, iter_inputs

if TYPE_CHECKING:
    from .store import Store

OnDocument = Callable[[Document, list[Finding]], None]
OnError = Callable[[ReadError], None]
Reuse = Callable[[str, str], Scanned | None]  # (source, sha256 of its bytes) → the earlier result, if any


@dataclass
class ScanSummary:
    documents: int = 0
    provisions: int = 0
    findings: int = 0
    errors: int = 0
    carried: int = 0  # documents carried over unchanged from an earlier scan (counted in ``documents`` too)


def run_scan(inputs: list, out_dir: Path, limits: Limits, detect: Detect,
             on_document: OnDocument | None = None, on_error: OnError | None = None,
             source_name: Callable[[str], str] | None = None, *, engine: Engine | None = None,
             reuse: Reuse | None = None, on_progress: Callable[[ScanSummary], None] | None = None) -> ScanSummary:
    """Scan ``inputs`` into ``out_dir``. ``source_name`` renames each document's and error's source
    (the review app names uploaded files by their uploaded names, not by the temporary paths read).

    ``engine`` does the reading and detecting (default: this process, with ``detect``); ``reuse`` gives
    the earlier result of an input whose bytes are unchanged; ``on_progress`` is called after each input.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    engine = engine or Serial(detect)
    summary = ScanSummary()

    def tasks() -> Iterator:
        for got in iter_inputs(inputs, limits):
            if isinstance(got, ReadError):
                yield done(Scanned(_renamed(got, source_name)))
                continue
            if source_name:
                got = Input(source_name(got.source), got.data)
            earlier = reuse(got.source, hashlib.sha256(got.data).hexdigest()) if reuse else None
            if earlier is not None:
                yield done(earlier)
            else:
                yield engine.submit(got, limits)

    with _fresh(out_dir / "findings.jsonl") as findings, _fresh(out_dir / "errors.jsonl") as errors:
        for scanned in in_order(tasks(), engine.workers * WINDOW_PER_WORKER):
            got = scanned.document
            if isinstance(got, ReadError):
                summary.errors += 1
                errors.write(json.dumps(asdict(got), ensure_ascii=False) + "\n")
                if on_error:
                    on_error(got)
            else:
                summary.documents += 1
                summary.provisions += len(got.provisions)
                summary.findings += len(scanned.findings)
                summary.carried += scanned.carried
                for finding in scanned.findings:
                    findings.write(json.dumps(finding.record(), ensure_ascii=False) + "\n")
                if on_document:
                    on_document(got, list(scanned.findings))
            if on_progress:
                on_progress(summary)
    return summary


def _renamed(error: ReadError, source_name: Callable[[str], str] | None) -> ReadError:
    return ReadError(source_name(error.source), error.reason) if source_name else error


def record_scan(store: "Store", inputs: list, out_dir: Path, limits: Limits, detect: Detect, model: dict, *,
                described: list[str] | None = None, on_error: OnError | None = None,
                source_name: Callable[[str], str] | None = None, engine: Engine | None = None,
                carry_over: bool = True, on_progress: Callable[[ScanSummary], None] | None = None,
                ) -> tuple[int, ScanSummary]:
    """``run_scan`` with every document and finding recorded in ``store`` as one scan.

    ``model`` is what the scan records of the detector (its path, versions and settings);
    ``described`` the inputs as the scan records them (default: ``inputs``).
    With ``carry_over``, a document whose source and bytes are those of a document in an earlier scan
    recorded with the same ``model`` (its path aside) and the same limits is not read and detected
    again: its provisions and findings are taken from that scan (``Store.unchanged_document``).
    Returns the new scan's id and the summary.
    """
    settings = {**model, "limits": asdict(limits)}
    scan_id = store.begin_scan(described if described is not None else inputs, __version__, settings)
    reuse = partial(_unchanged, store, _sameness(settings)) if carry_over else None
    summary = run_scan(inputs, out_dir, limits, detect, partial(store.add_document, scan_id), on_error,
                       source_name, engine=engine, reuse=reuse, on_progress=on_progress)
    store.finish_scan(scan_id, documents=summary.documents, provisions=summary.provisions,
                      findings=summary.findings, errors=summary.errors)
    return scan_id, summary


def _sameness(settings: dict) -> dict:
    """What two scans must share for a document's findings to carry over: all but where the model file was."""
    return {k: v for k, v in settings.items() if k != "path"}


def _unchanged(store: "Store", sameness: dict, source: str, sha256: str) -> Scanned | None:
    recorded = store.unchanged_document(source, sha256)
    if recorded is None or _sameness(recorded.model) != sameness:
        return None
    return Scanned(recorded.document, recorded.findings, carried=True)


def _fresh(path: Path) -> TextIO:
    """A new file at ``path``: a file or link left there before is replaced, never written through."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    return open(fd, "w", encoding="utf-8", errors="backslashreplace")  # no text can stop a scan
