"""Gradescope mode: `grader gradescope run` as run_autograder, and the zip `build` makes.

Every run happens in a temporary /autograder-shaped folder; whatever the submission does (or if
the autograder itself is broken), results.json must be valid against the schema written from
FORMATS.md §1.2, because a missing or invalid file makes Gradescope show "The autograder failed
to execute correctly" and no score.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SCENARIOS

GRADER = [sys.executable, "-m", "grader"]
SCHEMA = ROOT / "schema" / "gradescope-results.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
ASSIGNMENT = ROOT / "assignments" / "backprop"
# Gradescope's container gives linux-rlimit as root; use it wherever this machine can.
SANDBOX = ["--sandbox", "rlimit"] if sys.platform.startswith("linux") and os.geteuid() == 0 else []


def autograder(tmp_path: Path, name: str, source: str | None = None) -> Path:
    root = tmp_path / name
    (root / "submission").mkdir(parents=True)
    if source is not None:
        (root / "submission" / "backprop.py").write_text(source, encoding="utf-8")
    (root / "submission_metadata.json").write_text(json.dumps({
        "id": 1, "created_at": "2026-03-02T10:00:00.000000+00:00", "submission_method": "upload",
        "assignment": {"due_date": "2026-03-01T23:59:00.000000+00:00", "title": "backprop", "total_points": "10.0"},
        "users": [{"email": f"{name}@uni.edu", "id": 7, "name": name}], "previous_submissions": []}))
    return root


def run(root: Path, *extra: str, assignment: Path = ASSIGNMENT) -> tuple[subprocess.CompletedProcess[str], dict]:
    result = subprocess.run([*GRADER, "gradescope", "run", str(assignment), "--root", str(root), *SANDBOX, *extra],
                            capture_output=True, text=True, timeout=240, cwd=root)
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    VALIDATOR.validate(data)
    return result, data


SCENARIO_NAMES = ["correct_seed", "syntax_error", "sys_exit_at_import", "patched_checkers"]
Run = tuple[subprocess.CompletedProcess[str], dict]


def forger(tmp_path: Path) -> tuple[Path, Path]:
    """A submission that writes a perfect results.json where Gradescope reads it, then executes the
    reference solution if it can read it (the course sits outside the autograder root here)."""
    root = autograder(tmp_path, "forger")
    course = tmp_path / "course"
    shutil.copytree(ASSIGNMENT, course / "assignments" / "backprop")
    shutil.copytree(ROOT / "solutions" / "backprop", course / "solutions" / "backprop")
    solution = course / "solutions" / "backprop" / "backprop.py"
    (root / "submission" / "backprop.py").write_text(f"""
import json, os
for folder in [{str(root / "results")!r}, {str(root)!r}, "/autograder/results"]:
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "results.json"), "w") as handle:
            json.dump({{"score": 1000, "tests": [{{"name": "forged", "score": 1000}}]}}, handle)
    except OSError:
        pass
try:
    exec(open({str(solution)!r}).read())
except OSError:
    pass
""")
    return root, course / "assignments" / "backprop"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every submission below, each through `grader gradescope run`, two at a time."""
    tmp = tmp_path_factory.mktemp("gradescope")
    jobs: dict[str, tuple[Path, Path]] = {
        n: (autograder(tmp, n, (SCENARIOS / "backprop" / f"{n}.py").read_text()), ASSIGNMENT) for n in SCENARIO_NAMES}
    jobs["forger"] = forger(tmp)
    linker = autograder(tmp, "linker")
    (linker / "submission" / "backprop.py").symlink_to(ROOT / "solutions" / "backprop" / "backprop.py")
    jobs["linker"] = (linker, ASSIGNMENT)
    with ThreadPoolExecutor(2) as pool:
        futures = {name: pool.submit(run, root, assignment=assignment) for name, (root, assignment) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_correct_crashing_and_hostile_submissions_get_valid_results(runs: dict[str, Run], name: str) -> None:
    result, data = runs[name]  # run() validated results.json against the schema
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    assert data["extra_data"]["student"] == f"{name}@uni.edu"
    graded = [t for t in data["tests"] if "max_score" in t]
    assert len(graded) == 9 and sum(t["max_score"] for t in graded) == 10
    assert all(t["visibility"] == "visible" for t in graded)  # backprop's checks are all visible
    assert data["score"] == (10 if name == "correct_seed" else 0)
    if name == "syntax_error":
        first = data["tests"][0]
        assert first["name"] == "Submission loads" and "SyntaxError at line 9" in first["output"]
    if name == "sys_exit_at_import":
        assert "called sys.exit while being loaded" in data["output"]


def test_printed_output_reaches_only_the_instructors_stdout(runs: dict[str, Run]) -> None:
    """It may show hidden cases' data (train prints its loss on hidden training sets)."""
    result, data = runs["correct_seed"]
    assert "progress: 0" in result.stdout and "progress" not in json.dumps(data)
    assert "sandbox linux-rlimit" in result.stdout or not SANDBOX


def test_a_submission_cannot_forge_results_or_read_the_reference(runs: dict[str, Run]) -> None:
    result, data = runs["forger"]
    assert result.returncode == 0, result.stdout[-2000:]
    assert data["score"] == 0 and "forged" not in json.dumps(data)
    root = Path(result.args[result.args.index("--root") + 1])
    assert sorted(p.name for p in (root / "results").iterdir()) == ["results.json"]
    assert not (root / "results.json").exists()


def test_a_symlink_to_the_reference_is_not_graded(runs: dict[str, Run]) -> None:
    result, data = runs["linker"]
    assert data["score"] == 0, result.stdout[-2000:]
    assert "backprop.py is a symbolic link" in data["tests"][0]["output"]


def test_a_broken_autograder_still_writes_valid_results(tmp_path: Path) -> None:
    root = autograder(tmp_path, "anyone", "def forward(x, w):\n    return x * w\n")
    result, data = run(root, assignment=tmp_path / "no-such-assignment")
    assert result.returncode == 2
    assert data["score"] == 0 and "not a problem with your code" in data["output"]
    assert "AUTOGRADER ERROR" in result.stdout and "no-such-assignment" in result.stdout
    assert "no-such-assignment" not in json.dumps(data)  # the cause is for instructors only


def test_build_makes_a_zip_whose_run_autograder_grades(tmp_path: Path) -> None:
    from grader.assignment.loader import load
    from grader.gradescope.bundle import build

    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    built = subprocess.run([*GRADER, "gradescope", "build", "backprop", "--output", str(first)],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    assert "keep it private" in built.stdout
    build(load("backprop"), second)
    assert first.read_bytes() == second.read_bytes()  # deterministic: rebuilding shows real changes only
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        archive.extractall(tmp_path / "root" / "source")
    assert {"setup.sh", "run_autograder", "constraints.txt", "grader-src/pyproject.toml",
            "grader-src/grader/cli.py", "course/assignments/backprop/assignment.toml",
            "course/solutions/backprop/backprop.py", "course/solutions/backprop/grading.toml"} <= set(names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert modes["setup.sh"] & 0o777 == 0o755 and modes["run_autograder"] & 0o777 == 0o755
    assert modes["course/solutions/backprop/grading.toml"] & 0o077 == 0  # only root reads the seed
    source = tmp_path / "root" / "source"
    for script in ("setup.sh", "run_autograder"):
        assert subprocess.run(["bash", "-n", str(source / script)]).returncode == 0
        assert (source / script).read_text().startswith("#!/usr/bin/env bash\n")

    root = autograder(tmp_path, "root", (SCENARIOS / "backprop" / "correct_seed.py").read_text())
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_BIN": str(Path(sys.executable).parent / "grader")}
    ran = subprocess.run(["bash", str(source / "run_autograder")], env=env, capture_output=True, text=True,
                         timeout=240, cwd=root)
    assert ran.returncode == 0, ran.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    VALIDATOR.validate(data)
    assert data["score"] == 10, ran.stdout[-2000:]

    # if the grader cannot even start, run_autograder still leaves a valid results.json
    (root / "results" / "results.json").unlink()
    env["GRADER_BIN"] = str(tmp_path / "missing-grader")
    assert subprocess.run(["bash", str(source / "run_autograder")], env=env, capture_output=True).returncode == 0
    fallback = json.loads((root / "results" / "results.json").read_text())
    VALIDATOR.validate(fallback)
    assert fallback["score"] == 0 and fallback["tests"]


@pytest.mark.parametrize("metadata", ["", "not json", '{"users": "nobody"}'])
def test_odd_metadata_is_read_leniently(tmp_path: Path, metadata: str) -> None:
    from grader.gradescope.runner import is_late, read_metadata, student_of

    path = tmp_path / "submission_metadata.json"
    path.write_text(metadata)
    data = read_metadata(path)
    assert student_of(data) == "submission" and is_late(data) is None
