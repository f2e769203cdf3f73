"""End-to-end properties instructors rely on, run through the real `grader` command."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.reports import read_report, report_paths
from tests.conftest import ASSIGNMENTS, ROOT, SCENARIOS, plan_for, scenario_files

GRADER = [sys.executable, "-m", "grader"]


def run(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GRADER, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_infinite_loop_in_train_times_out_only_what_calls_train(tmp_path: Path) -> None:
    """Default limits: the report is written in under 30 s; only checks that call train time out."""
    started = time.monotonic()
    result = run("grade", "backprop", str(SCENARIOS / "backprop" / "infinite_loop_train.py"), "--out", str(tmp_path))
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 30, f"took {elapsed:.1f} s"
    report = read_report(tmp_path / "infinite_loop_train.json")
    assert report.duration_s < 30
    spec = plan_for("backprop").assignment.spec
    calls_train = {c.name for c in spec.checks if "train(" in c.call or any("train(" in s for s in c.steps)}
    assert calls_train, "the backprop assignment has train checks"
    for check in report.checks:
        expected = "timeout" if check.name in calls_train else "passed"
        assert check.status == expected, (check.name, check.status, check.message)


def test_grading_twice_gives_the_same_report(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("correct_seed", "grad_not_zeroed", "lying_float", "raises_exception", "os_exit_in_predict"):
        (folder / f"{name}.py").write_text((SCENARIOS / "backprop" / f"{name}.py").read_text())
    for out in ("first", "second"):
        assert run("grade", "backprop", str(folder), "--out", str(tmp_path / out), "--jobs", "2").returncode == 0
    reports = report_paths(tmp_path / "first")
    assert len(reports) == 5
    for path in reports:
        first = read_report(path).comparable()
        second = read_report(tmp_path / "second" / path.name).comparable()
        assert first == second, path.name
    for name in ("summary.csv", "summary.json"):
        assert (tmp_path / "first" / name).read_text() == (tmp_path / "second" / name).read_text()


def test_quadratic_is_compared_with_8_5442_not_8() -> None:
    plan = plan_for("quadratic")
    planned = next(p for p in plan.checks if p.spec.name.startswith("prediction at x = 4"))
    course = next(c for c in planned.cases if c.group == "case")
    expected = plan.answers.get(planned.spec, course, planned.kind)
    assert expected == pytest.approx(8.5442, abs=1e-4)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_validate_reference_full_marks_stub_zero(name: str) -> None:
    result = run("validate", name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stub 0/10" in result.stdout and "reference 10/10" in result.stdout


def test_grade_writes_reports_and_summary(tmp_path: Path) -> None:
    stub = tmp_path / "handed_in" / "stub.py"
    stub.parent.mkdir()
    shutil.copy(scenario_files("backprop")["stub"], stub)
    result = run("grade", "backprop", str(SCENARIOS / "backprop" / "correct_seed.py"), str(stub),
                 str(SCENARIOS / "backprop" / "syntax_error.py"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert {r["student"]: float(r["score"]) for r in rows} == {"correct_seed": 10.0, "stub": 0.0, "syntax_error": 0.0}
    syntax = next(r for r in rows if r["student"] == "syntax_error")
    assert "SyntaxError at line 9" in syntax["problems"]
    report = json.loads((tmp_path / "correct_seed.json").read_text())
    assert report["schema_version"] == 2 and report["student"] == "correct_seed"
    assert report["raw_score"] == report["score"] == 10.0 and report["penalty"] == 0 and report["late"] is None
    assert report["submission"]["sha256"] and report["torch_version"].startswith("2.")


def test_check_shows_a_table_and_fails_on_the_stub() -> None:
    result = run("check", "backprop", "assignments/backprop/backprop.py")
    assert result.returncode == 1
    assert "not implemented yet" in result.stdout and "0 / " in result.stdout


def test_check_passes_the_reference_without_the_solutions_folder(tmp_path: Path) -> None:
    """A student's machine has assignments/ but no solutions/: answers come from expected.json."""
    course = tmp_path / "course"
    (course / "assignments").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(ROOT / "assignments" / "backprop"), str(course / "assignments")], check=True)
    mine = course / "assignments" / "backprop" / "backprop.py"
    mine.write_text((ROOT / "solutions" / "backprop" / "backprop.py").read_text())
    result = run("check", "--json", cwd=course / "assignments" / "backprop")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["score"] == report["max_score"] > 0
    assert all(c["status"] == "passed" and c["hidden_cases"] == 0 for c in report["checks"])


def test_generate_is_up_to_date_and_idempotent() -> None:
    assert run("generate", "--check").returncode == 0
    assert run("schema", "--check").returncode == 0
