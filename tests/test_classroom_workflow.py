"""The workflow templates in templates/github/: GitHub Classroom (students) and grading CI (instructors).

The Classroom workflow's grading step is run for real, in a folder laid out like a student's
repository, and its output decoded and added up the way `autograding-grading-reporter` does
(FORMATS.md §2.2, §2.5). The instructor workflow's commands are parsed by the grader's own CLI.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from grader.cli import _parser
from tests.conftest import ROOT, SCENARIOS

TEMPLATES = ROOT / "templates" / "github"


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((TEMPLATES / name).read_text())
    assert isinstance(data, dict)
    return data


def test_classroom_workflow_has_the_shape_the_reporter_needs() -> None:
    flow = workflow("classroom.yml")
    assert "push" in flow["on"]
    job = flow["jobs"]["run-autograding-tests"]  # Classroom looks for a check run with this name
    assert "name" not in job
    steps = {step.get("id"): step for step in job["steps"]}
    reporter = next(s for s in job["steps"] if "autograding-grading-reporter" in s.get("uses", ""))
    runners = [r.strip() for r in reporter["with"]["runners"].split(",")]
    for runner in runners:
        assert runner in steps, f"no step with id {runner}"
        assert reporter["env"][f"{runner.upper()}_RESULTS"] == f"${{{{ steps.{runner}.outputs.result }}}}"


def _run_grading_step(repo: Path, student_file: str) -> dict[str, Any]:
    flow = workflow("classroom.yml")
    step = next(s for s in flow["jobs"]["run-autograding-tests"]["steps"] if s.get("id") == "grader")
    output, temp = repo / "github_output", repo / "runner_temp"
    temp.mkdir()
    env = {**os.environ, **flow["env"], "ASSIGNMENT_FILE": student_file, "GITHUB_OUTPUT": str(output),
           "RUNNER_TEMP": str(temp), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    # GitHub runs `run:` scripts with `bash -e {0}`
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    line = next(x for x in output.read_text().splitlines() if x.startswith("result="))
    result = json.loads(base64.b64decode(line.removeprefix("result=")))
    assert isinstance(result, dict)
    return result


def test_classroom_step_reports_the_public_points(tmp_path: Path) -> None:
    repo = tmp_path / "student-repo"
    shutil.copytree(ROOT / "assignments" / "backprop", repo)
    shutil.copy(SCENARIOS / "backprop" / "missing_factor_two.py", repo / "backprop.py")
    result = _run_grading_step(repo, "backprop.py")
    # the reporter: maxPoints = Σ max_score, totalPoints = Σ tests[].score; the job fails on "fail"
    assert result["version"] == 1 and result["max_score"] == 10 and result["status"] == "fail"
    assert all(isinstance(t["score"], int | float) for t in result["tests"])
    failing = {t["name"] for t in result["tests"] if t["status"] != "pass"}
    assert failing == {"manual_gradient matches finite differences", "manual_gradient matches autograd"}
    assert sum(t["score"] for t in result["tests"]) == 7.5
    assert all("a factor of 2 missing" in t["message"] for t in result["tests"] if t["name"] in failing)


def test_classroom_step_reports_an_error_when_the_grader_cannot_run(tmp_path: Path) -> None:
    repo = tmp_path / "not-an-assignment"
    repo.mkdir()
    (repo / "backprop.py").write_text("x = 1\n")
    result = _run_grading_step(repo, "backprop.py")
    assert result["status"] == "error" and result["tests"][0]["score"] == 0


def _grader_commands(script: str, env: dict[str, str]) -> list[list[str]]:
    commands = []
    for line in script.splitlines():
        line = line.split("||")[0].strip()
        if line.startswith("grader "):
            expanded = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), line)
            commands.append(shlex.split(expanded)[1:])
    return commands


def test_instructor_workflow_commands_are_valid_grader_commands() -> None:
    flow = workflow("grade-submissions.yml")
    job = flow["jobs"]["grade"]
    env = {"ASSIGNMENT": "backprop", "SUBMISSIONS": "submissions/backprop"}
    commands = [c for s in job["steps"] if "run" in s for c in _grader_commands(s["run"], env)]
    verbs = [c[0] for c in commands]
    assert verbs.count("grade") == 1 and verbs.count("export") >= 2
    for command in commands:
        _parser().parse_args(command)  # exits (fails the test) on an unknown option
    junit = next(c for c in commands if c[:3] == ["export", "--format", "junit"])
    published = next(s for s in job["steps"] if "test-reporter" in s.get("uses", ""))
    assert published["with"]["path"].replace("${{ env.ASSIGNMENT }}", "backprop") == junit[junit.index("--output") + 1]
    uploaded = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    assert uploaded["with"]["path"] == "out/"
