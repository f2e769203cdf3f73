"""Shared fixtures: warm sandbox workers and graded scenario batches, built once per session."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader import batch
from grader.assignment.loader import Assignment, load
from grader.executors.local import LocalExecutor
from grader.grading import Plan
from grader.report import Report
from grader.sandbox.pool import Pool
from grader.submission import Submission

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = Path(__file__).parent / "scenarios"
ASSIGNMENTS = ["linear_model", "gradient_descent", "backprop", "quadratic", "two_layer"]


@pytest.fixture(scope="session")
def pool() -> Iterator[Pool]:
    with Pool(2) as workers:
        workers.launch()
        workers.wait()
        yield workers


_plans: dict[str, Plan] = {}


def plan_for(name: str, include_hidden: bool = True) -> Plan:
    key = f"{name}:{include_hidden}"
    if key not in _plans:
        assignment = load(name)
        _plans[key] = Plan(assignment, include_hidden=include_hidden, reference=assignment.load_reference())
        _plans[key].warm()
    return _plans[key]


def assignment(name: str) -> Assignment:
    return plan_for(name).assignment


def scenario_files(name: str) -> dict[str, Path]:
    """Each scenario's submission by id: the files in scenarios/<name>/ and, as `stub`, the
    generated stub students are handed (graded itself, not a copy that could drift from it)."""
    files = {p.stem: p for p in sorted((SCENARIOS / name).iterdir()) if p.suffix in (".py", ".ipynb")}
    return {**files, "stub": ROOT / "assignments" / name / f"{name}.py"}


def expectations(name: str) -> dict[str, dict[str, Any]]:
    """What each scenario's report must show: expected.toml (our own scenarios) and real.toml
    (real students' solutions from public repositories, graded as a careful reader would)."""
    found: dict[str, dict[str, Any]] = {}
    for file in ("expected.toml", "real.toml"):
        path = SCENARIOS / name / file
        if path.is_file():
            table = tomllib.loads(path.read_text())
            clash = set(table) & set(found)
            assert not clash, f"{path}: scenarios declared twice: {sorted(clash)}"
            found.update(table)
    return found


_graded: dict[str, dict[str, Report]] = {}


@pytest.fixture(scope="session")
def graded(pool: Pool, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`graded(name)`: every scenario submission of an assignment, graded in one batch."""

    def run(name: str) -> dict[str, Report]:
        if name not in _graded:
            plan = plan_for(name)
            subs = [Submission(student, path, source=path) for student, path in scenario_files(name).items()]
            out = tmp_path_factory.mktemp(f"reports-{name}")
            result = batch.run(plan, subs, out, LocalExecutor(plan, pool))
            _graded[name] = {r.student: r for r in result.reports}
        return _graded[name]

    return run
