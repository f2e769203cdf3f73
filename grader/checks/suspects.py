"""The mistakes students really make, each as a change to the reference that reproduces it.

To name a mistake the grader does not guess from numbers: it re-runs the reference with the
mistake made (a learning rate of zero, the default `lr` instead of the given one, only the first
sample, the instructor's own wrong `train` from `solutions/<name>/mistakes.py`) and sees whether
that gives the student's result. The reference runs in the grader, so this is cheap and exact,
and its answers are kept with the plan like the reference's own. `ACCEPTED` versions in
mistakes.py are other right conventions: a result that matches one passes.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import torch

from grader.assignment.loader import MISSING, Assignment, Signature
from grader.checks.cases import Case
from grader.checks.errors import ConfigError
from grader.checks.reference import ReferenceSide

Bound = dict[str, Any]


@dataclass(frozen=True)
class Suspect:
    """One mistake (or accepted convention): what it is called and how to make the reference make it."""

    name: str  # unique within the plan: the key its answers are kept under
    words: str  # completes "this is what you get when ...", without a number
    fn: str | None = None  # the stub function it changes; None: it changes the case's data
    replacement: Callable[..., Any] | None = None  # another version of `fn`
    change: Callable[[Bound], Bound | None] | None = None  # changes fn's arguments (None: does not apply)
    accepted: bool = False  # another right convention: a match passes

    def apply(self, case: Case, reference: ReferenceSide) -> tuple[Case, ReferenceSide] | None:
        """The case and reference that make this mistake, or None when it changes nothing here."""
        if self.fn is None:
            data = first_sample(case)
            return None if data is None else (replace(case, variables=data), reference)
        if self.replacement is not None:
            return case, reference.replaced(self.fn, self.replacement)
        signature = reference.assignment.signatures[self.fn]
        original = reference.target(self.fn)
        change = self.change
        assert change is not None

        def changed(*args: Any, **kwargs: Any) -> Any:
            bound = bind(signature, args, kwargs)
            new = change(bound)
            if new is None:
                raise _NotApplicable
            return original(**new)

        return case, reference.replaced(self.fn, changed)


class _NotApplicable(Exception):
    """The suspect changes nothing on this call (say, lr is already the default): no answer."""


def bind(signature: Signature, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Bound:
    """The call's arguments by the stub's parameter names, defaults filled in."""
    bound: Bound = {}
    for i, param in enumerate(signature.params):
        if i < len(args):
            bound[param.name] = args[i]
        elif param.name in kwargs:
            bound[param.name] = kwargs[param.name]
        elif param.default is not MISSING:
            bound[param.name] = param.default
    return bound


def _set(name: str, value: Callable[[Any], Any]) -> Callable[[Bound], Bound | None]:
    """A change of one argument; None when it would not change it."""

    def change(bound: Bound) -> Bound | None:
        if name not in bound:
            return None
        new = value(bound[name])
        return None if new == bound[name] else {**bound, name: new}

    return change


def generic(signature: Signature) -> list[Suspect]:
    """The mistakes any training function with `lr` and `epochs` parameters can make."""
    fn, names = signature.name, {p.name: p for p in signature.params}
    found: list[Suspect] = []
    if "lr" in names:
        found.append(Suspect(f"{fn}:never-updated", f"the parameters are never updated in {fn}", fn,
                             change=_set("lr", lambda lr: 0.0)))
        default = names["lr"].default
        if isinstance(default, float):
            found.append(Suspect(f"{fn}:lr-ignored", f"{fn} ignores lr and always uses the default learning rate",
                                 fn, change=_set("lr", lambda lr: default)))
        found.append(Suspect(f"{fn}:uphill", f"{fn}'s update has the wrong sign: it climbs the loss instead of "
                             "descending it (w + lr * grad instead of w - lr * grad?)", fn,
                             change=_set("lr", lambda lr: -lr)))
    if "epochs" in names and isinstance(names["epochs"].default, int):
        default_epochs = names["epochs"].default
        found.append(Suspect(f"{fn}:epochs-ignored", f"{fn} ignores epochs and always runs the default number "
                             "of epochs", fn, change=_set("epochs", lambda epochs: default_epochs)))
    return found


FIRST_SAMPLE = Suspect("first-sample", "only the first sample is used (is there a `return` or `break` inside "
                       "the loop over the samples?)")


def first_sample(case: Case) -> dict[str, Any] | None:
    """The case's variables with every data set cut to its first sample, or None when it has none."""
    n = sample_count(case)
    if n is None:
        return None
    used = case.used_names()
    return {name: (value[:1] if name in used and _length(value) == n else value)
            for name, value in case.variables.items()}


def sample_count(case: Case) -> int | None:
    """How many samples the case's data sets hold: the length two or more of its sequences share."""
    lengths = [n for name in case.used_names() if (n := _length(case.variables.get(name))) is not None and n > 1]
    common = [n for n in set(lengths) if lengths.count(n) >= 2]
    return max(common) if common else None


def _length(value: Any) -> int | None:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, (torch.Tensor, np.ndarray)) and value.ndim >= 1:
        return int(value.shape[0])
    return None


def from_mistakes_file(assignment: Assignment) -> list[Suspect]:
    """The versions in `solutions/<name>/mistakes.py` (MISTAKES and ACCEPTED), when there is one."""
    module = load_mistakes(assignment)
    if module is None:
        return []
    found: list[Suspect] = []
    for table, accepted in (("ACCEPTED", True), ("MISTAKES", False)):
        for fn, versions in dict(getattr(module, table, {})).items():
            if fn not in assignment.signatures:
                raise ConfigError(f"{module.__file__}: {table} names {fn!r}, which is not a function of the stub")
            for version in versions:
                words = (version.__doc__ or version.__name__).strip().splitlines()[0]
                found.append(Suspect(f"{fn}:{version.__name__}", words, fn, replacement=version, accepted=accepted))
    return found


def load_mistakes(assignment: Assignment) -> ModuleType | None:
    path = mistakes_path(assignment)
    if path is None:
        return None
    spec = importlib.util.spec_from_file_location(f"grader_mistakes_{assignment.name}", path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise ConfigError(f"{path}: importing it failed: {type(exc).__name__}: {exc}") from exc
    return module


def mistakes_path(assignment: Assignment) -> Path | None:
    if assignment.solution_dir is None:
        return None
    path = assignment.solution_dir / "mistakes.py"
    return path if path.is_file() else None


def all_suspects(assignment: Assignment) -> list[Suspect]:
    """Every suspect of an assignment: accepted conventions, then the simplest mistakes first."""
    written = from_mistakes_file(assignment)
    simple = [suspect for signature in assignment.signatures.values() for suspect in generic(signature)]
    return [s for s in written if s.accepted] + simple + [FIRST_SAMPLE] + [s for s in written if not s.accepted]
