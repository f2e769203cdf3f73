"""`grader feedback DIR`: reports in DIR → DIR/feedback/ (index.html, students/*.html, plots/*).

The reports are read final (the folder's overrides.toml applied as it is now, grader.adjust).

A student's page is named as the student's report file (grader.reports.file_stem), so ids that
are not file names, or that only differ in case, get pages of their own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from grader.adjust import final_reports
from grader.feedback import charts, dashboard, student
from grader.feedback.names import names
from grader.feedback.stats import dashboard_stats
from grader.feedback.views import View
from grader.reports import ReportFolderError, file_stem, write_atomic

FOLDER = "feedback"
SIMILARITY = "similarity"


@dataclass(frozen=True)
class Built:
    index: Path
    pages: int
    plots: list[Path]
    seconds: float


def build(reports_dir: Path, view: View, roster: Path | None = None, roster_key: str | None = None) -> Built:
    """`roster`: a class list to take students' names from (grader.feedback.names)."""
    started = time.monotonic()
    if reports_dir.is_file():  # read_folder takes one report file too; pages need the folder
        raise ReportFolderError(f"{reports_dir}: a file, not a folder; give the --out folder of `grader grade`")
    reports = sorted(final_reports(reports_dir), key=lambda r: (r.student.casefold(), r.student))
    shown = names(reports, roster, roster_key)
    out = reports_dir / FOLDER
    students = out / "students"
    students.mkdir(parents=True, exist_ok=True)
    written = set()
    for report in reports:
        path = students / f"{file_stem(report.student)}.html"
        _write(path, student.page(report, view, shown.get(report.student)))
        written.add(path.name)
    for stale in students.glob("*.html"):
        if stale.name not in written:  # a student no longer in DIR must not keep an old page
            stale.unlink()
    stats = dashboard_stats(reports)
    figures = charts.charts(stats)
    plots = [path for chart in figures for path in charts.save(chart, out / "plots")]
    index = out / "index.html"
    similarity = (reports_dir / SIMILARITY).is_dir()  # `grader similarity ... --out DIR` wrote it
    _write(index, dashboard.page(reports, stats, figures, view, shown, similarity=similarity))
    return Built(index, len(reports), plots, time.monotonic() - started)


def _write(path: Path, text: str) -> None:
    """Pages are shared, so readable as the umask allows; no fsync, since a page is cheap to
    rebuild and a thousand fsyncs are not."""
    write_atomic(path, text, mode=0o666, sync=False)
