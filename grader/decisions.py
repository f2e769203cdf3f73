"""`grader override`: record an instructor's decision and bring the reports folder up to date.

The decision is checked against the student's report (the student, the check, its points, a
late policy for an extension) and, with the rest of overrides.toml, against the whole folder;
then it is written to overrides.toml (grader.overrides), and every report it changes and the
summaries are rewritten (grader.adjust), so the folder reads final without grading again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader import adjust, overrides
from grader.numbers import points
from grader.report import Report
from grader.reports import read_folder, read_report, report_paths, write_atomic
from grader.summary import write_summaries


@dataclass(frozen=True)
class Decided:
    """What `grader override` did: the student's report before and after, and the file it wrote."""

    before: Report
    after: Report
    file: Path


def decide(folder: Path, entry: overrides.Entry) -> Decided:
    """Record `entry` in `folder`/overrides.toml (replacing a decision on the same target), after
    checking it and the file's other entries against the reports; then rewrite the reports it
    changes and the summaries, so the folder reads final without another `grader grade`."""
    if not folder.is_dir():
        raise overrides.OverrideError(f"{folder}: no such folder; give the --out folder of `grader grade`")
    reports = read_folder(folder)  # checked: readable, one assignment, one file per student
    files = {read_report(p).student: p for p in report_paths(folder)}
    mine = next((r for r in reports if r.student == entry.student), None)
    if mine is None:
        listed = ", ".join(r.student for r in reports[:8]) + (" ..." if len(reports) > 8 else "")
        raise overrides.OverrideError(f"{folder}: no report of student {entry.student!r} (the reports name "
                                      f"students by id: {listed})")
    check = next((c for c in mine.checks if c.name == entry.check), None)
    if entry.check is not None and check is None:
        raise overrides.OverrideError(f"{entry.student}'s report has no check {entry.check!r}; its checks: "
                                      + "; ".join(c.name for c in mine.checks))
    if check is not None and entry.points is not None and entry.points > check.max_score:
        raise overrides.OverrideError(f"--points {points(entry.points)}: the check {check.name!r} is worth "
                                      f"{points(check.max_score)}; give at most that")
    if entry.kind == "extension" and mine.late is None:
        raise overrides.OverrideError(f"{entry.student}'s report was graded without a [late] policy, so an "
                                      "extension changes nothing; add [late] to assignment.toml and grade again")
    entries = [e for e in overrides.load(folder) if e.target != entry.target] + [entry]
    adjust.check_entries(entries, folder, reports)
    final = [adjust.apply(r, entries, adjust.stored_basis(r)) for r in reports]
    file = overrides.record(folder, entry)
    for old, new in zip(reports, final, strict=True):
        if new != old:  # into the file it was read from, whatever its name
            write_atomic(files[new.student], new.to_json())
    write_summaries(folder, final, _set_aside(folder))
    return Decided(mine, next(r for r in final if r.student == entry.student), file)


def _set_aside(folder: Path) -> list[str]:
    """What the last batch's summary.json listed as set aside, kept when the summaries are rewritten."""
    try:
        kept = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("set_aside", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(line) for line in kept] if isinstance(kept, list) else []
