"""The scanner command end to end: parse, scan, bad input, exit status."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from scanner.cli import main

from .conftest import FIXTURES, REIKI, SAMPLES

FOOD_ACT = "322AC0000000233.xml"
FIXTURE_TXT = FIXTURES / "rumoi-akiya-jorei.txt"


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
    assert "inflates to more than 1,048,576 bytes" in errors[f"{archive}!site/huge.html"]
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


def _rename_members(archive, names: dict[str, bytes]) -> None:
    """Store member names as the given bytes, without the UTF-8 flag, as old zip tools do."""
    data = archive.read_bytes()
    for placeholder, raw in names.items():
        assert len(placeholder.encode()) == len(raw) and data.count(placeholder.encode()) == 2
        data = data.replace(placeholder.encode(), raw)
    archive.write_bytes(data)


def test_zip_limits_count_inflated_bytes_and_members(tmp_path, monkeypatch):
    import zipfile

    from scanner.sources import inputs

    page = (REIKI / "d1law" / "rumoi-akiya-jorei.html").read_bytes()
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            zf.writestr(f"big{i}.html", b" " * 2_000_000)  # each refused, each counted
        zf.writestr("rumoi.html", page)
        zf.writestr("m" * 13 + ".html", page)
        zf.writestr("w" * 10 + ".html", page)
    _rename_members(archive, {"m" * 13 + ".html": "空家/条例.html".encode(),  # a Mac zip: UTF-8, no flag
                              "w" * 10 + ".html": "空家/条例2.html".encode("cp932")})  # a Windows zip: CP932
    limits = inputs.Limits(max_file_bytes=1_000_000, max_archive_bytes=5_000_000)
    got = [(g.source.split("!")[1], getattr(g, "reason", None)) for g in inputs.iter_inputs([archive], limits)]
    assert got[:2] == [("big0.html", "member inflates to more than 1,000,000 bytes; not read"),
                       ("big1.html", "member inflates to more than 1,000,000 bytes; not read")]
    assert got[2][0] == "big2.html" and "inflates to more than 1,000,000" in got[2][1]
    assert [name for name, reason in got[3:]] == ["rumoi.html", "空家/条例.html", "空家/条例2.html"]
    tight = inputs.Limits(max_file_bytes=1_000_000, max_archive_bytes=2_500_000)
    got = list(inputs.iter_inputs([archive], tight))
    assert [g.reason for g in got][-1] == ("archive inflates to more than 2,500,000 bytes; the rest of it is not read")
    assert got[-1].source == str(archive) and len(got) == 3

    def no_zipfile(*args, **kwargs):
        raise AssertionError("ZipFile built the members of an archive over the member limit")
    monkeypatch.setattr(inputs.zipfile, "ZipFile", no_zipfile)
    [refused] = inputs.iter_inputs([archive], inputs.Limits(max_members=5))
    assert refused.reason == "archive has more than 5 members (the limit); not read"


def test_limit_options_of_the_command(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURE_TXT, tmp_path / "top.txt")
    shutil.copy(FIXTURE_TXT, tmp_path / "sub" / "below.txt")
    assert main(["parse", str(tmp_path), "--max-depth", "0"]) == 0
    assert f"{tmp_path / 'sub'}: folder nested deeper than 0 levels" in capsys.readouterr().err
    assert main(["parse", str(tmp_path / "top.txt"), "--max-lines", "20"]) == 1
    assert "more than 20 lines" in capsys.readouterr().err
    assert main(["parse", str(tmp_path / "top.txt"), "--max-provision-chars", "100"]) == 1
    assert "over the 100-character limit for one provision" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["parse", str(tmp_path), "--max-members", "0"])


def test_links_in_a_folder_are_followed_only_to_files_inside_it(tmp_path):
    from scanner.sources.inputs import Input, iter_inputs

    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    shutil.copy(FIXTURE_TXT, tmp_path / "in" / "a.txt")
    shutil.copy(FIXTURE_TXT, tmp_path / "out" / "b.txt")
    (tmp_path / "in" / "same.txt").symlink_to("a.txt")
    (tmp_path / "in" / "b.txt").symlink_to(tmp_path / "out" / "b.txt")
    got = {g.source.rsplit("/", 1)[1]: g for g in iter_inputs([tmp_path / "in"])}
    assert isinstance(got["a.txt"], Input) and isinstance(got["same.txt"], Input)
    assert "outside the input folder" in got["b.txt"].reason
    assert isinstance(next(iter_inputs([tmp_path / "in" / "b.txt"])), Input)  # named on the command line: read


def test_scan_replaces_links_in_the_output_folder_instead_of_writing_through_them(tmp_path, model_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / "findings.jsonl").symlink_to(victim)
    os.link(victim, out / "errors.jsonl")
    assert main(["scan", str(REIKI / "d1law" / "rumoi-akiya-jorei.html"), "--out", str(out),
                 "--model", str(model_path)]) == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "findings.jsonl").is_symlink() and (out / "findings.jsonl").stat().st_size > 0
    assert (out / "errors.jsonl").stat().st_nlink == 1


def test_scan_says_when_the_output_folder_cannot_be_written(tmp_path, model_path, capsys):
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert main(["scan", str(REIKI), "--out", str(tmp_path / "file" / "out"), "--model", str(model_path)]) == 2
    assert "cannot write the results" in capsys.readouterr().err
