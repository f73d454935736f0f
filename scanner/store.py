"""The review store: scans, their findings and the reviewers' decisions, in one SQLite file.

One file per project folder, ``reviews/review.sqlite`` under the current
directory unless told otherwise. It is created on first use and brought up to
date by ``MIGRATIONS``, applied in order; ``PRAGMA user_version`` says how many
have been applied, and a file from a newer scanner is refused.

Keys: how a decision finds its provision again
----------------------------------------------
- ``doc_key`` — the document across scans: ``"{title}|{number}"`` (例規名 and
  例規番号), or ``"source:{path}"`` when both are empty. The path and the
  format do not count, so an amended copy saved elsewhere, or the same 例規 read
  from text instead of HTML, is the same document (two such copies in one scan
  share their decisions).
- ``prov_key`` — ``"{doc_key}#{citation}"`` (第7条第1項, 附則(…)第2項). A
  citation that a reader yields twice in one document gets ``#2``, ``#3`` in
  document order. A provision that is renumbered (繰下げ) gets a new key and comes
  back as new.
- ``text_hash`` — sha256 of the provision's text.

A decision is stored against ``(prov_key, category)`` together with the
``text_hash`` of the text the reviewer saw. Decisions are never updated: the
history is append-only and the latest row of a ``(prov_key, category)`` is its
decision. For a finding in a scan, that decision is *current* when its
``text_hash`` equals the provision's ``text_hash`` in that scan, so it carries
over to every later scan in which the provision reads the same. When the text
differs, the decision is only shown as ``previous``, and the finding is
undecided until someone decides it again.

Each provision recorded in a scan is also marked against the latest earlier
record of its ``prov_key`` (in any earlier scan): ``new`` (none), ``unchanged``
(same text) or ``changed``.

A scan records every provision of every document it read (the reviewer needs
the neighbours for context) and every finding the detector returned.

Writers and readers
-------------------
WAL journal, ``busy_timeout`` of 30 s, foreign keys on. Every write is one
``BEGIN IMMEDIATE`` transaction; ``Store.transaction()`` groups several writes
(and the reads that decide them) into one. Several processes may write at once;
a writer killed mid-transaction leaves nothing of it behind. WAL needs every
writer on the same machine: serve the file from one machine (the review app),
do not open it over a network share from several PCs. A ``Store`` holds one
connection: make one per thread.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .models import Document, Finding, Item, Provision
from .policies import Vocabulary

DEFAULT_PATH = Path("reviews") / "review.sqlite"
BUSY_TIMEOUT_MS = 30_000
UNDECIDED = "undecided"

# One entry per schema version, applied in order; never edit a released one, add the next.
MIGRATIONS: list[tuple[str, ...]] = [
    (  # 1: the first schema
        """CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            inputs TEXT NOT NULL,           -- JSON list of the paths given
            scanner_version TEXT NOT NULL,
            model TEXT NOT NULL,            -- JSON: model path and the versions it was built with
            documents INTEGER, provisions INTEGER, findings INTEGER, errors INTEGER
        )""",
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            scan_id INTEGER NOT NULL REFERENCES scans(id),
            doc_key TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            number TEXT,
            format TEXT NOT NULL,
            sha256 TEXT NOT NULL
        )""",
        "CREATE INDEX documents_scan ON documents(scan_id)",
        "CREATE INDEX documents_source ON documents(source, sha256)",
        """CREATE TABLE provisions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            seq INTEGER NOT NULL,           -- order in the document, from 0
            prov_key TEXT NOT NULL,
            citation TEXT NOT NULL,
            article TEXT,
            paragraph TEXT NOT NULL,
            part TEXT NOT NULL,
            caption TEXT,
            suppl_label TEXT,
            items TEXT NOT NULL,            -- JSON [[num, start, end], …]
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            doc_start INTEGER NOT NULL,     -- offsets of text in the document
            doc_end INTEGER NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('new', 'unchanged', 'changed')),
            UNIQUE (document_id, seq)
        )""",
        "CREATE INDEX provisions_key ON provisions(prov_key)",
        """CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            provision_id INTEGER NOT NULL REFERENCES provisions(id),
            category TEXT NOT NULL,
            citation TEXT NOT NULL,         -- the provision's, with the 号 of the trigger
            item TEXT,
            score REAL NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('flagged', 'rejected')),
            rules TEXT NOT NULL,            -- JSON list
            reasons TEXT NOT NULL,          -- JSON list
            span_start INTEGER NOT NULL,    -- in the provision text
            span_end INTEGER NOT NULL,
            matched TEXT NOT NULL,
            modality TEXT NOT NULL,
            UNIQUE (provision_id, category)
        )""",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            prov_key TEXT NOT NULL,
            category TEXT NOT NULL,
            text_hash TEXT NOT NULL,        -- of the text the reviewer decided on
            reviewer TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('該当', '非該当', '要確認')),
            policy TEXT,                    -- 見直し方針
            comment TEXT,                   -- 備考
            decided_at TEXT NOT NULL
        )""",
        "CREATE INDEX decisions_key ON decisions(prov_key, category, id)",
    ),
]


class StoreError(RuntimeError):
    """The file cannot be used as a review store (newer schema, no WAL …)."""


class InvalidDecision(ValueError):
    """A decision the store refuses: unknown verdict, policy or provision, or no reviewer."""


@dataclass(frozen=True)
class Scan:
    id: int
    started_at: str
    finished_at: str | None  # None: still running, or stopped before the end
    inputs: tuple[str, ...]
    scanner_version: str
    model: dict
    documents: int | None  # the counts are set when the scan finishes
    provisions: int | None
    findings: int | None
    errors: int | None


@dataclass(frozen=True)
class StoredDocument:
    id: int
    scan_id: int
    doc_key: str
    source: str
    title: str
    number: str | None
    format: str
    sha256: str


@dataclass(frozen=True)
class Decision:
    id: int
    prov_key: str
    category: str
    text_hash: str
    reviewer: str
    verdict: str  # 該当, 非該当, 要確認
    policy: str | None  # 見直し方針
    comment: str | None  # 備考
    decided_at: str  # ISO 8601, UTC


@dataclass(frozen=True)
class QueueEntry:
    """One finding of a scan as the reviewer sees it."""

    finding_id: int
    provision_id: int
    document_id: int
    prov_key: str
    text_hash: str
    change: str  # new / unchanged / changed, against the latest earlier record of prov_key
    finding: Finding
    decision: Decision | None  # current: made on this very text
    previous: Decision | None  # the latest decision, made on another text of the provision

    @property
    def status(self) -> str:
        """``undecided`` or the current verdict."""
        return self.decision.verdict if self.decision else UNDECIDED


@dataclass(frozen=True)
class Progress:
    total: int
    decided: int
    by_reviewer: dict[str, int]  # current decisions per reviewer


@dataclass(frozen=True)
class RecordedDocument:
    """A document as an earlier scan recorded it, for a re-scan that skips unchanged files.

    ``document.text`` is empty (the store keeps the provisions' texts, not the
    whole document); offsets still refer to the original text.
    """

    scan_id: int
    model: dict  # of that scan: the caller decides whether its findings still hold
    document: Document
    findings: tuple[Finding, ...]


def document_key(title: str, number: str | None, source: str) -> str:
    if title or number:
        return f"{title}|{number or ''}"
    return f"source:{source}"


def provision_keys(doc: Document) -> list[str]:
    """The prov_key of every provision of ``doc``, in order."""
    base = document_key(doc.title, doc.number, doc.source)
    seen: Counter[str] = Counter()
    keys = []
    for prov in doc.provisions:
        seen[prov.citation] += 1
        repeat = seen[prov.citation]
        keys.append(f"{base}#{prov.citation}" + (f"#{repeat}" if repeat > 1 else ""))
    return keys


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """The review store at ``path``, created and migrated on open. Use as a context manager or ``close()``.

    For the review UI: ``scans`` / ``latest_scan_id`` and ``documents`` to choose
    from; ``queue`` (filtered, highest score first) for the findings with their
    current and previous decisions; ``neighbours`` for context; ``save_decision``
    (``check_decision`` to validate a form first) and ``history``; ``progress``,
    ``counts_by_category`` and ``counts_by_document`` for the totals.
    ``vocabulary`` holds the verdicts, type names and 見直し方針 options.
    """

    def __init__(self, path: Path | str = DEFAULT_PATH, vocabulary: Vocabulary | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.vocabulary = vocabulary or Vocabulary.load()
        self._conn = _connect(self.path)
        try:
            _migrate(self._conn, self.path)
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE) around the block; nested calls join the outer one."""
        if self._conn.in_transaction:
            yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- recording a scan ---------------------------------------------------
    def begin_scan(self, inputs: Iterable[str], scanner_version: str, model: dict) -> int:
        """Record the start of a scan; returns its id for ``add_document`` and ``finish_scan``."""
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO scans (started_at, inputs, scanner_version, model) VALUES (?, ?, ?, ?)",
                (_now(), json.dumps([str(i) for i in inputs], ensure_ascii=False), scanner_version,
                 json.dumps(model, ensure_ascii=False)))
        return cur.lastrowid

    def add_document(self, scan_id: int, doc: Document, findings: Iterable[Finding]) -> None:
        """Record one document of a scan: all its provisions and the given findings, in one transaction."""
        with self.transaction():
            doc_id = self._conn.execute(
                "INSERT INTO documents (scan_id, doc_key, source, title, number, format, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (scan_id, document_key(doc.title, doc.number, doc.source), doc.source, doc.title, doc.number,
                 doc.format, doc.sha256)).lastrowid
            ids = {}
            for seq, (prov, key) in enumerate(zip(doc.provisions, provision_keys(doc))):
                ids[(prov.start, prov.text)] = self._insert_provision(scan_id, doc_id, seq, prov, key)
            for f in findings:
                prov_id = ids[(f.source_span[0] - f.span[0], f.text)]
                self._conn.execute(
                    "INSERT INTO findings (provision_id, category, citation, item, score, verdict, rules, reasons, "
                    "span_start, span_end, matched, modality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (prov_id, f.category, f.citation, f.item, f.score, f.verdict,
                     json.dumps(list(f.rules), ensure_ascii=False), json.dumps(list(f.reasons), ensure_ascii=False),
                     f.span[0], f.span[1], f.matched, f.modality))

    def finish_scan(self, scan_id: int, *, documents: int, provisions: int, findings: int, errors: int) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE scans SET finished_at = ?, documents = ?, provisions = ?, findings = ?, errors = ? "
                "WHERE id = ?", (_now(), documents, provisions, findings, errors, scan_id))

    def _insert_provision(self, scan_id: int, doc_id: int, seq: int, prov: Provision, key: str) -> int:
        digest = text_hash(prov.text)
        before = self._conn.execute(
            "SELECT p.text_hash FROM provisions p JOIN documents d ON d.id = p.document_id "
            "WHERE p.prov_key = ? AND d.scan_id < ? ORDER BY d.scan_id DESC, p.id DESC LIMIT 1",
            (key, scan_id)).fetchone()
        change = "new" if before is None else "unchanged" if before[0] == digest else "changed"
        items = json.dumps([[i.num, i.start, i.end] for i in prov.items], ensure_ascii=False)
        return self._conn.execute(
            "INSERT INTO provisions (document_id, seq, prov_key, citation, article, paragraph, part, caption, "
            "suppl_label, items, text, text_hash, doc_start, doc_end, change) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, seq, key, prov.citation, prov.article, prov.paragraph, prov.part, prov.caption,
             prov.suppl_label, items, prov.text, digest, prov.start, prov.end, change)).lastrowid

    # -- what was recorded --------------------------------------------------
    def scans(self) -> list[Scan]:
        """Every scan, oldest first."""
        return [_scan(row) for row in self._conn.execute("SELECT * FROM scans ORDER BY id")]

    def latest_scan_id(self) -> int | None:
        return self._conn.execute("SELECT max(id) FROM scans").fetchone()[0]

    def documents(self, scan_id: int) -> list[StoredDocument]:
        """The documents of a scan, by title."""
        rows = self._conn.execute(
            "SELECT id, scan_id, doc_key, source, title, number, format, sha256 FROM documents "
            "WHERE scan_id = ? ORDER BY title, source", (scan_id,))
        return [StoredDocument(**dict(row)) for row in rows]

    def neighbours(self, provision_id: int, count: int = 1) -> tuple[list[Provision], list[Provision]]:
        """Up to ``count`` provisions before and after this one in its document, in document order."""
        doc_id, seq = self._conn.execute(
            "SELECT document_id, seq FROM provisions WHERE id = ?", (provision_id,)).fetchone()
        rows = self._conn.execute(
            "SELECT * FROM provisions WHERE document_id = ? AND seq BETWEEN ? AND ? AND seq != ? ORDER BY seq",
            (doc_id, seq - count, seq + count, seq)).fetchall()
        return ([_provision(r) for r in rows if r["seq"] < seq], [_provision(r) for r in rows if r["seq"] > seq])

    def latest_text_hash(self, prov_key: str) -> str | None:
        """The text_hash of the provision in the latest scan that recorded it."""
        row = self._conn.execute(
            "SELECT p.text_hash FROM provisions p JOIN documents d ON d.id = p.document_id "
            "WHERE p.prov_key = ? ORDER BY d.scan_id DESC, p.id DESC LIMIT 1", (prov_key,)).fetchone()
        return row[0] if row else None

    def unchanged_document(self, source: str, sha256: str) -> RecordedDocument | None:
        """The latest record of ``source`` read from bytes with this sha256, with its findings; None if none."""
        row = self._conn.execute(
            "SELECT d.*, s.model FROM documents d JOIN scans s ON s.id = d.scan_id "
            "WHERE d.source = ? AND d.sha256 = ? ORDER BY d.scan_id DESC, d.id DESC LIMIT 1",
            (source, sha256)).fetchone()
        if row is None:
            return None
        provisions = self._conn.execute(
            "SELECT * FROM provisions WHERE document_id = ? ORDER BY seq", (row["id"],)).fetchall()
        findings = self._conn.execute(
            _FINDING_SELECT + "WHERE d.id = ? ORDER BY p.seq, f.id", (row["id"],)).fetchall()
        doc = Document(source=row["source"], format=row["format"], title=row["title"], number=row["number"],
                       text="", sha256=row["sha256"], provisions=tuple(_provision(p) for p in provisions))
        return RecordedDocument(row["scan_id"], json.loads(row["model"]), doc, tuple(_finding(f) for f in findings))

    # -- the review queue ---------------------------------------------------
    def queue(self, scan_id: int, *, category: str | None = None, document_id: int | None = None,
              status: str | None = None, min_score: float | None = None, changed_only: bool = False,
              include_rejected: bool = False) -> list[QueueEntry]:
        """The findings of a scan with their current decision, highest score first.

        ``status`` is ``undecided`` or a verdict; ``changed_only`` keeps provisions
        whose text changed since the previous record; rejected candidates (scans
        run with ``--all``) only with ``include_rejected``.
        """
        where, params = ["d.scan_id = ?"], [scan_id]
        for clause, value in (("f.category = ?", category), ("d.id = ?", document_id), ("f.score >= ?", min_score)):
            if value is not None:
                where.append(clause)
                params.append(value)
        if changed_only:
            where.append("p.change = 'changed'")
        if not include_rejected:
            where.append("f.verdict = 'flagged'")
        rows = self._conn.execute(
            _QUEUE_SELECT + "WHERE " + " AND ".join(where) + " ORDER BY f.score DESC, d.title, p.seq, f.category",
            params).fetchall()
        entries = [_entry(row) for row in rows]
        return [e for e in entries if status is None or e.status == status]

    def progress(self, scan_id: int) -> Progress:
        """Flagged findings of a scan with a current decision, overall and per reviewer."""
        entries = self.queue(scan_id)
        decided = [e.decision.reviewer for e in entries if e.decision]
        return Progress(total=len(entries), decided=len(decided), by_reviewer=dict(Counter(decided)))

    def statuses(self) -> tuple[str, ...]:
        """``undecided`` and the verdicts: the values of ``QueueEntry.status``."""
        return (UNDECIDED, *self.vocabulary.verdicts)

    def counts_by_category(self, scan_id: int) -> dict[str, dict[str, int]]:
        """Per type with flagged findings: how many are in each status (all statuses, zeros included)."""
        return self._tally(scan_id, lambda e: e.finding.category)

    def counts_by_document(self, scan_id: int) -> dict[int, dict[str, int]]:
        """Per document id (see ``documents``) with flagged findings: how many are in each status."""
        return self._tally(scan_id, lambda e: e.document_id)

    def _tally(self, scan_id: int, key: Callable[[QueueEntry], object]) -> dict:
        out: dict = {}
        for entry in self.queue(scan_id):
            out.setdefault(key(entry), dict.fromkeys(self.statuses(), 0))[entry.status] += 1
        return out

    # -- decisions ----------------------------------------------------------
    def save_decision(self, prov_key: str, category: str, text_hash: str, reviewer: str, verdict: str,
                      policy: str | None = None, comment: str | None = None) -> Decision:
        """Append a decision on the provision text with ``text_hash``; refuses anything the vocabulary lacks."""
        self.check_decision(category, reviewer, verdict, policy)
        with self.transaction():
            known = self._conn.execute(
                "SELECT 1 FROM provisions WHERE prov_key = ? AND text_hash = ? LIMIT 1", (prov_key, text_hash))
            if known.fetchone() is None:
                raise InvalidDecision(f"no provision {prov_key} with text {text_hash[:12]}… was recorded")
            cur = self._conn.execute(
                "INSERT INTO decisions (prov_key, category, text_hash, reviewer, verdict, policy, comment, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (prov_key, category, text_hash, reviewer.strip(), verdict, policy or None, comment or None, _now()))
            row = self._conn.execute("SELECT * FROM decisions WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _decision(row)

    def latest_decision(self, prov_key: str, category: str) -> Decision | None:
        """The decision of ``(prov_key, category)``: its latest row, whatever text it was made on."""
        row = self._conn.execute(
            "SELECT * FROM decisions WHERE prov_key = ? AND category = ? ORDER BY id DESC LIMIT 1",
            (prov_key, category)).fetchone()
        return _decision(row) if row else None

    def history(self, prov_key: str, category: str) -> list[Decision]:
        """Every decision of ``(prov_key, category)``, oldest first."""
        rows = self._conn.execute(
            "SELECT * FROM decisions WHERE prov_key = ? AND category = ? ORDER BY id", (prov_key, category))
        return [_decision(row) for row in rows]

    def check_decision(self, category: str, reviewer: str | None, verdict: str, policy: str | None) -> None:
        """Raise InvalidDecision unless the verdict, the policy (for this type) and a reviewer are all good."""
        vocab = self.vocabulary
        if verdict not in vocab.verdicts:
            raise InvalidDecision(f"判定 must be one of {', '.join(vocab.verdicts)}, not {verdict!r}")
        if category not in vocab.policies:
            raise InvalidDecision(f"unknown type {category!r}")
        if policy and policy not in vocab.policies[category]:
            raise InvalidDecision(f"見直し方針 {policy!r} is not an option for {vocab.labels[category]}")
        if not reviewer or not reviewer.strip():
            raise InvalidDecision("a decision needs a reviewer (担当者)")


_FINDING_COLUMNS = """
    f.id AS finding_id, f.category, f.citation AS finding_citation, f.item, f.score, f.verdict, f.rules, f.reasons,
    f.span_start, f.span_end, f.matched, f.modality,
    p.id AS provision_id, p.prov_key, p.text_hash, p.change, p.article, p.paragraph, p.part, p.caption, p.text,
    p.doc_start, d.id AS document_id, d.source, d.title, d.number"""
_FINDING_TABLES = """
    FROM findings f JOIN provisions p ON p.id = f.provision_id JOIN documents d ON d.id = p.document_id"""
# the latest decision of the finding's (prov_key, category), if any, as dec_* columns
_DECISION_COLUMNS = """
    x.id AS dec_id, x.text_hash AS dec_text_hash, x.reviewer AS dec_reviewer, x.verdict AS dec_verdict,
    x.policy AS dec_policy, x.comment AS dec_comment, x.decided_at AS dec_decided_at"""
_LATEST_DECISION = """
    LEFT JOIN decisions x ON x.id = (SELECT max(y.id) FROM decisions y
                                     WHERE y.prov_key = p.prov_key AND y.category = f.category)"""

_FINDING_SELECT = f"SELECT {_FINDING_COLUMNS} {_FINDING_TABLES} "
_QUEUE_SELECT = f"SELECT {_FINDING_COLUMNS}, {_DECISION_COLUMNS} {_FINDING_TABLES} {_LATEST_DECISION} "


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        conn.close()
        raise StoreError(f"{path}: SQLite cannot keep a WAL journal here (journal mode {mode})")
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations the file lacks, each with its new version number, in one transaction."""
    if _version(conn) == len(MIGRATIONS):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _version(conn)  # again, under the write lock: another process may have migrated
        if version > len(MIGRATIONS):
            raise StoreError(f"{path} has schema version {version}, newer than this scanner knows "
                             f"({len(MIGRATIONS)}): update the scanner")
        for number, statements in enumerate(MIGRATIONS[version:], version + 1):
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _scan(row: sqlite3.Row) -> Scan:
    rec = dict(row)
    rec["inputs"] = tuple(json.loads(rec["inputs"]))
    rec["model"] = json.loads(rec["model"])
    return Scan(**rec)


def _provision(row: sqlite3.Row) -> Provision:
    return Provision(
        article=row["article"], paragraph=row["paragraph"], part=row["part"], citation=row["citation"],
        text=row["text"], start=row["doc_start"], end=row["doc_end"], caption=row["caption"],
        suppl_label=row["suppl_label"], items=tuple(Item(n, s, e) for n, s, e in json.loads(row["items"])))


def _finding(row: sqlite3.Row) -> Finding:
    span = (row["span_start"], row["span_end"])
    return Finding(
        source=row["source"], title=row["title"], number=row["number"], citation=row["finding_citation"],
        article=row["article"], paragraph=row["paragraph"], item=row["item"], suppl=row["part"] == "suppl",
        caption=row["caption"], category=row["category"], score=row["score"], verdict=row["verdict"],
        rules=tuple(json.loads(row["rules"])), reasons=tuple(json.loads(row["reasons"])), span=span,
        source_span=(row["doc_start"] + span[0], row["doc_start"] + span[1]), matched=row["matched"],
        modality=row["modality"], text=row["text"])


def _decision(row: sqlite3.Row, prefix: str = "") -> Decision:
    return Decision(
        id=row[prefix + "id"], prov_key=row["prov_key"], category=row["category"],
        text_hash=row[prefix + "text_hash"], reviewer=row[prefix + "reviewer"], verdict=row[prefix + "verdict"],
        policy=row[prefix + "policy"], comment=row[prefix + "comment"], decided_at=row[prefix + "decided_at"])


def _entry(row: sqlite3.Row) -> QueueEntry:
    latest = _decision(row, "dec_") if row["dec_id"] is not None else None
    current = latest if latest and latest.text_hash == row["text_hash"] else None
    return QueueEntry(
        finding_id=row["finding_id"], provision_id=row["provision_id"], document_id=row["document_id"],
        prov_key=row["prov_key"], text_hash=row["text_hash"], change=row["change"], finding=_finding(row),
        decision=current, previous=latest if latest and not current else None)
