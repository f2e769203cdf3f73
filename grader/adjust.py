"""From the checks' points to the final score: the instructor's overrides, then the late penalty.

    raw_score = the score as graded (the checks' points)
    score     = raw_score + what check overrides add - the late penalty on that
                (or, with a whole-score override, the override's points)

Everything is worked out again from what the report keeps (each check's graded score, the late
policy and the submission time), so applying the same decisions twice gives the same report,
and a decision removed from overrides.toml is undone by the next `grader grade`, `export` or
`feedback`. Schema version 1 reports (no such fields) read as graded with no penalty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from grader import overrides
from grader.assignment.late import LatePolicy
from grader.late import assess, penalty
from grader.numbers import points
from grader.report import SCHEMA_VERSION, CheckResult, LateInfo, Override, Report
from grader.reports import read_folder


@dataclass(frozen=True)
class Timing:
    """What the intake knows of when a submission came in."""

    submitted: datetime | None = None
    source: str | None = None
    flagged: bool | None = None


def stored_basis(report: Report) -> tuple[LatePolicy, Timing] | None:
    """The late policy and the submission time the report was assessed with (None: no policy)."""
    late = report.late
    if late is None:
        return None
    try:
        when = datetime.fromisoformat(late.submitted_at) if late.submitted_at else None
    except ValueError:  # a report edited by hand: the time is unknown, as it says
        when = None
    return late.policy, Timing(when, late.source, late.flagged)


def apply(report: Report, entries: list[overrides.Entry], basis: tuple[LatePolicy, Timing] | None) -> Report:
    """The report with this student's `entries` applied and the late policy of `basis` (None: no
    policy) assessed; the entries must have been checked (overrides.check_against)."""
    mine = [e for e in entries if e.student == report.student]
    by_check = {e.check: e for e in mine if e.kind == "check"}
    decided: list[Override] = []
    checks: list[CheckResult] = []
    for check in report.checks:
        graded = check.score if check.graded_score is None else check.graded_score
        entry = by_check.get(check.name)
        if entry is not None and entry.points is not None:
            checks.append(check.model_copy(update={"score": entry.points, "graded_score": graded}))
            decided.append(Override(kind="check", check=check.name, points=entry.points, reason=entry.reason,
                                    before=graded))
        else:
            checks.append(check.model_copy(update={"score": graded, "graded_score": None}))
    raw = report.graded  # kept as graded, even where it is not the sum of the checks' points
    adjusted = raw + sum(c.score - c.graded_score for c in checks if c.graded_score is not None)
    late = _late(report.student, mine, basis, decided)
    taken = penalty(late, adjusted, report.max_score)
    final = round(adjusted - taken, 6) if taken else adjusted
    whole = next((e for e in mine if e.kind == "score"), None)
    if whole is not None and whole.points is not None:
        decided.append(Override(kind="score", points=whole.points, reason=whole.reason, before=final))
        final = whole.points
    return report.model_copy(update={
        "schema_version": SCHEMA_VERSION, "checks": checks, "raw_score": raw, "penalty": taken, "late": late,
        "overrides": decided, "score": final})


def _late(student: str, mine: list[overrides.Entry], basis: tuple[LatePolicy, Timing] | None,
          decided: list[Override]) -> LateInfo | None:
    extension = next((e for e in mine if e.kind == "extension"), None)
    if basis is None:
        return None
    policy, timing = basis
    granted = None
    if extension is not None and extension.extension is not None:
        granted = (extension.extension, extension.reason)
        until = assess(policy, student, None, None, None, granted).due
        decided.append(Override(kind="extension", until=until, reason=extension.reason))
    return assess(policy, student, timing.submitted, timing.source, timing.flagged, granted)


def check_entries(entries: list[overrides.Entry], folder: Path, reports: list[Report]) -> None:
    """Every entry names a student of `reports`, a check of that student's report, and an
    extension only where a late policy was applied (OverrideError otherwise)."""
    overrides.check_against(entries, folder, {r.student: {c.name for c in r.checks} for r in reports},
                            {r.student: r.late is not None for r in reports})


def final_reports(path: Path) -> list[Report]:
    """The reports of a `grader grade --out` folder (or one report file in it) with the folder's
    overrides.toml applied as it is now: what exports and pages show."""
    reports = read_folder(path)
    folder = path.parent if path.is_file() else path
    entries = overrides.load(folder)
    if path.is_file():
        entries = [e for e in entries if e.student in {r.student for r in reports}]
    check_entries(entries, folder, reports)
    return [apply(report, entries, stored_basis(report)) for report in reports]


def explain(report: Report, *, checks: set[str] | None = None, totals: bool = True) -> list[str]:
    """What changed the score after the checks, one sentence each: the instructor's decisions and
    the late penalty (`checks`: only decisions on these checks, and `totals` False: no points that
    give the total away, for a page that withholds some checks)."""
    lines = []
    for decision in report.overrides:
        if decision.kind == "check" and (checks is None or decision.check in checks):
            lines.append(f"{decision.check}: {points(decision.points or 0.0)} points instead of "
                         f"{points(decision.before or 0.0)}, by the instructor: {decision.reason}")
        elif decision.kind == "extension":
            lines.append(f"extension to {decision.until}, by the instructor: {decision.reason}")
    if report.penalty and report.late is not None:
        taken = f" (\N{MINUS SIGN}{points(report.penalty)} points)" if totals else ""
        lines.append(f"late: {report.late.reason}{taken}")
    for decision in report.overrides:
        if decision.kind == "score" and totals:
            lines.append(f"score set to {points(decision.points or 0.0)} instead of "
                         f"{points(decision.before or 0.0)}, by the instructor: {decision.reason}")
        elif decision.kind == "score":
            lines.append(f"score set by the instructor: {decision.reason}")
    return lines


def is_late(report: Report) -> bool:
    """Handed in after the due date: by the late policy when it knows the time, else by the LMS's flag."""
    late = report.late
    if late is not None and late.submitted_at is not None:
        return late.seconds_late > 0
    return bool(report.submission.late)

