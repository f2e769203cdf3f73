"""`grader new`: a new assignment that generate and validate accept, and the acceptance test of an
instructor's first assignment, run as docs/authoring/README.md tells it, command by command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema

from tests.conftest import ROOT

KINDS = {"values", "gradient", "history", "converges", "unchanged_args", "python"}


def grader(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def empty_course(tmp_path: Path) -> Path:
    """A course repository as a clone has it, before any assignment of its own: the schema only."""
    course = tmp_path / "course"
    for folder in ("assignments", "solutions", "schema"):
        (course / folder).mkdir(parents=True)
    shutil.copy(ROOT / "schema" / "assignment.schema.json", course / "schema")
    return course


def test_the_scaffold_generates_and_validates_as_it_is(tmp_path: Path) -> None:
    course = empty_course(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"GRADER_COURSE": str(course)}
    made = grader("new", "linear_fit", cwd=elsewhere, env=env)
    assert made.returncode == 0, made.stderr
    solution, folder = course / "solutions" / "linear_fit", course / "assignments" / "linear_fit"
    assert sorted(p.name for p in solution.iterdir()) == ["grading.toml", "linear_fit.py"]
    assert sorted(p.name for p in folder.iterdir()) == ["assignment.toml", "checks.py"]
    assert "# BEGIN SOLUTION" in (solution / "linear_fit.py").read_text()
    text = (folder / "assignment.toml").read_text()
    assert text.startswith("#:schema ../../schema/assignment.schema.json\n")
    declared = tomllib.loads(text)
    assert {c["kind"] for c in declared["checks"]} == KINDS  # one check of each kind
    schema = json.loads((ROOT / "schema" / "assignment.schema.json").read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(declared)) == []
    seed = tomllib.loads((solution / "grading.toml").read_text())["seed"]
    assert len(seed) >= 32

    generated = grader("generate", "linear_fit", cwd=elsewhere, env=env)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert {p.name for p in folder.iterdir()} >= {"linear_fit.py", "linear_fit.ipynb", "expected.json"}
    stub = (folder / "linear_fit.py").read_text()
    assert "X @ w + b" in stub and "return X @ w + b" not in stub and "SOLUTION" not in stub
    validated = grader("validate", "linear_fit", cwd=elsewhere, env=env)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "linear_fit: reference 10/10, stub 0/10 — OK" in validated.stdout

    again = grader("new", "other_fit", cwd=elsewhere, env=env)
    assert again.returncode == 0
    assert tomllib.loads((course / "solutions" / "other_fit" / "grading.toml").read_text())["seed"] != seed


def test_new_never_overwrites_and_refuses_bad_names(tmp_path: Path) -> None:
    course = empty_course(tmp_path)
    assert grader("new", "logistic", cwd=course).returncode == 0
    before = (course / "solutions" / "logistic" / "logistic.py").read_text()
    for args, words in ((("new", "logistic"), "assignments/logistic already exists"),
                        (("new", "2fast"), "not a valid assignment name"),
                        (("new", "torch"), "is the name of a Python module")):
        done = grader(*args, cwd=course)
        assert done.returncode == 2, done.stdout + done.stderr
        assert done.stderr.count("\n") == 1 and words in done.stderr and "Traceback" not in done.stderr
    assert (course / "solutions" / "logistic" / "logistic.py").read_text() == before


LOGISTIC = '''\
# %% [markdown]
# # Logistic regression, gradients by hand
#
# A linear score `z = X @ w + b`, turned into a probability by the sigmoid, fitted by gradient
# descent on the binary cross-entropy, with its gradients written by hand.

# %%
import torch


# %%
def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """Return ``1 / (1 + exp(-z))``, element by element."""
    # BEGIN SOLUTION
    return 1 / (1 + torch.exp(-z))
    # END SOLUTION


# %%
def forward(X: torch.Tensor, w: torch.Tensor, b: float) -> torch.Tensor:
    """Return the probabilities ``sigmoid(X @ w + b)``, one per row of ``X``."""
    # BEGIN SOLUTION
    return sigmoid(X @ w + b)
    # END SOLUTION


# %%
def loss(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: float) -> torch.Tensor:
    """Return the mean binary cross-entropy of ``forward(X, w, b)`` against the labels ``y``."""
    # BEGIN SOLUTION
    p = forward(X, w, b)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    # END SOLUTION


# %%
def gradients(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: float) -> tuple[torch.Tensor, float]:
    """Return ``(dw, db)`` by hand: ``X.T @ (p - y) / n`` and ``mean(p - y)``, with ``p = forward(X, w, b)``."""
    # BEGIN SOLUTION
    r = forward(X, w, b) - y
    return X.T @ r / X.shape[0], float(r.mean())
    # END SOLUTION


# %%
def train(X: torch.Tensor, y: torch.Tensor, w0: torch.Tensor, b0: float = 0.0, lr: float = 0.5,
          epochs: int = 100) -> tuple[tuple[torch.Tensor, float], list[float]]:
    """Gradient descent from ``(w0, b0)``; ``history[i]`` is the loss at the start of epoch ``i``."""
    # BEGIN SOLUTION
    w, b = w0.clone(), float(b0)
    history = []
    for _ in range(epochs):
        history.append(loss(X, y, w, b).item())
        dw, db = gradients(X, y, w, b)
        w = w - lr * dw
        b = b - lr * db
    return (w, b), history
    # END SOLUTION
'''

# Step 3 of docs/authoring/README.md: labels for data, a learning rate and a bound that suit the
# new loss, and a check for the new function.
EDITS = [
    ('y = "tensor([1.2, 2.1, 2.2, 5.3, 5.0])"', 'y = "tensor([0.0, 0.0, 1.0, 1.0, 1.0])"   # labels'),
    ("lr = 0.05\n", "lr = 0.5\n"),
    ('y = "tensor(normal(0.0, 1.0, n=n))"', 'y = "tensor(randint(0, 1, n=n))"'),
    ('y = "tensor(normal(0.0, 2.0, n=n))"', 'y = "tensor(randint(0, 1, n=n))"'),
    ('lr = "uniform(0.01, 0.1)"', 'lr = "uniform(0.1, 1.0)"'),
    ("final_below = 0.05 ", "final_below = 0.15 "),
    ('hint = "With r = X @ w + b - y: dw = 2 / n * X.T @ r and db = 2 / n * sum(r)."',
     'hint = "With r = forward(X, w, b) - y: dw = X.T @ r / n and db = mean(r)."'),
]
SIGMOID_CHECK = '''
[[checks]]
name = "sigmoid computes 1 / (1 + exp(-z))"
target = "sigmoid"
kind = "values"
points = 1
call = "sigmoid(z)"
cases = [{z = "tensor([-20.0, -1.0, 0.0, 2.0, 20.0])"}]
random = {count = 3, z = "tensor(normal(0.0, 3.0, n=randint(1, 6)))"}
'''


def test_an_instructors_first_assignment_from_the_docs(tmp_path: Path) -> None:
    """grader new logistic → write the math → generate → validate: reference full, stub 0."""
    course = empty_course(tmp_path)
    made = grader("new", "logistic", "--title", "Logistic regression, gradients by hand", cwd=course)
    assert made.returncode == 0, made.stderr

    (course / "solutions" / "logistic" / "logistic.py").write_text(LOGISTIC)
    toml = course / "assignments" / "logistic" / "assignment.toml"
    text = toml.read_text()
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new)
    toml.write_text(text + SIGMOID_CHECK)

    generated = grader("generate", "logistic", cwd=course)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    stub = (course / "assignments" / "logistic" / "logistic.py").read_text()
    assert stub.count("raise NotImplementedError") == 5 and "torch.log" not in stub
    assert 'title = "Logistic regression, gradients by hand"' in text

    validated = grader("validate", "logistic", cwd=course)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "logistic: reference 11/11, stub 0/11 — OK" in validated.stdout
