"""The authors' reference: assignment.toml's JSON Schema and docs/authoring/reference.md, from the code.

The schema must reject what the grader rejects, at the same field, so an editor that validates
with it (taplo, VS Code's Even Better TOML) shows the mistake where the grader would; the
committed schema and reference must be what `grader schema` writes; every helper is documented
and its documented example runs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import torch

from grader.assignment import helper_docs, reference_doc, schema_file
from grader.assignment.loader import AssignmentError, load
from grader.checks.cases import build_cases
from grader.language.evaluator import Evaluator
from grader.language.helpers import finalize, make_helpers
from grader.language.syntax import ExprError, called_names
from tests.conftest import ASSIGNMENTS, ROOT

BASE = (ROOT / "assignments" / "backprop" / "assignment.toml").read_text()
SCHEMA = json.loads((ROOT / "schema" / "assignment.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_committed_schema_and_reference_are_what_the_code_writes() -> None:
    assert (ROOT / "schema" / "assignment.schema.json").read_text() == schema_file.schema_text(), \
        "run `grader schema`"
    assert (ROOT / "docs" / "authoring" / "reference.md").read_text() == reference_doc.reference_text(), \
        "run `grader schema`"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_check_fails_on_a_stale_reference(tmp_path: Path) -> None:
    stale = tmp_path / "reference.md"
    stale.write_text(reference_doc.reference_text().replace("wrt", "wtr", 1))
    fresh = tmp_path / "assignment.schema.json"
    fresh.write_text(schema_file.schema_text())
    done = subprocess.run([sys.executable, "-m", "grader", "schema", "--check", "--assignment-output", str(fresh),
                           "--reference-output", str(stale)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "reference.md" in done.stdout and "assignment.schema.json" not in done.stdout


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_course_assignment_is_valid_against_the_schema(name: str) -> None:
    data = tomllib.loads((ROOT / "assignments" / name / "assignment.toml").read_text())
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []


# (change to backprop's assignment.toml, the path the schema reports, the path the grader reports, words)
MISTAKES = [
    (("points = 1.5", 'points = "lots"'), "checks[2].points", "checks[2].points", "is not of type 'number'"),
    (("points = 1.5", "points = -1"), "checks[2].points", "checks[2].points", "less than the minimum of 0"),
    (('kind = "gradient"', 'kind = "magic"'), "checks[2].kind", "checks[2].kind", "is not one of"),
    (("points = 1.5", 'points = 1.5\nvisibility = "secret"'), "checks[2].visibility", "checks[2].visibility",
     "is not one of"),
    (('method = "finite_differences"', 'method = "numeric"'), "checks[2].method", "checks[2].method", "is not one of"),
    (('wrt = ["w"]', 'wrt = "w"'), "checks[2].wrt", "checks[2].wrt", "is not of type 'array'"),
    (('hint = "Chain rule', 'hnt = "Chain rule'), "checks[2]", "checks[2].hnt", "'hnt' was unexpected"),
    (("keeps_graph = true", 'keeps_graph = "yes"'), "checks[0].keeps_graph", "checks[0].keeps_graph",
     "is not of type 'boolean'"),
    (("keeps_graph = true", "keeps_graph = true\nfinal_below = 0.1"), "checks[0]", "checks[0].final_below",
     "'final_below' was unexpected"),
    (("count = 2", "count = 0"), "groups.points.count", "groups.points.count", "less than the minimum of 1"),
    (("call_timeout_s = 10", "call_timeout_s = 0"), "limits.call_timeout_s", "limits.call_timeout_s",
     "less than or equal to the minimum of 0"),
    (("[limits]", "[limits]\nbogus = 1"), "limits", "limits.bogus", "'bogus' was unexpected"),
    (('name = "backprop"', 'name = "back prop"'), "assignment.name", "assignment.name", "does not match"),
    (('by_hand = true', 'by_hand = "yes"'), "functions.manual_gradient.by_hand", "functions.manual_gradient.by_hand",
     "is not of type 'boolean'"),
]


def dotted(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@pytest.mark.parametrize(("change", "schema_path", "grader_path", "words"), MISTAKES,
                         ids=[m[1] + ":" + m[0][1].split("\n")[-1] for m in MISTAKES])
def test_the_schema_rejects_what_the_grader_rejects_at_the_same_field(
        tmp_path: Path, change: tuple[str, str], schema_path: str, grader_path: str, words: str) -> None:
    old, new = change
    assert old in BASE
    text = BASE.replace(old, new, 1)
    errors = list(VALIDATOR.iter_errors(tomllib.loads(text)))
    assert len(errors) == 1, [e.message for e in errors]
    assert dotted(list(errors[0].absolute_path)) == schema_path
    assert words in errors[0].message
    folder = tmp_path / "assignments" / "backprop"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / "backprop" / "backprop.py", folder)
    (folder / "assignment.toml").write_text(text)
    with pytest.raises(AssignmentError, match=re.escape(f"assignment.toml: {grader_path}:")):
        load(folder)


def test_an_editor_validates_through_the_schema_line(tmp_path: Path) -> None:
    """taplo (the engine of VS Code's Even Better TOML) reads `#:schema` and reports the field."""
    taplo = shutil.which("taplo", path=str(Path(sys.executable).parent)) or shutil.which("taplo")
    assert taplo, "taplo is not installed: pip install -e '.[dev]'"
    (tmp_path / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "assignment.schema.json", tmp_path / "schema")
    folder = tmp_path / "assignments" / "backprop"
    folder.mkdir(parents=True)
    good = "#:schema ../../schema/assignment.schema.json\n" + BASE
    (folder / "assignment.toml").write_text(good)
    ok = subprocess.run([taplo, "check", "assignment.toml"], cwd=folder, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    (folder / "assignment.toml").write_text(good.replace("points = 1.5", 'points = "lots"', 1))
    bad = subprocess.run([taplo, "check", "assignment.toml"], cwd=folder, capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and '"lots" is not of type "number"' in bad.stderr
    # the other way: the repository's .taplo.toml maps every assignments/*/assignment.toml to the schema
    shutil.copy(ROOT / ".taplo.toml", tmp_path)
    (folder / "assignment.toml").write_text(BASE.replace("points = 1.5", 'points = "lots"', 1))
    configured = subprocess.run([taplo, "check", "assignments/backprop/assignment.toml"], cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
    assert configured.returncode != 0 and '"lots" is not of type "number"' in configured.stderr


def test_every_helper_is_documented_and_its_example_runs() -> None:
    helpers = make_helpers(np.random.default_rng(0))
    assert set(helper_docs.HELPERS) == set(helpers)
    variables = {"xs": [1.0, 2.0, 3.0]}
    for name, doc in helper_docs.HELPERS.items():
        assert called_names(doc.example) >= {name}, name
        Evaluator(helpers, dict(variables)).eval(doc.example)
        plain = Evaluator(make_helpers(), dict(variables))
        if doc.random:
            with pytest.raises(ExprError, match="random helpers"):
                plain.eval(doc.example)
        else:
            plain.eval(doc.example)
    reference = reference_doc.reference_text()
    for name, fn in make_helpers().items():
        assert f"`{helper_docs.signature(name, fn)}`" in reference


def test_uniform_normal_and_randint_draw_tables() -> None:
    """`n=(3, 2)` draws a 3 × 2 table (a list of lists for students, a matrix through tensor())."""
    cases = build_cases(
        call="f(X)", steps=[], data={}, explicit=[], hidden=None, public_seed="public:t:1", hidden_seed=None,
        random={"count": 2, "X": "uniform(-1.0, 1.0, n=(3, 2))", "M": "tensor(uniform(0.0, 1.0, n=(2, 4)))",
                "N": "normal(0.0, 1.0, n=(2, 2))", "y": "randint(0, 1, n=5)", "v": "uniform(2.0, 3.0, n=4)"},
    )
    assert len(cases) == 2
    for case in cases:
        X = case.variables["X"]
        assert len(X) == 3 and all(len(row) == 2 and all(-1 <= v < 1 for v in row) for row in X)
        assert isinstance(X[0][0], float)
        assert isinstance(case.variables["M"], torch.Tensor) and case.variables["M"].shape == (2, 4)
        assert [len(row) for row in case.variables["N"]] == [2, 2]
        assert len(case.variables["y"]) == 5 and set(case.variables["y"]) <= {0, 1}
        assert len(case.variables["v"]) == 4 and all(2 <= v < 3 for v in case.variables["v"])
    assert cases[0].variables["X"] != cases[1].variables["X"]
    uniform = make_helpers(np.random.default_rng(1))["uniform"]
    assert isinstance(uniform(0.0, 1.0), float)
    assert np.shape(finalize(uniform(0.0, 1.0, n=[2, 3]))) == (2, 3)
    with pytest.raises(ExprError, match="n must be a count or a shape"):
        uniform(0.0, 1.0, n=(2, 1.5))
