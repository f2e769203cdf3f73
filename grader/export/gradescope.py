"""Gradescope's `results.json` (FORMATS.md §1.2) from a report: one test per check.

The top-level `score` is the report's final score (Gradescope lets it override the tests' sum,
which it does when the late policy or an instructor's whole-score override changed it; the
summary says why). Each test keeps its check's visibility, so hidden checks stay hidden. What the student's
code printed is not shown to students, because it can reveal hidden cases' data: `gradescope run`
prints it to the autograder's stdout, which only instructors see.
"""

from __future__ import annotations

from typing import Any

from grader.adjust import explain
from grader.numbers import points
from grader.report import CheckResult, Report

NOT_GRADED = ("The autograder failed before it could grade this submission. This is not a problem "
              "with your code; please tell your instructor.")


def _test_output(check: CheckResult) -> str:
    lines = [check.message]
    if check.cases_total and check.status != "passed":
        hidden = f", {check.hidden_cases} of them hidden" if check.hidden_cases else ""
        lines.append(f"cases passed: {check.cases_passed} of {check.cases_total}{hidden}")
    if check.hint:
        lines.append(f"hint: {check.hint}")
    return "\n".join(lines)


def _test(number: int, check: CheckResult) -> dict[str, Any]:
    return {
        "number": str(number),
        "name": check.name,
        "score": check.score,
        "max_score": check.max_score,
        "status": "passed" if check.status == "passed" else "failed",
        "visibility": check.visibility,
        "output": _test_output(check),
        "tags": [check.target],
        "extra_data": {"status": check.status, "cases_passed": check.cases_passed,
                       "cases_total": check.cases_total, "hidden_cases": check.hidden_cases},
    }


def _summary(report: Report) -> str:
    """Always shown to students, so it counts only the always-visible checks: a total including
    hidden or not yet released checks would give them away."""
    shown = [c for c in report.checks if c.visibility == "visible"]
    passed = sum(c.status == "passed" for c in shown)
    score = points(sum(c.score for c in shown))
    total = points(sum(c.max_score for c in shown))
    if len(shown) == len(report.checks):
        lines = [f"{score} / {total} points from the automatic checks ({passed} of {len(shown)} passed)."]
    else:
        lines = [f"{score} / {total} points from the checks shown now ({passed} of {len(shown)} passed); "
                 "the other checks appear when your instructor releases them."]
    if report.errors:
        lines += ["", "Problems with the submission:", *(f"- {e}" for e in report.errors)]
    changes = explain(report, checks={c.name for c in shown}, totals=len(shown) == len(report.checks))
    if changes:
        lines += ["", f"Your score is {points(report.score)}:" if len(shown) == len(report.checks)
                  else "Your score is adjusted:", *(f"- {line}" for line in changes)]
    if report.submission.notes:
        lines += ["", "Notes:", *(f"- {n}" for n in report.submission.notes)]
    return "\n".join(lines)


def results(report: Report) -> dict[str, Any]:
    """The results.json object for one report; always a non-empty `tests` array."""
    tests = [_test(i, c) for i, c in enumerate(report.checks, 1)]
    if report.errors or not tests:
        problem = "\n".join(report.errors) or "no checks ran"
        tests.insert(0, {"name": "Submission loads", "status": "failed", "visibility": "visible",
                         "output": problem})
    return {
        "score": report.score,  # no execution_time: students see it, and it can time a hidden case
        "output": _summary(report),
        "output_format": "text",
        "test_output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"student": report.student, "assignment": report.assignment,
                       "assignment_version": report.assignment_version, "max_score": report.max_score,
                       "sandbox": report.sandbox.tier if report.sandbox else None,
                       "grader_version": report.grader_version},
    }


def failure() -> dict[str, Any]:
    """What to write when grading itself failed: a valid results.json with a score of 0.

    The cause goes to the autograder's stdout (instructors only), not here: it may name files
    of the reference solution."""
    return {
        "score": 0.0,
        "output": NOT_GRADED,
        "output_format": "text",
        "stdout_visibility": "hidden",
        "tests": [{"name": "Autograder ran", "status": "failed", "visibility": "visible", "output": NOT_GRADED}],
        "extra_data": {"autograder_error": True},
    }
