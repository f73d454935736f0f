"""New material for a scan started from the review app: uploaded files, or a file or folder on the server.

Uploads are written only inside a fresh temporary folder the caller owns, under
names made here (``upload-001.html``, the suffix taken from a short list): the
uploaded name is never used as a path. It is kept for people to read: the
documents and errors of the scan carry it as their source (``upload:例規.html``,
``upload:site.zip!reiki/a.html``), so the reviewer sees which file a reason is about.

A path typed into the app is read only when it lies inside one of the folders
the server allows (``allowed_roots``: ``SCANNER_SCAN_ROOTS``, else the current
folder), so the app cannot be used to read any file the server can.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .sources.inputs import ARCHIVE_SUFFIXES, DOCUMENT_SUFFIXES, MB

UPLOAD_SUFFIXES = tuple(sorted(DOCUMENT_SUFFIXES | ARCHIVE_SUFFIXES))  # what the uploader accepts
SOURCE_PREFIX = "upload:"
ROOTS_VARIABLE = "SCANNER_SCAN_ROOTS"
_NAME_MAX = 120  # characters of an uploaded name kept for display


class InputRefused(ValueError):
    """Material the app will not scan, with the reason in words for the reviewer."""


@dataclass(frozen=True)
class Upload:
    name: str  # as the browser sent it: shown, never used as a path
    data: bytes


@dataclass(frozen=True)
class Staged:
    paths: list[Path]  # the files written, to scan
    described: list[str]  # the inputs as the scan records them: upload:NAME
    source_name: Callable[[str], str]  # a read source (path or path!member) → upload:NAME[!member]


def display_name(name: str) -> str:
    """The uploaded name for display: its last path component, no control characters, at most 120 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > _NAME_MAX:
        base = base[:_NAME_MAX - 1] + "…"
    return base or "(名前なし)"


def check_sizes(uploads: list[Upload], max_file_bytes: int, max_total_bytes: int) -> list[str]:
    """Why these uploads are refused (too large, empty, unlisted type), one line each; empty when all are fine."""
    problems = []
    for up in uploads:
        name = display_name(up.name)
        if _suffix(up.name) not in UPLOAD_SUFFIXES:
            problems.append(f"{name}: 読める形式ではありません（{', '.join(UPLOAD_SUFFIXES)} のみ）")
        elif not up.data:
            problems.append(f"{name}: 空のファイルです")
        elif len(up.data) > max_file_bytes:
            problems.append(f"{name}: {len(up.data) / MB:.1f} MB は上限 {max_file_bytes / MB:.0f} MB を超えています")
    total = sum(len(up.data) for up in uploads)
    if total > max_total_bytes:
        problems.append(f"合計 {total / MB:.1f} MB は一度に送れる上限 {max_total_bytes / MB:.0f} MB を超えています")
    return problems


def stage(uploads: list[Upload], folder: Path) -> Staged:
    """Write the uploads into ``folder`` (fresh, empty, the caller's) under generated names."""
    paths, described, names = [], [], {}
    for number, up in enumerate(uploads, 1):
        path = folder / f"upload-{number:03d}{_suffix(up.name)}"
        with open(path, "xb") as fh:  # x: never over an existing file
            fh.write(up.data)
        paths.append(path)
        names[str(path)] = SOURCE_PREFIX + display_name(up.name)
        described.append(names[str(path)])

    def source_name(source: str) -> str:
        path, bang, member = source.partition("!")
        return names.get(path, path) + bang + member

    return Staged(paths, described, source_name)


def allowed_roots() -> list[Path]:
    """The folders whose contents the app may scan: ``SCANNER_SCAN_ROOTS`` (os.pathsep-separated) or the current one."""
    listed = [p for p in os.environ.get(ROOTS_VARIABLE, "").split(os.pathsep) if p.strip()]
    return [Path(p).resolve() for p in listed] or [Path.cwd().resolve()]


def server_path(text: str, roots: list[Path]) -> Path:
    """The existing file or folder ``text`` names (relative paths from the first root), inside one of ``roots``."""
    text = text.strip()
    if not text:
        raise InputRefused("パスを入力してください")
    path = (roots[0] / text).resolve()  # an absolute text replaces roots[0]; .. and links are resolved
    if not any(path.is_relative_to(root) for root in roots):
        raise InputRefused(f"{text}: 読み込みを許可されたフォルダ（{', '.join(map(str, roots))}）の外です")
    if not path.exists():
        raise InputRefused(f"{text}: ありません")
    return path


def _suffix(name: str) -> str:
    suffix = Path(display_name(name)).suffix.lower()
    return suffix if suffix in UPLOAD_SUFFIXES else ""
