"""The scanner command end to end: parse, scan, bad input, exit status."""

import json
import shutil
import subprocess
import sys

from scanner.cli import main

from .conftest import REIKI, SAMPLES

FOOD_ACT = "322AC0000000233.xml"


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_parse_prints_provisions_as_json_lines(capsys):
    assert main(["parse", str(REIKI / "d1law" / "rumoi-akiya-jorei.html")]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 34
    row = next(r for r in rows if r["citation"] == "第7条第4項")
    assert row["article"] == "7" and row["paragraph"] == "4" and row["suppl"] is False
    assert row["caption"] == "（立入調査）" and row["title"] == "留萌市空家等の適切な管理に関する条例"
    assert "身分を示す証明書" in row["text"]


def test_scan_reads_good_files_and_names_every_bad_one(tmp_path, egov_dir, model_path):
    batch = tmp_path / "batch"
    (batch / "deeper" / "deepest").mkdir(parents=True)
    shutil.copy(REIKI / "gyosei" / "k518RG00000080.html", batch / "deeper" / "deepest")
    shutil.copy(egov_dir / FOOD_ACT, batch)
    xml = (egov_dir / FOOD_ACT).read_bytes()
    bad = {
        "empty.html": b"",
        "garbage.html": bytes(range(256)) * 40,
        "truncated.xml": xml[: len(xml) // 2],
        "not-a-law.xml": b'<?xml version="1.0"?><rss><channel><title>news</title></channel></rss>',
        "other-site.html": "<html><body><p>お知らせ</p></body></html>".encode(),
        "laughs.xml": b'<?xml version="1.0"?><!DOCTYPE Law [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Law>&b;</Law>',
    }
    for name, data in bad.items():
        (batch / name).write_bytes(data)
    (batch / "notes.docx").write_bytes(b"ignored: not a document type the scanner reads")
    out = tmp_path / "out"
    assert main(["scan", str(batch), "--out", str(out), "--model", str(model_path)]) == 0
    errors = {e["source"].rsplit("/", 1)[1]: e["reason"] for e in _lines(out / "errors.jsonl")}
    assert set(errors) == set(bad)
    assert "empty" in errors["empty.html"]
    assert "binary" in errors["garbage.html"]
    assert "malformed XML" in errors["truncated.xml"]
    assert "not an e-Gov <Law>" in errors["not-a-law.xml"]
    assert "neither the ぎょうせい" in errors["other-site.html"]
    assert "entities" in errors["laughs.xml"]
    assert (out / "findings.jsonl").exists()


def test_scan_exit_status_is_1_when_nothing_was_read(tmp_path, model_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["scan", str(tmp_path / "empty.txt"), str(tmp_path / "missing.html"), "--out",
                 str(tmp_path / "out"), "--model", str(model_path)]) == 1
    reasons = [e["reason"] for e in _lines(tmp_path / "out" / "errors.jsonl")]
    assert len(reasons) == 2 and any("No such file" in r for r in reasons)


def test_oversized_file_and_zip_member_are_refused(tmp_path, model_path):
    import zipfile

    big = tmp_path / "big.txt"
    big.write_bytes(("第1条　" + "あ" * 400_000 + "\n").encode())
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("site/huge.html", "<html>" + " " * 3_000_000 + "</html>")
        zf.writestr("../evil.html", "<html></html>")
        zf.write(REIKI / "d1law" / "rumoi-akiya-jorei.html", "site/rumoi.html")
    out = tmp_path / "out"
    assert main(["scan", str(big), str(archive), "--out", str(out), "--max-file-mb", "1", "--model", str(model_path)]) == 0
    errors = {e["source"]: e["reason"] for e in _lines(out / "errors.jsonl")}
    assert "over the 1,048,576-byte limit" in errors[str(big)]
    assert "over the 1,048,576-byte limit" in errors[f"{archive}!site/huge.html"]
    assert "climbs out of the archive" in errors[f"{archive}!../evil.html"]
    assert not (tmp_path / "evil.html").exists()


def test_console_script_and_module_entry_points(tmp_path, model_path):
    run = subprocess.run([sys.executable, "-m", "scanner", "scan", str(SAMPLES), "--out", str(tmp_path), "--model", str(model_path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "9 documents" in run.stderr
    assert _lines(tmp_path / "errors.jsonl") == []
    scanner = shutil.which("scanner", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert scanner, "the console script is installed beside the interpreter"
    version = subprocess.run([scanner, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("scanner ")
