"""Roster mapping: a grade is never silently dropped or given to the wrong person."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from grader.cli import main
from grader.export.errors import ExportError, RosterError
from grader.export.roster import match, read_roster
from tests.export_reports import class_reports, write_class


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    return write_class(tmp_path / "out")


def roster(tmp_path: Path, text: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


BAD = """Student,ID,SIS User ID,SIS Login ID,Section
"Lovelace, Ada",101,s-ada,ada,A
"Smith, Bob",102,s-bob,bob,A
"Dan, Dan",104,s-dan,dan,A
"Dan, Daniel",105,s-dan2,Dan,B
"Newton, Isaac",106,s-isaac,isaac,B
"""  # zoë is missing (her report is extra), isaac has no report, dan appears twice


def test_missing_extra_and_duplicate_are_all_named(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                   tmp_path: Path) -> None:
    path = roster(tmp_path, BAD)
    code, out, err = export(capsys, "--format", "canvas", str(reports_dir), "--roster", str(path))
    assert code == 2 and out == ""
    assert str(path) in err and "'SIS Login ID'" in err
    assert "repeats 'dan' on lines 4, 5" in err
    assert "have no report: 'isaac' (line 6)" in err
    assert "match no roster row: 'zoë'" in err
    assert "--allow-missing" in err and "--allow-extra" in err


def test_allowing_does_not_excuse_a_duplicate_key(reports_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(RosterError) as caught:
        match(class_reports(), read_roster(roster(tmp_path, BAD)), "SIS Login ID", {"ID": "ID"},
              allow_missing=True, allow_extra=True)
    assert "repeats 'dan' on lines 4, 5" in str(caught.value)
    assert "no report" not in str(caught.value)


def test_allowed_mismatches_are_listed_and_never_graded(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                        tmp_path: Path) -> None:
    path = roster(tmp_path, BAD.replace('"Dan, Daniel",105,s-dan2,Dan,B\n', ""))
    code, out, err = export(capsys, "--format", "canvas", str(reports_dir), "--roster", str(path),
                            "--allow-missing", "--allow-extra")
    assert code == 0, err
    assert "'isaac' (line 5); they get no grade" in err
    assert "'zoë'; they are left out of the export" in err
    rows = {r["ID"]: r["backprop"] for r in csv.DictReader(io.StringIO(out)) if r["ID"]}
    assert rows == {"101": "5", "102": "1.5", "104": "2.5", "106": ""}  # isaac: no grade, not a zero


def test_key_column_must_exist(reports_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"no column 'Login' .*its columns are 'Student', 'ID'"):
        match(class_reports(), read_roster(roster(tmp_path, BAD)), "Login", {})


def test_blackboard_utf16_tab_download_works_as_roster(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                       tmp_path: Path) -> None:
    text = ("Last Name\tFirst Name\tUsername\tStudent ID\tbackprop [Total Pts: 5 Score] |98765\n"
            "Lovelace\tAda\tada\t1\t\nSmith\tBob\tbob\t2\t\nZed\tZoë\tzoë\t3\t\nDan\tDan\tdan\t4\t\n")
    path = roster(tmp_path, "\ufeff" + text, "gc.xls", "utf-16-le")
    code, out, err = export(capsys, "--format", "blackboard", str(reports_dir), "--roster", str(path))
    assert code == 0, err
    assert out.splitlines()[0] == '"Username","backprop [Total Pts: 5 Score] |98765"'  # id found in the download
    assert '"zoë","0"' in out


def test_semicolon_roster_and_a_mapped_identity(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                tmp_path: Path) -> None:
    path = roster(tmp_path, "login;mail\nada;a@x.org\nbob;b@x.org\nzoë;z@x.org\ndan;d@x.org\n")
    code, out, err = export(capsys, "--format", "moodle", str(reports_dir), "--roster", str(path),
                            "--roster-key", "login", "--map", "Email address=mail")
    assert code == 0, err
    assert out.splitlines()[:2] == ["Email address,backprop", "a@x.org,5"]


def test_moodle_without_the_identifier_column_says_which(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                         tmp_path: Path) -> None:
    path = roster(tmp_path, "Username,Name\nada,Ada\n")
    code, _, err = export(capsys, "--format", "moodle", str(reports_dir), "--roster", str(path),
                          "--roster-key", "Username")
    assert code == 2 and "no 'Email address' column for the moodle export" in err


def test_case_only_duplicates_among_reports_are_refused(tmp_path: Path) -> None:
    reports = class_reports()
    reports.append(reports[0].model_copy(update={"student": "ADA"}))
    path = roster(tmp_path, "SIS Login ID,ID\nada,1\nbob,2\nzoë,3\ndan,4\n")
    with pytest.raises(RosterError, match=r"differ only in case .*'ada' and 'ADA'"):
        match(reports, read_roster(path), "SIS Login ID", {"ID": "ID"})


def test_allowed_missing_students_get_no_row_in_moodle(capsys: pytest.CaptureFixture[str], reports_dir: Path,
                                                       tmp_path: Path) -> None:
    path = roster(tmp_path, "Username,Email address\nada,a@x.org\nbob,b@x.org\nzoë,z@x.org\ndan,d@x.org\n"
                            "isaac,i@x.org\n")
    code, out, err = export(capsys, "--format", "moodle", str(reports_dir), "--roster", str(path),
                            "--roster-key", "Username", "--allow-missing")
    assert code == 0 and "'isaac' (line 6); they get no grade" in err
    assert "i@x.org" not in out and len(out.splitlines()) == 5


# ---------------------------------------------------------------------------------------------
# Reports read from an LMS download say which id they are named by; the export matches that column


def from_lms(tmp_path: Path, lms: str, kind: str, ids: dict[str, str], **info: str) -> Path:
    """The fixed class renamed to `ids` (old id → LMS id), as an intake of that LMS names it."""
    reports = []
    for report in class_reports():
        submission = report.submission.model_copy(update={"lms": lms, "id_kind": kind, **info})
        reports.append(report.model_copy(update={"student": ids[report.student], "submission": submission}))
    return write_class(tmp_path / f"out-{lms}", reports)


CANVAS_IDS = {"ada": "101", "bob": "102", "zoë": "103", "dan": "104"}
CANVAS_GRADEBOOK = """\
Student,ID,SIS User ID,SIS Login ID,Section,HW1 (7),HW3 Backprop (8),HW3 Backprop redo (9),Current Score
    Points Possible,,,,,5,5,5,(read only)
"Lovelace, Ada",101,s-ada,ada,A,,,,
"Smith, Bob",102,s-bob,bob,A,,,,
"Zoë, Zed",103,s-zoe,zoë,A,,,,
"Dan, Dan",104,s-dan,dan,A,,,,
"""


def test_canvas_ids_match_the_id_column_and_several_fitting_columns_are_listed(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = from_lms(tmp_path, "canvas", "user_id", CANVAS_IDS, lms_assignment="CS101-HW3_Backprop")
    path = roster(tmp_path, CANVAS_GRADEBOOK)
    code, text, err = export(capsys, "--format", "canvas", str(out), "--roster", str(path))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0].keys() >= {"HW3 Backprop (8)"} and [r["ID"] for r in rows[1:]] == ["101", "102", "103", "104"]
    # a zip named after a title two columns share (by their slug) is ambiguous: listed, nothing written
    clash = from_lms(tmp_path / "b", "canvas", "user_id", CANVAS_IDS, lms_assignment="CS101-HW3_Backprop")
    path2 = roster(tmp_path, CANVAS_GRADEBOOK.replace("HW3 Backprop redo (9)", "HW3: Backprop (9)"), "r2.csv")
    code, text, err = export(capsys, "--format", "canvas", str(clash), "--roster", str(path2))
    assert code == 2 and text == ""
    assert "2 assignment columns are titled" in err and "'HW3 Backprop (8)', 'HW3: Backprop (9)'" in err
    code, text, err = export(capsys, "--format", "canvas", str(clash), "--roster", str(path2), "--lms-id", "9")
    assert code == 0 and text.splitlines()[0].endswith(",HW3: Backprop (9)")


def test_a_new_column_is_added_only_when_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = from_lms(tmp_path, "canvas", "user_id", CANVAS_IDS)
    path = roster(tmp_path, CANVAS_GRADEBOOK)
    code, _, err = export(capsys, "--format", "canvas", str(out), "--roster", str(path))
    assert code == 2 and "no assignment column titled 'backprop'" in err and "'HW1 (7)'" in err
    code, text, err = export(capsys, "--format", "canvas", str(out), "--roster", str(path), "--new-column",
                             "--title", "HW4")
    assert code == 0 and text.splitlines()[0].endswith(",HW4") and "no Canvas assignment id" in err


def test_moodle_participant_ids_need_the_grading_worksheet(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    out = from_lms(tmp_path, "moodle", "participant_id", {"ada": "11", "bob": "12", "zoë": "13", "dan": "14"})
    gradebook = roster(tmp_path, "First name,Last name,Email address\nAda,Lovelace,ada@uni.edu\n")
    for extra in (["--roster", str(gradebook)], []):
        code, text, err = export(capsys, "--format", "moodle", str(out), *extra)
        assert code == 2 and text == "" and "only the assignment's grading worksheet holds" in err
    code, _, err = export(capsys, "--format", "canvas", str(out), "--roster", str(gradebook))
    assert code == 2 and "come from a moodle download" in err and "--format moodle" in err


def test_reports_of_two_kinds_of_id_are_not_matched_together(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    reports = class_reports()
    reports[0] = reports[0].model_copy(update={"submission": reports[0].submission.model_copy(
        update={"lms": "canvas", "id_kind": "user_id"})})
    out = write_class(tmp_path / "mixed", reports)
    path = roster(tmp_path, CANVAS_GRADEBOOK)
    code, _, err = export(capsys, "--format", "canvas", str(out), "--roster", str(path))
    assert code == 2 and "1 from canvas (user id), 3 from plain files" in err


def test_blackboard_column_worth_other_points_is_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = from_lms(tmp_path, "blackboard", "username", {"ada": "ada", "bob": "bob", "zoë": "zoë", "dan": "dan"},
                   lms_assignment="HW3 Backprop")
    path = roster(tmp_path, "Username,Total [Total Pts: up to 5 Score] |1,HW3 Backprop [Total Pts: 10 Score] |2\n"
                            "ada,,\nbob,,\nzoë,,\ndan,,\n")
    code, text, err = export(capsys, "--format", "blackboard", str(out), "--roster", str(path))
    assert code == 0 and text.splitlines()[0] == '"Username","HW3 Backprop [Total Pts: 5 Score] |2"'
    assert "gives other points than the reports' 5" in err
