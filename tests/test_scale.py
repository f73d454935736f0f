"""Batch scans: worker processes, a Dask cluster and the incremental re-scan give the findings of one process."""

import shutil

import pytest

from scanner.cli import main
from scanner.detect import Detector
from scanner.scan import record_scan
from scanner.sources import Limits
from scanner.store import Store

from .conftest import SAMPLES

ACTS = 30  # e-Gov Acts added to the bundled samples for the worker comparison
SMALL_ACT = 60_000  # bytes: small Acts keep the comparison quick


def _scan(model_path, inputs, out, *options):
    assert main(["scan", *map(str, inputs), "--out", str(out), "--model", str(model_path), "--quiet", *options]) == 0
    return (out / "findings.jsonl").read_bytes(), (out / "errors.jsonl").read_bytes()


@pytest.fixture(scope="module")
def one_process(tmp_path_factory, model_path):
    """The bundled samples scanned by one process: what every other engine must write."""
    return _scan(model_path, [SAMPLES], tmp_path_factory.mktemp("one") / "out", "--workers", "1")


def test_one_and_two_workers_write_the_same_findings(tmp_path, egov_dir, model_path, one_process):
    small = [p for p in sorted(egov_dir.glob("*.xml")) if p.stat().st_size < SMALL_ACT]
    inputs = [SAMPLES, *small[:: max(1, len(small) // ACTS)][:ACTS]]
    one = _scan(model_path, inputs, tmp_path / "one", "--workers", "1")
    two = _scan(model_path, inputs, tmp_path / "two", "--workers", "2")
    assert one == two
    assert one[0].count(b"\n") > one_process[0].count(b"\n")  # the Acts have findings too


def test_dask_cluster_writes_the_findings_of_one_process(tmp_path, model_path, one_process):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        got = _scan(model_path, [SAMPLES], tmp_path / "out", "--engine", "dask",
                    "--scheduler", cluster.scheduler_address)
    assert got == one_process


def test_dask_engine_needs_a_scheduler(tmp_path, model_path, capsys):
    assert main(["scan", str(SAMPLES), "--out", str(tmp_path), "--model", str(model_path), "--engine", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err


def test_rescan_carries_unchanged_documents_over_and_detects_changed_ones(tmp_path, model_path, one_process):
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    detector = Detector.load(model_path)
    detected = []

    def detect(doc):
        detected.append(doc.source)
        return detector.findings(doc)

    def rescan(name, model=None):
        detected.clear()
        with Store(tmp_path / "review.sqlite") as store:
            _, summary = record_scan(store, [folder], tmp_path / name, Limits(), detect,
                                     model or {"path": str(model_path), **detector.versions})
        return summary, (tmp_path / name / "findings.jsonl").read_bytes()

    first, first_findings = rescan("first")
    assert first.carried == 0 and len(detected) == first.documents == 9
    second, second_findings = rescan("second")
    assert detected == [] and second.carried == second.documents == 9
    assert second_findings == first_findings
    assert first_findings == one_process[0].replace(str(SAMPLES).encode(), str(folder).encode())
    with Store(tmp_path / "review.sqlite") as store:
        scans = store.scans()
        assert [s.findings for s in scans] == [first.findings, second.findings]
        assert [len(store.queue(s.id)) for s in scans] == [first.findings] * 2

    changed = folder / "reiki" / "d1law" / "rumoi-akiya-jorei.html"
    changed.write_bytes(changed.read_bytes() + b"\n")
    third, third_findings = rescan("third")
    assert detected == [str(changed)] and third.carried == 8
    assert third_findings == first_findings

    other, _ = rescan("other", {"path": str(model_path), **detector.versions, "rejected": True})
    assert other.carried == 0 and len(detected) == 9  # another detector setting: everything is scanned again
