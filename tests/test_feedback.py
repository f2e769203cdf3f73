"""Feedback pages without a browser: visibility, escaping, grouping, plots, the command's files and errors."""

from __future__ import annotations

import math
import random
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from grader.cli import main
from grader.feedback import student
from grader.feedback.lossplot import Series, loss_plot
from grader.feedback.sidebyside import side_by_side
from grader.feedback.stats import dashboard_stats, normalize
from grader.feedback.views import View
from grader.report import Report
from grader.reports import read_folder
from tests.synthetic_class import CHECKS, HOSTILE, student_report, write_class


def _report_with_markers() -> Report:
    """A report whose every check has a message naming its visibility, to see which ones a page shows."""
    report = student_report(0, random.Random(1))
    checks = [c.model_copy(update={"message": f"MESSAGE-OF-{c.visibility}-{i}"}) for i, c in enumerate(report.checks)]
    return report.model_copy(update={"checks": checks})


def _messages(html: str) -> set[str]:
    return {m.split("-")[2] for m in re.findall(r"MESSAGE-OF-[a-z_]+-\d", html)}


def test_student_view_shows_only_visible_checks_and_withholds_the_total() -> None:
    report = _report_with_markers()
    html = student.page(report, View())
    assert _messages(html) == {"visible"}
    assert "on the checks shown" in html and f">{report.score:g} <" not in html
    assert "is released after the due date" in html and "is released when grades are published" in html
    assert "is never shown to students" in html


@pytest.mark.parametrize(("view", "shown"), [
    (View("due"), {"visible", "after_due_date"}),
    (View("published"), {"visible", "after_due_date", "after_published"}),
    (View("none", instructor=True), {"visible", "after_due_date", "after_published", "hidden"}),
])
def test_release_stages_and_instructor_view(view: View, shown: set[str]) -> None:
    report = _report_with_markers()
    html = student.page(report, view)
    assert _messages(html) == shown
    total_shown = view.release == "published" or view.instructor
    assert ("on the checks shown" not in html) == total_shown
    assert ("Do not send this page to students" in html) == view.instructor


def test_student_text_is_escaped_and_terminal_escapes_are_gone() -> None:
    report = student_report(3, random.Random(3))
    first = report.checks[0].model_copy(update={"message": "forward returned '<script>alert(1)</script>'",
                                                "hint": "<b>bold</b>"})
    report = report.model_copy(update={"checks": [first, *report.checks[1:]]})
    report = Report.model_validate({**report.model_dump(), "output": HOSTILE, "student": "<i>eve</i>",
                                    "errors": ["</div><script>alert(2)</script>"]})
    html = student.page(report, View())
    assert "<script" not in html and "<img" not in html and "<i>eve" not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;/div&gt;&lt;script&gt;alert(2)" in html
    assert "\x1b" not in html and "[31m" not in html


def test_failure_messages_group_across_numbers() -> None:
    a = ("with x=2.0, y=4.0, w=1.0: manual_gradient(x, y, w) is 8.0; expected -8.0 (the sign is flipped) "
         "[0 of 11 cases passed]")
    b = ("with x=-2.0, y=1.0, w=0.5: manual_gradient(x, y, w) is -8.0; expected 8.0 (the sign is flipped) "
         "[0 of 9 cases passed]")
    assert normalize(a) == normalize(b)
    assert normalize("train(xs, ys, w0=w0): history has 100 values") == "train(xs, ys, w0=w0): history has # values"
    assert normalize(a) != normalize(a.replace("sign is flipped", "factor of 2 missing?"))


def test_class_statistics_match_the_reports(tmp_path: Path) -> None:
    reports = write_class(tmp_path, 60)
    stats = dashboard_stats(read_folder(tmp_path))
    assert stats.students == 60
    assert stats.mean == pytest.approx(sum(r.score for r in reports) / 60)
    for name, target, *_ in CHECKS:
        check = next(c for c in stats.checks if c.name == name)
        passed = sum(1 for r in reports for c in r.checks if c.name == name and c.status == "passed")
        assert check.pass_rate == pytest.approx(passed / 60)
        assert check.target == target
    sign = [g for g in stats.failures if "sign is flipped" in g.pattern]
    assert len(sign) == 1  # one group whatever the numbers, across both gradient checks
    assert sign[0].checks == ["manual_gradient matches finite differences", "manual_gradient matches autograd"]
    flipped = {r.student for r in reports for c in r.checks if "sign is flipped" in c.message}
    assert {s for g in sign for s in g.students} == flipped
    with_problems = {r.student for r in reports if r.errors or any(c.status in ("error", "timeout") for c in r.checks)}
    assert stats.problem_students == len(with_problems)


def test_loss_plot_draws_what_a_log_scale_can_and_says_what_it_cannot() -> None:
    history: list[object] = [10.0 * 0.9 ** i for i in range(2000)]
    history[5], history[6], history[1999] = 0.0, -1.0, "nan"
    plot = loss_plot([Series("yours", history, "student"), Series("reference", [1.0, 0.5], "reference")], "t")
    assert plot is not None
    root = ElementTree.fromstring(str(plot.svg))
    paths = root.findall("{http://www.w3.org/2000/svg}path")
    assert len(paths) == 2
    points = paths[0].get("d", "").count(",")
    assert 500 < points < 1400  # 1999 finite values thinned to min/max per pixel column
    assert any("not finite" in n and "epoch 1999" in n for n in plot.notes)
    assert any("<= 0" in n and "epoch 5" in n for n in plot.notes)
    assert loss_plot([Series("yours", [0.0, "nan"], "student")], "t") is None


def test_side_by_side_aligns_nested_values_and_flags_what_differs() -> None:
    table = side_by_side({"W": [[1.0, 2.0]], "b": [0.5]}, {"W": [[1.0, 2.5]], "b": [0.5], "c": "nan"})
    rows = {r.where: r for r in table.rows}
    assert list(rows) == ["W[0][0]", "W[0][1]", "b[0]", "c"]
    assert not rows["W[0][0]"].off and rows["W[0][1]"].off and rows["W[0][1]"].difference == "-0.5"
    assert rows["c"].student == "(missing)" and rows["c"].off
    assert not math.isnan(float(rows["b[0]"].student))
    many = side_by_side(list(range(100)), [0] * 100, limit=10)
    assert len(many.rows) == 10 and many.omitted == 90


def test_feedback_command_writes_pages_dashboard_and_figures(tmp_path: Path) -> None:
    reports = write_class(tmp_path, 12)
    stale = tmp_path / "feedback" / "students" / "someone_gone.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    assert main(["feedback", str(tmp_path)]) == 0
    out = tmp_path / "feedback"
    pages = sorted(p.stem for p in (out / "students").glob("*.html"))
    assert pages == sorted(r.student for r in reports)  # summary.json and old/stray.json are not reports
    index = (out / "index.html").read_text()
    assert all(f'href="students/{r.student}.html"' in index for r in reports)
    assert "http://" not in index.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for name in ("score-histogram", "pass-rate-per-check", "pass-rate-per-function"):
        assert (out / "plots" / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        ElementTree.parse(out / "plots" / f"{name}.svg")


def test_feedback_errors_name_the_file_and_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feedback", str(tmp_path)]) == 2
    assert "no reports" in " ".join(capsys.readouterr().err.split())
    (tmp_path / "alice.json").write_text('{"schema_version": 1, "student": "alice"}')
    assert main(["feedback", str(tmp_path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "alice.json: not a grader report" in err and "grade again" in err
    assert main(["feedback", str(tmp_path / "missing")]) == 2
    assert "no such folder" in " ".join(capsys.readouterr().err.split())


# ---------------------------------------------------------------------------------------------
# Names where people read them: from the LMS download or a roster; the id stays on the dashboard


def _named_class(folder: Path, who: dict[str, dict[str, object]]) -> Path:
    """Reports of these ids, each with these SubmissionInfo fields (name, lms, id_kind, late)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (student_id, info) in enumerate(who.items()):
        report = student_report(i, random.Random(i))
        submission = report.submission.model_copy(update=info)
        report = report.model_copy(update={"student": student_id, "submission": submission})
        (folder / f"{student_id}.json").write_text(report.to_json(), encoding="utf-8")
    return folder


def _page(folder: Path, student_id: str) -> str:
    return (folder / "feedback" / "students" / f"{student_id}.html").read_text()


def _dashboard_rows(folder: Path) -> dict[str, str]:
    """id → the dashboard's student cell (the link's text), from the students table."""
    index = (folder / "feedback" / "index.html").read_text()
    table = index[index.index('id="students-list"'):]
    return {m[1]: m[0] for m in re.findall(r'<a href="[^"]+">([^<]*)</a>.*?</td>\s*<td class="small">([^<]*)</td>',
                                           table, re.DOTALL)}


def test_pages_name_the_student_the_download_named_and_flag_a_late_one(tmp_path: Path) -> None:
    canvas = {"lms": "canvas", "id_kind": "user_id"}
    folder = _named_class(tmp_path / "out", {
        "101": {"name": "lovelaceada", **canvas, "late": False},
        "102": {"name": "smithbob", **canvas, "late": True},
        "103": {**canvas},  # an id the download gave no name for
    })
    assert main(["feedback", str(folder)]) == 0
    ada, bob, nameless = (_page(folder, s) for s in ("101", "102", "103"))
    assert "<h1>Feedback for lovelaceada</h1>" in ada and "student id 101" in ada
    assert "<title>backprop: feedback for lovelaceada</title>" in ada
    assert 'id="late"' in bob and "handed in late" in bob and 'id="late"' not in ada
    assert "<h1>Feedback for 103</h1>" in nameless and "student id" not in nameless
    assert _dashboard_rows(folder) == {"101": "lovelaceada", "102": "smithbob", "103": "103"}


CANVAS_GRADEBOOK = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,HW3: Backprop (5551)\n"
    "    Points Possible,,,,,10.00\n"
    '"Lovelace, Ada",101,S001,alovelace,CS101-01,\n'
    '"Smith, Bob",102,S002,bsmith,CS101-01,\n'
    '"Student, Test",1099,,3f2a9c0d5b7e4a1c8d6f0b2e9a7c5d3b1f0e8a6c,CS101-01,\n'
)


def test_a_roster_names_students_matched_as_export_matches(tmp_path: Path) -> None:
    canvas = {"lms": "canvas", "id_kind": "user_id"}
    folder = _named_class(tmp_path / "out", {"101": {"name": "lovelaceada", **canvas},
                                             "102": {**canvas}, "104": {"name": "dandan", **canvas}})
    roster = tmp_path / "gradebook.csv"
    roster.write_text(CANVAS_GRADEBOOK, encoding="utf-8")
    assert main(["feedback", str(folder), "--roster", str(roster)]) == 0
    # matched by Canvas's ID column (the reports say they are Canvas user ids); "Last, First" turned around
    assert "<h1>Feedback for Ada Lovelace</h1>" in _page(folder, "101")
    assert "<h1>Feedback for Bob Smith</h1>" in _page(folder, "102")
    assert _dashboard_rows(folder) == {"101": "Ada Lovelace", "102": "Bob Smith", "104": "dandan"}  # 104: not listed


def test_a_roster_for_plain_files_is_matched_by_the_column_that_holds_the_ids(tmp_path: Path) -> None:
    folder = _named_class(tmp_path / "out", {"alovelace": {}, "d_dan": {}, "zzed": {}})
    roster = tmp_path / "gc.xls"  # Blackboard's Grade Center download: UTF-16, tab-separated, quoted
    rows = [["Last Name", "First Name", "Username", "Student ID"], ["Lovelace", "Ada", "alovelace", "S001"],
            ["Dan", "Dan", "d_dan", "S004"], ["Zed", "Zoë", "zzed", "S003"], ["Zed", "Zoltan", "zzed", "S005"]]
    roster.write_bytes("\r\n".join("\t".join(f'"{c}"' for c in row) for row in rows).encode("utf-16"))
    assert main(["feedback", str(folder), "--roster", str(roster)]) == 0
    # zzed appears twice with two names: no name rather than perhaps the wrong one
    assert _dashboard_rows(folder) == {"alovelace": "Ada Lovelace", "d_dan": "Dan Dan", "zzed": "zzed"}


def test_a_roster_that_matches_nothing_says_which_column_to_name(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = _named_class(tmp_path / "out", {"alovelace": {}})
    roster = tmp_path / "list.csv"
    roster.write_text("Email address,Full name\nsomeone@uni.edu,Some One\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["feedback", str(folder), "--roster", str(roster)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{roster}: no column holds the reports' student ids" in err and "--roster-key" in err
    assert main(["feedback", str(folder), "--roster", str(roster), "--roster-key", "Login"]) == 2
    assert "no column 'Login'" in " ".join(capsys.readouterr().err.split())


def test_grading_time_is_on_instructor_views_only_and_the_similarity_report_is_linked(tmp_path: Path) -> None:
    """How long grading took times the hidden cases: a student's page must not show it."""
    report = student_report(0, random.Random(1)).model_copy(update={"duration_s": 12.3456})
    assert "12.35 s" not in student.page(report, View("published"))
    assert "12.35 s" in student.page(report, View("none", instructor=True))
    folder = tmp_path / "out"
    write_class(folder, 3)
    assert main(["feedback", str(folder)]) == 0
    assert "similarity-link" not in (folder / "feedback" / "index.html").read_text()
    (folder / "similarity").mkdir()  # what `grader similarity ... --out DIR` writes
    assert main(["feedback", str(folder)]) == 0
    dashboard = (folder / "feedback" / "index.html").read_text()
    assert '<a href="../similarity/index.html" id="similarity-link">' in dashboard
