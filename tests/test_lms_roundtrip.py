"""From an LMS's "download all" archive to the file its gradebook imports, with no flags.

For Canvas, Moodle and Blackboard: the archive is built as the LMS names its entries (a late
submission, a resubmission and an odd file name where the LMS can carry them; Canvas's test
student, which every course has), `grader grade backprop ARCHIVE --out DIR` runs as a command with
no layout flag, then `grader export --format LMS DIR --roster ROSTER` with no other flag, the
roster being the LMS's own download (Canvas's gradebook CSV with its "Points Possible" and
"Manual Posting" rows, Moodle's grading worksheet, Blackboard's Grade Center `.xls`, which is
UTF-16 tab-separated text). The output is then read the way the LMS's importer reads it: header,
the id column, the assignment's column, and each student's score in that student's row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SCENARIOS
from tests.test_export_formats import canvas_import

GRADER = [sys.executable, "-m", "grader"]
SCENARIO = SCENARIOS / "backprop"
EXPECTED = tomllib.loads((SCENARIO / "expected.toml").read_text())


def source(scenario: str) -> str:
    return (SCENARIO / f"{scenario}.py").read_text()


def score(scenario: str) -> str:
    """The scenario's expected score as gradebooks write it (the points rule: 7.5, 10)."""
    value = float(EXPECTED[scenario]["score"])
    return f"{value:.2f}".rstrip("0").rstrip(".")


def build_zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return path


# Canvas: `<sortable name>[_LATE]_<user id>_<attachment id>_<file>`, zip `<course>-<title> submissions`
CANVAS_ZIP = "CS101-HW3_Backprop_submissions.zip"
CANVAS_ENTRIES = {
    "lovelaceada_101_9001_backprop.py": source("correct_seed"),
    "smithbob_LATE_102_9002_backprop.py": source("missing_factor_two"),
    "zedzoe_103_9003_backprop.py": source("grad_not_zeroed"),  # replaced by the upload below
    "zedzoe_103_9010_backprop-1.py": source("correct_seed"),
    "dandan_104_9004_Backprop HW (final) v2.py": source("missing_function"),
    "studenttest_1099_9005_backprop.py": source("correct_seed"),  # the instructor tried it as the test student
}
CANVAS_EXPECTED = {"101": "correct_seed", "102": "missing_factor_two", "103": "correct_seed", "104": "missing_function"}
TEST_LOGIN = "3f2a9c0d5b7e4a1c8d6f0b2e9a7c5d3b1f0e8a6c"  # Canvas hashes its test student's login
CANVAS_ROSTER = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,HW1: Tensors (5550),HW3: Backprop (5551),"
    "Assignments Current Score,Assignments Final Score,Current Score,Unposted Current Score,Final Score,"
    "Unposted Final Score\r\n"
    ",,,,,,Manual Posting,,,,,,\r\n"
    "    Points Possible,,,,,5.00,10.00,(read only),(read only),(read only),(read only),(read only),(read only)\r\n"
    '"Lovelace, Ada",101,S001,alovelace,CS101-01,4.00,,80.00,80.00,80.00,80.00,80.00,80.00\r\n'
    '"Smith, Bob",102,S002,bsmith,CS101-01,5.00,,100.00,100.00,100.00,100.00,100.00,100.00\r\n'
    '"Zed, Zoë",103,S003,zzed,CS101-02,3.50,,70.00,70.00,70.00,70.00,70.00,70.00\r\n'
    '"Dan, Dan",104,S004,ddan,"CS101-01 and CS101-02",,,,,,,,\r\n'
    f'"Student, Test",1099,,{TEST_LOGIN},CS101-01,,,,,,,,\r\n'
)

# Moodle: `<full name>_<participant id>_assignsubmission_file_/<the student's files>`
MOODLE_ZIP = "CS101-HW3 Backprop-4321.zip"
MOODLE_ENTRIES = {
    "Ada Lovelace_1234570_assignsubmission_file_/backprop.py": source("correct_seed"),
    "Bob Smith_1234571_assignsubmission_file_/backprop.py": source("missing_factor_two"),
    "Zoë Zed_1234572_assignsubmission_file_/HW3 final (2).py": source("grad_not_zeroed"),
    "Dan Dan_1234573_assignsubmission_file_/backprop.py": source("missing_function"),
    "Dan Dan_1234573_assignsubmission_file_/notes.txt": "I could not finish predict.\n",
    "Dan Dan_1234573_assignsubmission_onlinetext_/onlinetext.html": "<p>see my file</p>\n",
}
MOODLE_EXPECTED = {"1234570": "correct_seed", "1234571": "missing_factor_two", "1234572": "grad_not_zeroed",
                   "1234573": "missing_function"}
MOODLE_WORKSHEET = (
    '\ufeffIdentifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed",'
    '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
    '"Participant 1234570","Ada Lovelace",ada@uni.edu,"Submitted for grading",,10.00,Yes,'
    '"Monday, 2 March 2026, 11:58 PM",-,\n'
    '"Participant 1234571","Bob Smith",bob@uni.edu,"Submitted for grading",,10.00,Yes,'
    '"Tuesday, 3 March 2026, 1:10 AM",-,\n'
    '"Participant 1234572","Zoë Zed",zoe@uni.edu,"Submitted for grading",,10.00,Yes,'
    '"Monday, 2 March 2026, 9:15 PM",-,\n'
    '"Participant 1234573","Dan Dan",dan@uni.edu,"Submitted for grading",,10.00,Yes,'
    '"Monday, 2 March 2026, 10:00 PM",-,\n'
)

# Blackboard: `<assignment>_<username>_attempt_<time>[_<file>]` plus a `.txt` per attempt
BB_TITLE = "HW3 Backprop"
BB_ZIP = "gradebook_CS101-2026_HW3 Backprop_2026-03-03-09-00-00.zip"


def bb_attempt(user: str, name: str, when: str, files: dict[str, str], single: bool = False) -> dict[str, str]:
    """One attempt: its `.txt` and its files (`single`: stored as `<attempt>.py`, the original
    name only in the `.txt`, as some Blackboard versions do)."""
    stem = f"{BB_TITLE}_{user}_attempt_{when}"
    stored = {original: f"{stem}{Path(original).suffix}" if single else f"{stem}_{original}" for original in files}
    listing = "".join(f"\tOriginal filename: {o}\n\tFilename: {s}\n" for o, s in stored.items())
    info = (f"Name: {name} ({user})\nAssignment: {BB_TITLE}\nDate Submitted: Monday, March 2, 2026 11:58:03 PM EST\n"
            "Current Grade: Needs Grading\n\nSubmission Field:\nThere is no student submission text data for this "
            "assignment.\n\nComments:\nThere are no student comments for this assignment.\n\nFiles:\n" + listing)
    return {f"{stem}.txt": info, **{stored[o]: text for o, text in files.items()}}


BB_ENTRIES = {
    **bb_attempt("alovelace", "Ada Lovelace", "2026-03-02-23-58-03", {"backprop.py": source("correct_seed")}),
    **bb_attempt("bsmith", "Bob Smith", "2026-03-01-10-00-00", {"backprop.py": source("grad_not_zeroed")}),
    **bb_attempt("bsmith", "Bob Smith", "2026-03-02-20-15-44", {"backprop.py": source("correct_seed")}),
    **bb_attempt("zzed", "Zoë Zed", "2026-03-04-08-00-00", {"My Backprop (v2).py": source("missing_factor_two")},
                 single=True),
    **bb_attempt("d_dan", "Dan Dan", "2026-03-02-21-30-00", {"backprop.py": source("missing_function")}),
}
BB_EXPECTED = {"alovelace": "correct_seed", "bsmith": "correct_seed", "zzed": "missing_factor_two",
               "d_dan": "missing_function"}
BB_HEADER = ["Last Name", "First Name", "Username", "Student ID", "Last Access", "Availability",
             "Weighted Total [Total Pts: up to 0 Percentage] |1001", "Total [Total Pts: up to 20 Score] |1002",
             "HW1 Tensors [Total Pts: 10 Score] |1003", f"{BB_TITLE} [Total Pts: 10 Score] |1004"]
BB_ROWS = [["Lovelace", "Ada", "alovelace", "S001", "2026-03-02 23:59:00", "Available", "", "8", "8", ""],
           ["Smith", "Bob", "bsmith", "S002", "2026-03-02 20:16:00", "Available", "", "10", "10", ""],
           ["Zed", "Zoë", "zzed", "S003", "2026-03-04 08:01:00", "Available", "", "7", "7", ""],
           ["Dan", "Dan", "d_dan", "S004", "2026-03-02 21:31:00", "Available", "", "", "", ""]]


def grade_center_xls(path: Path) -> Path:
    """Blackboard's "Work Offline" download: `.xls` in name, UTF-16 tab-separated text in fact."""
    lines = ["\t".join(f'"{cell}"' for cell in row) for row in [BB_HEADER, *BB_ROWS]]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))  # with its byte order mark
    return path


Graded = dict[str, tuple[subprocess.CompletedProcess[str], Path, Path]]  # run, reports folder, roster


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    """The three archives graded at once (most of each run is starting the sandbox)."""
    tmp = tmp_path_factory.mktemp("lms")
    roster_files = {"canvas": tmp / "canvas_gradebook.csv", "moodle": tmp / "grading_worksheet.csv"}
    roster_files["canvas"].write_text(CANVAS_ROSTER, encoding="utf-8", newline="")
    roster_files["moodle"].write_text(MOODLE_WORKSHEET, encoding="utf-8", newline="")
    roster_files["blackboard"] = grade_center_xls(tmp / "gc_download.xls")
    archives = {"canvas": build_zip(tmp / CANVAS_ZIP, CANVAS_ENTRIES),
                "moodle": build_zip(tmp / MOODLE_ZIP, MOODLE_ENTRIES),
                "blackboard": build_zip(tmp / BB_ZIP, BB_ENTRIES)}
    running = {}
    for lms, archive in archives.items():
        out = tmp / f"out-{lms}"
        command = [*GRADER, "grade", "backprop", str(archive), "--out", str(out), "--jobs", "1"]
        running[lms] = (subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         text=True), out, command)
    results: Graded = {}
    try:
        for lms, (process, out, command) in running.items():
            stdout, _ = process.communicate(timeout=400)
            results[lms] = (subprocess.CompletedProcess(command, process.returncode, stdout), out, roster_files[lms])
    finally:
        for process, _, _ in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    yield results
    for _, out, _ in results.values():  # the command leaves the unpacked zip in a grader-intake-* folder
        for path in out.glob("*.json"):
            unpacked = Path(json.loads(path.read_text()).get("submission", {}).get("path", "/"))
            for folder in unpacked.parents:
                if folder.name.startswith("grader-intake-") and folder.parent == Path(tempfile.gettempdir()):
                    shutil.rmtree(folder, ignore_errors=True)


def reports(out: Path) -> dict[str, dict[str, Any]]:
    found = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json") if p.name != "summary.json"}
    assert all(r["student"] == stem for stem, r in found.items())
    return found


def export(lms: str, out: Path, roster: Path) -> subprocess.CompletedProcess[str]:
    """`grader export --format LMS DIR --roster FILE`, nothing else."""
    return subprocess.run([*GRADER, "export", "--format", lms, str(out), "--roster", str(roster)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_canvas_download_to_canvas_gradebook(graded: Graded) -> None:
    done, out, roster = graded["canvas"]
    assert done.returncode == 0, done.stdout[-3000:]
    found = reports(out)
    assert set(found) == {*CANVAS_EXPECTED, "1099"}  # reports are named by Canvas user id
    assert found["102"]["submission"]["late"] is True and found["101"]["submission"]["late"] is False
    assert found["101"]["submission"]["lms"] == "canvas" and found["101"]["submission"]["id_kind"] == "user_id"
    assert found["103"]["submission"]["files"] == ["zedzoe_103_9010_backprop-1.py"]  # the resubmission
    assert found["104"]["submission"]["files"] == ["dandan_104_9004_Backprop HW (final) v2.py"]

    result = export("canvas", out, roster)
    assert result.returncode == 0, result.stderr
    parsed = canvas_import(result.stdout)
    assert parsed["assignments"] == {5: ("HW3: Backprop", "5551")}  # the existing column, found by the zip's name
    assert parsed["points"] == {5: 10.0}  # the Points Possible row is kept
    graded_cells: dict[str, dict[str, str]] = parsed["grades"]  # type: ignore[assignment]
    grades = {student: cells["5"] for student, cells in graded_cells.items()}
    assert grades == {uid: score(scenario) for uid, scenario in CANVAS_EXPECTED.items()}
    assert grades == {uid: f"{found[uid]['score']:g}" for uid in CANVAS_EXPECTED}
    rows = {row["ID"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["101"]["SIS Login ID"] == "alovelace" and rows["104"]["Section"] == "CS101-01 and CS101-02"
    assert "1099" not in rows and TEST_LOGIN not in result.stdout
    said = " ".join(result.stderr.split())
    assert "Canvas's test student 'Student, Test' (line 8, ID 1099) is not a student" in said
    assert "with its report 1099" in said


def test_moodle_download_to_moodle_grading_worksheet(graded: Graded) -> None:
    done, out, roster = graded["moodle"]
    assert done.returncode == 0, done.stdout[-3000:]
    found = reports(out)
    assert set(found) == set(MOODLE_EXPECTED)  # named by participant id
    assert found["1234572"]["submission"]["files"] == ["HW3 final (2).py"]
    assert found["1234570"]["submission"]["name"] == "Ada Lovelace"
    assert "onlinetext" in (out / "summary.json").read_text()  # the online text entry is listed, not graded

    result = export("moodle", out, roster)
    assert result.returncode == 0, result.stderr
    # Moodle's "Upload grading worksheet" finds Identifier, Grade and Last modified (grade) by their
    # header, strips "Participant " from the identifier and reads the grade
    sheet = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    header, body = sheet[0], sheet[1:]
    downloaded = list(csv.reader(io.StringIO(MOODLE_WORKSHEET.removeprefix("\ufeff"))))
    assert header == downloaded[0]
    ident, grade, modified = (header.index(name) for name in ("Identifier", "Grade", "Last modified (grade)"))
    grades = {row[ident].removeprefix("Participant "): row[grade] for row in body}
    assert grades == {pid: score(scenario) for pid, scenario in MOODLE_EXPECTED.items()}
    for row, before in zip(body, downloaded[1:], strict=True):  # every other cell as downloaded
        assert [c for i, c in enumerate(row) if i not in (grade, modified)] == \
               [c for i, c in enumerate(before) if i not in (grade, modified)]
        assert row[modified].lstrip("'") == before[modified]


def test_blackboard_download_to_grade_center(graded: Graded) -> None:
    done, out, roster = graded["blackboard"]
    assert done.returncode == 0, done.stdout[-3000:]
    found = reports(out)
    assert set(found) == set(BB_EXPECTED)  # named by username, d_dan's underscore included
    assert found["bsmith"]["score"] == 10 and any("latest of 2" in n for n in found["bsmith"]["submission"]["notes"])
    assert found["zzed"]["submission"]["name"] == "Zoë Zed"
    assert found["alovelace"]["submission"]["lms_assignment"] == BB_TITLE

    result = export("blackboard", out, roster)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(re.fullmatch(r'"[^"]*","[^"]*"', line) for line in lines)  # a comma upload quotes every field
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["Username", f"{BB_TITLE} [Total Pts: 10 Score] |1004"]  # matched by the id after '|'
    grades = dict(rows[1:])
    assert grades == {user: score(scenario) for user, scenario in BB_EXPECTED.items()}
    assert "warning" not in result.stderr


def test_a_title_that_finds_no_column_lists_the_rosters_columns(graded: Graded) -> None:
    _, out, roster = graded["canvas"]
    result = subprocess.run([*GRADER, "export", "--format", "canvas", str(out), "--roster", str(roster),
                             "--title", "HW 3"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    said = " ".join(result.stderr.split())
    assert result.returncode == 2 and result.stdout == ""
    assert "no assignment column titled 'HW 3'" in said
    assert "'HW1: Tensors (5550)', 'HW3: Backprop (5551)'" in said and "Current Score" not in said
    assert "--new-column" in said
