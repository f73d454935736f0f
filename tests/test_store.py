"""The review store on the bundled 留萌市 ordinance: recording, carry-over, the queue, concurrency, crashes, schema."""

import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3

import pytest

from scanner import store as store_module
from scanner.cli import main
from scanner.detect import Detector
from scanner.sources import Limits, read_paths
from scanner.store import InvalidDecision, Store, StoreError

from .conftest import FIXTURES

RUMOI = FIXTURES / "rumoi-akiya-jorei.txt"
TITLE = "留萌市空家等の適切な管理に関する条例"
NUMBER = "令和5年条例第23号"
SIGN = "当該特定空家等に標識を設置しなければならない。"
AMENDED_SIGN = "当該特定空家等に標識を設置し、その旨を公告しなければならない。"


def sql(db, query):
    """One statement on a plain connection, closed afterwards."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def scan(model_path, source, db, out):
    assert main(["scan", str(source), "--out", str(out), "--model", str(model_path), "--db", str(db)]) == 0
    with Store(db) as st:
        return st.latest_scan_id()


def entry(entries, citation, category):
    [found] = [e for e in entries if e.finding.citation == citation and e.finding.category == category]
    return found


def decide(st, e, reviewer, verdict, policy=None, comment=None):
    return st.save_decision(e.prov_key, e.finding.category, e.text_hash, reviewer, verdict, policy, comment)


@pytest.fixture
def scanned(tmp_path, model_path):
    """The 留萌市 ordinance scanned once into a fresh store: (db path, scan id)."""
    db = tmp_path / "reviews" / "review.sqlite"
    return db, scan(model_path, RUMOI, db, tmp_path / "out")


def test_scan_records_every_provision_and_finding_and_leaves_findings_jsonl_alone(tmp_path, model_path, scanned):
    db, scan_id = scanned
    plain = tmp_path / "plain"
    assert main(["scan", str(RUMOI), "--out", str(plain), "--model", str(model_path)]) == 0
    assert (tmp_path / "out" / "findings.jsonl").read_bytes() == (plain / "findings.jsonl").read_bytes()
    written = [json.loads(line) for line in (plain / "findings.jsonl").read_text(encoding="utf-8").splitlines()]

    [doc] = read_paths([str(RUMOI)], Limits())
    with Store(db) as st:
        [run] = st.scans()
        assert run.id == scan_id and run.finished_at and run.inputs == (str(RUMOI),)
        assert (run.documents, run.provisions, run.findings, run.errors) == (1, len(doc.provisions), len(written), 0)
        assert run.model["rules"] and run.model["scanner"]
        [stored] = st.documents(scan_id)
        assert (stored.title, stored.number, stored.doc_key) == (TITLE, NUMBER, f"{TITLE}|{NUMBER}")
        assert stored.sha256 == hashlib.sha256(RUMOI.read_bytes()).hexdigest()
        queue = st.queue(scan_id)
        assert [e.finding.record() for e in queue] == sorted(written, key=lambda r: -r["score"])
        assert {e.change for e in queue} == {"new"} and {e.status for e in queue} == {"undecided"}
        assert entry(queue, "第7条第1項", "onsite_audit").prov_key == f"{TITLE}|{NUMBER}#第7条第1項"


def test_decision_carries_over_to_an_amended_copy_and_a_changed_provision_returns(tmp_path, model_path, scanned):
    db, first = scanned
    with Store(db) as st:
        queue = st.queue(first)
        kept = decide(st, entry(queue, "第7条第1項", "onsite_audit"), "佐藤", "該当", "書面・リモートでの確認を可能とする")
        sign = decide(st, entry(queue, "第10条第1項", "posted_documents"), "鈴木", "非該当", comment="標識は現地に必要")

    amended = tmp_path / "amended" / "留萌市空家条例（改正後）.txt"
    amended.parent.mkdir()
    text = RUMOI.read_text(encoding="utf-8")
    assert text.count(SIGN) == 1
    amended.write_text(text.replace(SIGN, AMENDED_SIGN), encoding="utf-8")
    second = scan(model_path, amended, db, tmp_path / "out2")

    with Store(db) as st:
        queue = st.queue(second)
        carried = entry(queue, "第7条第1項", "onsite_audit")
        assert carried.change == "unchanged" and carried.status == "該当"
        assert carried.decision == kept and carried.previous is None
        changed = entry(queue, "第10条第1項", "posted_documents")
        assert AMENDED_SIGN in changed.finding.text
        assert changed.change == "changed" and changed.status == "undecided"
        assert changed.decision is None and changed.previous == sign
        assert [e.prov_key for e in st.queue(second, changed_only=True)] == [changed.prov_key]
        assert changed in st.queue(second, status="undecided") and carried not in st.queue(second, status="undecided")
        assert st.queue(second, status="該当") == [carried]
        assert st.progress(second).decided == 1 and st.progress(second).by_reviewer == {"佐藤": 1}
        # the first scan still shows the decision made on its text
        assert entry(st.queue(first), "第10条第1項", "posted_documents").decision == sign

        again = decide(st, changed, "鈴木", "該当", "インターネット等での公表を可能とする")
        assert entry(st.queue(second), "第10条第1項", "posted_documents").decision == again
        assert st.history(changed.prov_key, "posted_documents") == [sign, again]
        assert st.latest_text_hash(changed.prov_key) == changed.text_hash != sign.text_hash


def test_queue_filters_counts_and_neighbours(scanned):
    db, scan_id = scanned
    [doc] = read_paths([str(RUMOI)], Limits())
    with Store(db) as st:
        queue = st.queue(scan_id)
        assert [e.finding.score for e in queue] == sorted((e.finding.score for e in queue), reverse=True)
        audit = st.queue(scan_id, category="onsite_audit")
        assert audit and {e.finding.category for e in audit} == {"onsite_audit"}
        low = min(e.finding.score for e in queue)
        assert st.queue(scan_id, min_score=low + 1e-6) == [e for e in queue if e.finding.score > low]
        [stored] = st.documents(scan_id)
        assert st.queue(scan_id, document_id=stored.id) == queue
        assert st.queue(scan_id, document_id=stored.id + 1) == []

        visual = st.queue(scan_id, category="visual_inspection")
        first, second = audit[0], visual[0]
        decide(st, first, "佐藤", "該当")
        decide(st, second, "鈴木", "要確認")
        decide(st, second, "鈴木", "非該当", comment="罰則の前提規定")
        progress = st.progress(scan_id)
        assert (progress.total, progress.decided, progress.by_reviewer) == (len(queue), 2, {"佐藤": 1, "鈴木": 1})
        by_category = st.counts_by_category(scan_id)
        assert by_category["onsite_audit"] == {"undecided": len(audit) - 1, "該当": 1, "非該当": 0, "要確認": 0}
        assert by_category["visual_inspection"] == {"undecided": len(visual) - 1, "該当": 0, "非該当": 1, "要確認": 0}
        assert by_category["posted_documents"] == {"undecided": 1, "該当": 0, "非該当": 0, "要確認": 0}
        assert st.counts_by_document(scan_id) == {stored.id: {"undecided": len(queue) - 2, "該当": 1, "非該当": 1,
                                                              "要確認": 0}}

        at = next(i for i, p in enumerate(doc.provisions) if p.citation == "第7条第1項")
        before, after = st.neighbours(entry(queue, "第7条第1項", "onsite_audit").provision_id)
        assert before == [doc.provisions[at - 1]] and after == [doc.provisions[at + 1]]
        before, after = st.neighbours(entry(queue, "第7条第1項", "onsite_audit").provision_id, count=2)
        assert before == list(doc.provisions[at - 2:at]) and after == list(doc.provisions[at + 1:at + 3])


def test_save_decision_refuses_what_the_vocabulary_lacks(scanned):
    db, scan_id = scanned
    with Store(db) as st:
        e = entry(st.queue(scan_id), "第10条第1項", "posted_documents")
        with pytest.raises(InvalidDecision, match="判定"):
            decide(st, e, "佐藤", "該当する")
        with pytest.raises(InvalidDecision, match="見直し方針"):
            decide(st, e, "佐藤", "該当", "オンライン講習を可能とする")  # an option of 対面講習, not 書面掲示
        with pytest.raises(InvalidDecision, match="reviewer"):
            decide(st, e, "  ", "該当")
        with pytest.raises(InvalidDecision, match="no provision"):
            st.save_decision(e.prov_key, e.finding.category, "0" * 64, "佐藤", "該当")
        assert st.history(e.prov_key, e.finding.category) == []
        ok = decide(st, e, "佐藤", "該当", "見直し不要（理由を備考に記載）", "法定の標識")
        assert st.latest_decision(e.prov_key, e.finding.category) == ok


def test_unchanged_document_gives_back_what_the_scan_recorded(scanned, model_path):
    db, scan_id = scanned
    [doc] = read_paths([str(RUMOI)], Limits())
    findings = list(Detector.load(model_path).findings(doc))
    with Store(db) as st:
        got = st.unchanged_document(str(RUMOI), doc.sha256)
        assert got.scan_id == scan_id and got.model == st.scans()[0].model
        assert got.document.provisions == doc.provisions
        assert (got.document.title, got.document.number, got.document.format) == (doc.title, doc.number, doc.format)
        assert list(got.findings) == findings
        assert st.unchanged_document(str(RUMOI), "0" * 64) is None
        assert st.unchanged_document("elsewhere.txt", doc.sha256) is None


def _write_many(db, reviewer, count, start):
    """A writer process: wait for the start signal, then save ``count`` decisions one transaction each."""
    with Store(db) as st:
        targets = [(e.prov_key, e.finding.category, e.text_hash) for e in st.queue(st.latest_scan_id())]
        start.wait()
        for i in range(count):
            key, category, digest = targets[i % len(targets)]
            st.save_decision(key, category, digest, reviewer, "要確認", comment=f"{reviewer}-{i}")


def test_two_processes_writing_at_once_lose_nothing(scanned):
    db, _ = scanned
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    count = 150
    writers = [ctx.Process(target=_write_many, args=(db, name, count, start)) for name in ("佐藤", "鈴木")]
    for w in writers:
        w.start()
    start.set()
    for w in writers:
        w.join(120)
        assert w.exitcode == 0
    comments = [c for (c,) in sql(db, "SELECT comment FROM decisions")]
    assert sorted(comments) == sorted(f"{name}-{i}" for name in ("佐藤", "鈴木") for i in range(count))


def _commit_then_hang(db, conn):
    """Commit two decisions, then stop inside an open write transaction holding two more."""
    with Store(db) as st:
        targets = [(e.prov_key, e.finding.category, e.text_hash) for e in st.queue(st.latest_scan_id())]
        for i in range(2):
            st.save_decision(*targets[i], "佐藤", "該当", comment=f"committed-{i}")
        with st.transaction():
            for i in range(2):
                st.save_decision(*targets[i], "佐藤", "非該当", comment=f"uncommitted-{i}")
            conn.send("inside")
            conn.recv()  # never comes: the parent kills us here


def test_a_writer_killed_mid_transaction_leaves_the_store_whole(scanned):
    db, scan_id = scanned
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    writer = ctx.Process(target=_commit_then_hang, args=(db, child))
    writer.start()
    try:
        assert parent.poll(60) and parent.recv() == "inside"
        seen = sorted(c for (c,) in sql(db, "SELECT comment FROM decisions"))  # readers go on meanwhile
        assert seen == ["committed-0", "committed-1"]
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(30)
    assert writer.exitcode == -signal.SIGKILL

    with Store(db) as st:
        assert sorted(e.decision.comment for e in st.queue(scan_id) if e.decision) == seen
        e = st.queue(scan_id, status="undecided")[0]
        assert decide(st, e, "鈴木", "要確認").id
    assert sql(db, "PRAGMA integrity_check") == [("ok",)]
    assert sql(db, "SELECT count(*) FROM decisions WHERE comment LIKE 'uncommitted%'") == [(0,)]


def test_schema_version_reopen_and_migration(scanned, monkeypatch):
    db, scan_id = scanned
    assert sql(db, "PRAGMA user_version") == [(len(store_module.MIGRATIONS),)]
    assert sql(db, "PRAGMA journal_mode") == [("wal",)]
    with Store(db) as st:  # re-opening keeps everything
        e = st.queue(scan_id)[0]
        kept = decide(st, e, "佐藤", "該当")

    later = store_module.MIGRATIONS + [("ALTER TABLE decisions ADD COLUMN source_sheet TEXT",)]
    monkeypatch.setattr(store_module, "MIGRATIONS", later)
    for _ in range(2):  # the second open must not apply it again (ALTER would fail)
        with Store(db) as st:
            assert st.latest_decision(e.prov_key, e.finding.category) == kept
            assert [s.id for s in st.scans()] == [scan_id]
    assert sql(db, "PRAGMA user_version") == [(len(later),)]
    assert sql(db, "PRAGMA table_info(decisions)")[-1][1] == "source_sheet"
    sql(db, "PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_an_empty_sqlite_file_becomes_a_store(tmp_path):
    db = tmp_path / "old.sqlite"
    sqlite3.connect(db).close()
    with Store(db) as st:
        assert st.scans() == [] and st.latest_scan_id() is None
    tables = {name for (name,) in sql(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"scans", "documents", "provisions", "findings", "decisions"}
