"""Late penalties: a Canvas download in, the final scores out (report and Canvas import), and the
policy's arithmetic, the submission times each source gives, old reports and long histories.

The acceptance case builds a Canvas "download all submissions" zip as Canvas names its entries
(`LATE` on the late ones), gives the submission times as Canvas's submissions API answers them
(`--times`), grades it with an assignment whose `[late]` policy has a grace period, a penalty per
day, a cap and one student's extension, and reads the Canvas export as Canvas's importer does.
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
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from grader.assignment.late import LatePolicy
from grader.feedback.lossplot import Series, loss_plot
from grader.intake import times
from grader.late import assess, penalty
from grader.report import DATA_LIST_LIMIT, CheckResult, Report
from tests.conftest import ROOT, SCENARIOS
from tests.export_reports import class_reports
from tests.test_export_formats import canvas_import

GRADER = [sys.executable, "-m", "grader"]
EXPECTED = tomllib.loads((SCENARIOS / "backprop" / "expected.toml").read_text())
POLICY = """
[late]
due = 2026-12-01T23:59:00
time_zone = "Europe/Berlin"
grace_hours = 1.0
penalty_percent = 10
max_percent = 30

[late.extensions]
"205" = "2026-12-04T23:59"
"""
# user id: (name part, scenario, submitted at (UTC, as Canvas's API gives it), Canvas's LATE flag)
CLASS = {
    "201": ("ontimeada", "correct_seed", "2026-12-01T19:00:00Z", False),  # 20:00 in Berlin
    "202": ("gracebob", "correct_seed", "2026-12-01T23:30:00Z", True),  # 31 min late, 1 h grace
    "203": ("halfcal", "missing_factor_two", "2026-12-03T10:59:00Z", True),  # 1.5 days: 2 days started
    "204": ("capdan", "correct_seed", "2026-12-08T09:00:00Z", True),  # 6 days: 60%, capped at 30%
    "205": ("extendedeve", "correct_seed", "2026-12-04T11:00:00Z", True),  # before their extension
}
PERCENT = {"201": 0, "202": 0, "203": 20, "204": 30, "205": 0}
ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,HW3: Backprop (5551)\r\n"
    "    Points Possible,,,,,10.00\r\n"
    + "".join(f'"{name}",{uid},S{uid},{name},CS101-01,\r\n' for uid, (name, *_) in CLASS.items())
)


def course_with_policy(tmp: Path, policy: str = POLICY) -> Path:
    """backprop's assignment folder, copied, with a [late] table (the reference stays in solutions/)."""
    folder = tmp / "course" / "assignments" / "backprop"
    shutil.copytree(ROOT / "assignments" / "backprop", folder)
    with (folder / "assignment.toml").open("a", encoding="utf-8") as handle:
        handle.write(policy)
    return folder


def grade(assignment: Path, *args: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GRADER, "grade", str(assignment), *args, "--out", str(out), "--jobs", "2",
                           "--solutions", str(ROOT / "solutions" / "backprop")], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def expected_final(uid: str) -> float:
    raw = float(EXPECTED[CLASS[uid][1]]["score"])
    return round(raw * (1 - PERCENT[uid] / 100), 6)


@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("late")
    assignment = course_with_policy(tmp)
    archive = tmp / "CS101-HW3_Backprop_submissions.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for number, (uid, (name, scenario, _, flagged)) in enumerate(CLASS.items()):
            late = "_LATE" if flagged else ""
            zf.writestr(f"{name}{late}_{uid}_{9100 + number}_backprop.py", (SCENARIOS / "backprop" /
                                                                            f"{scenario}.py").read_text())
    api_answer = [{"user_id": int(uid), "submitted_at": when, "late": flagged, "workflow_state": "submitted"}
                  for uid, (_, _, when, flagged) in CLASS.items()]
    (tmp / "submissions.json").write_text(json.dumps(api_answer))
    (tmp / "gradebook.csv").write_text(ROSTER, encoding="utf-8", newline="")
    out = tmp / "out"
    done = grade(assignment, str(archive), "--times", str(tmp / "submissions.json"), out=out)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    reports = {p.stem: json.loads(p.read_text()) for p in out.glob("2*.json")}
    return {"tmp": tmp, "out": out, "reports": reports, "assignment": assignment, "archive": archive}


def test_five_students_five_final_scores_in_the_reports(canvas_class: dict[str, Any]) -> None:
    reports = canvas_class["reports"]
    assert set(reports) == set(CLASS)
    for uid, report in reports.items():
        raw = float(EXPECTED[CLASS[uid][1]]["score"])
        assert report["schema_version"] == 2
        assert report["raw_score"] == raw, uid
        assert report["score"] == pytest.approx(expected_final(uid)), uid
        assert report["penalty"] == pytest.approx(raw - expected_final(uid)), uid
        assert report["late"]["percent"] == PERCENT[uid], uid
        assert report["late"]["source"] == "submissions.json (--times)"
    said = {uid: report["late"]["reason"] for uid, report in reports.items()}
    assert said["201"].startswith("on time: submitted 2026-12-01 20:00 Europe/Berlin")
    assert "31 min late, within the grace period: no penalty" in said["202"]
    assert said["203"].startswith("submitted 1 day 12 h late (due 2026-12-01 23:59 Europe/Berlin; 1 h grace; "
                                  "10% per day started, at most 30%)") and said["203"].endswith("\N{MINUS SIGN}20%")
    assert said["204"].endswith("\N{MINUS SIGN}30% (the cap)")
    assert "extended to 2026-12-04 23:59 Europe/Berlin" in said["205"] and said["205"].startswith("on time")
    assert reports["205"]["late"]["extension"] == "extension in assignment.toml"
    summary = json.loads((canvas_class["out"] / "summary.json").read_text())
    assert summary["late_penalties"] == 2 and set(summary["late"]) == {"202", "203", "204"}
    assert {a["student"]: a["score"] for a in summary["adjustments"]} == {
        "203": pytest.approx(expected_final("203")), "204": pytest.approx(expected_final("204"))}


def test_the_canvas_export_carries_the_final_scores(canvas_class: dict[str, Any]) -> None:
    result = subprocess.run([*GRADER, "export", "--format", "canvas", str(canvas_class["out"]), "--roster",
                             str(canvas_class["tmp"] / "gradebook.csv")], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    parsed = canvas_import(result.stdout)
    assert parsed["assignments"] == {5: ("HW3: Backprop", "5551")}
    grades: dict[str, dict[str, str]] = parsed["grades"]  # type: ignore[assignment]
    assert {uid: float(cells["5"]) for uid, cells in grades.items()} == {
        uid: pytest.approx(expected_final(uid)) for uid in CLASS}


def test_csv_detail_shows_raw_penalty_and_final(canvas_class: dict[str, Any]) -> None:
    result = subprocess.run([*GRADER, "export", "--format", "csv", "--detail", str(canvas_class["out"])], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["203"]["raw_score"], rows["203"]["penalty"], rows["203"]["final_score"]) == ("7.5", "1.5", "6")
    assert rows["203"]["score"] == "6" and "1 day 12 h late" in rows["203"]["adjustments"]
    assert rows["201"]["adjustments"] == ""
    refused = subprocess.run([*GRADER, "export", "--format", "canvas", "--detail", str(canvas_class["out"])],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--detail adds columns to --format csv" in refused.stderr


def test_a_new_times_file_reaches_kept_reports_without_grading_again(canvas_class: dict[str, Any]) -> None:
    tmp = canvas_class["tmp"]
    sheet = tmp / "times.csv"  # our own CSV: naive times are the policy's time zone
    sheet.write_text("student,submitted_at\n201,2026-12-02 02:29\n")
    done = grade(canvas_class["assignment"], str(canvas_class["archive"]), "--times", str(sheet), out=tmp / "out2")
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp / "out2" / "201.json").read_text())
    assert report["late"]["seconds_late"] == pytest.approx(2.5 * 3600) and report["score"] == 9.0
    # the others have no time now: no penalty, and the batch says so
    assert json.loads((tmp / "out2" / "204.json").read_text())["penalty"] == 0
    assert "have no submission time, so no late penalty" in " ".join((done.stdout + done.stderr).split())
    shutil.copytree(tmp / "out2", tmp / "out3")
    again = grade(canvas_class["assignment"], str(canvas_class["archive"]), out=tmp / "out3")
    assert again.returncode == 0 and "0 graded, 5 kept" in " ".join(again.stdout.split())
    unknown = json.loads((tmp / "out3" / "201.json").read_text())["late"]
    assert unknown["submitted_at"] is None and unknown["flagged"] is False
    assert unknown["reason"].startswith("submission time unknown (the LMS marks it on time); no late penalty")


# --- the policy's arithmetic ------------------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")


def policy(**fields: Any) -> LatePolicy:
    return LatePolicy.model_validate({"due": "2026-03-28T23:59", "time_zone": "Europe/Berlin",
                                      "penalty_percent": 10, **fields})


def test_a_day_is_24_hours_across_a_clock_change_and_hours_count_started() -> None:
    due = datetime(2026, 3, 28, 23, 59, tzinfo=BERLIN)  # the clocks go forward that night
    info = assess(policy(), "s", due + timedelta(hours=24), "test", None)
    assert info.percent == 10 and "submitted 1 day late" in info.reason
    info = assess(policy(), "s", due + timedelta(hours=24, seconds=1), "test", None)
    assert info.percent == 20
    hourly = assess(policy(per="hour", penalty_percent=2), "s", due + timedelta(minutes=61), "test", None)
    assert hourly.percent == 4 and "1 h 1 min late" in hourly.reason


def test_grace_forgives_but_does_not_move_the_due_date() -> None:
    due = datetime(2026, 3, 28, 23, 59, tzinfo=BERLIN)
    assert assess(policy(grace_hours=2.0), "s", due + timedelta(hours=2), "test", None).percent == 0
    past = assess(policy(grace_hours=2.0), "s", due + timedelta(hours=2, minutes=1), "test", None)
    assert past.percent == 10 and "2 h 1 min late" in past.reason  # counted from the due time


def test_penalty_of_the_score_or_of_the_maximum_never_below_zero() -> None:
    due = datetime(2026, 3, 28, 23, 59, tzinfo=BERLIN)
    info = assess(policy(penalty_percent=40, max_percent=100), "s", due + timedelta(days=2), "test", None)
    assert info.percent == 80
    assert penalty(info, 7.5, 10.0) == 6.0
    by_max = assess(policy(penalty_percent=40, of="max_score"), "s", due + timedelta(days=2), "test", None)
    assert penalty(by_max, 7.5, 10.0) == 7.5  # 80% of 10 is 8, but the score stays at 0


def test_an_unknown_time_costs_nothing_and_says_what_the_lms_said() -> None:
    info = assess(policy(), "s", None, None, True)
    assert info.percent == 0 and info.reason.startswith("submission time unknown (the LMS marks it late)")


def test_extensions_an_offset_and_a_date_alone() -> None:
    given = policy(due="2026-03-28", extensions={"ada": "2026-04-02T12:00+00:00"})
    assert given.due_for("bob") == datetime(2026, 3, 28, 23, 59, 59, tzinfo=BERLIN)
    assert given.due_for("ada") == datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Berlinn'"):
        policy(time_zone="Europe/Berlinn")
    with pytest.raises(ValueError, match="not a date and time"):
        policy(due="next friday")


# --- where the times come from ----------------------------------------------------------------

def test_blackboard_date_submitted_with_its_zone_else_the_file_names_time() -> None:
    when, source = times.blackboard("Monday, March 2, 2026 11:58:03 PM EST", "2026-03-02-23-58-03", BERLIN,
                                    "Europe/Berlin")
    assert when == datetime(2026, 3, 3, 4, 58, 3, tzinfo=UTC) and source == 'Blackboard\'s "Date Submitted"'
    when, source = times.blackboard(None, "2026-03-02-23-58-03", BERLIN, "Europe/Berlin")
    assert when == datetime(2026, 3, 2, 23, 58, 3, tzinfo=BERLIN) and "read as Europe/Berlin" in source


def test_moodle_worksheet_and_classroom_csv_as_times_files(tmp_path: Path) -> None:
    worksheet = tmp_path / "worksheet.csv"
    worksheet.write_text('\ufeffIdentifier,"Full name",Status,Grade,"Last modified (submission)"\n'
                         '"Participant 1234570","Ada Lovelace","Submitted",,"Monday, 2 March 2026, 11:58 PM"\n'
                         '"Participant 1234571","Bob Smith","No submission",,-\n', encoding="utf-8")
    assert times.read_times(worksheet, BERLIN) == {"1234570": datetime(2026, 3, 2, 23, 58, tzinfo=BERLIN)}
    classroom = tmp_path / "grades.csv"
    classroom.write_text("assignment_name,github_username,submission_timestamp,points_awarded\n"
                         "hw3,octocat,2026-03-02 22:10:05 UTC,10\n")
    assert times.read_times(classroom, BERLIN) == {"octocat": datetime(2026, 3, 2, 22, 10, 5, tzinfo=UTC)}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,when\nada,today\n")
    with pytest.raises(times.TimesError, match="needs a student id column"):
        times.read_times(bad, BERLIN)


def test_a_classroom_repository_gives_its_head_commits_time(tmp_path: Path) -> None:
    repo = tmp_path / "hw3-octocat"
    repo.mkdir()
    env = {**os.environ, "GIT_AUTHOR_NAME": "o", "GIT_AUTHOR_EMAIL": "o@x", "GIT_COMMITTER_NAME": "o",
           "GIT_COMMITTER_EMAIL": "o@x", "GIT_COMMITTER_DATE": "2026-03-02T23:58:03+01:00",
           "GIT_AUTHOR_DATE": "2026-02-01T10:00:00+01:00"}
    (repo / "backprop.py").write_text("x = 1\n")
    for command in (["init", "-q"], ["add", "backprop.py"], ["commit", "-q", "-m", "hw"]):
        subprocess.run(["git", "-c", "init.defaultBranch=main", *command], cwd=repo, env=env, check=True)
    assert times.commit_time(repo) == datetime(2026, 3, 2, 23, 58, 3, tzinfo=timezone(timedelta(hours=1)))
    assert times.commit_time(tmp_path) is None  # no repository: no time, no error


# --- reports of the first schema still export; long histories stay small -----------------------

def test_a_schema_version_1_report_exports_as_it_was_graded(tmp_path: Path) -> None:
    old = json.loads(class_reports()[0].to_json())
    for key in ("raw_score", "penalty", "late", "overrides"):
        del old[key]
    for check in old["checks"]:
        del check["graded_score"]
    old["schema_version"] = 1
    (tmp_path / "ada.json").write_text(json.dumps(old))
    result = subprocess.run([*GRADER, "export", "--format", "csv", "--detail", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("ada,5,5,100,graded,5,0,5,,")


def test_a_long_history_is_stored_downsampled_and_still_plots_every_epoch() -> None:
    history = [1.0 / (1 + i) for i in range(249_000)]
    check = CheckResult(name="train", target="train", score=0.0, max_score=1.0, status="failed",
                        visibility="visible", message="m", data={"history": history, "reference": history[:10],
                                                                   "ids": [[i, i] for i in range(4000)]})
    data = check.data or {}
    assert len(data["history"]) == DATA_LIST_LIMIT and data["history"][0] == 1.0
    assert data["history"][-1] == history[-1] and data["history_downsampled"] == {"length": 249_000, "kept": 5000}
    assert len(data["ids"]) < 4000 and data["ids"][-1].startswith("... ") and "more not stored" in data["ids"][-1]
    report = class_reports()[0].model_copy(update={"checks": [check]})
    assert len(Report.model_validate_json(report.to_json()).to_json()) < 500_000  # uncapped: over 8 MB
    plot = loss_plot([Series("yours", data["history"], "student", data["history_downsampled"]["length"])], "t")
    assert plot is not None and ">200000<" in plot.svg  # the epoch axis reaches the last epoch
    assert any("249,000 values" in note for note in plot.notes)
