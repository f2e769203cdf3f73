"""Ids, file names and text from outside are safe everywhere; intake refuses instead of crashing.

A student may be called `summary` or `Alice` beside `alice`, a file in a zip may be named
`../../x.py` or hold terminal escapes, an exception's name may be two million characters: each
still gets a report of its own, reaches every export, and shows as plain, bounded text in the
terminal, the reports, the CSVs, the pages and Gradescope's results.json.
"""

from __future__ import annotations

import ast
import csv
import importlib
import inspect
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from grader import batch
from grader.assignment.loader import load
from grader.cli import main
from grader.csvtext import cell
from grader.errors import UserError
from grader.executors import FunctionExecutor
from grader.export.gradescope import results
from grader.feedback import student
from grader.feedback.stats import dashboard_stats
from grader.feedback.views import View
from grader.grading import Plan
from grader.intake import archive, intake
from grader.numbers import points
from grader.report import CheckResult, Report, SubmissionInfo
from grader.reports import file_stem, path_for, read_folder, write_report
from grader.submission import Submission, sha256_of
from grader.summary import summarize, summary_csv
from tests.conftest import ROOT

GRADER = [sys.executable, "-m", "grader"]
RESERVED_IDS = ["summary", "index", "feedback", "overrides", "similarity"]
CASE_IDS = ["Alice", "alice", "ALICE"]
FORMULA_IDS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\ry"]
HUGE = "E" * 2_000_000  # an exception type name


def report_of(student: str, score: float = 1.0, *, message: str = "ok", errors: list[str] | None = None,
              grading_key: str | None = None, checks: list[tuple[str, str, bool]] | None = None) -> Report:
    checks = checks or [("forward works", "forward", score >= 1.0)]
    return Report(
        assignment="backprop", assignment_version="1", student=student, score=score, max_score=2.0,
        checks=[CheckResult(name=name, target=target, score=1.0 if ok else 0.0, max_score=1.0,
                            status="passed" if ok else "failed", visibility="visible", message=message)
                for name, target, ok in checks],
        submission=SubmissionInfo(path=f"class/{student}.py", sha256="0" * 64), errors=errors or [],
        grading_key=grading_key, torch_version="2", started_at="2026-01-01T00:00:00Z", duration_s=0.1)


# --- 1. reserved names and ids that differ only in case ----------------------------------------

def test_file_names_are_ordinary_ids_or_distinct_mapped_names() -> None:
    for ordinary in ("ada", "correct_seed", "bob-smith", "123456", "zoë", "a.b@uni.edu"):
        assert file_stem(ordinary) == ordinary
    special = RESERVED_IDS + CASE_IDS + FORMULA_IDS + ["summary.old", "con", "..", "", "ß", "x" * 300]
    stems = [file_stem(s) for s in special]
    assert [file_stem(s) for s in special] == stems  # the id alone decides: a rerun finds the report
    assert len({s.casefold() for s in stems}) == len(special)  # distinct even ignoring case
    for stem in stems:
        assert stem.casefold() not in RESERVED_IDS and "/" not in stem and not stem.startswith(".")
        assert len(stem.encode()) <= 60 and stem.isprintable()


@pytest.fixture(scope="module")
def plan() -> Plan:
    return Plan(load("backprop"), include_hidden=True, reference=None, seed="a test seed, sixteen+ chars")


def test_reserved_and_case_only_ids_get_reports_nothing_overwrites_and_resume_finds(
        plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = [*RESERVED_IDS, *CASE_IDS, "ada"]
    subs = []
    for student_id in ids:
        source = tmp_path / "class" / f"{file_stem(student_id)}.py"
        source.parent.mkdir(exist_ok=True)
        source.write_text(f"# {student_id}\n")
        subs.append(Submission(student_id, source, source=source))
    graded: list[str] = []

    def fake(sub: Submission) -> Report:
        graded.append(sub.student)
        return report_of(sub.student, 2.0 if sub.student == "summary" else 1.0,
                         grading_key=plan.grading_key(sha256_of(sub.source)))

    out = tmp_path / "out"
    first = batch.run(plan, subs, out, FunctionExecutor(fake))
    assert first.graded == len(ids) and sorted(graded) == sorted(ids)
    assert sorted(r.student for r in read_folder(out)) == sorted(ids)
    names = [p.name for p in out.iterdir()]
    assert len({n.casefold() for n in names}) == len(names)  # no clash on a case-insensitive disk
    summary = json.loads((out / "summary.json").read_text())
    assert summary["students"] == len(ids) and summary["max"] == 2.0
    assert sorted(row["student"] for row in csv.DictReader(io.StringIO((out / "summary.csv").read_text()))) \
        == sorted(ids)

    second = batch.run(plan, subs, out, FunctionExecutor(fake))  # resume
    assert second.reused == len(ids) and second.graded == 0 and len(graded) == len(ids)

    for fmt, column in (("csv", "student"), ("canvas", "SIS Login ID"), ("moodle", "Email address"),
                        ("blackboard", "Username")):
        assert main(["export", "--format", fmt, str(out)]) == 0
        rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
        assert sorted(row[column] for row in rows if row[column]) == sorted(ids), fmt
    assert main(["export", "--format", "junit", str(out)]) == 0
    suites = ElementTree.fromstring(capsys.readouterr().out.split("\n", 1)[1]).findall("testsuite")
    assert sorted(suite.get("name", "") for suite in suites) == sorted(ids)
    assert main(["export", "--format", "gradescope", str(out), "--output", str(tmp_path / "gs")]) == 0
    written = [json.loads(p.read_text())["extra_data"]["student"] for p in (tmp_path / "gs").glob("*/results.json")]
    assert sorted(written) == sorted(ids)
    assert main(["feedback", str(out)]) == 0
    pages = list((out / "feedback" / "students").glob("*.html"))
    assert len(pages) == len(ids)
    assert (out / "feedback" / "index.html").read_text().count('href="students/') >= len(ids)


# --- 2. control characters, escapes, markup and huge text --------------------------------------

def test_huge_and_hostile_text_is_cut_and_cleaned_in_every_field() -> None:
    info = SubmissionInfo(path="class/x\x1b[31m.py", sha256="0" * 64, files=["a\x1b]0;pwned\x07.py"])
    info.notes.append(f"cell 1: raised {HUGE}: boom")  # as grading appends after building it
    info.notes += [f"note {i}" for i in range(500)]
    report = report_of("eve\x1b[2J\u202e", message=f"raised {HUGE}: x", errors=[f"raised {HUGE}\x07"])
    report = Report.model_validate({**report.model_dump(), "submission": info})
    text = report.to_json()
    assert len(text) < 100_000 and "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "more characters not shown" in text and "more not shown" in report.submission.notes[-1]
    assert report.student.startswith("eve") and "\x1b" not in report.student
    page = student.page(report, View(instructor=True))
    gradescope = json.dumps(results(report))
    for shown in (page, gradescope):
        assert len(shown) < 200_000 and HUGE[:10_000] not in shown and "\x1b" not in shown


def test_escapes_and_markup_in_names_never_reach_the_terminal(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "class\x1b[31m[bold]x"
    bad.mkdir()
    assert main(["feedback", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "[bold]x" in err and "Traceback" not in err


# --- 3. CSV injection ---------------------------------------------------------------------------

def test_a_formula_text_cell_is_neutralised_and_numbers_stay_numbers() -> None:
    for text in [*FORMULA_IDS, "\uff1dSUM(A1)"]:
        assert cell(text) == "'" + text
    assert cell("ada") == "ada" and cell("1.5") == "1.5" and cell(None) == ""
    assert cell(-1.5) == "-1.5" and cell(7.0) == "7" and cell(3) == "3"


def _parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_every_csv_export_neutralises_formula_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    for i, student_id in enumerate(FORMULA_IDS):
        write_report(out, report_of(student_id, 1.0, errors=["\t=cmd|' /C calc'!A0"] if i == 0 else None))
    stored = {r.student for r in read_folder(out)}
    assert len(stored) == len(FORMULA_IDS)
    tables = {}
    for fmt in ("canvas", "moodle", "blackboard", "csv"):
        assert main(["export", "--format", fmt, str(out)]) == 0, fmt
        tables[fmt] = _parsed(capsys.readouterr().out)
    tables["summary.csv"] = _parsed(summary_csv(read_folder(out)))
    for fmt, rows in tables.items():
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], fmt
        texts = set(cells)
        for student_id in stored:
            if student_id[:1] in "=+-@":
                assert "'" + student_id in texts, (fmt, student_id)
    grades = {row[0]: row for row in tables["csv"][1:]}
    assert float(grades["'-2"][1]) == 1.0 and float(grades["'-2"][2]) == 2.0  # scores are numbers
    summary = {row[0]: row for row in tables["summary.csv"][1:]}
    assert summary["'=HYPERLINK(\"http://x\")"][9].startswith("'\t=cmd")


# --- 4. intake refuses what is not an honest file --------------------------------------------

def _entry(zf: zipfile.ZipFile, name: str, data: bytes = b"", mode: int | None = None) -> None:
    info = zipfile.ZipInfo(name)
    if mode is not None:
        info.external_attr = mode << 16
    zf.writestr(info, data)


def hostile_zip(path: Path, honest: dict[str, bytes], bomb: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in honest.items():
            _entry(zf, name, data)
        _entry(zf, "../../escaped.py", b"print('out')\n")
        _entry(zf, "/tmp/absolute_member.py", b"x = 1\n")
        _entry(zf, "linked.py", b"/work/main/solutions/backprop/backprop.py", stat.S_IFLNK | 0o777)
        _entry(zf, "pipe.py", b"", stat.S_IFIFO | 0o644)
        _entry(zf, "tty.py", b"", stat.S_IFCHR | 0o644)
        if bomb:
            _entry(zf, "bomb.py", b"\0" * bomb)
    return path


def test_extract_skips_every_hostile_entry_and_keeps_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1_000_000)
    zipped = hostile_zip(tmp_path / "class.zip", {"ada.py": b"x = 1\n", "bob.py": b"y = 2\n"}, bomb=3_000_000)
    unpacked = archive.extract(zipped, tmp_path / "scratch" / "class")
    assert sorted(p.name for p in unpacked.root.iterdir()) == ["ada.py", "bob.py"]
    for name in ("../../escaped.py", "/tmp/absolute_member.py", "linked.py", "pipe.py", "tty.py", "bomb.py"):
        assert sum(name in line for line in unpacked.skipped) == 1, (name, unpacked.skipped)
    assert not (tmp_path / "escaped.py").exists() and not Path("/tmp/absolute_member.py").exists()


def test_the_archive_limit_counts_bytes_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_BYTES", 150)
    monkeypatch.setattr(archive, "MAX_FILES", 3)
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as zf:
        for i in range(5):
            _entry(zf, f"s{i}.py", b"#" * 60)
    unpacked = archive.extract(tmp_path / "many.zip", tmp_path / "out")
    assert sorted(p.name for p in unpacked.root.iterdir()) == ["s0.py", "s1.py"]
    assert any("s2.py" in line and "150" in line for line in unpacked.skipped)
    assert any("2 entries after the first 3" in line for line in unpacked.skipped)


def test_junk_files_are_neither_graded_nor_set_aside(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    for name in ("ada.py", "bob.py", "Thumbs.db", ".DS_Store", "desktop.ini", "__MACOSX/._ada.py",
                 "__pycache__/x.pyc"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x = 1\n")
    found = intake([folder], load("backprop"))
    assert [s.student for s in found.submissions] == ["ada", "bob"] and found.set_aside == []


def test_escapes_in_member_names_are_cleaned_in_set_aside_lines(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as zf:
        _entry(zf, "ada.py", b"x = 1\n")
        _entry(zf, "../\x1b[31mred\x1b]0;title\x07.py", b"x = 1\n")
    found = intake([tmp_path / "c.zip"], load("backprop"), workdir=tmp_path / "w")
    assert len(found.set_aside) == 1 and "\x1b" not in found.set_aside[0] and "\x07" not in found.set_aside[0]


def _grade(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GRADER, "grade", "backprop", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_cli_grades_the_class_around_a_hostile_zip(tmp_path: Path) -> None:
    honest = {"ada.py": (ROOT / "assignments" / "backprop" / "backprop.py").read_bytes(),
              "bob.py": (ROOT / "solutions" / "backprop" / "backprop.py").read_bytes()}
    zipped = hostile_zip(tmp_path / "class.zip", honest)
    out = tmp_path / "out"
    done = _grade(str(zipped), "--out", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    scores = {r.student: r.score for r in read_folder(out)}
    assert scores == {"ada": 0.0, "bob": 10.0}
    aside = json.loads((out / "summary.json").read_text())["set_aside"]
    assert any("../../escaped.py" in line for line in aside) and any("linked.py" in line for line in aside)
    assert "escaped.py" in done.stdout


def test_cli_a_corrupt_zip_is_one_line_and_exit_2(tmp_path: Path) -> None:
    corrupt = tmp_path / "class.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    done = _grade(str(corrupt), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "class.zip: not a readable zip file" in " ".join(done.stderr.split())


# --- 5. one base class for user errors --------------------------------------------------------

INTERNAL = {"ExprError": "always wrapped in AssignmentError or ConfigError before it reaches a user"}


def test_every_user_error_derives_from_user_error() -> None:
    found = {}
    package = ROOT / "grader"
    for path in sorted(package.rglob("*.py")):
        module = ".".join(("grader", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        if module.startswith("grader.sandbox") or module == "grader.__main__":
            continue  # the sandbox has its own base class (grader.sandbox.protocol)
        for name, value in vars(importlib.import_module(module)).items():
            if inspect.isclass(value) and value.__module__ == module and name.endswith("Error") \
                    and issubclass(value, Exception):
                found[name] = value
    assert {"AssignmentError", "ConfigError", "GenerateError", "NotebookError", "ArchiveError", "ExportError",
            "ReportFolderError", "SubmissionError"} <= set(found)
    assert [n for n, c in found.items() if not issubclass(c, UserError) and n not in INTERNAL] == []


def test_the_errors_module_needs_nothing_of_the_grader() -> None:
    """Only the sandbox's own stdlib-only error module, whose SandboxError is the other base."""
    tree = ast.parse((ROOT / "grader" / "errors.py").read_text())
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert [m for m in imported if m != "__future__"] == ["grader.sandbox.protocol.errors"]
    code = "import sys, grader.errors; print(sorted(m for m in sys.modules if m.startswith(('grader', 'torch'))))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "torch" not in loaded.stdout


def test_a_missing_reports_folder_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    for command in (["feedback", str(tmp_path / "nope")], ["export", "--format", "csv", str(tmp_path / "nope")]):
        done = subprocess.run([*GRADER, *command], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "Traceback" not in done.stderr and "no such folder" in done.stderr


# --- 6. one points rule, one definition of a function's pass rate -----------------------------

def test_a_score_is_written_the_same_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    write_report(out, report_of("ada", 1.23456))
    write_report(out, report_of("bob", 2.0))
    assert points(1.23456) == "1.23"
    assert main(["export", "--format", "csv", str(out)]) == 0
    assert "ada,1.23," in capsys.readouterr().out
    assert "ada,1.23," in summary_csv(read_folder(out))
    assert main(["export", "--format", "canvas", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[2].endswith(",1.23")
    assert "1.23 <span" in student.page(read_folder(out)[0], View(instructor=True))


def test_summary_and_dashboard_agree_on_a_function_pass_rate() -> None:
    both = [("forward value", "forward", True), ("forward graph", "forward", True)]
    half = [("forward value", "forward", True), ("forward graph", "forward", False)]
    reports = [report_of("ada", checks=both), report_of("bob", checks=half)]
    summary = summarize(reports).targets[0]
    dashboard = dashboard_stats(reports).targets[0]
    assert summary.pass_rate == dashboard.pass_rate == 0.5  # one of two students passed all of forward
    assert summary.students_all_passed == dashboard.all_passed == 1


def test_paths_follow_the_mapping(tmp_path: Path) -> None:
    assert path_for(tmp_path, "summary") != tmp_path / "summary.json"
    assert write_report(tmp_path, report_of("summary")) == path_for(tmp_path, "summary")
    assert os.listdir(tmp_path) == [path_for(tmp_path, "summary").name]
