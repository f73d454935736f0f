"""Command line: ``scanner parse`` to check a reader by eye, ``scanner scan`` for the main job."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .detect import DEFAULT_GOLD, DEFAULT_MODEL, Detector, ModelMismatch, load_gold
from .evaluate import cross_validated, report
from .models import ReadError, provision_record
from .scan import run_scan
from .sources import Limits, read_paths
from .sources.inputs import MB


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
    _limit_options(p_scan)

    p_train = sub.add_parser("train", help="rebuild the classifier from the gold data")
    p_train.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    p_train.add_argument("--model", type=Path, default=DEFAULT_MODEL)

    p_eval = sub.add_parser("eval", help="precision / recall / F1 of the model and the keyword baseline")
    p_eval.add_argument("gold", type=Path, help="gold JSON Lines (labels under ANNOTATION.md)")
    p_eval.add_argument("--model", type=Path, default=DEFAULT_MODEL,
                        help="model to evaluate on held-out gold; omitted or trained on this gold: cross-validate")
    p_eval.add_argument("--folds", type=int, default=5)

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
        return _eval(args.gold, args.model, args.folds)
    limits = Limits(max_file_bytes=int(args.max_file_mb * MB), max_archive_bytes=int(args.max_archive_mb * MB),
                    max_members=args.max_members, max_depth=args.max_depth, max_lines=args.max_lines,
                    max_provision_chars=args.max_provision_chars)
    if args.command == "parse":
        return _parse(args.inputs, limits)
    try:
        detector = Detector.load(args.model)
    except (FileNotFoundError, ModelMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _scan(args.inputs, args.out, limits, detector, args.all)


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


def _eval(gold_path: Path, model_path: Path, folds: int) -> int:
    gold = load_gold(gold_path)
    if gold_path.resolve() == DEFAULT_GOLD.resolve() or not model_path.exists():
        predicted = cross_validated(gold, folds)
        title = f"{gold_path}: {len(gold)} provisions, {folds}-fold cross-validation grouped by law"
    else:
        detector = Detector.load(model_path)
        predicted = [detector.labels(u["text"]) for u in gold]
        title = f"{gold_path}: {len(gold)} provisions, model {model_path}"
    print(report(gold, predicted, title))
    return 0


def _scan(inputs: list[str], out: Path, limits: Limits, detector: Detector, include_rejected: bool) -> int:
    try:
        summary = run_scan(inputs, out, limits, lambda doc: detector.findings(doc, include_rejected))
    except OSError as exc:  # the output folder, not an input: nothing can be reported
        print(f"error: cannot write the results to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{summary.documents} documents, {summary.provisions} provisions, {summary.findings} findings, "
          f"{summary.errors} inputs not read (see {out / 'errors.jsonl'})", file=sys.stderr)
    return 0 if summary.documents else 1
