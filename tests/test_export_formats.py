"""`grader export`: every format against a golden file, plus what each importer really checks.

The golden files under tests/golden/export/ come from the fixed class in export_reports.py, so
they change only when a format changes; `UPDATE_GOLDEN=1 pytest tests/test_export_formats.py`
rewrites them (then read the diff). The structural checks parse the output the way the consumer
does: Canvas's importer rules (FORMATS.md §3.2), Gradescope's results.json schema written from
§1.2, a JUnit parser, and the Classroom reporter's arithmetic (§2.2).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from grader.cli import main
from tests.conftest import ROOT
from tests.export_reports import CHECKS, class_reports, write_class

GOLDEN = Path(__file__).parent / "golden" / "export"
RESULTS_SCHEMA = json.loads((ROOT / "schema" / "gradescope-results.schema.json").read_text())

CANVAS_ROSTER = """\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,backprop (4242),Current Score
    Points Possible,,,,,5,(read only)
"Lovelace, Ada",101,s-ada,ada,CS101-01,,
"Student, Test",999,,,CS101-01,,
"Smith, Bob",102,s-bob,BOB,CS101-02,3,
"Zoë, Zed",103,s-zoe,zoë,CS101-01,,
"Dan, Dan",104,s-dan,dan,CS101-02,,
"""
MOODLE_ROSTER = "First name;Last name;Username;Email address\nAda;Lovelace;ada;ada@uni.edu\n" \
                "Bob;Smith;bob;bob@uni.edu\nZoë;Zed;zoë;zoe@uni.edu\nDan;Dan;dan;dan@uni.edu\n"


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())  # messages are one line; the console may wrap them


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.is_file(), f"{path} is missing; run with UPDATE_GOLDEN=1 once"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    return write_class(tmp_path / "out")


def canvas_import(text: str) -> dict[str, object]:
    """What Canvas's gradebook importer (FORMATS.md §3.2) would read: raises on a rejected file."""
    lines = text.splitlines()
    delimiter = ";" if sum(line.count(";") for line in lines[:3]) > sum(line.count(",") for line in lines[:3]) else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = rows[0]
    assert "Student" in header[0] and "ID" in header[1] and len(header) > 3, "Invalid header row"
    info = ["SIS Login ID"] if header[2] == "SIS Login ID" else ["SIS User ID", "SIS Login ID"]
    assert header[2:2 + len(info)] == info, header
    position = 2 + len(info)
    for optional in ("Integration ID", "Root Account"):
        if header[position] == optional:
            position += 1
    assert "Section" in header[position], "the last student-info column must contain Section"
    ignored = re.compile(r"Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|"
                         r"Override Score|Override Grade|Override Status")
    assignments = {}
    for index, name in enumerate(header[position + 1:], position + 1):
        if ignored.search(name):
            continue
        found = re.match(r"\A(.*)\s\((\d+)\)\Z", name)
        assignments[index] = (found.group(1), found.group(2)) if found else (name, None)
    points: dict[int, float] = {}
    grades: dict[str, dict[str, str]] = {}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            points = {i: float(row[i]) for i in assignments if row[i] and row[i] != "(read only)"}
            continue
        if not any(cell.strip() for cell in row):
            continue
        student = row[1] or row[2] or row[3] or row[0]  # ID, then SIS User ID, SIS Login ID, name
        assert student, f"row {row} matches no student"
        for index in assignments:
            value = row[index].strip().replace(",", ".")
            assert value in ("", "-") or value.upper() == "EX" or float(value) >= 0, value
            grades.setdefault(student, {})[str(index)] = value
    return {"assignments": assignments, "points": points, "grades": grades}


def test_canvas_with_a_canvas_roster(capsys: pytest.CaptureFixture[str], reports_dir: Path, tmp_path: Path) -> None:
    roster = tmp_path / "canvas.csv"
    roster.write_text(CANVAS_ROSTER, encoding="utf-8")
    code, out, err = export(capsys, "--format", "canvas", str(reports_dir), "--roster", str(roster))
    assert code == 0, err
    golden("canvas.csv", out)
    parsed = canvas_import(out)
    assert parsed["assignments"] == {5: ("backprop", "4242")}  # the id comes from the roster's column
    assert parsed["points"] == {5: 5.0}
    # Canvas ids from the roster; BOB matched bob ignoring case; the test student is listed, not graded
    assert parsed["grades"] == {"101": {"5": "5"}, "102": {"5": "1.5"}, "103": {"5": "0"}, "104": {"5": "2.5"}}
    assert "999" not in out and "Canvas's test student 'Student, Test' (line 4, ID 999) is not a student" in err


def test_canvas_without_roster_puts_ids_in_sis_login_id(capsys: pytest.CaptureFixture[str],
                                                         reports_dir: Path) -> None:
    code, out, err = export(capsys, "--format", "canvas", str(reports_dir), "--lms-id", "77", "--title", "HW3")
    assert code == 0, err
    golden("canvas-no-roster.csv", out)
    parsed = canvas_import(out)
    assert parsed["assignments"] == {5: ("HW3", "77")}
    assert set(parsed["grades"]) == {"ada", "bob", "dan", "zoë"}


def test_moodle_with_an_identifier_column(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                          tmp_path: Path) -> None:
    roster = tmp_path / "moodle.csv"
    roster.write_text(MOODLE_ROSTER, encoding="utf-8")
    code, out, err = export(capsys, "--format", "moodle", str(reports_dir), "--roster", str(roster),
                            "--roster-key", "Username", "--id-field", "email", "--title", "HW3 PyTorch")
    assert code == 0, err
    golden("moodle.csv", out)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == {"Email address": "ada@uni.edu", "HW3 PyTorch": "5"}
    assert [r["Email address"] for r in rows] == ["ada@uni.edu", "bob@uni.edu", "zoe@uni.edu", "dan@uni.edu"]


def test_blackboard_quotes_every_field_and_names_the_column(capsys: pytest.CaptureFixture[str],
                                                            reports_dir: Path) -> None:
    code, out, err = export(capsys, "--format", "blackboard", str(reports_dir), "--lms-id", "1344236")
    assert code == 0, err
    golden("blackboard.csv", out)
    lines = out.splitlines()
    assert lines[0] == '"Username","backprop [Total Pts: 5 Score] |1344236"'
    assert all(re.fullmatch(r'"[^"]*","[^"]*"', line) for line in lines)


def test_csv_has_one_column_per_check(capsys: pytest.CaptureFixture[str], reports_dir: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student,Name,Email\nada,Ada Lovelace,ada@uni.edu\nbob,Bob Smith,bob@uni.edu\n"
                      "zoë,Zoë Zed,zoe@uni.edu\ndan,Dan Dan,dan@uni.edu\n", encoding="utf-8")
    code, out, err = export(capsys, "--format", "csv", str(reports_dir), "--roster", str(roster),
                            "--map", "Name", "--map", "email=Email")
    assert code == 0, err
    golden("grades.csv", out)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:6] == ["student", "Name", "email", "score", "max_score", "percent"]
    assert list(rows[0])[-4:] == [c[0] for c in CHECKS]
    bob = next(r for r in rows if r["student"] == "bob")
    assert (bob["score"], bob[CHECKS[1][0]], bob["Name"]) == ("1.5", "0", "Bob Smith")


def test_junit_parses_and_counts_match(capsys: pytest.CaptureFixture[str], reports_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "junit.xml"
    code, _, err = export(capsys, "--format", "junit", str(reports_dir), "--output", str(target))
    assert code == 0, err
    golden("junit.xml", target.read_text(encoding="utf-8"))
    xml = JUnitXml.fromfile(str(target))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"ada", "bob", "dan", "zoë"}
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (16, 2, 5, 1)
    bob = suites["bob"]
    outcomes = {case.name: [type(r) for r in case.result] for case in bob}
    assert outcomes[CHECKS[0][0]] == [] and outcomes[CHECKS[1][0]] == [Failure]
    assert outcomes[CHECKS[2][0]] == [Error]
    assert {p.name: p.value for p in bob.properties()}["score"] == "1.5"
    failure = next(r for case in bob for r in case.result if isinstance(r, Failure))
    assert '& "quotes", <tags>' in failure.message and "hint: d/dw" in failure.text
    assert [type(r) for case in suites["dan"] for r in case.result] == [Skipped, Failure]


def test_gradescope_results_validate_and_keep_visibility(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                         tmp_path: Path) -> None:
    target = tmp_path / "gs"
    code, _, err = export(capsys, "--format", "gradescope", str(reports_dir), "--output", str(target))
    assert code == 0, err
    assert sorted(p.name for p in target.iterdir()) == ["ada", "bob", "dan", "zoë"]
    validator = jsonschema.Draft202012Validator(RESULTS_SCHEMA)
    for report in class_reports():
        text = (target / report.student / "results.json").read_text(encoding="utf-8")
        golden(f"gradescope/{report.student}/results.json", text)
        data = json.loads(text)
        validator.validate(data)
        graded = [t for t in data["tests"] if "max_score" in t]
        assert [t["visibility"] for t in graded] == [c.visibility for c in report.checks]
        assert sum(t["score"] for t in graded) == data["score"] == report.score
        assert [t["status"] == "passed" for t in graded] == [c.status == "passed" for c in report.checks]
        assert report.output == "" or report.output not in json.dumps(data)  # printed output can leak hidden data
        # the top-level text is always shown: no total that includes hidden or unreleased checks
        assert f"/ {report.max_score:g} points" not in data["output"] and "/ 2.5 points" in data["output"]
    zoe = json.loads((target / "zoë" / "results.json").read_text(encoding="utf-8"))
    assert zoe["tests"][0]["name"] == "Submission loads" and "SyntaxError" in zoe["tests"][0]["output"]


def test_schema_rejects_what_gradescope_would(capsys: pytest.CaptureFixture[str]) -> None:
    validator = jsonschema.Draft202012Validator(RESULTS_SCHEMA)
    assert not validator.is_valid({"tests": [{"name": "no score anywhere"}]})
    assert not validator.is_valid({"score": 1, "tests": [{"visibility": "students"}]})
    assert validator.is_valid({"score": 0})


def test_classroom_runner_result_adds_up_as_the_reporter_does(capsys: pytest.CaptureFixture[str],
                                                              reports_dir: Path) -> None:
    for report in class_reports():
        code, out, err = export(capsys, "--format", "classroom", str(reports_dir / f"{report.student}.json"))
        assert code == 0, err
        golden(f"classroom/{report.student}.json", out)
        result = json.loads(out)
        assert result["version"] == 1 and result["tests"]
        assert all(isinstance(t["score"], int | float) for t in result["tests"])
        assert sum(t["score"] for t in result["tests"]) == report.score  # Classroom's totalPoints
        assert result["max_score"] == report.max_score  # Classroom's maxPoints
        expected = "pass" if report.score == report.max_score else "error" if report.student in ("bob", "zoë") \
            else "fail"
        assert result["status"] == expected


def test_summary_files_and_subfolders_are_not_reports(capsys: pytest.CaptureFixture[str], reports_dir: Path) -> None:
    code, out, _ = export(capsys, "--format", "csv", str(reports_dir))
    assert code == 0
    assert [row["student"] for row in csv.DictReader(io.StringIO(out))] == ["ada", "bob", "dan", "zoë"]


def test_a_broken_report_stops_the_export_and_names_the_file(capsys: pytest.CaptureFixture[str],
                                                             reports_dir: Path) -> None:
    (reports_dir / "eve.json").write_text('{"student": "eve"}', encoding="utf-8")
    code, out, err = export(capsys, "--format", "csv", str(reports_dir))
    assert code == 2 and out == ""
    assert "eve.json: not a grader report" in err


def test_reports_of_two_assignments_are_refused(capsys: pytest.CaptureFixture[str], reports_dir: Path) -> None:
    other = class_reports()[0].model_copy(update={"assignment": "quadratic", "student": "eve"})
    (reports_dir / "eve.json").write_text(other.to_json(), encoding="utf-8")
    code, _, err = export(capsys, "--format", "junit", str(reports_dir))
    assert code == 2 and "several assignments (backprop (4), quadratic (1))" in err
