"""GitHub Classroom runner result (FORMATS.md §2.2) from a `grader check --json` report.

`autograding-grading-reporter` base64-decodes this object from `<RUNNER>_RESULTS`, adds every
test's `score` to the Classroom total and `max_score` to the maximum, and fails the job if the
top-level `status` is `fail` or `error`. Every test therefore carries a numeric score and the
`tests` array is never empty. These are the public checks, run in the student's repository:
advisory points, not the official grade. A report whose final score differs from its checks'
points (a late penalty, an instructor's whole-score override) gets one more test carrying the
difference, so Classroom's total is the final score.
"""

from __future__ import annotations

from typing import Any

from grader.adjust import explain
from grader.report import CheckResult, Report

_STATUS = {"passed": "pass", "failed": "fail", "error": "error", "timeout": "error", "skipped": "fail"}


def _test(report: Report, check: CheckResult) -> dict[str, Any]:
    message = check.message + (f"\nhint: {check.hint}" if check.hint else "")
    return {
        "name": check.name,
        "status": _STATUS[check.status],
        "score": check.score,
        "message": "" if check.status == "passed" else message,
        "test_code": f"grader check {report.assignment} --target {check.target}",
        "filename": "",
        "line_no": 0,
        "duration": 0,
    }


def runner_result(report: Report) -> dict[str, Any]:
    tests = [_test(report, c) for c in report.checks]
    if report.errors or not tests:
        tests.insert(0, {"name": "submission loads", "status": "error", "score": 0,
                         "message": "\n".join(report.errors) or "no checks ran", "test_code": "",
                         "filename": "", "line_no": 0, "duration": 0})
    difference = round(report.score - sum(c.score for c in report.checks), 6)
    if difference:
        tests.append({"name": "adjustments", "status": "pass", "score": difference,
                      "message": "\n".join(explain(report)), "test_code": "", "filename": "", "line_no": 0,
                      "duration": 0})
    statuses = {t["status"] for t in tests}
    status = "error" if "error" in statuses else "fail" if "fail" in statuses else "pass"
    return {"version": 1, "status": status, "max_score": report.max_score, "tests": tests}

