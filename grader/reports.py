"""A reports folder (`grader grade --out DIR`): which file holds whose report, listing, reading
with clear errors, and writing atomically. Batch, export, feedback and Gradescope use this.

File names. A student's report is `DIR/<student>.json` when the id is an ordinary name: 1 to
100 bytes of lower-case letters (NFC, none that changes under case folding), digits and
`_ . @ + -`, not starting with a dot or a hyphen, not ending with a dot, and whose part before
any dot is neither a name the grader writes beside the reports (`summary`, `index`, `feedback`,
`overrides`, `similarity`) nor a Windows device name (`con`, `nul`, `com1`...). Any other id is
stored as `DIR/<slug>~<hash>.json`: the slug is the id with every run of characters outside
`A-Z a-z 0-9 _ . @ + -` replaced by `_` (at most 40, `student` if nothing is left) and the hash
the first 12 hex digits of the SHA-256 of the id in UTF-8. Two different ids never share a
file, not even on a file system that ignores case (`Alice` and `alice` become
`Alice~<hash>.json` and `alice.json`); the name depends on the id alone, so rerunning a batch
finds each report again. Readers take the id from the report's `student` field, never from the
file name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
from pathlib import Path

from pydantic import ValidationError

from grader.errors import UserError
from grader.filenames import ignored
from grader.report import Report
from grader.text import name as shown

RESERVED = frozenset({
    "summary", "index", "feedback", "overrides", "similarity",  # what the grader writes beside reports
    "con", "prn", "aux", "nul", "conin$", "conout$",  # Windows devices, whatever the extension
    *(f"{d}{i}" for d in ("com", "lpt") for i in (*"0123456789", "\u00b9", "\u00b2", "\u00b3")),
})
"""Stems an ordinary id may not have. Only ever add to this list: a name added later would move
that student's existing report (the old file is then read as a stray copy)."""
_ORDINARY = re.compile(r"[\w@+]([\w.@+-]*[\w@+-])?")
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9_.@+-]+")
MAX_ORDINARY_BYTES = 100
SUFFIX = ".json"


class ReportFolderError(UserError):
    """A reports folder, or a file in it, cannot be used; the message names it and what to do."""


def ordinary(student: str) -> bool:
    """Whether the id is its own file name (see the module's docstring)."""
    return (_ORDINARY.fullmatch(student) is not None
            and len(student.encode("utf-8")) <= MAX_ORDINARY_BYTES
            and unicodedata.is_normalized("NFC", student)
            and student.upper().casefold() == student
            and student.split(".", 1)[0] not in RESERVED)


def file_stem(student: str) -> str:
    """The report's file name without `.json`; also names the student's feedback page."""
    if ordinary(student):
        return student
    slug = _SLUG_UNSAFE.sub("_", student).strip(".")[:40].rstrip(".") or "student"
    return f"{slug}~{hashlib.sha256(student.encode('utf-8')).hexdigest()[:12]}"


def path_for(folder: Path, student: str) -> Path:
    return folder / f"{file_stem(student)}{SUFFIX}"


def report_paths(folder: Path) -> list[Path]:
    """The report files of a folder, sorted: `*.json` but not the summary, not hidden files (an
    atomic write's temporary file), not subfolders."""
    return sorted(p for p in folder.glob(f"*{SUFFIX}")
                  if p.is_file() and p.stem not in RESERVED and not ignored(p.name))


def read_report(path: Path) -> Report:
    """The report in `path`, or a ReportFolderError saying whether it is unreadable, not JSON or
    not a report: a stray file must stop an export or feedback run, not drop a student."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportFolderError(f"{path}: cannot be read ({exc}); remove it or grade again") from exc
    try:
        return Report.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":  # json's message has the line number, pydantic's does not
            try:
                json.loads(text)
            except json.JSONDecodeError as bad:
                raise ReportFolderError(f"{path}: not valid JSON (line {bad.lineno}: {bad.msg}); "
                                        "remove it or grade again") from exc
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ReportFolderError(f"{path}: not a grader report ({where}: {first['msg']}); "
                                "move it out of the folder or grade again") from exc


def read_folder(path: Path) -> list[Report]:
    """Every report of a `grader grade --out` folder (or the one report file `path`), sorted by
    student, checked to be of one assignment and one file per student."""
    if path.is_file():
        return [read_report(path)]
    if not path.is_dir():
        raise ReportFolderError(f"{path}: no such folder; give the --out folder of `grader grade`")
    owner: dict[str, Path] = {}
    reports: list[Report] = []
    for file in report_paths(path):
        report = read_report(file)
        if report.student in owner:
            raise ReportFolderError(f"{file} and {owner[report.student]} are both reports of student "
                                    f"{shown(report.student)!r}; keep one of them")
        owner[report.student] = file
        reports.append(report)
    if not reports:
        raise ReportFolderError(f"{path}: no reports (<student>.json) here; "
                                f"run `grader grade ASSIGNMENT ... --out {path}` first")
    assignments = sorted({report.assignment for report in reports})
    if len(assignments) > 1:
        counts = ", ".join(f"{a} ({sum(r.assignment == a for r in reports)})" for a in assignments)
        raise ReportFolderError(f"{path}: reports of several assignments ({counts}); "
                                "keep each assignment's reports in a folder of their own")
    return sorted(reports, key=lambda r: r.student)


def write_report(folder: Path, report: Report, student: str | None = None) -> Path:
    """Write the report under its student's file name (or `student`'s, the id it was graded as)."""
    path = path_for(folder, report.student if student is None else student)
    write_atomic(path, report.to_json())
    return path


def write_atomic(path: Path, text: str, *, mode: int = 0o600, sync: bool = True) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a file.

    `mode` is masked by the umask (reports stay private by default; pages meant to be shared pass
    0o666). `sync` flushes the file to disk before the rename, so a crash cannot leave an empty
    report behind; a thousand feedback pages, cheap to rebuild, skip it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a grader that was killed mid-write."""
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
