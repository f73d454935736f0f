"""A batch of good documents and hostile files, scanned by a real ``scanner scan`` process.

Every hostile file must be named in errors.jsonl with its reason, every good
document must be scanned as if it were alone, nothing outside the input may be
read (a secret beside the input folder never appears in any output), nothing
may be written outside the output folder, and the process must finish within
its timeout and a memory bound.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.sources import Limits

from .conftest import FIXTURES, REIKI, SAMPLES

SECRET = "TOPSECRET-7f3a9c-社外秘"
TIMEOUT = 600  # seconds; the scan takes about 15
MAX_RSS = 1536 * 1024 * 1024  # bytes; the scan peaks at about 550 MB
MB = 1024 * 1024


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip written byte by byte: (name, deflated data, declared inflated size, declared CRC) per member,
    so that a header can say what the data is not."""
    local, central = b"", b""
    for name, deflated, size, crc in members:
        raw = name.encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), size,
                               len(raw), 0, 0, 0, 0, 0o100644 << 16, len(local)) + raw
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), size, len(raw), 0)
        local += raw + deflated
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(local + central + end)


def _deflated_spaces(megabytes: int) -> bytes:
    """Raw deflate of ``megabytes`` MB of spaces: a few hundred KB that inflate to hundreds of MB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * MB
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def _hostile(batch: Path, outside: Path) -> dict[str, str]:
    """Write the hostile files; return {path relative to the batch (or zip!member): a fragment of its reason}."""
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, reason: str) -> None:
        (batch / name).parent.mkdir(parents=True, exist_ok=True)
        (batch / name).write_bytes(data)
        expect[name] = reason

    act = (SAMPLES / "egov" / "324AC0000000204.xml").read_bytes()
    secret_uri = (outside / "secret.txt").as_uri().encode()
    law = b"<Law><LawNum>x</LawNum><LawBody><LawTitle>&x;</LawTitle><MainProvision><Paragraph Num=\"1\">" \
          b"<ParagraphSentence><Sentence>&x;</Sentence></ParagraphSentence></Paragraph></MainProvision></LawBody></Law>"
    lol = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))

    put("empty.html", b"", "the file is empty")
    put("blank.xml", b" \n\t\n", "the file is empty")
    put("garbage.html", bytes(range(256)) * 64, "binary data")
    put("garbage.xml", os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00", "binary data")
    put("truncated.xml", act[: len(act) // 2], "malformed XML")
    put("not-a-law.xml", b'<?xml version="1.0"?><rss><channel><title>news</title></channel></rss>',
        "not an e-Gov <Law>")
    put("other-site.html", "<html><body><p>お知らせ</p></body></html>".encode(), "neither the ぎょうせい")
    put("laughs.xml", b'<?xml version="1.0"?><!DOCTYPE Law [' + lol + b"]>" + law.replace(b"&x;", b"&a9;"),
        "declares entities")
    # the DTD after 70 KB of comment, where a check of the head alone would not look
    put("laughs-late.xml", b'<?xml version="1.0"?><!--' + b"-" * 70_000 + b"--><!DOCTYPE Law [" + lol + b"]>"
        + law.replace(b"&x;", b"&a9;"), "declares entities")
    put("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE Law [<!ENTITY x SYSTEM "' + secret_uri + b'">]>' + law,
        "declares entities")
    put("xxe-dtd.xml", b'<?xml version="1.0"?><!DOCTYPE Law SYSTEM "' + secret_uri + b'">' + law,
        "document type declaration")
    put("deep.xml", b"<Law><LawBody><LawTitle>t</LawTitle><MainProvision>" + b"<Part>" * 300 + b"</Part>" * 300
        + b"</MainProvision></LawBody></Law>", "beyond the parser's limits")
    put("deep.html", b"<html><body>" + b"<div>" * 300 + b'<div class="eline"></div>' + b"</div>" * 300
        + b"</body></html>", "beyond the parser's limits")
    put("huge-one-line.txt", "第1条　".encode() + "あ".encode() * (10 * MB), "over the 20,971,520-byte limit")
    put("too-many-lines.txt", ("題名\n第1条　あ\n" + "2　い\n" * 120_000).encode(), "more than 100,000 lines")
    put("long-provision.txt", ("題名\n第1条　" + "閲覧" * 300_000 + "\n").encode(), "over the 500,000-character limit")
    put("mixed-broken.txt", "題名\n".encode() + "第1条　あ\n".encode("cp932") + b"\x81\x7f\x81\x7f\n", "neither Shift_JIS")

    # Pathological for a backtracking regex or a per-line search, each fine in linear time.
    put("many-dates.txt", ("題名\n" + "令和5年" * 400_000 + "\n").encode(), "no 条・項")
    put("many-subitems.txt", ("題名\n第1条　あ\n一　い\n" + "ア　う\n" * 90_000).encode(), "")
    eline = '<div class="eline"><div class="article"><p class="num"><span class="num">{}</span>{}</p></div></div>'
    put("long-label.html", ("<html><body>" + eline.format("第" + "一" * 200_000, "あ") + "</body></html>").encode(), "")
    put("many-triggers.html", ("<html><body>" + eline.format("第1条", "閲覧講習（" * 60_000) + "</body></html>").encode(),
        "")

    # Zips: members that climb out, a bomb, a header that lies, too many members, an archive in an archive.
    good_page = (REIKI / "d1law" / "rumoi-akiya-jorei.html").read_bytes()
    with zipfile.ZipFile(batch / "site.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("site/rumoi.html", good_page)
        zf.writestr("../evil.html", good_page)
        zf.writestr("/etc/evil.html", good_page)
        zf.writestr("..\\..\\windows.html", good_page)
        zf.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
    expect["site.zip!../evil.html"] = "climbs out of the archive"
    expect["site.zip!/etc/evil.html"] = "climbs out of the archive"
    expect["site.zip!..\\..\\windows.html"] = "climbs out of the archive"
    expect["site.zip!inner.zip"] = "an archive inside an archive"
    spaces = _deflated_spaces(300)  # about 300 KB
    _raw_zip(batch / "bomb.zip", [("bomb.html", spaces, 300 * MB, 0)])
    expect["bomb.zip!bomb.html"] = "inflates to more than 20,971,520 bytes"  # counted while inflating
    _raw_zip(batch / "liar.zip", [("liar.html", spaces, 1000, 0)])  # says 1,000 bytes, would inflate to 300 MB
    expect["liar.zip!liar.html"] = "cannot be inflated"
    with zipfile.ZipFile(batch / "crowd.zip", "w") as zf:
        for i in range(600):
            zf.writestr(f"m{i}.txt", "")
    expect["crowd.zip"] = "more than 500 members"
    put("fake.zip", b"PK\x03\x04 not really a zip", "not a readable zip archive")

    # Folders and links: too deep, loops, links that leave the input folder, a pipe.
    deep = batch / "deep"
    for i in range(45):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    shutil.copy(FIXTURES / "rumoi-akiya-jorei.txt", deep / "unreached.txt")
    expect["/".join(["deep"] + [f"d{i}" for i in range(40)])] = "nested deeper than 40 levels"
    os.symlink("loop.html", batch / "loop.html")
    expect["loop.html"] = "symbolic link loop"
    (batch / "links").mkdir()
    os.symlink("..", batch / "links" / "up")
    expect["links/up"] = "a symbolic link to a folder; not followed"
    os.symlink(outside / "secret.txt", batch / "links" / "secret.txt")
    expect["links/secret.txt"] = "outside the input folder"
    os.symlink(outside, batch / "links" / "elsewhere")
    expect["links/elsewhere"] = "outside the input folder"
    os.symlink(batch / "missing.html", batch / "links" / "dangling.html")
    expect["links/dangling.html"] = "No such file"
    os.mkfifo(batch / "pipe.html")
    expect["pipe.html"] = "not a regular file"
    return {k: v for k, v in expect.items() if v}


def _good(batch: Path) -> list[str]:
    """Good documents, some of them unusual; their paths relative to the batch, as the results name them."""
    good = batch / "good"
    good.mkdir()
    samples = sorted(REIKI.glob("*/*.html")) + sorted((SAMPLES / "egov").glob("*.xml"))
    for path in samples:
        shutil.copy(path, good / path.name)
    # a name that is not UTF-8: a Shift_JIS file name, as a Japanese zip extracted on Linux leaves it
    os.rename(good / "rumoi-akiya-jorei.html", os.fsencode(good) + "/空家条例.html".encode("cp932"))
    names = [p.name for p in samples if p.name != "rumoi-akiya-jorei.html"] + ["空家条例.html", "one-line.html", "mixed.txt"]
    # one line of 19 MB: a ぎょうせい page with its line ends removed and its body repeated
    page = (REIKI / "gyosei" / "k518RG00000055.html").read_bytes().replace(b"\r", b"").replace(b"\n", b"")
    head, body = page.split(b"<body>", 1)
    body, tail = body.rsplit(b"</body>", 1)
    (good / "one-line.html").write_bytes(head + b"<body>" + body * (19 * MB // len(body)) + b"</body>" + tail)
    # a Shift_JIS file with lines added in UTF-8
    (good / "mixed.txt").write_bytes(
        "かつらぎ町文書管理規則\n第1条　職員は、文書を事務所に備え置き、閲覧に供しなければならない。\n".encode("cp932")
        + "2　前項の文書の目録は、庁舎の掲示場に掲示しなければならない。\n".encode())
    assert len(names) == len(list(good.iterdir()))
    return sorted(f"good/{name}" for name in names)


def _run(cmd: list[str], cwd: Path, env: dict, stdout: Path, stderr: Path) -> tuple[int, int]:
    """Run ``cmd`` with a timeout; its exit status and its own peak resident memory in bytes."""
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
    timer = threading.Timer(TIMEOUT, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child alone
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss * 1024  # ru_maxrss is in KB on Linux


def test_scan_of_good_and_hostile_files_in_one_batch(tmp_path, model_path):
    batch, outside, out = tmp_path / "batch", tmp_path / "outside", tmp_path / "out"
    home, cwd, tmp = tmp_path / "home", tmp_path / "cwd", tmp_path / "tmp"
    for folder in (batch, outside, home, cwd, tmp):
        folder.mkdir()
    assert Limits().max_file_bytes == 20 * MB  # the reasons expected quote the defaults
    (outside / "secret.txt").write_text(f"社外秘\n第1条　{SECRET}を事務所に備え置き、閲覧に供しなければならない。\n",
                                        encoding="utf-8")
    good = _good(batch)
    expect = _hostile(batch, outside)

    # What each good document gives when scanned alone, in process.
    alone = tmp_path / "alone"
    shutil.copytree(batch / "good", alone / "good")
    assert main(["scan", str(alone / "good"), "--out", str(tmp_path / "out-alone"), "--all",
                 "--model", str(model_path)]) == 0
    assert _lines(tmp_path / "out-alone" / "errors.jsonl") == []
    before = _tree(tmp_path)

    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "TMPDIR": str(tmp), "LANG": "C.UTF-8",
           "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    status, peak = _run([sys.executable, "-m", "scanner", "scan", str(batch), "--out", str(out), "--all",
                         "--model", str(model_path), "--max-members", "500"],
                        cwd, env, tmp_path / "stdout", tmp_path / "stderr")
    took = time.monotonic() - started
    stderr = (tmp_path / "stderr").read_text(encoding="utf-8", errors="replace")
    assert status == 0, f"exit status {status} (-9: killed after {TIMEOUT} s)\n{stderr[-3000:]}"
    assert peak < MAX_RSS, f"peak memory {peak / MB:.0f} MB"
    print(f"\nhostile batch: {len(good)} good files, {len(expect)} hostile inputs: "
          f"scanned in {took:.0f} s, peak RSS {peak / MB:.0f} MB")

    # Every hostile input named, with its reason; no good document among the errors.
    errors = {e["source"].removeprefix(f"{batch}/"): e["reason"] for e in _lines(out / "errors.jsonl")}
    for name, reason in expect.items():
        assert name in errors, f"{name} is not named in errors.jsonl"
        assert reason in errors[name], f"{name}: {errors[name]}"
    assert set(errors) == set(expect), set(errors) ^ set(expect)

    # Every good document scanned as it is when scanned alone: the same findings, in the same order.
    def by_file(rows, root):
        files: dict[str, list] = {}
        for f in rows:
            rel = os.path.relpath(f["source"], root)
            files.setdefault(rel, []).append((f["citation"], f["category"], f["verdict"], f["span"], f["text"]))
        return files
    findings = _lines(out / "findings.jsonl")
    scanned = by_file([f for f in findings if f["source"].startswith(str(batch / "good"))], batch)
    assert scanned == by_file(_lines(tmp_path / "out-alone" / "findings.jsonl"), alone)
    assert "good/空家条例.html" in scanned  # read, and named in readable text
    mixed = {f["citation"]: f["text"] for f in findings if f["source"].endswith("mixed.txt")}
    assert mixed["第1条第1項"] == "職員は、文書を事務所に備え置き、閲覧に供しなければならない。"  # Shift_JIS
    assert mixed["第1条第2項"] == "前項の文書の目録は、庁舎の掲示場に掲示しなければならない。"  # UTF-8
    assert f"{batch}/site.zip!site/rumoi.html" in {f["source"] for f in findings}  # the good member of the zip
    summary = stderr.strip().splitlines()[-1]  # the good files, the zip's good member, the three made to be slow
    assert summary.startswith(f"{len(good) + 4} documents"), summary

    # Nothing read from outside the input, nothing written outside the output folder.
    for path in (out / "findings.jsonl", out / "errors.jsonl", tmp_path / "stdout", tmp_path / "stderr"):
        assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    assert sorted(_tree(tmp_path) - before) == ["out", "out/errors.jsonl", "out/findings.jsonl", "stderr", "stdout"]
    assert not any(home.iterdir()) and not any(cwd.iterdir()) and not any(tmp.iterdir())
