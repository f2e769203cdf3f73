"""A made-up class of valid reports (built with the pydantic model) for feedback tests and benchmarks.

Shaped like backprop's reports: the same kinds of checks and `data`, every status, every
visibility, long and diverging loss histories, whole-submission errors and hostile output. Scores
follow from the statuses, so the dashboard's numbers can be checked against the reports.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from pathlib import Path

from grader.report import CheckResult, Report, SandboxInfo, Status, SubmissionInfo, Visibility

# name, target, points, kind, visibility
CHECKS: list[tuple[str, str, float, str, Visibility]] = [
    ("forward computes x * w and keeps the graph", "forward", 1.0, "values", "visible"),
    ("loss is the squared error and keeps the graph", "loss", 1.0, "values", "visible"),
    ("manual_gradient matches finite differences", "manual_gradient", 1.5, "gradient", "visible"),
    ("manual_gradient matches autograd", "manual_gradient", 1.0, "gradient", "after_due_date"),
    ("train's loss history matches the reference", "train", 2.0, "history", "visible"),
    ("train's loss is finite and decreasing, one value per epoch", "train", 0.5, "converges", "visible"),
    ("train returns the trained weight", "train", 1.5, "values", "after_published"),
    ("predict computes x * w", "predict", 0.5, "values", "hidden"),
    ("prediction at x = 4 after training matches the reference", "predict", 1.0, "values", "visible"),
]
KINDS = ["correct", "sign", "lr", "diverges", "stub", "syntax", "timeout", "hostile", "predict"]
WEIGHTS = [40, 12, 10, 6, 6, 4, 4, 3, 15]
HOSTILE = "<script>alert('pwned')</script>\x1b[31mred\x1b[0m </pre><img src=x onerror=alert(1)>"


def _reference(epochs: int, lr: float) -> list[float]:
    return [7.3 * (1 - 28 * lr) ** (2 * i) for i in range(epochs)]


def _check(spec: tuple[str, str, float, str, Visibility], status: Status, message: str,
           data: Mapping[str, object] | None, hidden: int = 3, total: int = 10) -> CheckResult:
    name, target, points, _, visibility = spec
    passed = total if status == "passed" else 0
    return CheckResult(name=name, target=target, score=points if status == "passed" else 0.0, max_score=points,
                       status=status, visibility=visibility, message=message, cases_passed=passed,
                       cases_total=total, hidden_cases=hidden, data=None if data is None else dict(data))


def student_report(index: int, rng: random.Random) -> Report:
    kind = rng.choices(KINDS, WEIGHTS)[0]
    epochs = rng.choice([100, 100, 100, 2000])
    lr = 0.01 if epochs == 100 else 0.0005
    reference = _reference(epochs, lr)
    history = list(reference)
    x, y, w = rng.choice([1.0, 2.0, 3.0]), rng.choice([2.0, 4.0, -1.0]), rng.choice([0.5, 1.0, 1.5])
    expected = 2 * (x * w - y) * x
    student_grad = expected
    output = ""
    errors: list[str] = []
    if kind == "sign":
        student_grad = -expected
    if kind == "lr":
        history = _reference(epochs, lr * 1.5)
    if kind == "diverges":
        at = rng.randrange(5, epochs // 2)
        history = [v * 10.0 ** min(3 * max(0, i - at), 300) for i, v in enumerate(reference)]
        history = [v if v < 1e290 else math.inf for v in history]
        history[-1] = math.nan
    if kind == "hostile":
        output = HOSTILE * 3
    if kind in ("correct", "predict") and rng.random() < 0.3:
        output = "".join(f"progress: {i} tensor({v:.4f})\n" for i, v in enumerate(reference[:40]))
    if kind == "syntax":
        errors = [f"backprop.py has a SyntaxError at line {rng.randrange(3, 60)}: expected ':'"]
    checks: list[CheckResult] = []
    for spec in CHECKS:
        name, target, _, check_kind, _ = spec
        if kind in ("stub", "syntax"):
            message = errors[0] if errors else f"{target} is not implemented yet: it raises NotImplementedError"
            checks.append(_check(spec, "error", message, None))
            continue
        if kind == "timeout" and target == "train":
            checks.append(_check(spec, "timeout", "train(xs, ys) did not finish within 10 s; is there a loop "
                                 "that never ends?", None))
            continue
        if check_kind == "gradient":
            data = {"student": student_grad, "expected": expected,
                    "method": "finite_differences" if "finite" in name else "autograd"}
            ok = student_grad == expected
            message = ("all 11 cases passed, 4 of them hidden" if ok else
                       f"with x={x}, y={y}, w={w}: manual_gradient(x, y, w) is {student_grad}; "
                       f"expected {expected} (the sign is flipped) [0 of 11 cases passed]")
            checks.append(_check(spec, "passed" if ok else "failed", message, data))
        elif check_kind == "history":
            ok = history == reference
            message = ("all 4 cases passed, 3 of them hidden" if ok else
                       f"train(xs, ys): history[1] is {history[1]:.6g}; the reference has {reference[1]:.6g} "
                       "[0 of 4 cases passed]")
            checks.append(_check(spec, "passed" if ok else "failed", message,
                                 {"history": history, "reference": reference}, total=4))
        elif check_kind == "converges":
            ok = all(math.isfinite(v) for v in history)
            message = ("all 4 cases passed, 3 of them hidden" if ok else
                       "the loss history of train(xs, ys) has nan: training diverged")
            checks.append(_check(spec, "passed" if ok else "failed", message, {"history": history}, total=4))
        else:
            wrong = (kind == "predict" and target == "predict") or (kind in ("lr", "diverges") and target == "train")
            got = 8.0 if kind == "predict" else round(rng.uniform(-3, 3), 4)
            message = (f"with x={x}, w={w}: {target}(x, w) is {got}; expected {x * w}" if wrong
                       else "all 10 cases passed, 4 of them hidden")
            checks.append(_check(spec, "failed" if wrong else "passed", message, None))
    return Report(
        assignment="backprop", assignment_version="2026.1", student=f"student_{index:04d}",
        score=sum(c.score for c in checks), max_score=sum(c.max_score for c in checks), checks=checks,
        submission=SubmissionInfo(path=f"class/student_{index:04d}/backprop.py", sha256=f"{index:064x}",
                                  files=["backprop.py"], late=rng.random() < 0.05),
        errors=errors, output=output, sandbox=SandboxInfo(tier="linux-bwrap"), torch_version="2.13.0+cpu",
        started_at="2026-11-26T08:00:00Z", duration_s=round(rng.uniform(0.1, 2.0), 2),
    )


def make_class(size: int, seed: int = 7) -> list[Report]:
    rng = random.Random(seed)
    return [student_report(i, rng) for i in range(size)]


def write_class(folder: Path, size: int, seed: int = 7) -> list[Report]:
    """Write `size` reports as `<student>.json`, plus the files `feedback` must ignore."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = make_class(size, seed)
    for report in reports:
        (folder / f"{report.student}.json").write_text(report.to_json(), encoding="utf-8")
    (folder / "summary.csv").write_text("student,score\n", encoding="utf-8")
    (folder / "summary.json").write_text("{}", encoding="utf-8")
    (folder / "old").mkdir(exist_ok=True)
    (folder / "old" / "stray.json").write_text("not a report", encoding="utf-8")
    return reports
