"""Turn the paths a user names into inputs: files, folders (recursively) and .zip archives.

A zip (a saved reiki site) is read member by member in memory; nothing is
extracted to disk. Limits keep a hostile archive or file from exhausting memory.
"""

from __future__ import annotations

import errno
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..models import ReadError

# Extensions read when walking a folder or an archive; a file named explicitly is always tried.
DOCUMENT_SUFFIXES = {".html", ".htm", ".xml", ".txt"}
ARCHIVE_SUFFIXES = {".zip"}

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one input may cost; each is a CLI option of ``scanner scan``."""

    max_file_bytes: int = 50 * MB  # one document, on disk or inflated from an archive
    max_archive_bytes: int = 1024 * MB  # all members of one archive, inflated
    max_members: int = 100_000  # members of one archive
    max_depth: int = 40  # folder nesting
    # The largest of the 2,072 e-Gov Acts has 6,932 lines and a 項 of 83,239 characters.
    max_lines: int = 100_000  # lines of one document: headings, 項, 号, table rows
    max_provision_chars: int = 500_000  # one 項


@dataclass(frozen=True)
class Input:
    source: str  # a path, or "archive.zip!member/path.html"
    data: bytes


def iter_inputs(paths: list[str | Path], limits: Limits = Limits()) -> Iterator[Input | ReadError]:
    """Every document under ``paths`` in a stable order, or the reason it could not be opened."""
    for path in paths:
        yield from _path(Path(path), limits, explicit=True, depth=0)


def _path(path: Path, limits: Limits, explicit: bool, depth: int) -> Iterator[Input | ReadError]:
    source = str(path)
    try:
        st = path.stat()  # follows symlinks; a dangling link or a loop raises OSError
    except OSError as exc:
        yield ReadError(source, f"cannot be opened: {_os_reason(exc)}")
        return
    if stat.S_ISDIR(st.st_mode):
        if path.is_symlink() and not explicit:
            return  # linked folders are not followed: no loops, no escaping the input folder
        if depth >= limits.max_depth:
            yield ReadError(source, f"folder nested deeper than {limits.max_depth} levels; not read")
            return
        try:
            children = sorted(path.iterdir())
        except OSError as exc:
            yield ReadError(source, f"folder cannot be listed: {_os_reason(exc)}")
            return
        for child in children:
            yield from _path(child, limits, explicit=False, depth=depth + 1)
        return
    suffix = path.suffix.lower()
    if not explicit and suffix not in DOCUMENT_SUFFIXES | ARCHIVE_SUFFIXES:
        return
    if not stat.S_ISREG(st.st_mode):
        yield ReadError(source, "not a regular file (a device, pipe or socket); not read")
        return
    if suffix in ARCHIVE_SUFFIXES or (explicit and zipfile.is_zipfile(path)):
        yield from _archive(path, limits)
        return
    if st.st_size > limits.max_file_bytes:
        yield ReadError(source, f"file of {st.st_size:,} bytes is over the {limits.max_file_bytes:,}-byte limit; not read")
        return
    try:
        yield Input(source, path.read_bytes())
    except OSError as exc:
        yield ReadError(source, f"cannot be read: {_os_reason(exc)}")


def _archive(path: Path, limits: Limits) -> Iterator[Input | ReadError]:
    source = str(path)
    try:
        archive = zipfile.ZipFile(path, metadata_encoding="cp932")  # Japanese zips name members in CP932
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield ReadError(source, f"not a readable zip archive: {exc}")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > limits.max_members:
            yield ReadError(source, f"archive has {len(infos):,} members, over the {limits.max_members:,} limit; not read")
            return
        inflated = 0
        for info in infos:
            member = f"{source}!{info.filename}"
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts:
                yield ReadError(member, "member path climbs out of the archive (absolute or '..'); not read")
                continue
            suffix = name.suffix.lower()
            if suffix not in DOCUMENT_SUFFIXES:
                if suffix in ARCHIVE_SUFFIXES:
                    yield ReadError(member, "an archive inside an archive; not read (extract it first)")
                continue
            if info.file_size > limits.max_file_bytes:
                yield ReadError(member, f"member inflates to {info.file_size:,} bytes, over the "
                                        f"{limits.max_file_bytes:,}-byte limit; not read")
                continue
            budget = min(limits.max_file_bytes, limits.max_archive_bytes - inflated)
            try:
                with archive.open(info) as fh:
                    data = fh.read(budget + 1)  # never trust the declared size
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError) as exc:
                yield ReadError(member, f"member cannot be inflated: {exc}")
                continue
            if len(data) > budget:
                if budget < limits.max_file_bytes:
                    yield ReadError(source, f"archive inflates to more than {limits.max_archive_bytes:,} bytes; "
                                            "the rest of it is not read")
                    return
                yield ReadError(member, f"member inflates to more than {limits.max_file_bytes:,} bytes; not read")
                continue
            inflated += len(data)
            yield Input(member, data)


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)
