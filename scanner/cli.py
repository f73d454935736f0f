"""Command line: ``scanner parse`` to check a reader by eye, ``scanner scan`` for the main job."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
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
    _limit_options(p_scan)

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # output piped into head, less …
        sys.stderr.close()
        return 0


def _run(args: argparse.Namespace) -> int:
    limits = Limits(max_file_bytes=int(args.max_file_mb * MB), max_archive_bytes=int(args.max_archive_mb * MB))
    if args.command == "parse":
        return _parse(args.inputs, limits)
    return _scan(args.inputs, args.out, limits)


def _limit_options(p: argparse.ArgumentParser) -> None:
    defaults = Limits()
    p.add_argument("--max-file-mb", type=float, default=defaults.max_file_bytes / MB,
                   help="largest document read, on disk or inflated from a zip (default %(default)s)")
    p.add_argument("--max-archive-mb", type=float, default=defaults.max_archive_bytes / MB,
                   help="most bytes inflated from one zip archive (default %(default)s)")


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


def _scan(inputs: list[str], out: Path, limits: Limits) -> int:
    summary = run_scan(inputs, out, limits)
    print(f"{summary.documents} documents, {summary.provisions} provisions, {summary.findings} findings, "
          f"{summary.errors} inputs not read (see {out / 'errors.jsonl'})", file=sys.stderr)
    return 0 if summary.documents else 1
