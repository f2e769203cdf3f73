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


SUDO = 'sudo -E env "PATH=$PATH" '


def _grader_commands(script: str, env: dict[str, str]) -> list[list[str]]:
    commands = []
    for line in script.splitlines():
        line = line.split("||")[0].strip().removeprefix(SUDO)
        if line.startswith("grader "):
            expanded = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), line)
            commands.append(shlex.split(expanded)[1:])
    return commands


def test_instructor_workflow_commands_are_valid_grader_commands() -> None:
    flow = workflow("grade-submissions.yml")
    job = flow["jobs"]["grade"]
    env = {"ASSIGNMENT": "backprop", "SUBMISSIONS": "submissions/backprop", "SANDBOX": job["env"]["SANDBOX"]}
    assert job["env"]["ASSIGNMENT"] == "${{ matrix.assignment }}"  # the assignment is an input, not backprop
    commands = [c for s in job["steps"] if "run" in s for c in _grader_commands(s["run"], env)]
    verbs = [c[0] for c in commands]
    assert verbs.count("grade") == 1 and verbs.count("export") >= 2 and verbs.count("doctor") == 1
    for command in commands:
        _parser().parse_args(command)  # exits (fails the test) on an unknown option
    # doctor requires the very tier grade is forced to use, before grade runs, and both run as root
    doctor, grade = (next(c for c in commands if c[0] == verb) for verb in ("doctor", "grade"))
    assert verbs.index("doctor") < verbs.index("grade")
    tier = doctor[doctor.index("--require") + 1]
    assert tier == "bwrap" == doctor[doctor.index("--sandbox") + 1] == grade[grade.index("--sandbox") + 1]
    script = "\n".join(s["run"] for s in job["steps"] if "run" in s)
    assert f"{SUDO}grader doctor" in script and f"{SUDO}grader grade" in script and "|| true" not in script
    junit = next(c for c in commands if c[:3] == ["export", "--format", "junit"])
    published = next(s for s in job["steps"] if "test-reporter" in s.get("uses", ""))
    published_path = published["with"]["path"].replace("${{ matrix.assignment }}", "backprop")
    assert published_path == junit[junit.index("--output") + 1]
    uploaded = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    assert uploaded["with"]["path"] == "out/"


def test_workflows_cache_pip_and_take_torch_from_the_cpu_index() -> None:
    for name, job in (("classroom.yml", "run-autograding-tests"), ("grade-submissions.yml", "grade")):
        steps = workflow(name)["jobs"][job]["steps"]
        setup = next(s for s in steps if "actions/setup-python" in s.get("uses", ""))
        assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"]
        install = " ".join(s.get("run", "") for s in steps)
        assert "pip install" in install and "torch --index-url https://download.pytorch.org/whl/cpu" in install


def test_the_classroom_workflow_needs_no_solutions_and_no_seed() -> None:
    text = (TEMPLATES / "classroom.yml").read_text()
    code = "\n".join(line.split("#")[0] for line in text.splitlines())  # comments may explain, code may not use
    assert "secrets." not in code and "GRADER_SEED" not in code and "solutions" not in code
    assert "grading.toml" not in code


def _pick(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    flow = workflow("grade-submissions.yml")
    step = next(s for s in flow["jobs"]["plan"]["steps"] if s.get("id") == "pick")
    output = repo / "github_output"
    output.write_text("")
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "GITHUB_OUTPUT": str(output), "REQUESTED": "", "BEFORE": "",
                               "AFTER": "HEAD", **env})


def _picked(repo: Path) -> list[str]:
    line = next(x for x in (repo / "github_output").read_text().splitlines() if x.startswith("assignments="))
    names = json.loads(line.removeprefix("assignments="))
    assert isinstance(names, list)
    return names


def test_the_grading_workflow_grades_the_assignments_a_push_changed(tmp_path: Path) -> None:
    """The plan job's script, run for real on a repository: a push grades what it touched."""
    repo = tmp_path / "course"
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    for name in ("backprop", "two_layer"):
        (repo / "assignments" / name).mkdir(parents=True)
        (repo / "assignments" / name / "assignment.toml").write_text("")
        (repo / "submissions" / name).mkdir(parents=True)
        (repo / "submissions" / name / "alice.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)
    first = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    (repo / "submissions" / "two_layer" / "bob.py").write_text("x = 2\n")
    (repo / "submissions" / "not_an_assignment").mkdir()
    (repo / "submissions" / "not_an_assignment" / "carol.py").write_text("x = 3\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "second"], check=True)

    done = _pick(repo, BEFORE=first)
    assert done.returncode == 0, done.stderr
    assert _picked(repo) == ["two_layer"] and "not_an_assignment has no assignments/" in done.stdout
    assert _pick(repo, BEFORE="0" * 40).returncode == 0 and _picked(repo) == ["backprop", "two_layer"]
    assert _pick(repo, REQUESTED="backprop").returncode == 0 and _picked(repo) == ["backprop"]
    wrong = _pick(repo, REQUESTED="backprp")
    assert wrong.returncode != 0 and "no assignment named backprp" in wrong.stdout


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[dev]'"
    return found


def test_the_workflow_templates_pass_the_workflow_schema_and_zizmor() -> None:
    """GitHub's workflow syntax (SchemaStore's schema, vendored by check-jsonschema, offline) and
    zizmor's security audits (template injection, unpinned actions, persisted credentials...)."""
    files = [str(p) for p in sorted(TEMPLATES.glob("*.yml"))]
    schema = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files],
                            capture_output=True, text=True, timeout=120)
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", "--format", "plain", *files],
                           capture_output=True, text=True, timeout=120)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The linters above can fail: a typo in a key is caught."""
    broken = tmp_path / "broken.yml"
    broken.write_text((TEMPLATES / "grade-submissions.yml").read_text().replace("runs-on:", "run-on:", 1))
    schema = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
                            capture_output=True, text=True, timeout=120)
    assert schema.returncode != 0


def test_doctor_fails_loudly_when_the_required_tier_is_missing() -> None:
    """What the grading workflow's sandbox step relies on: a weaker tier is exit 2 and one line."""
    doctor = [sys.executable, "-m", "grader", "doctor", "--sandbox", "portable", "--require"]
    weaker = subprocess.run([*doctor, "rlimit"], capture_output=True, text=True, timeout=120)
    assert weaker.returncode == 2, weaker.stdout + weaker.stderr
    assert weaker.stderr.count("\n") == 1 and "Traceback" not in weaker.stderr
    assert "the rlimit sandbox tier is required, but this machine gives portable" in weaker.stderr
    enough = subprocess.run([*doctor, "portable"], capture_output=True, text=True, timeout=120)
    assert enough.returncode == 0, enough.stdout + enough.stderr
