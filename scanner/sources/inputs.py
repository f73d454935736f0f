"""Turn the paths a user names into inputs: files, folders (recursively) and .zip archives.

A zip (a saved reiki site) is read member by member in memory; nothing is
extracted to disk. Limits keep a hostile archive or file from exhausting memory
or time, and a folder is read only inside itself: a symbolic link found while
walking it is followed only to a file inside the same folder.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from ..models import ReadError

# Extensions read when walking a folder or an archive; a file named explicitly is always tried.
DOCUMENT_SUFFIXES = {".html", ".htm", ".xml", ".txt"}
ARCHIVE_SUFFIXES = {".zip"}

MB = 1024 * 1024
_CHUNK = 1 * MB  # zip members are inflated this much at a time, and counted as they are


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one input may cost; each is a CLI option of ``scanner scan`` and ``parse``."""

    # The largest of the 2,072 e-Gov Acts is 3.7 MB, with 6,932 lines and a 項 of 83,239 characters.
    # Parsed markup costs up to ~50 times its size in memory: 20 MB stays under a gigabyte.
    max_file_bytes: int = 20 * MB  # one document, on disk or inflated from an archive
    max_archive_bytes: int = 1024 * MB  # all members of one archive, inflated (refused ones included)
    max_members: int = 100_000  # members of one archive
    max_depth: int = 40  # folder nesting below a folder named on the command line
    max_lines: int = 100_000  # lines of one document: headings, 項, 号, table rows
    max_provision_chars: int = 500_000  # one 項


@dataclass(frozen=True)
class Input:
    source: str  # a path, or "archive.zip!member/path.html"
    data: bytes


def iter_inputs(paths: list[str | Path], limits: Limits = Limits()) -> Iterator[Input | ReadError]:
    """Every document under ``paths`` in a stable order, or the reason it could not be opened.

    A path named here is read wherever it points; inside a folder, nothing
    outside that folder is read.
    """
    for path in paths:
        path = Path(path)
        try:
            st = path.stat()  # follows symlinks; a dangling link or a loop raises OSError
        except OSError as exc:
            yield ReadError(_display(path), f"cannot be opened: {_os_reason(exc)}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _folder(path, limits)
        else:
            yield from _file(path, st, limits, explicit=True)


def _folder(top: Path, limits: Limits) -> Iterator[Input | ReadError]:
    """The documents under ``top``: a folder's files in name order, then its subfolders, depth first (on a
    stack, not by recursion)."""
    root = Path(os.path.realpath(top))
    stack: list[tuple[Path, int]] = [(top, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            children = sorted(folder.iterdir())
        except OSError as exc:
            yield ReadError(_display(folder), f"folder cannot be listed: {_os_reason(exc)}")
            continue
        subfolders = []
        for child in children:
            source = _display(child)
            wanted = child.suffix.lower() in DOCUMENT_SUFFIXES | ARCHIVE_SUFFIXES
            try:
                st = child.lstat()
            except OSError as exc:
                yield ReadError(source, f"cannot be opened: {_os_reason(exc)}")
                continue
            if stat.S_ISLNK(st.st_mode):
                try:
                    st = child.stat()
                except OSError as exc:  # a loop, or a link to nothing
                    if wanted or exc.errno == errno.ELOOP:
                        yield ReadError(source, f"a symbolic link that cannot be followed ({_os_reason(exc)}); "
                                                "not read")
                    continue
                if not (wanted or stat.S_ISDIR(st.st_mode)):
                    continue  # a link to a file of another kind: skipped, as that file would be
                if not _inside(Path(os.path.realpath(child)), root):
                    yield ReadError(source, "a symbolic link to a place outside the input folder; not followed")
                    continue
                if stat.S_ISDIR(st.st_mode):
                    yield ReadError(source, "a symbolic link to a folder; not followed (what it links to is read "
                                            "where it is, if that is inside the input folder)")
                    continue
            if stat.S_ISDIR(st.st_mode):
                if depth + 1 > limits.max_depth:
                    yield ReadError(source, f"folder nested deeper than {limits.max_depth} levels below "
                                            f"{_display(top)}; not read")
                else:
                    subfolders.append((child, depth + 1))
            elif wanted:
                yield from _file(child, st, limits, explicit=False)
        stack.extend(reversed(subfolders))


def _file(path: Path, st: os.stat_result, limits: Limits, explicit: bool) -> Iterator[Input | ReadError]:
    source = _display(path)
    if not stat.S_ISREG(st.st_mode):
        yield ReadError(source, "not a regular file (a device, pipe or socket); not read")
        return
    if path.suffix.lower() in ARCHIVE_SUFFIXES or (explicit and _is_zip(path)):
        yield from _archive(path, limits)
        return
    if st.st_size > limits.max_file_bytes:
        yield ReadError(source, f"file of {st.st_size:,} bytes is over the {limits.max_file_bytes:,}-byte limit; not read")
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)  # the size on disk may have changed since stat()
    except OSError as exc:
        yield ReadError(source, f"cannot be read: {_os_reason(exc)}")
        return
    if len(data) > limits.max_file_bytes:
        yield ReadError(source, f"file is over the {limits.max_file_bytes:,}-byte limit; not read")
        return
    yield Input(source, data)


def _archive(path: Path, limits: Limits) -> Iterator[Input | ReadError]:
    source = _display(path)
    try:
        with open(path, "rb") as fh:
            count = _count_members(fh, limits.max_members)
        if count is not None and count > limits.max_members:  # counted before ZipFile builds them all
            yield ReadError(source, f"archive has more than {limits.max_members:,} members (the limit); not read")
            return
        archive = zipfile.ZipFile(path)  # names decoded by _member_name(): one bad name must not refuse the rest
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        yield ReadError(source, f"not a readable zip archive: {exc}")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        inflated = 0  # every byte inflated from this archive, read or refused
        for info in infos:
            filename = _member_name(info)
            member = f"{source}!{filename}"
            name = PurePosixPath(filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or (name.parts and name.parts[0][1:2] == ":"):
                yield ReadError(member, "member path climbs out of the archive (absolute, a drive or '..'); not read")
                continue
            suffix = name.suffix.lower()
            if suffix not in DOCUMENT_SUFFIXES:
                if suffix in ARCHIVE_SUFFIXES:
                    yield ReadError(member, "an archive inside an archive; not read (extract it first)")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield ReadError(member, "a symbolic link stored in the archive; not followed")
                continue
            # The sizes in the header are not trusted: bytes are counted as they are inflated.
            cap = min(limits.max_file_bytes, limits.max_archive_bytes - inflated) + 1
            data, failure = _inflate(archive, info, cap)
            inflated += len(data)
            if inflated > limits.max_archive_bytes:
                yield ReadError(source, f"archive inflates to more than {limits.max_archive_bytes:,} bytes; "
                                        "the rest of it is not read")
                return
            if failure:
                yield ReadError(member, f"member cannot be inflated: {failure}")
            elif len(data) > limits.max_file_bytes:
                yield ReadError(member, f"member inflates to more than {limits.max_file_bytes:,} bytes; not read")
            else:
                yield Input(member, data)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> tuple[bytes, str | None]:
    """A member's bytes, inflated a chunk at a time and never more than ``cap`` of them, whatever its
    header says; and why inflating stopped short, if it did."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as fh:
            while size < cap and (chunk := fh.read(min(_CHUNK, cap - size))):
                chunks.append(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError) as exc:
        return b"".join(chunks), str(exc)
    return b"".join(chunks), None


def _count_members(fh: BinaryIO, limit: int) -> int | None:
    """How many entries the central directory holds, counted up to ``limit + 1`` without building them.

    ``zipfile.ZipFile`` builds an object per entry before anyone can count them:
    millions of empty entries cost gigabytes. The count in the end record is not
    trusted (it can lie); the entries are walked. None when there is no end
    record to start from (ZipFile then says what is wrong).
    """
    size = fh.seek(0, os.SEEK_END)
    tail_start = max(0, size - 65_557)  # end record (22 bytes) + the longest comment
    fh.seek(tail_start)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    _, _, _, _, _, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    end = tail_start + at
    locator = tail[at - 20:at] if at >= 20 else b""
    if locator[:4] == b"PK\x06\x07":  # zip64: the real sizes are in the zip64 end record before the locator
        fh.seek(end - 20 - 56)
        record = fh.read(56)
        if record[:4] == b"PK\x06\x06":
            cd_size = struct.unpack("<4sQ2H2L4Q", record)[8]
            end -= 20 + 56
    fh.seek(max(0, end - cd_size))
    count = 0
    while count <= limit:
        header = fh.read(46)
        if len(header) < 46 or header[:4] != b"PK\x01\x02":
            break
        name_len, extra_len, comment_len = struct.unpack("<3H", header[28:34])
        fh.seek(name_len + extra_len + comment_len, os.SEEK_CUR)
        count += 1
    return count


def _display(path: Path) -> str:
    """A path as text for the results: a name that is not UTF-8 (a Shift_JIS name from a Japanese zip
    extracted on Linux) is shown decoded as CP932 rather than carried as surrogates no JSON file can hold."""
    return _decoded(os.fsencode(path))


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name: UTF-8 when the archive says so; else UTF-8 if it is valid UTF-8 (zips made on a Mac),
    else CP932 (zips made on Japanese Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    return _decoded(info.filename.encode("cp437"))  # zipfile decoded the raw name as CP437: undo it


def _decoded(raw: bytes) -> str:
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="backslashreplace")


def _is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)
