"""Unpacking an LMS's zip download: the honest entries are unpacked, the others are refused.

An entry is skipped, with a message naming it, when its name leaves the folder (`..`, an
absolute path, a drive letter), when it is a symbolic link, a device, a fifo or a socket, when
it is encrypted or damaged, or when it is too big: more than MAX_MEMBER_BYTES unpacked, or past
MAX_BYTES for the whole archive, or past MAX_FILES entries (a zip bomb). Sizes are counted as
the bytes are written, not taken from the zip's headers. Only a file that is not a zip at all
stops the batch (ArchiveError, a user error).
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.errors import UserError
from grader.filenames import visible_entries
from grader.text import name as shown

MAX_FILES = 20_000
MAX_MEMBER_BYTES = 256 * 1024**2
MAX_BYTES = 2 * 1024**3
CHUNK = 1024**2


class ArchiveError(UserError):
    """The zip cannot be read at all; the message names the archive."""


class _TooBig(Exception):
    pass


@dataclass
class Unpacked:
    root: Path  # the folder to read: the target, or the one folder the archive holds
    skipped: list[str] = field(default_factory=list)  # one line per refused entry


def _refusal(info: zipfile.ZipInfo) -> str | None:
    """Why the entry's name or type is refused, or None."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and parts[0].endswith(":")):
        return "an absolute path"
    if ".." in parts:
        return "a path that leaves the archive's folder (..)"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "a device, fifo or socket, not a file"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"{info.file_size:,} bytes unpacked, over the limit of {MAX_MEMBER_BYTES:,} per file"
    return None


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, room: int) -> int:
    """Write the entry, stopping past MAX_MEMBER_BYTES or `room` bytes; returns the bytes written."""
    written = 0
    with zf.open(info) as source, open(destination, "wb") as sink:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > MAX_MEMBER_BYTES:
                raise _TooBig(f"unpacks to more than {MAX_MEMBER_BYTES:,} bytes, the limit per file")
            if written > room:
                raise _TooBig(f"would take the archive past {MAX_BYTES:,} bytes unpacked, its limit")
            sink.write(chunk)
    return written


def extract(archive: Path, target: Path) -> Unpacked:
    """Unpack what can be unpacked safely into `target`; raises ArchiveError if `archive` is no zip."""
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ArchiveError(f"{archive}: not a readable zip file ({exc}); download it again") from exc
    result = Unpacked(target)
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    with zf:
        infos = zf.infolist()
        for count, info in enumerate(infos):
            where = f"{archive}: entry {shown(info.filename)!r}"
            if count == MAX_FILES:
                result.skipped.append(f"{archive}: {len(infos) - count:,} entries after the first {MAX_FILES:,} "
                                      "were not unpacked (too many files)")
                break
            refused = _refusal(info)
            if refused:
                result.skipped.append(f"{where} is {refused}; not unpacked")
                continue
            destination = target.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
            try:
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                total += _copy(zf, info, destination, MAX_BYTES - total)
            except _TooBig as exc:
                destination.unlink(missing_ok=True)
                result.skipped.append(f"{where} {exc}; not unpacked (a zip bomb?)")
            except (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                if destination.is_file():
                    destination.unlink()
                result.skipped.append(f"{where} cannot be unpacked ({shown(str(exc))}); not unpacked")
    found = visible_entries(target)
    if len(found) == 1 and found[0].is_dir():
        result.root = found[0]
    return result
