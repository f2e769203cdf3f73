"""`grader feedback DIR`: reports in DIR → DIR/feedback/ (index.html, students/*.html, plots/*)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from grader.feedback import charts, dashboard, student
from grader.feedback.loading import load_folder
from grader.feedback.stats import class_stats
from grader.feedback.views import View

FOLDER = "feedback"


@dataclass(frozen=True)
class Built:
    index: Path
    pages: int
    plots: list[Path]
    seconds: float


def build(reports_dir: Path, view: View) -> Built:
    started = time.monotonic()
    loaded = load_folder(reports_dir)
    out = reports_dir / FOLDER
    students = out / "students"
    students.mkdir(parents=True, exist_ok=True)
    written = set()
    for item in loaded:
        path = students / f"{item.stem}.html"
        _write(path, student.page(item.report, view))
        written.add(path.name)
    for stale in students.glob("*.html"):
        if stale.name not in written:  # a student no longer in DIR must not keep an old page
            stale.unlink()
    stats = class_stats(loaded)
    figures = charts.charts(stats)
    plots = [path for chart in figures for path in charts.save(chart, out / "plots")]
    index = out / "index.html"
    _write(index, dashboard.page(loaded, stats, figures, view))
    return Built(index, len(loaded), plots, time.monotonic() - started)


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, readable as the umask allows (pages get shared), without
    fsync: a page is cheap to rebuild and a thousand fsyncs are not."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
