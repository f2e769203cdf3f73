"""grader.api: the command line's verbs from Python, with no terminal anywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import rich.console

from grader import api
from grader.progress import Event
from grader.reports import read_report, report_paths
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "backprop"


def test_api_grade_gives_the_clis_reports_without_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_console(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("grader.api created a rich Console")

    events: list[Event] = []
    with monkeypatch.context() as patched:
        patched.setattr(rich.console.Console, "__init__", no_console)
        result = api.grade("backprop", [EXAMPLES], tmp_path / "api", jobs=2, progress=events.append)

    assert result.graded == 12 and result.kept == 0 and result.grader_errors == []
    assert result.max_score == 10.0 and result.seconds > 0
    assert sorted(r.student for r in result.reports) == sorted(p.stem for p in report_paths(tmp_path / "api"))
    assert [e.kind for e in events if e.kind != "graded"] == ["start"]
    graded = [e for e in events if e.kind == "graded"]
    assert [e.done for e in graded] == list(range(1, 13)) and all(e.total == 12 for e in graded)
    assert {e.report.student for e in graded if e.report} == {r.student for r in result.reports}

    cli = subprocess.run([sys.executable, "-m", "grader", "grade", "backprop", str(EXAMPLES), "--out",
                          str(tmp_path / "cli"), "--jobs", "2"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert cli.returncode == 0, cli.stderr
    from_cli = {p.name: read_report(p) for p in report_paths(tmp_path / "cli")}
    from_api = {p.name: read_report(p) for p in report_paths(tmp_path / "api")}
    assert set(from_cli) == set(from_api) and len(from_api) == 12
    for name, report in from_cli.items():
        assert from_api[name].comparable() == report.comparable(), name
    assert (tmp_path / "api" / "summary.json").read_text() == (tmp_path / "cli" / "summary.json").read_text()

    again = api.grade("backprop", [EXAMPLES], tmp_path / "api", jobs=1)  # resumes: nothing to grade
    assert again.graded == 0 and again.kept == 12


def test_api_user_errors_are_raised_not_printed(tmp_path: Path) -> None:
    from grader.errors import UserError

    with pytest.raises(UserError, match="no submissions found"):
        api.grade("backprop", [tmp_path], tmp_path / "out", jobs=1)
