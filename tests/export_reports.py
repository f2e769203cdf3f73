"""A small fixed class of reports for the export tests: every status, every visibility, text
that CSV and XML must escape, a non-ASCII student id and no timestamps that change."""

from __future__ import annotations

from pathlib import Path

from grader.report import CheckResult, Report, SandboxInfo, Status, SubmissionInfo, Visibility

# name, target, points, visibility
CHECKS: list[tuple[str, str, float, Visibility]] = [
    ("forward computes x * w", "forward", 1.0, "visible"),
    ("manual_gradient matches finite differences", "manual_gradient", 1.5, "visible"),
    ("train's loss history, one value per epoch", "train", 2.0, "after_due_date"),
    ("predict at x = 4", "predict", 0.5, "hidden"),
]


def _check(index: int, status: Status, message: str, hint: str | None = None) -> CheckResult:
    name, target, points, visibility = CHECKS[index]
    return CheckResult(name=name, target=target, score=points if status == "passed" else 0.0, max_score=points,
                       status=status, visibility=visibility, message=message, cases_passed=4 if status == "passed"
                       else 1, cases_total=4, hidden_cases=2, hint=hint)


def _report(student: str, checks: list[CheckResult], *, errors: list[str] | None = None, output: str = "",
            notes: list[str] | None = None) -> Report:
    return Report(
        assignment="backprop", assignment_version="2026.1", student=student,
        score=sum(c.score for c in checks), max_score=5.0, checks=checks,
        submission=SubmissionInfo(path=f"class/{student}/backprop.py", sha256="0" * 64, notes=notes or []),
        errors=errors or [], output=output, sandbox=SandboxInfo(tier="linux-bwrap", protections=[]),
        grader_version="0.1.0", torch_version="2.13.0+cpu", started_at="2026-03-01T12:00:00.000000Z",
        duration_s=1.25,
    )


def class_reports() -> list[Report]:
    passed = "all 4 cases passed, 2 of them hidden"
    return [
        _report("ada", [_check(i, "passed", passed) for i in range(4)], output="epoch 0 loss 7.3\n"),
        _report("bob", [
            _check(0, "passed", passed),
            _check(1, "failed", 'with x=2.0, y=4.0, w=1.0: manual_gradient is 8.0; finite differences give -8.0 '
                                '(the sign is flipped) & "quotes", <tags>', hint="d/dw (x*w - y)^2 = 2x(xw - y)"),
            _check(2, "timeout", "train did not return within 10 s (call_timeout_s)"),
            _check(3, "passed", passed),
        ], notes=["backprop.py: a cell raised NameError; the following cells ran anyway"]),
        _report("zoë", [
            _check(i, "error", "not graded: backprop.py line 3: SyntaxError: invalid syntax") for i in range(4)
        ], errors=["backprop.py line 3: SyntaxError: invalid syntax"]),
        _report("dan", [_check(0, "passed", passed), _check(1, "passed", passed),
                        _check(2, "skipped", "skipped: train is missing"), _check(3, "failed", "predict(4.0) is 0.0; "
                                                                                     "expected 8.0")]),
    ]


def write_class(folder: Path, reports: list[Report] | None = None) -> Path:
    """The reports as `grader grade --out` leaves them, plus the files an export must ignore."""
    folder.mkdir(parents=True, exist_ok=True)
    for report in reports or class_reports():
        (folder / f"{report.student}.json").write_text(report.to_json(), encoding="utf-8")
    (folder / "summary.csv").write_text("student,score\nada,5\n", encoding="utf-8")
    (folder / "summary.json").write_text('{"students": 4}', encoding="utf-8")
    (folder / "feedback").mkdir(exist_ok=True)
    (folder / "feedback" / "ada.json").write_text("{}", encoding="utf-8")
    return folder
