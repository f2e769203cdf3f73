"""Instructor overrides: recorded in DIR/overrides.toml, kept through `grader grade` run again,
carried by every export format and shown on both pages; a decision about a check or a student
that does not exist stops with a message naming the entry.

The acceptance class is three plain files graded with a late policy (their modification time is
the submission time, the last resort): one gets a whole-score override, one a check's points,
one an extension that lifts the penalty.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from grader import api
from grader.errors import UserError
from grader.export.classroom import runner_result
from grader.reports import read_report
from tests.conftest import ROOT, SCENARIOS
from tests.export_reports import write_class
from tests.test_late import course_with_policy

GRADER = [sys.executable, "-m", "grader"]
EXPECTED = tomllib.loads((SCENARIOS / "backprop" / "expected.toml").read_text())
POLICY = """
[late]
due = 2026-12-01T23:59:00
time_zone = "Europe/Berlin"
penalty_percent = 10
max_percent = 30
"""
CLASS = {"ada": "correct_seed", "bob": "missing_factor_two", "cy": "grad_not_zeroed"}
HANDED_IN = datetime(2026, 12, 3, 11, 0, tzinfo=UTC).timestamp()  # 1 day 12 h late: -20%
REASONS = {"ada": "R-ada: agreed in office hours", "bob": "R-bob: sign convention from the lecture",
           "cy": "R-cy: medical certificate"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GRADER, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("overrides")
    assignment = course_with_policy(tmp, POLICY)
    folder = tmp / "class"
    folder.mkdir()
    for student, scenario in CLASS.items():
        shutil.copy(SCENARIOS / "backprop" / f"{scenario}.py", folder / f"{student}.py")
        os.utime(folder / f"{student}.py", (HANDED_IN, HANDED_IN))
    out = tmp / "out"
    command = ["grade", str(assignment), str(folder), "--out", str(out), "--jobs", "2", "--solutions",
               str(ROOT / "solutions" / "backprop")]
    first = run(*command)
    assert first.returncode == 0, first.stderr[-3000:]
    bob = read_report(out / "bob.json")
    failed = next(c for c in bob.checks if c.status != "passed")
    for args in (["ada", "--points", "9.5"], ["bob", "--check", failed.name, "--points", str(failed.max_score)],
                 ["cy", "--extension", "2026-12-10T12:00"]):
        done = run("override", str(out), *args, "--reason", REASONS[args[0]])
        assert done.returncode == 0, done.stderr
    return {"tmp": tmp, "out": out, "command": command, "check": failed.name, "points": failed.max_score,
            "said": one_line(done.stdout)}


def finals(decided: dict[str, Any]) -> dict[str, float]:
    bob_adjusted = float(EXPECTED[CLASS["bob"]]["score"]) + decided["points"]  # the check now earns its points
    return {"ada": 9.5, "bob": round(bob_adjusted * 0.8, 6), "cy": float(EXPECTED[CLASS["cy"]]["score"])}


def test_the_decisions_are_in_the_file_and_the_reports(decided: dict[str, Any]) -> None:
    out = decided["out"]
    entries = tomllib.loads((out / "overrides.toml").read_text())["override"]
    assert [(e["student"], e.get("points"), e.get("check"), e.get("extension")) for e in entries] == [
        ("ada", 9.5, None, None), ("bob", decided["points"], decided["check"], None),
        ("cy", None, None, "2026-12-10T12:00")]
    assert decided["said"].startswith("cy: 4.4 → 5.5 / 10 points")  # the extension lifts the -20%
    reports = {s: read_report(out / f"{s}.json") for s in CLASS}
    assert {s: r.score for s, r in reports.items()} == pytest.approx(finals(decided))
    assert reports["ada"].raw_score == 10.0 and reports["ada"].penalty == 2.0
    assert [(o.kind, o.points, o.before) for o in reports["ada"].overrides] == [("score", 9.5, 8.0)]
    check = next(c for c in reports["bob"].checks if c.name == decided["check"])
    assert check.score == decided["points"] and check.graded_score == 0.0 and check.status != "passed"
    assert reports["cy"].late is not None and reports["cy"].late.percent == 0
    assert "extended by the instructor: R-cy" in (reports["cy"].late.extension or "")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["overridden"] == 3 and summary["mean"] == pytest.approx(sum(finals(decided).values()) / 3)


def test_the_decisions_survive_grader_grade_run_again(decided: dict[str, Any]) -> None:
    out = decided["out"]
    for extra in ([], ["--no-resume"]):  # kept reports, then every submission graded afresh
        again = run(*decided["command"], *extra)
        assert again.returncode == 0, again.stderr[-2000:]
        assert ("3 graded" if extra else "0 graded, 3 kept") in one_line(again.stdout)
        scores = {s: read_report(out / f"{s}.json").score for s in CLASS}
        assert scores == pytest.approx(finals(decided)), extra
        assert [o.reason for o in read_report(out / "ada.json").overrides] == [REASONS["ada"]]


def test_every_export_format_carries_the_decisions(decided: dict[str, Any]) -> None:
    out, tmp, want = decided["out"], decided["tmp"], finals(decided)
    canvas = run("export", "--format", "canvas", str(out))
    rows = list(csv.reader(io.StringIO(canvas.stdout)))
    assert canvas.returncode == 0 and {r[3]: float(r[5]) for r in rows[2:]} == pytest.approx(want)
    moodle = run("export", "--format", "moodle", str(out))
    assert {r[0]: float(r[1]) for r in list(csv.reader(io.StringIO(moodle.stdout)))[1:]} == pytest.approx(want)
    blackboard = run("export", "--format", "blackboard", str(out))
    assert {r[0]: float(r[1]) for r in list(csv.reader(io.StringIO(blackboard.stdout)))[1:]} == pytest.approx(want)
    table = run("export", "--format", "csv", "--detail", str(out))
    grades = {row["student"]: row for row in csv.DictReader(io.StringIO(table.stdout))}
    assert {s: float(row["score"]) for s, row in grades.items()} == pytest.approx(want)
    assert REASONS["ada"] in grades["ada"]["adjustments"] and REASONS["bob"] in grades["bob"]["adjustments"]
    assert REASONS["cy"] in grades["cy"]["adjustments"] and grades["ada"]["raw_score"] == "10"
    junit = ET.fromstring(run("export", "--format", "junit", str(out)).stdout)
    suites = {s.get("name"): s for s in junit.iter("testsuite")}
    scores = {n: float(p.get("value", "")) for n, s in suites.items() for p in s.iter("property")
              if p.get("name") == "score"}
    assert scores == pytest.approx(want)
    bob_case = next(c for c in suites["bob"].iter("testcase") if c.get("name") == decided["check"])
    assert REASONS["bob"] in ET.tostring(bob_case, encoding="unicode")
    assert run("export", "--format", "gradescope", str(out), "--output", str(tmp / "gs")).returncode == 0
    for student, score in want.items():
        results = json.loads((tmp / "gs" / student / "results.json").read_text())
        assert results["score"] == pytest.approx(score)
    assert REASONS["ada"] in json.loads((tmp / "gs" / "ada" / "results.json").read_text())["output"]
    for student, score in want.items():  # Classroom adds up the tests' scores
        single = run("export", "--format", "classroom", str(out / f"{student}.json"))
        assert single.returncode == 0, single.stderr
        assert sum(t["score"] for t in json.loads(single.stdout)["tests"]) == pytest.approx(score), student


def test_both_pages_show_each_decision_with_its_reason(decided: dict[str, Any]) -> None:
    out = decided["out"]
    assert run("feedback", str(out)).returncode == 0
    dashboard = (out / "feedback" / "index.html").read_text()
    assert 'id="overrides"' in dashboard and all(reason in dashboard for reason in REASONS.values())
    for student, reason in REASONS.items():
        page = (out / "feedback" / "students" / f"{student}.html").read_text()
        assert reason in page, student
    bob = (out / "feedback" / "students" / "bob.html").read_text()
    assert "Your instructor set this check to" in bob
    ada = (out / "feedback" / "students" / "ada.html").read_text()
    assert 'id="adjustments"' in ada and "score set to 9.5 instead of 8" in ada


def test_a_decision_about_a_vanished_check_or_student_fails_with_a_message(decided: dict[str, Any]) -> None:
    out = decided["tmp"] / "vanished"
    shutil.copytree(decided["out"], out)
    with (out / "overrides.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[override]]\nstudent = "ada"\ncheck = "predict at x = 5"\npoints = 0.5\nreason = "typo"\n')
    expected = "overrides.toml: override 4 (student 'ada', check 'predict at x = 5'): the report has no such check"
    for args in (["export", "--format", "canvas", str(out)], ["feedback", str(out)],
                 [*decided["command"][:3], "--out", str(out), "--jobs", "1", "--solutions",
                  str(ROOT / "solutions" / "backprop")]):
        done = run(*args)
        assert done.returncode == 2 and expected in one_line(done.stderr), (args[0], done.stderr)
        assert "Traceback" not in done.stderr
    refused = run("override", str(out), "ada", "--check", "predict at x = 5", "--points", "1", "--reason", "x")
    assert refused.returncode == 2 and "ada's report has no check 'predict at x = 5'" in one_line(refused.stderr)
    gone = run("override", str(out), "zed", "--points", "1", "--reason", "x")
    assert gone.returncode == 2 and "no report of student 'zed'" in one_line(gone.stderr)


# --- the file and the API, on a fixed class of reports (no grading) -----------------------------

def test_override_keeps_the_instructors_comments_and_replaces_a_decision(tmp_path: Path) -> None:
    out = write_class(tmp_path / "out")
    (out / "overrides.toml").write_text("# HW3 decisions, see the email of 3 March\n\n[[override]]\n"
                                        'student = "bob"  # the typo\npoints = 4\nreason = "typo"\n')
    first = api.override(out, "ada", points=4.5, reason="rounding")
    assert first.before.score == 5.0 and first.after.score == 4.5 and first.file == out / "overrides.toml"
    api.override(out, "bob", points=3.5, reason="typo, second look")
    text = (out / "overrides.toml").read_text()
    assert text.startswith("# HW3 decisions, see the email of 3 March") and "# the typo" in text
    entries = tomllib.loads(text)["override"]
    assert [(e["student"], e["points"], e["reason"]) for e in entries] == [
        ("bob", 3.5, "typo, second look"), ("ada", 4.5, "rounding")]
    assert read_report(out / "bob.json").score == 3.5  # applied at once, summaries too
    assert json.loads((out / "summary.json").read_text())["overridden"] == 2


def test_an_entry_removed_by_hand_is_undone_on_export(tmp_path: Path) -> None:
    out = write_class(tmp_path / "out")
    api.override(out, "dan", points=5, reason="late-breaking regrade")
    assert read_report(out / "dan.json").score == 5
    (out / "overrides.toml").unlink()
    table = run("export", "--format", "csv", str(out))
    assert {r["student"]: r["score"] for r in csv.DictReader(io.StringIO(table.stdout))}["dan"] == "2.5"


def test_bad_decisions_are_refused_with_what_to_do(tmp_path: Path) -> None:
    out = write_class(tmp_path / "out")
    with pytest.raises(UserError, match=r"is worth 1\.5; give at most that"):
        api.override(out, "bob", check="manual_gradient matches finite differences", points=2, reason="x")
    with pytest.raises(UserError, match="graded without a \\[late\\] policy"):
        api.override(out, "bob", extension="2026-12-10", reason="x")
    with pytest.raises(UserError, match="reason"):
        api.override(out, "bob", points=1, reason="  ")
    (out / "overrides.toml").write_text('[[override]]\nstudent = "bob"\npoints = 1\nextension = "2026-12-10"\n'
                                        'reason = "x"\n')
    with pytest.raises(UserError, match=r"override 1 \(student 'bob'\): .*either `points`"):
        api.override(out, "ada", points=1, reason="x")
    assert not (out / "feedback").joinpath("index.html").exists()


def test_classroom_result_adds_up_to_the_final_score(tmp_path: Path) -> None:
    out = write_class(tmp_path / "out")
    api.override(out, "zoë", points=1.0, reason="partial credit for the attempt")
    report = read_report(next(p for p in out.glob("*.json") if "zo" in p.name))
    result = runner_result(report)
    assert sum(t["score"] for t in result["tests"]) == pytest.approx(1.0)
    assert result["tests"][-1]["name"] == "adjustments" and "partial credit" in result["tests"][-1]["message"]
