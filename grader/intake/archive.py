"""Unpacking an LMS's zip download safely: no paths outside the folder, bounded sizes."""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_FILES = 20_000
MAX_BYTES = 2 * 1024**3


class ArchiveError(ValueError):
    """The zip cannot be unpacked safely; the message names the archive and the entry."""


def extract(archive: Path, target: Path) -> Path:
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ArchiveError(f"{archive}: not a readable zip file ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_BYTES:
            raise ArchiveError(f"{archive}: more than {MAX_FILES} files or {MAX_BYTES // 2**30} GiB unpacked")
        target.mkdir(parents=True, exist_ok=True)
        root = target.resolve()
        for info in infos:
            destination = (target / info.filename).resolve()
            if not destination.is_relative_to(root):
                raise ArchiveError(f"{archive}: entry {info.filename!r} points outside the archive")
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source, open(destination, "wb") as sink:
                sink.write(source.read())
    entries = [p for p in target.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else target
