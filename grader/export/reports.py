"""Reading a folder of reports: every `<student>.json`, nothing else, and all of one assignment.

`grader grade --out DIR` also writes `summary.csv` (and others may add `summary.json` or a
`feedback/` folder); those are not reports. A file that looks like a report but is not one stops
the export, because skipping it would silently drop a student's grade.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from grader.export.errors import ExportError
from grader.report import Report, report_paths


def report_files(path: Path) -> list[Path]:
    """The report files in `path` (a folder of reports, or one report file)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ExportError(f"{path}: no such folder; give the --out folder of `grader grade`")
    return report_paths(path)


def read(path: Path) -> Report:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: cannot be read ({exc}); remove it or grade again") from exc
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); remove it or grade again") from exc
    try:
        return Report.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ExportError(f"{path}: not a grader report ({where}: {first['msg']}); "
                          "move it out of the reports folder") from exc


def load_reports(path: Path) -> list[Report]:
    """All reports under `path`, sorted by student, checked to be one assignment's."""
    files = report_files(path)
    if not files:
        raise ExportError(f"{path}: no reports (<student>.json) here; "
                          f"run `grader grade ASSIGNMENT ... --out {path}`")
    reports: list[Report] = []
    owner: dict[str, Path] = {}
    for file in files:
        report = read(file)
        if report.student in owner:
            raise ExportError(f"{file} and {owner[report.student]} are both reports of student "
                              f"{report.student!r}; keep one of them")
        owner[report.student] = file
        reports.append(report)
    assignments = sorted({r.assignment for r in reports})
    if len(assignments) > 1:
        counts = ", ".join(f"{a} ({sum(r.assignment == a for r in reports)})" for a in assignments)
        raise ExportError(f"{path}: reports of several assignments ({counts}); "
                          "export one assignment's folder at a time")
    return sorted(reports, key=lambda r: r.student)


def common_max_score(reports: list[Report]) -> float:
    """The assignment's points possible; reports graded against different totals cannot share a column."""
    totals = sorted({r.max_score for r in reports})
    if len(totals) > 1:
        shown = ", ".join(f"{t:g} ({', '.join(r.student for r in reports if r.max_score == t)[:200]})" for t in totals)
        raise ExportError(f"the reports have different max_score values: {shown}; grade every submission "
                          "with the same version of the assignment, then export")
    return totals[0] if totals else 0.0
