"""Where documents are read and detected: in this process, in a pool of worker processes, or on a Dask cluster.

The parent walks the inputs (``sources.inputs``, with its limits) and hands
each document's bytes to an engine as one task; a task reads the bytes into a
Document and runs the detector over it (``scan_input``). Results come back in
input order, so the parent writes findings.jsonl and the store exactly as one
process would. At most ``window`` tasks are in flight at a time: the bytes and
results of a long batch never pile up in memory.

The detector travels to each worker once: as the initializer argument of a
process pool, as data scattered to every worker of a Dask cluster. GiNZA is
loaded lazily, once per worker process (``syntax.nlp``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, Protocol

from .models import Document, Finding, ReadError
from .sources import Limits, read_document
from .sources.inputs import Input

Detect = Callable[[Document], Iterable[Finding]]
WINDOW_PER_WORKER = 8  # tasks in flight per worker: enough to keep it busy behind one long document


@dataclass(frozen=True)
class Scanned:
    """One input as scanned: the document (without its full ``text``: provisions carry the text) and its
    findings, or the reason it could not be read."""

    document: Document | ReadError
    findings: tuple[Finding, ...] = ()
    carried: bool = False  # taken from an earlier scan in the store, not read and detected again


def scan_input(detect: Detect, inp: Input, limits: Limits) -> Scanned:
    got = read_document(inp.source, inp.data, limits)
    if isinstance(got, ReadError):
        return Scanned(got)
    return Scanned(replace(got, text=""), tuple(detect(got)))


class Engine(Protocol):
    """Runs ``scan_input`` on each input; ``submit`` returns something with ``.result()``."""

    workers: int

    def submit(self, inp: Input, limits: Limits): ...

    def close(self) -> None: ...


def done(value) -> Future:
    """A future already holding ``value`` (a result that needs no worker, e.g. carried over from the store)."""
    future: Future = Future()
    future.set_result(value)
    return future


def in_order(futures: Iterable, window: int) -> Iterator:
    """The results of ``futures`` (created lazily by the iterable) in order, with at most ``window`` pending."""
    pending: deque = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class Serial:
    """Everything in this process: the detector as it is, nothing pickled."""

    workers = 1

    def __init__(self, detect: Detect):
        self.detect = detect

    def submit(self, inp: Input, limits: Limits) -> Future:
        return done(scan_input(self.detect, inp, limits))

    def close(self) -> None:
        pass


# The detector of a pool worker process, set once by the pool's initializer.
_worker_detect: Detect | None = None


def _init_worker(detect: Detect) -> None:
    global _worker_detect
    _worker_detect = detect


def _pool_task(inp: Input, limits: Limits) -> Scanned:
    return scan_input(_worker_detect, inp, limits)


class Processes:
    """A pool of ``workers`` processes, started fresh (spawn: nothing inherited from a threaded parent)."""

    def __init__(self, detect: Detect, workers: int):
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker, initargs=(detect,))

    def submit(self, inp: Input, limits: Limits) -> Future:
        return self.pool.submit(_pool_task, inp, limits)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


class DaskCluster:
    """The workers of a Dask distributed cluster at ``scheduler`` (an address, or a ``Client`` already made).

    Every worker needs the same install (and thereby GiNZA); the detector is sent from here.
    """

    def __init__(self, detect: Detect, scheduler):
        from distributed import Client

        self.client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        self.own_client = self.client is not scheduler
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.detect = self.client.scatter(detect, broadcast=True, hash=False)

    def submit(self, inp: Input, limits: Limits):
        return self.client.submit(scan_input, self.detect, inp, limits, pure=False)

    def close(self) -> None:
        if self.own_client:
            self.client.close()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
