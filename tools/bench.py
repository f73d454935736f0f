"""make bench: the whole scan of the 2,072 shared e-Gov Acts against a plain keyword scan of the same files.

Each run is a child process of its own, so that its peak RSS (summed over the
process and its workers, sampled every 0.1 s with psutil) and wall time are its
own. Printed:

- the keyword scan (every file read by the same reader, ``RuleSet.keyword_types``
  over each provision; the faster of two runs, the machine may be shared) and
  the scan (``scanner scan --workers N``): documents, characters, characters per
  second, wall time, peak RSS, and the ratio of the times;
- a re-scan with ``--db`` of the unchanged corpus against the first scan into the same store;
- a scaling table: workers × documents (the first N Acts by file name).

Targets of the issue: the scan within 5× the keyword scan's time, peak RSS within 2 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scanner.corpus import egov_laws  # noqa: E402
from scanner.parallel import default_workers  # noqa: E402


def keyword_scan(list_file: Path) -> None:
    """The child of the keyword run: read every file, run the keyword net over each provision."""
    from scanner.rules import RuleSet
    from scanner.sources import read_paths

    rules = RuleSet.load()
    paths = list_file.read_text(encoding="utf-8").splitlines()
    documents = chars = hits = 0
    for doc in read_paths(paths):
        if hasattr(doc, "provisions"):
            documents += 1
            chars += len(doc.text)
            hits += sum(len(rules.keyword_types(p.text)) for p in doc.provisions)
    print(json.dumps({"documents": documents, "chars": chars, "hits": hits}))


def measure(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS of the process tree (bytes) and stdout of ``cmd``."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:4])} … exited with {proc.returncode}:\n{err.decode()}")
    return wall, peak, out.decode()


def scan_cmd(files: list[Path], out: Path, model: Path, workers: int, db: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scanner", "scan", *map(str, files), "--out", str(out), "--model", str(model),
           "--workers", str(workers), "--quiet"]
    return cmd + ["--db", str(db)] if db else cmd


def row(name: str, docs: int, chars: int, wall: float, peak: int) -> str:
    return (f"| {name:<28} | {docs:>9,} | {chars:>13,} | {chars / wall:>11,.0f} | {wall:>8.1f} | "
            f"{peak / 2**20:>9,.0f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=REPO / "models" / "detector.joblib")
    ap.add_argument("--workers", type=int, default=default_workers(), help="workers of the main scan")
    ap.add_argument("--scaling-workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--sizes", type=int, nargs="*", default=[250, 500, 1000, 2072])
    ap.add_argument("--keyword-runs", type=int, default=2, help="the keyword scan's time is the best of these")
    ap.add_argument("--no-rescan", action="store_true", help="skip the re-scan with --db")
    ap.add_argument("_keywords", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._keywords:
        keyword_scan(Path(args._keywords))
        return 0

    files = sorted(egov_laws().glob("*.xml"))
    head = ("| run                          | documents |    characters |   chars/s   |   wall s | peak RSS MB |\n"
            "|------------------------------|----------:|--------------:|------------:|---------:|------------:|")
    with tempfile.TemporaryDirectory(prefix="scanner-bench-") as tmp:
        tmp = Path(tmp)
        list_file = tmp / "files.txt"
        list_file.write_text("\n".join(map(str, files)), encoding="utf-8")
        runs = [measure([sys.executable, __file__, str(list_file)]) for _ in range(args.keyword_runs)]
        kw_wall, kw_peak, kw_out = min(runs)
        kw = json.loads(kw_out)
        print(f"{kw['documents']:,} Acts, {kw['chars']:,} characters; scan with {args.workers} workers", flush=True)
        print(head)
        print(row("keyword scan", kw["documents"], kw["chars"], kw_wall, kw_peak), flush=True)
        db = None if args.no_rescan else tmp / "review.sqlite"
        walls = {}
        wall, peak, _ = measure(scan_cmd(files, tmp / "scan", args.model, args.workers, db))
        walls[(args.workers, len(files))] = (wall, peak)
        print(row(f"scan{' --db' if db else ''} ({args.workers} workers)", kw["documents"], kw["chars"], wall, peak),
              flush=True)
        if db:
            again, again_peak, _ = measure(scan_cmd(files, tmp / "again", args.model, args.workers, db))
            print(row("re-scan, unchanged (--db)", kw["documents"], kw["chars"], again, again_peak))
        print(f"\nscan / keyword scan: {wall / kw_wall:.1f}× (target ≤ 5×); peak RSS {peak / 2**30:.2f} GB "
              f"(target ≤ 2 GB); cost per 1,000 documents: {wall / len(files) * 1000:.0f} s wall "
              f"with {args.workers} workers")
        if db:
            print(f"re-scan of the unchanged corpus / first scan: {again / wall:.2f}")

        if args.sizes and args.scaling_workers:
            print("\n| workers | documents |   wall s | docs/s | peak RSS MB |\n"
                  "|--------:|----------:|---------:|-------:|------------:|")
            for workers in args.scaling_workers:
                for size in args.sizes:
                    subset = files[:size]
                    if (workers, len(subset)) in walls and not db:
                        wall, peak = walls[(workers, len(subset))]
                    else:
                        wall, peak, _ = measure(scan_cmd(subset, tmp / "scale", args.model, workers))
                    print(f"| {workers:>7} | {len(subset):>9,} | {wall:>8.1f} | {len(subset) / wall:>6.1f} | "
                          f"{peak / 2**20:>11,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
