"""Command line: ``scanner parse`` to check a reader by eye, ``scanner scan`` for the main job,
``scanner export`` / ``scanner import`` for the 点検結果一覧表 of a review store."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from . import __version__
from .detect import DEFAULT_GOLD, DEFAULT_MODEL, Detector, ModelMismatch, load_gold
from .evaluate import cross_validated, report
from .export import export
from .importer import import_sheet
from .models import ReadError, provision_record
from .parallel import DaskCluster, Engine, Processes, default_workers
from .scan import ScanSummary, record_scan, run_scan
from .sources import Limits, read_paths
from .sources.inputs import MB, iter_inputs
from .store import DEFAULT_PATH as DEFAULT_STORE
from .store import Store, StoreError

T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scanner", description="Find analog regulations in 例規 and Acts.")
    parser.add_argument("--version", action="version", version=f"scanner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_parse = sub.add_parser("parse", help="print the provisions of files as JSON Lines")
    p_parse.add_argument("inputs", nargs="+", help="files, folders or .zip archives")
    _limit_options(p_parse)

    p_scan = sub.add_parser("scan", help="scan inputs and write findings.jsonl and errors.jsonl")
    p_scan.add_argument("inputs", nargs="+", help="files, folders or .zip archives")
    p_scan.add_argument("--out", required=True, type=Path, help="output folder")
    p_scan.add_argument("--all", action="store_true", help="also write candidates the classifier rejects")
    p_scan.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="model built by `scanner train`")
    p_scan.add_argument("--db", type=Path, help="also record the scan in this review store (reviews/review.sqlite); "
                        "documents unchanged since the last scan recorded there are carried over, not scanned again")
    p_scan.add_argument("--workers", type=_positive(int), default=default_workers(),
                        help="worker processes of the local engine (default: the cores, %(default)s)")
    p_scan.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: worker processes on this machine; dask: the workers of a Dask cluster")
    p_scan.add_argument("--scheduler", help="address of the Dask scheduler (tcp://HOST:8786), with --engine dask")
    p_scan.add_argument("--quiet", action="store_true", help="no progress bar")
    _limit_options(p_scan)

    p_export = sub.add_parser("export", help="write the 点検結果一覧表 of a scan in the review store (.xlsx or .csv)")
    p_export.add_argument("--db", type=Path, default=DEFAULT_STORE, help="review store (default %(default)s)")
    p_export.add_argument("--out", required=True, type=Path, help="reports/NAME.xlsx, or .csv")
    p_export.add_argument("--scan", type=int, help="scan id (default: the latest)")

    p_import = sub.add_parser("import", help="record the 判定 edited in an exported 点検結果一覧表")
    p_import.add_argument("sheet", type=Path, help="the edited .xlsx")
    p_import.add_argument("--db", type=Path, default=DEFAULT_STORE, help="review store (default %(default)s)")
    p_import.add_argument("--reviewer", help="who decided (default: each row's 担当者)")

    p_train = sub.add_parser("train", help="rebuild the classifier from the gold data")
    p_train.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    p_train.add_argument("--model", type=Path, default=DEFAULT_MODEL)

    p_eval = sub.add_parser("eval", help="precision / recall / F1 of the model and the keyword baseline")
    p_eval.add_argument("gold", type=Path, help="gold JSON Lines (labels under ANNOTATION.md)")
    p_eval.add_argument("--model", type=Path, default=DEFAULT_MODEL,
                        help="model to evaluate on held-out gold; omitted or trained on this gold: cross-validate")
    p_eval.add_argument("--folds", type=int, default=5)
    p_eval.add_argument("--train-share", type=_share, default=1.0, metavar="SHARE",
                        help="cross-validating: train each fold on this share (0-1] of its training Acts "
                             "(a learning curve; default all)")

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # output piped into head, less …
        sys.stderr.close()
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "train":
        detector = Detector.train(load_gold(args.gold))
        detector.save(args.model)
        print(f"model saved to {args.model}", file=sys.stderr)
        return 0
    if args.command == "eval":
        return _eval(args.gold, args.model, args.folds, args.train_share)
    if args.command == "export":
        return _export(args.db, args.out, args.scan)
    if args.command == "import":
        return _import(args.db, args.sheet, args.reviewer)
    limits = Limits(max_file_bytes=int(args.max_file_mb * MB), max_archive_bytes=int(args.max_archive_mb * MB),
                    max_members=args.max_members, max_depth=args.max_depth, max_lines=args.max_lines,
                    max_provision_chars=args.max_provision_chars)
    if args.command == "parse":
        return _parse(args.inputs, limits)
    if args.engine == "dask" and not args.scheduler:
        print("error: --engine dask needs --scheduler ADDRESS (of `dask scheduler`)", file=sys.stderr)
        return 2
    try:
        detector = Detector.load(args.model)
    except (FileNotFoundError, ModelMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _scan(args, limits, detector)


def _limit_options(p: argparse.ArgumentParser) -> None:
    defaults = Limits()
    g = p.add_argument_group("limits", "what one input may cost; an input over a limit is named in the errors")
    g.add_argument("--max-file-mb", type=_positive(float), default=defaults.max_file_bytes / MB,
                   help="largest document read, on disk or inflated from a zip (default %(default)s)")
    g.add_argument("--max-archive-mb", type=_positive(float), default=defaults.max_archive_bytes / MB,
                   help="most bytes inflated from one zip archive, refused members included (default %(default)s)")
    g.add_argument("--max-members", type=_positive(int), default=defaults.max_members,
                   help="most members in one zip archive (default %(default)s)")
    g.add_argument("--max-depth", type=_positive(int, zero=True), default=defaults.max_depth,
                   help="deepest folder read below a folder named on the command line (default %(default)s)")
    g.add_argument("--max-lines", type=_positive(int), default=defaults.max_lines,
                   help="most lines (headings, 項, 号, table rows) in one document (default %(default)s)")
    g.add_argument("--max-provision-chars", type=_positive(int), default=defaults.max_provision_chars,
                   help="longest 項 in a document read (default %(default)s)")


def _positive(kind: type, zero: bool = False):
    def parse(text: str):
        value = kind(text)
        if value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"must be {'zero or more' if zero else 'more than zero'}: {text}")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its "invalid …" message
    return parse


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1: {text}")
    return value


def _parse(inputs: list[str], limits: Limits) -> int:
    read_any = False
    for got in read_paths(inputs, limits):
        if isinstance(got, ReadError):
            print(f"error: {got.source}: {got.reason}", file=sys.stderr)
            continue
        read_any = True
        for prov in got.provisions:
            print(json.dumps(provision_record(got, prov), ensure_ascii=False))
    return 0 if read_any else 1


def _eval(gold_path: Path, model_path: Path, folds: int, train_share: float) -> int:
    gold = load_gold(gold_path)
    if gold_path.resolve() == DEFAULT_GOLD.resolve() or not model_path.exists() or train_share < 1:
        predicted = cross_validated(gold, folds, train_share)
        share = f", each fold trained on {train_share:.0%} of its training Acts" if train_share < 1 else ""
        title = f"{gold_path}: {len(gold)} provisions, {folds}-fold cross-validation grouped by law{share}"
    else:
        detector = Detector.load(model_path)
        predicted = [detector.labels(u["text"]) for u in gold]
        title = f"{gold_path}: {len(gold)} provisions, model {model_path}"
    print(report(gold, predicted, title))
    return 0


def _scan(args: argparse.Namespace, limits: Limits, detector: Detector) -> int:
    detect = partial(detector.findings, include_rejected=args.all)  # picklable: it travels to the workers
    try:
        engine = _engine(args, detect)
    except OSError as exc:  # no scheduler at that address
        print(f"error: cannot reach the Dask scheduler at {args.scheduler}: {exc}", file=sys.stderr)
        return 2
    try:
        with _progress(args, limits) as on_progress:
            if args.db is None:
                summary = run_scan(args.inputs, args.out, limits, detect, engine=engine, on_progress=on_progress)
            else:
                try:
                    store = Store(args.db)
                except (StoreError, sqlite3.Error) as exc:
                    print(f"error: {args.db}: {exc}", file=sys.stderr)
                    return 2
                with store:
                    scan_id, summary = record_scan(
                        store, args.inputs, args.out, limits, detect,
                        {"path": str(args.model), **detector.versions, "rejected": args.all},
                        engine=engine, on_progress=on_progress)
                print(f"recorded as scan {scan_id} in {args.db}", file=sys.stderr)
    except BrokenProcessPool:
        print("error: a worker process died (killed, or out of memory); try fewer --workers", file=sys.stderr)
        return 2
    except OSError as exc:  # the output folder, not an input: nothing can be reported
        print(f"error: cannot write the results to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        if engine is not None:
            engine.close()
    carried = f" ({summary.carried} unchanged, carried over)" if summary.carried else ""
    print(f"{summary.documents} documents{carried}, {summary.provisions} provisions, {summary.findings} findings, "
          f"{summary.errors} inputs not read (see {args.out / 'errors.jsonl'})", file=sys.stderr)
    return 0 if summary.documents else 1


def _engine(args: argparse.Namespace, detect) -> Engine | None:
    """None: this process does the work (one worker needs no pool)."""
    if args.engine == "dask":
        return DaskCluster(detect, args.scheduler)
    return Processes(detect, args.workers) if args.workers > 1 else None


@contextmanager
def _progress(args: argparse.Namespace, limits: Limits) -> Iterator[Callable | None]:
    """A progress bar on stderr (documents, findings, time left), updated after each input; None with --quiet."""
    if args.quiet:
        yield None
        return
    from tqdm import tqdm

    total = sum(1 for _ in iter_inputs(args.inputs, limits))  # a walk reading the bytes, not parsing them
    with tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True) as bar:
        def update(summary: ScanSummary) -> None:
            bar.update(1)
            bar.set_postfix(findings=summary.findings, refresh=False)
        yield update


def _export(db: Path, out: Path, scan_id: int | None) -> int:
    rows = _on_existing_store(db, lambda store: export(store, out, scan_id))
    if rows is None:
        return 2
    print(f"{rows} findings written to {out}", file=sys.stderr)
    return 0


def _import(db: Path, sheet: Path, reviewer: str | None) -> int:
    report = _on_existing_store(db, lambda store: import_sheet(store, sheet, reviewer))
    if report is None:
        return 2
    for issue in report.conflicts:
        print(f"conflict: {issue}")
    for issue in report.invalid:
        print(f"not applied: {issue}")
    print(f"{len(report.applied)} decisions recorded, {report.unchanged} rows unchanged, "
          f"{len(report.conflicts)} conflicts, {len(report.invalid)} rows not applied", file=sys.stderr)
    return 1 if report.conflicts or report.invalid else 0


def _on_existing_store(db: Path, work: Callable[[Store], T]) -> T | None:
    """``work`` done on the store at ``db``; None (said on stderr) when there is no store, it cannot be used, or
    the work fails on a file (not an exported sheet, not a readable xlsx, an unwritable folder)."""
    if not db.exists():
        print(f"error: no review store at {db}: record a scan with `scanner scan … --db {db}`", file=sys.stderr)
        return None
    try:
        store = Store(db)
    except (StoreError, sqlite3.Error) as exc:
        print(f"error: {db}: {exc}", file=sys.stderr)
        return None
    try:
        with store:
            return work(store)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
