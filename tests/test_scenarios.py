"""Scenario tests: a submission in, the expected report out.

Each `scenarios/<assignment>/<name>.py` (or `.ipynb`) is a student's submission: correct in some
style, a typical mistake, a cheat or something hostile. `expected.toml` beside them says what
the report must show, per scenario:

    score     the exact total (optional)
    fails     exactly the targets (functions) with a check that did not pass
    status    {target = status}: every non-passing check of that target has this status
    messages  {target = [substrings]}: each appears in a non-passing check's message of that target
    errors    [substrings] in the report's submission-level errors
    notes     [substrings] in the report's submission notes
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ASSIGNMENTS, ROOT, SCENARIOS, expectations, scenario_files

CASES = [(name, scenario) for name in ASSIGNMENTS for scenario in sorted(expectations(name))]
SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text())
KEYS = {"why", "score", "fails", "status", "messages", "errors", "notes"}


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_scenario_file_has_expectations(name: str) -> None:
    files = set(scenario_files(name))
    declared = set(expectations(name))
    assert files == declared, (
        f"files without expectations: {files - declared}; expectations without files: {declared - files}"
    )
    for scenario, spec in expectations(name).items():
        assert set(spec) <= KEYS, f"{scenario}: unknown keys {set(spec) - KEYS}"
        assert "fails" in spec and "why" in spec, f"{scenario}: `why` and `fails` are required"


@pytest.mark.parametrize(("name", "scenario"), CASES, ids=[f"{n}/{s}" for n, s in CASES])
def test_scenario(name: str, scenario: str, graded) -> None:  # type: ignore[no-untyped-def]
    spec = expectations(name)[scenario]
    report = graded(name)[scenario]
    jsonschema.validate(json.loads(report.to_json()), SCHEMA)
    summary = "\n".join(f"  {c.status:8} {c.score:g}/{c.max_score:g} [{c.target}] {c.name}: {c.message}"
                        for c in report.checks)
    context = f"{name}/{scenario} ({spec['why']}):\n{summary}\nerrors: {report.errors}"
    failing = {c.target for c in report.checks if c.status != "passed"}
    assert failing == set(spec["fails"]), context
    if "score" in spec:
        assert report.score == pytest.approx(spec["score"]), context
    for target, status in spec.get("status", {}).items():
        statuses = {c.status for c in report.checks if c.target == target and c.status != "passed"}
        assert statuses == {status}, context
    for target, fragments in spec.get("messages", {}).items():
        messages = " | ".join(c.message for c in report.checks if c.target == target and c.status != "passed")
        for fragment in fragments:
            assert fragment in messages, f"{fragment!r} not in messages of {target}\n{context}"
    errors = " | ".join(report.errors)
    for fragment in spec.get("errors", []):
        assert fragment in errors, f"{fragment!r} not in errors\n{context}"
    notes = " | ".join(report.submission.notes)
    for fragment in spec.get("notes", []):
        assert fragment in notes, f"{fragment!r} not in notes\n{context}"


def test_scenario_ids_are_file_stems() -> None:
    for name in ASSIGNMENTS:
        for path in [*Path(SCENARIOS / name).glob("*.py"), *Path(SCENARIOS / name).glob("*.ipynb")]:
            assert path.stem.isidentifier(), path
