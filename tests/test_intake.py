"""Intake: what Canvas, Moodle and GitHub Classroom hand the instructor, turned into one `Submission` per student.

Every layout is built in a temporary folder the way the LMS names it (FORMATS.md §3.5 for Canvas,
§4.2 for Moodle, §2 for Classroom repositories). The rules checked throughout: the student id is
the Canvas user id, the Moodle participant id or the GitHub username; a student whose upload
cannot be graded gets a report with a clear problem; and every entry of the download is either
somebody's submission or listed in `set_aside` with a reason, never silently dropped.
Two tests go through `grader grade` for real (a Canvas zip, a folder of Classroom repositories).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.assignment.loader import Assignment, load
from grader.intake import Intake, canvas, detect, intake, moodle
from grader.submission import Origin, Submission, SubmissionError
from grader.submission import load as load_submission
from tests.conftest import ROOT, SCENARIOS

GRADER = [sys.executable, "-m", "grader"]
CORRECT = (SCENARIOS / "backprop" / "correct_seed.py").read_text()
BROKEN = "def forward(x, w)\n    return x * w\n"  # a syntax error: scores 0 if it is the file graded
REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"


@pytest.fixture(scope="module")
def backprop() -> Assignment:
    return load("backprop")


def put(folder: Path, name: str, text: str = CORRECT) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def zip_folder(folder: Path, archive: Path, extra: dict[str, str] | None = None) -> Path:
    """Zip the folder's contents at the archive's top level, as the LMS does."""
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return archive


def by_student(found: Intake) -> dict[str, Submission]:
    subs = {s.student: s for s in found.submissions}
    assert len(subs) == len(found.submissions)
    return subs


def aside_about(found: Intake, entry: str) -> str:
    """The one set-aside line about this entry (by file name)."""
    lines = [line for line in found.set_aside if entry in line]
    assert len(lines) == 1, (entry, found.set_aside)
    return lines[0]


def dropped(folder: Path, found: Intake, owner: Callable[[str], str | None]) -> list[str]:
    """Entries of the download that are neither part of a submission nor set aside (hidden files
    and a Mac zip's __MACOSX/ are not entries)."""
    students = {s.student for s in found.submissions}
    mentioned = "\n".join(found.set_aside + [f"{s.path}\n{s.source}\n{s.problem}" for s in found.submissions])
    return [p.name for p in folder.iterdir()
            if not p.name.startswith((".", "__MACOSX")) and p.name not in mentioned and owner(p.name) not in students]


# ---------------------------------------------------------------------------------------------
# Canvas: `name[_LATE]_userid_attachmentid_displayname`, text and link entries (FORMATS.md §3.5)

CANVAS_FILES = {
    "doejane_123456_7890123_backprop.py": CORRECT,
    "roejim_LATE_234567_7890124_backprop.py": CORRECT,
    "kimann_late_345678_7890126_backprop.py": CORRECT,  # an older Canvas lowercased the whole prefix
    # a resubmission: Canvas renamed the re-uploaded file backprop-1.py, and its attachment id is
    # higher (and sorts lower as text: the ids must be compared as numbers)
    "parkmin_456789_990000_backprop.py": BROKEN,
    "parkmin_456789_1000001_backprop-1.py": CORRECT,
    "leesam_567890_7890301_model.py": CORRECT,  # two unrelated files, none is backprop.py
    "leesam_567890_7890302_utils.py": "def helper():\n    return 1\n",
    "anon_xYz12_7890125_backprop.py": CORRECT,  # anonymous grading: no name, the id is anon_<id>
    "smithjohn_555_text.html": "<html><body>see attached</body></html>",
    "brownamy_556_link.html": "<meta http-equiv='refresh' content='0; url=https://colab.research.google.com/x'>",
    # sortable name "O'Brien-Núñez, Seán": punctuation stripped, accents kept, lowercased, no separator
    "obriennúñezseán_678901_7890401_backprop.py": CORRECT,
    # a name made only of non-word characters (say, emoji) leaves nothing before the id
    "_789012_7890402_backprop.py": CORRECT,
    # `_` is a word character, so it survives in names; the display name holds `_3_` too
    "doe_smithjo_890123_7890403_hw_3_backprop.py": CORRECT,
    # the display name "back:prop?.py" with Canvas's `:` and `?` runs replaced by `_`
    "chanlee_901234_7890404_back_prop_.py": CORRECT,
    "ngoctran_912345_7890405_backprop.ipynb": json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                          "nbformat_minor": 5}),
    "grades.csv": "Student,ID\n",  # strays the instructor left in the folder
    "README.txt": "hw3 downloads\n",
}


def canvas_download(folder: Path) -> Path:
    for name, text in CANVAS_FILES.items():
        put(folder, name, text)
    put(folder, ".DS_Store", "")
    put(folder, "feedback/doejane_123456_7890123_backprop.txt", "nice work\n")  # a folder Canvas never makes
    return folder


def canvas_owner(name: str) -> str | None:
    match = canvas.PATTERN.match(name)
    return match["uid"] if match else None


@pytest.fixture(params=["folder", "zip"])
def canvas_intake(request: pytest.FixtureRequest, tmp_path: Path, backprop: Assignment) -> tuple[Path, Intake]:
    folder = canvas_download(tmp_path / "CS101-hw3_submissions")
    if request.param == "folder":
        return folder, intake([folder], backprop, workdir=tmp_path / "scratch")
    # a zip made on a Mac also carries __MACOSX/ resource forks; they are not entries of the download
    archive = zip_folder(folder, tmp_path / "CS101-hw3_submissions.zip",
                        {"__MACOSX/._doejane_123456_7890123_backprop.py": "\x00\x05\x16\x07"})
    found = intake([archive], backprop, workdir=tmp_path / "scratch")
    return tmp_path / "scratch" / "CS101-hw3_submissions", found


def test_canvas_students_are_keyed_by_user_id_with_late_flags_and_names(canvas_intake: tuple[Path, Intake]) -> None:
    _, found = canvas_intake
    assert [line.split(": ")[-1] for line in found.layouts] == ["canvas"]
    subs = by_student(found)
    assert sorted(subs) == sorted(["123456", "234567", "345678", "456789", "567890", "anon_xYz12", "678901",
                                   "789012", "890123", "901234", "912345"])
    assert (subs["123456"].late, subs["234567"].late, subs["345678"].late) == (False, True, True)
    assert subs["123456"].name == "doejane" and subs["234567"].name == "roejim"
    assert subs["678901"].name == "obriennúñezseán"
    assert subs["890123"].name == "doe_smithjo"
    assert subs["anon_xYz12"].name is None and subs["789012"].name is None
    for student in ("123456", "234567", "anon_xYz12", "678901", "789012", "890123", "901234", "912345"):
        sub = subs[student]
        assert sub.problem is None and sub.source is not None and sub.source.is_file(), sub
        assert canvas_owner(sub.source.name) == student
    assert subs["890123"].source.name.endswith("_hw_3_backprop.py")  # type: ignore[union-attr]
    assert subs["901234"].source.name.endswith("_back_prop_.py")  # type: ignore[union-attr]  # its only file
    assert subs["912345"].source.suffix == ".ipynb"  # type: ignore[union-attr]


def test_canvas_resubmission_grades_the_highest_attachment_id(canvas_intake: tuple[Path, Intake]) -> None:
    _, found = canvas_intake
    sub = by_student(found)["456789"]
    assert sub.source is not None and sub.source.name == "parkmin_456789_1000001_backprop-1.py"
    assert sub.problem is None and sub.late is False and sub.name == "parkmin"
    assert any("resubmission" in note and "backprop-1.py" in note for note in sub.notes), sub.notes


def test_canvas_several_unrelated_files_is_a_problem_on_the_report(canvas_intake: tuple[Path, Intake]) -> None:
    _, found = canvas_intake
    sub = by_student(found)["567890"]
    assert sub.source is None and sub.problem is not None
    assert "backprop.py" in sub.problem
    assert "leesam_567890_7890301_model.py" in sub.problem and "leesam_567890_7890302_utils.py" in sub.problem
    assert sub.name == "leesam" and sub.late is False  # the report still says who it is
    with pytest.raises(SubmissionError, match=r"none is backprop\.py"):
        load_submission(sub)


def test_canvas_text_link_and_stray_entries_are_set_aside_with_a_reason(canvas_intake: tuple[Path, Intake]) -> None:
    folder, found = canvas_intake
    assert "text entry for user 555" in aside_about(found, "smithjohn_555_text.html")
    assert "link entry for user 556" in aside_about(found, "brownamy_556_link.html")
    for stray in ("grades.csv", "README.txt"):
        assert "not named like a Canvas submission" in aside_about(found, stray)
    assert "feedback" in aside_about(found, "feedback")
    assert not any("__MACOSX" in line or ".DS_Store" in line for line in found.set_aside), found.set_aside
    assert len(found.set_aside) == 5, found.set_aside
    assert dropped(folder, found, canvas_owner) == []


def test_canvas_entry_names_parse_as_formats_md_says() -> None:
    def parse(name: str) -> tuple[str | None, bool, str, str | None]:
        match = canvas.PATTERN.match(name)
        assert match is not None, name
        return match["name"], bool(match["late"]), match["uid"], match["filename"]

    assert parse("doejane_123456_7890123_backprop.py") == ("doejane", False, "123456", "backprop.py")
    assert parse("doejane_LATE_123456_7890124_backprop.py") == ("doejane", True, "123456", "backprop.py")
    assert parse("anon_xYz12_7890125_backprop.py") == (None, False, "anon_xYz12", "backprop.py")
    assert parse("LATE_anon_xYz12_7890125_backprop.py") == (None, True, "anon_xYz12", "backprop.py")
    assert parse("smithjohn_555_text.html") == ("smithjohn", False, "555", None)
    for stray in ("backprop.py", "grades.csv", "Jane Doe_1234567_assignsubmission_file_backprop.py"):
        assert not canvas.matches(stray)


# ---------------------------------------------------------------------------------------------
# Moodle: `Full Name_<participant id>_assignsubmission_<plugin>[/ or _]<file>` (FORMATS.md §4.2)

MOODLE_FOLDERS = {
    "Jane Doe_1234567_assignsubmission_file/backprop.py": CORRECT,
    "Jane Doe_1234567_assignsubmission_onlinetext/onlinetext.html": "<p>My notes</p>",
    "Zoë Ångström_1234570_assignsubmission_file/backprop.py": CORRECT,
    # clean_filename() drops the apostrophe of "Seán O'Brien"; a folder renamed by hand may keep it
    "Seán OBrien_1234571_assignsubmission_file/backprop.py": CORRECT,
    "Liam O'Brien_1234572_assignsubmission_file/backprop.py": CORRECT,
    "Participant_1234568_assignsubmission_file/backprop.py": CORRECT,  # blind marking
    "Max Mustermann_1234573_assignsubmission_file/model.py": CORRECT,  # several files, none is backprop.py
    "Max Mustermann_1234573_assignsubmission_file/train.py": CORRECT,
    "Max Mustermann_1234573_assignsubmission_file/notes.txt": "todo\n",
    # the file's <filepath>: students can make folders in Moodle's file manager
    "Ana Lima_1234574_assignsubmission_file/hw3/backprop.py": CORRECT,
    "Ana Lima_1234574_assignsubmission_file/hw3/test_backprop.py": "def test():\n    pass\n",
    "Ben Okafor_1234575_assignsubmission_file/backprop.py": CORRECT,
    "Ben Okafor_1234575_assignsubmission_file/test_backprop.py": "def test():\n    pass\n",
    "Default group_assignsubmission_file/backprop.py": CORRECT,  # a team without a group: no id
}

MOODLE_FLAT = {
    "Jane Doe_1234567_assignsubmission_file_backprop.py": CORRECT,
    "Jane Doe_1234567_assignsubmission_onlinetext_onlinetext.html": "<p>My notes</p>",
    "Zoë Ångström_1234570_assignsubmission_file_backprop.py": CORRECT,
    "Zoë Ångström_1234570_assignsubmission_file_test_backprop.py": "def test():\n    pass\n",
    "Liam O'Brien_1234572_assignsubmission_file_backprop.ipynb": "{}",
    "Participant_1234568_assignsubmission_file_backprop.py": CORRECT,
    "Max Mustermann_1234573_assignsubmission_file_model.py": CORRECT,
    "Max Mustermann_1234573_assignsubmission_file_train.py": CORRECT,
    "Ana Lima_1234574_assignsubmission_file_report.pdf": "%PDF-1.4\n",
}


def moodle_owner(name: str) -> str | None:
    match = moodle.PATTERN.match(name)
    return match["pid"] if match else None


def test_moodle_folders_are_keyed_by_participant_id(tmp_path: Path, backprop: Assignment) -> None:
    folder = tmp_path / "CS101-HW3 backprop-42"
    for name, text in MOODLE_FOLDERS.items():
        put(folder, name, text)
    assert detect(folder) == "moodle"
    found = intake([folder], backprop, workdir=tmp_path)
    subs = by_student(found)
    assert sorted(subs) == ["1234567", "1234568", "1234570", "1234571", "1234572", "1234573", "1234574", "1234575"]
    names = {s.student: s.name for s in found.submissions}
    assert names["1234567"] == "Jane Doe" and names["1234570"] == "Zoë Ångström"
    assert names["1234571"] == "Seán OBrien" and names["1234572"] == "Liam O'Brien"
    for student in ("1234567", "1234568", "1234570", "1234571", "1234572", "1234575"):
        sub = subs[student]
        assert sub.problem is None and sub.source is not None and sub.source.name == "backprop.py", sub
        assert moodle_owner(sub.source.parent.name) == student
    assert "Zoë Ångström_1234570" in str(subs["1234570"].source)


def test_moodle_folder_with_several_files_and_none_named_is_a_problem(tmp_path: Path, backprop: Assignment) -> None:
    for name, text in MOODLE_FOLDERS.items():
        put(tmp_path / "dl", name, text)
    sub = by_student(intake([tmp_path / "dl"], backprop, workdir=tmp_path))["1234573"]
    assert sub.source is None and sub.problem is not None and sub.name == "Max Mustermann"
    assert "model.py" in sub.problem and "train.py" in sub.problem and "backprop.py" in sub.problem


def test_moodle_file_in_a_subfolder_of_the_submission_is_graded(tmp_path: Path, backprop: Assignment) -> None:
    """Moodle zips `<prefix>_assignsubmission_file<filepath><filename>` (§4.2); the filepath may be a folder."""
    for name, text in MOODLE_FOLDERS.items():
        put(tmp_path / "dl", name, text)
    sub = by_student(intake([tmp_path / "dl"], backprop, workdir=tmp_path))["1234574"]
    assert sub.problem is None and sub.source is not None, sub
    expected = "Ana Lima_1234574_assignsubmission_file/hw3/backprop.py"
    assert sub.source.relative_to(tmp_path / "dl").as_posix() == expected


def test_moodle_onlinetext_and_unattributable_entries_are_set_aside(tmp_path: Path, backprop: Assignment) -> None:
    folder = tmp_path / "dl"
    for name, text in MOODLE_FOLDERS.items():
        put(folder, name, text)
    found = intake([folder], backprop, workdir=tmp_path)
    assert "onlinetext submission of participant 1234567" in aside_about(found, "assignsubmission_onlinetext")
    assert "not named like a Moodle submission" in aside_about(found, "Default group_assignsubmission_file")
    assert len(found.set_aside) == 2, found.set_aside
    assert dropped(folder, found, moodle_owner) == []


def test_moodle_flat_files_without_folders(tmp_path: Path, backprop: Assignment) -> None:
    folder = tmp_path / "flat"
    for name, text in MOODLE_FLAT.items():
        put(folder, name, text)
    assert detect(folder) == "moodle"
    found = intake([folder], backprop, workdir=tmp_path)
    subs = by_student(found)
    assert sorted(subs) == ["1234567", "1234568", "1234570", "1234572", "1234573"]
    assert subs["1234567"].source == folder / "Jane Doe_1234567_assignsubmission_file_backprop.py"
    assert subs["1234567"].name == "Jane Doe" and subs["1234570"].name == "Zoë Ångström"
    assert subs["1234572"].source == folder / "Liam O'Brien_1234572_assignsubmission_file_backprop.ipynb"
    # backprop.py next to test_backprop.py: the name must match exactly, not as a suffix
    assert subs["1234570"].problem is None, subs["1234570"].problem
    assert subs["1234570"].source == folder / "Zoë Ångström_1234570_assignsubmission_file_backprop.py"
    max_ = subs["1234573"]
    assert max_.source is None and max_.problem is not None and "backprop.py" in max_.problem
    assert "onlinetext submission of participant 1234567" in aside_about(found, "onlinetext_onlinetext.html")
    assert "not .py or .ipynb" in aside_about(found, "report.pdf")
    assert len(found.set_aside) == 2, found.set_aside
    assert dropped(folder, found, moodle_owner) == []


def test_moodle_zip_of_one_participant_keeps_the_participant_id(tmp_path: Path, backprop: Assignment) -> None:
    """"Download selected submissions" for one student: the zip holds a single participant folder."""
    folder = tmp_path / "one"
    put(folder, "Zoë Ångström_1234570_assignsubmission_file/backprop.py")
    archive = zip_folder(folder, tmp_path / "CS101-HW3 backprop-42.zip")
    found = intake([archive], backprop, workdir=tmp_path / "scratch")
    assert [(s.student, s.name, s.problem) for s in found.submissions] == [("1234570", "Zoë Ångström", None)]
    assert found.set_aside == []


# ---------------------------------------------------------------------------------------------
# Zips as they reach the grader: re-zipped on a Mac, two of the same name, an upper-case suffix


def test_a_zip_re_zipped_on_a_mac_is_still_recognised(tmp_path: Path, backprop: Assignment) -> None:
    """One student's Canvas file plus __MACOSX/: the resource forks must not outvote the file."""
    put(tmp_path / "dl", "doejane_123456_7890123_backprop.py")
    archive = zip_folder(tmp_path / "dl", tmp_path / "late-ones.zip",
                         {"__MACOSX/._doejane_123456_7890123_backprop.py": "\x00\x05\x16\x07"})
    found = intake([archive], backprop, workdir=tmp_path / "scratch")
    assert [line.split(": ")[-1] for line in found.layouts] == ["canvas"]
    assert [(s.student, s.name) for s in found.submissions] == [("123456", "doejane")]
    assert found.set_aside == []


def test_two_zips_of_the_same_name_are_read_apart(tmp_path: Path, backprop: Assignment) -> None:
    sections = {"sec1": "doejane_123456_7890123_backprop.py", "sec2": "roejim_234567_7890124_backprop.py"}
    for section, name in sections.items():
        put(tmp_path / section / "files", name)
        zip_folder(tmp_path / section / "files", tmp_path / section / "CS101-hw3_submissions.zip")
    found = intake([tmp_path / "sec1" / "CS101-hw3_submissions.zip", tmp_path / "sec2" / "CS101-hw3_submissions.zip"],
                   backprop, workdir=tmp_path / "scratch")
    assert sorted(s.student for s in found.submissions) == ["123456", "234567"]
    assert found.set_aside == []  # no student read twice


def test_a_zip_with_an_upper_case_suffix_is_unpacked(tmp_path: Path, backprop: Assignment) -> None:
    put(tmp_path / "dl", "doejane_123456_7890123_backprop.py")
    archive = zip_folder(tmp_path / "dl", tmp_path / "SUBMISSIONS.ZIP")
    found = intake([archive], backprop, workdir=tmp_path / "scratch")
    assert [s.student for s in found.submissions] == ["123456"]


def test_scratch_folder_is_made_only_for_a_zip(tmp_path: Path, backprop: Assignment,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Called without a workdir (as the CLI does), intake unpacks zips under the system's temporary folder;
    folders need no scratch space, and leave nothing behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    put(tmp_path / "dl", "doejane_123456_7890123_backprop.py")
    intake([tmp_path / "dl"], backprop)
    assert list((tmp_path / "tmp").iterdir()) == []
    found = intake([zip_folder(tmp_path / "dl", tmp_path / "dl.zip")], backprop)
    [scratch] = (tmp_path / "tmp").iterdir()
    source = found.submissions[0].source
    assert scratch.name.startswith("grader-intake-") and source is not None and source.is_relative_to(scratch)


# ---------------------------------------------------------------------------------------------
# Blackboard "Assignment File Download": `<assignment>_<username>_attempt_<time>[_<file>]` + a .txt


def bb_info(user: str, name: str, files: dict[str, str]) -> str:
    listing = "".join(f"\tOriginal filename: {original}\n\tFilename: {stored}\n" for original, stored in files.items())
    return (f"Name: {name} ({user})\nAssignment: HW 3\nDate Submitted: Monday, March 2, 2026 11:58:03 PM EST\n"
            f"Current Grade: Needs Grading\n\nSubmission Field:\nThere is no student submission text data for "
            f"this assignment.\n\nComments:\nThere are no student comments for this assignment.\n\nFiles:\n{listing}")


BLACKBOARD_FILES = {
    "HW 3_jdoe_attempt_2026-03-01-10-00-00.txt": bb_info("jdoe", "Jane Doe", {
        "backprop.py": "HW 3_jdoe_attempt_2026-03-01-10-00-00_backprop.py"}),
    "HW 3_jdoe_attempt_2026-03-01-10-00-00_backprop.py": BROKEN,
    "HW 3_jdoe_attempt_2026-03-02-09-30-00.txt": bb_info("jdoe", "Jane Doe", {
        "backprop.py": "HW 3_jdoe_attempt_2026-03-02-09-30-00_backprop.py"}),
    "HW 3_jdoe_attempt_2026-03-02-09-30-00_backprop.py": CORRECT,
    "HW 3_mary_ann_attempt_2026-03-02-11-00-00.txt": bb_info("mary_ann", "Mary Ann", {
        "my hw (final).py": "HW 3_mary_ann_attempt_2026-03-02-11-00-00.py"}),
    "HW 3_mary_ann_attempt_2026-03-02-11-00-00.py": CORRECT,
    "HW 3_kim_attempt_2026-03-02-12-00-00_model.py": CORRECT,  # no .txt: the username is the last part
    "HW 3_kim_attempt_2026-03-02-12-00-00_utils.py": CORRECT,
    "HW 3_lee_attempt_2026-03-02-13-00-00.txt": "Name: Sam Lee (lee)\nAssignment: HW 3\n\nFiles:\n"
                                                   "No files were attached to this submission.\n",
    "grades.csv": "x\n",
}


def test_blackboard_attempts_are_keyed_by_username_with_the_latest_graded(tmp_path: Path,
                                                                         backprop: Assignment) -> None:
    for name, text in BLACKBOARD_FILES.items():
        put(tmp_path / "dl", name, text)
    archive = zip_folder(tmp_path / "dl", tmp_path / "gradebook_CS101_HW 3_2026-03-03-09-00-00.zip")
    found = intake([archive], backprop, workdir=tmp_path / "scratch")
    subs = by_student(found)
    assert sorted(subs) == ["jdoe", "kim", "lee", "mary_ann"]
    jane = subs["jdoe"]
    assert jane.source is not None and jane.source.name == "HW 3_jdoe_attempt_2026-03-02-09-30-00_backprop.py"
    assert jane.name == "Jane Doe" and any("latest of 2" in note for note in jane.notes)
    assert jane.origin is not None and (jane.origin.lms, jane.origin.id_kind, jane.origin.assignment) == (
        "blackboard", "username", "HW 3")
    assert subs["mary_ann"].source is not None and subs["mary_ann"].name == "Mary Ann"  # its only file, odd name
    assert subs["kim"].problem is not None and "model.py, utils.py" in subs["kim"].problem
    assert subs["lee"].problem is not None and "no .py or .ipynb file" in subs["lee"].problem
    assert any("grades.csv" in line for line in found.set_aside)
    assert f"{tmp_path / 'scratch'}" not in " ".join(found.set_aside)


def test_intakes_record_which_lms_id_names_the_student(tmp_path: Path, backprop: Assignment) -> None:
    put(tmp_path / "c", "doejane_123456_7890123_backprop.py")
    put(tmp_path / "c", "anon_xYz12_7890125_backprop.py")
    canvas_found = by_student(intake([zip_folder(tmp_path / "c", tmp_path / "CS101-HW_3_submissions.zip")], backprop,
                                     workdir=tmp_path / "s1"))
    assert canvas_found["123456"].origin == Origin("canvas", "user_id", "CS101-HW_3")
    assert canvas_found["anon_xYz12"].origin == Origin("canvas", "anonymous_id", "CS101-HW_3")
    put(tmp_path / "m", "Participant_1234567_assignsubmission_file/backprop.py")  # blind marking: no name
    moodle_found = by_student(intake([tmp_path / "m"], backprop))
    assert moodle_found["1234567"].name is None
    assert moodle_found["1234567"].origin == Origin("moodle", "participant_id", None)


# ---------------------------------------------------------------------------------------------
# GitHub Classroom: a folder of `<assignment prefix>-<github username>` repositories


def classroom_download(folder: Path) -> Path:
    repos = {
        "hw3-backprop-alice": {"backprop.py": CORRECT, "README.md": "# hw3\n"},
        "hw3-backprop-bob-smith": {"src/backprop.py": CORRECT, "tests/test_backprop.py": "def test():\n    pass\n",
                                   ".github/workflows/classroom.yml": "name: Autograding Tests\n"},
        # only a README; a hook script inside .git is not the student's code
        "hw3-backprop-carol": {"README.md": "# hw3\n", ".git/hooks/post-checkout.py": "print('hook')\n"},
        "hw3-backprop-erin": {"notebooks/backprop.ipynb": json.dumps({"cells": [], "metadata": {},
                                                                      "nbformat": 4, "nbformat_minor": 5})},
    }
    for repo, files in repos.items():
        (folder / repo / ".git").mkdir(parents=True)
        put(folder / repo / ".git", "HEAD", "ref: refs/heads/main\n")
        for name, text in files.items():
            put(folder / repo, name, text)
    # dave committed a link to the reference solution instead of a file
    (folder / "hw3-backprop-dave" / ".git").mkdir(parents=True)
    (folder / "hw3-backprop-dave" / "backprop.py").symlink_to(REFERENCE)
    put(folder, "grades.csv", "github_username,points_awarded\n")
    return folder


def test_classroom_repos_are_keyed_by_github_username(tmp_path: Path, backprop: Assignment) -> None:
    folder = classroom_download(tmp_path / "hw3-backprop-submissions")
    assert detect(folder) == "classroom"
    found = intake([folder], backprop, workdir=tmp_path)
    subs = by_student(found)
    assert sorted(subs) == ["alice", "bob-smith", "carol", "dave", "erin"]
    assert subs["alice"].source == folder / "hw3-backprop-alice" / "backprop.py"
    assert subs["bob-smith"].source == folder / "hw3-backprop-bob-smith" / "src" / "backprop.py"
    assert subs["erin"].source == folder / "hw3-backprop-erin" / "notebooks" / "backprop.ipynb"
    carol = subs["carol"]
    assert carol.source is None and carol.problem is not None and "no backprop.py" in carol.problem
    assert "grades.csv" in aside_about(found, "grades.csv") and len(found.set_aside) == 1
    assert dropped(folder, found, lambda name: None) == []


def test_classroom_symlink_to_a_file_outside_the_repo_is_refused(tmp_path: Path, backprop: Assignment) -> None:
    folder = classroom_download(tmp_path / "repos")
    dave = by_student(intake([folder], backprop, workdir=tmp_path))["dave"]
    assert dave.source is not None and dave.source.is_symlink()
    with pytest.raises(SubmissionError, match="symbolic link"):
        load_submission(dave)


# ---------------------------------------------------------------------------------------------
# `auto`: each layout recognised, and the layout named in `layouts`


def test_auto_detection_picks_each_layout(tmp_path: Path, backprop: Assignment) -> None:
    canvas_folder = canvas_download(tmp_path / "canvas")
    moodle_folder = tmp_path / "moodle"
    for name, text in MOODLE_FOLDERS.items():
        put(moodle_folder, name, text)
    flat = tmp_path / "flat"
    for name, text in MOODLE_FLAT.items():
        put(flat, name, text)
    repos = classroom_download(tmp_path / "classroom")
    files = tmp_path / "files"
    put(files, "alice.py")
    put(files, "bob/backprop.py")
    assert [detect(p) for p in (canvas_folder, moodle_folder, flat, repos, files)] == [
        "canvas", "moodle", "moodle", "classroom", "files"]
    found = intake([canvas_folder, moodle_folder, repos, files], backprop, workdir=tmp_path)
    assert [line.split(": ")[-1] for line in found.layouts] == ["canvas", "moodle", "classroom", "files"]
    students = {s.student for s in found.submissions}
    assert {"123456", "anon_xYz12", "1234567", "bob-smith", "alice", "bob"} <= students
    # an explicit --layout is obeyed even where auto would guess otherwise
    forced = intake([canvas_folder], backprop, layout="files", workdir=tmp_path)
    assert "doejane_123456_7890123_backprop" in {s.student for s in forced.submissions}


# ---------------------------------------------------------------------------------------------
# End to end: `grader grade` on a Canvas zip and on a folder of Classroom repositories


Graded = dict[str, tuple[subprocess.CompletedProcess[str], Path]]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    tmp = tmp_path_factory.mktemp("intake-e2e")
    course = tmp / "canvas"
    for name in ("doejane_123456_7890123_backprop.py", "roejim_LATE_234567_7890124_backprop.py",
                 "parkmin_456789_990000_backprop.py", "parkmin_456789_1000001_backprop-1.py",
                 "leesam_567890_7890301_model.py", "leesam_567890_7890302_utils.py",
                 "smithjohn_555_text.html", "grades.csv"):
        put(course, name, CANVAS_FILES[name])
    jobs = {"canvas": zip_folder(course, tmp / "CS101-hw3_submissions.zip"),
            "classroom": classroom_download(tmp / "repos")}
    running = {}
    for kind, path in jobs.items():  # both at once: most of each run is starting the sandbox
        out = tmp / f"out-{kind}"
        command = [*GRADER, "grade", "backprop", str(path), "--out", str(out), "--jobs", "1"]
        running[kind] = (subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          text=True), out, command)
    results: Graded = {}
    try:
        for kind, (process, out, command) in running.items():
            stdout, _ = process.communicate(timeout=240)
            results[kind] = (subprocess.CompletedProcess(command, process.returncode, stdout), out)
    finally:
        for process, _, _ in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    yield results
    # the CLI unpacks the zip into a grader-intake-* folder of its own and leaves it (the reports point into it)
    for path in (tmp / "out-canvas").glob("*.json"):
        unpacked = Path(json.loads(path.read_text()).get("submission", {}).get("path", "/"))
        for folder in unpacked.parents:
            if folder.name.startswith("grader-intake-") and folder.parent == Path(tempfile.gettempdir()):
                shutil.rmtree(folder, ignore_errors=True)


def report(out: Path, student: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / f"{student}.json").read_text())
    assert data["student"] == student
    return data


def test_cli_grades_a_canvas_zip(graded: Graded) -> None:
    done, out = graded["canvas"]
    assert done.returncode == 0, done.stdout[-3000:]
    assert sorted(p.name for p in out.glob("*.json")) == [
        "123456.json", "234567.json", "456789.json", "567890.json", "summary.json"]
    jane, jim, min_, sam = (report(out, s) for s in ("123456", "234567", "456789", "567890"))
    assert jane["score"] == jane["max_score"] == 10 and jane["submission"]["late"] is False
    assert jane["submission"]["name"] == "doejane"
    assert jim["score"] == 10 and jim["submission"]["late"] is True
    assert min_["score"] == 10, min_["errors"]  # the latest upload was graded, not the broken first one
    assert min_["submission"]["files"] == ["parkmin_456789_1000001_backprop-1.py"]
    assert any("resubmission" in note for note in min_["submission"]["notes"])
    assert sam["score"] == 0 and any("none is backprop.py" in e for e in sam["errors"]), sam["errors"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["students"] == 4 and summary["late"] == ["234567"]
    aside = summary["set_aside"]
    assert len(aside) == 2, aside
    assert any("smithjohn_555_text.html" in line and "text entry" in line for line in aside)
    assert any("grades.csv" in line for line in aside)
    assert "set aside" in done.stdout


def test_cli_grades_classroom_repos_and_refuses_a_symlink(
        graded: Graded) -> None:
    done, out = graded["classroom"]
    assert done.returncode == 0, done.stdout[-3000:]
    assert sorted(p.stem for p in out.glob("*.json")) == ["alice", "bob-smith", "carol", "dave", "erin", "summary"]
    assert report(out, "alice")["score"] == 10 and report(out, "bob-smith")["score"] == 10
    dave = report(out, "dave")
    assert dave["score"] == 0 and dave["submission"]["kind"] == "unreadable"
    assert dave["errors"] == ["backprop.py is a symbolic link; hand in the file itself"]
    carol = report(out, "carol")
    assert carol["score"] == 0 and carol["submission"]["kind"] == "missing"
    assert any("no backprop.py" in e for e in carol["errors"]), carol["errors"]
    assert json.loads((out / "summary.json").read_text())["set_aside"] == [
        f"{out.parent / 'repos' / 'grades.csv'}: not a repository folder"]


def test_a_symlinked_submission_report_does_not_carry_the_hash_of_the_file_behind_it(
        graded: Graded) -> None:
    dave = report(graded["classroom"][1], "dave")
    assert dave["submission"]["sha256"] == ""
