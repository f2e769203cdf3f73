"""Reading a grading folder: every `<student>.json` report in it, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from grader.report import Report, read_report, report_paths


class FeedbackError(Exception):
    """The folder cannot be turned into feedback; the message names the file and what to do."""


@dataclass(frozen=True)
class Loaded:
    """A report and the file stem its pages are named after (already safe as a file name)."""

    stem: str
    report: Report


def load_folder(folder: Path) -> list[Loaded]:
    """The folder's reports sorted by student; summary files, hidden files and subfolders are skipped."""
    if not folder.is_dir():
        raise FeedbackError(f"{folder}: no such folder; give the --out folder of `grader grade`")
    paths = report_paths(folder)
    if not paths:
        raise FeedbackError(f"{folder}: no reports (<student>.json) in it; run `grader grade ... --out {folder}` first")
    loaded = [Loaded(path.stem, _read(path)) for path in paths]
    assignments = sorted({item.report.assignment for item in loaded})
    if len(assignments) > 1:
        raise FeedbackError(f"{folder}: holds reports of several assignments ({', '.join(assignments)}); "
                            "grade each assignment into its own folder")
    return sorted(loaded, key=lambda item: (item.report.student.casefold(), item.stem))


def _read(path: Path) -> Report:
    try:
        return read_report(path)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise FeedbackError(f"{path}: not a grader report ({where}: {first['msg']}); "
                            "move it out of the folder or grade again") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedbackError(f"{path}: cannot be read ({exc}); check the file or grade again") from exc
