"""Cases: the concrete inputs a check runs on, and running a case on one side's functions.

A check runs on its explicit `cases` (the course data by default), on `random` cases drawn
from a public seed (students can reproduce them with `grader check`) and on `hidden` cases drawn
from the grading seed, which only the instructor has. Draws are keyed by (seed, check, group,
index), so adding a check never changes the inputs of another, and grading is repeatable.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import torch

from grader.checks.errors import ConfigError
from grader.language.draws import draw, fingerprint, seeded
from grader.language.evaluator import Evaluator
from grader.language.helpers import plain_helpers
from grader.language.syntax import ExprError, names_used, parse, parse_step
from grader.sandbox.protocol import codec

Group = Literal["case", "random", "hidden"]


@dataclass(frozen=True)
class Case:
    """One set of inputs for a check, with the call (and steps) to make on them."""

    group: Group
    index: int
    count: int
    variables: dict[str, Any]
    call: str
    steps: tuple[str, ...] = ()
    label: str | None = None
    key: str = field(init=False, repr=False, compare=False)  # the reference's answer is kept under it
    # The call and steps parsed once: every submission's run of the case evaluates these trees.
    parsed: tuple[ast.expr, tuple[tuple[tuple[str, ...], ast.expr], ...]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        used = self.used_names()
        data = {k: codec.encode(v) for k, v in sorted(self.variables.items()) if k in used}
        object.__setattr__(self, "key", json.dumps([self.call, self.steps, data], sort_keys=True))
        object.__setattr__(self, "parsed", (parse(self.call), tuple(parse_step(s) for s in self.steps)))

    @property
    def hidden(self) -> bool:
        return self.group == "hidden"

    def used_names(self) -> set[str]:
        names = names_used(self.call)
        for step in self.steps:
            targets, _ = parse_step(step)
            names |= {n for n in _names_in_step(step)} - set(targets)
        return names


def run_case(case: Case, functions: Mapping[str, Callable[..., Any]],
             default_dtype: torch.dtype = torch.float32) -> Any:
    """Run a case's steps and call with one side's functions; returns the call's value."""
    evaluator = Evaluator({**plain_helpers(default_dtype), **functions}, dict(case.variables))
    call, steps = case.parsed
    try:
        for step, parsed in zip(case.steps, steps, strict=True):
            evaluator.run_step(step, parsed)
        return evaluator.eval_parsed(call)
    except ExprError as exc:
        raise ConfigError(f"{case.call!r}: {exc}") from exc


def _names_in_step(step: str) -> set[str]:
    _, node = parse_step(step)
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


# ---------------------------------------------------------------------------------------------
# Helpers available to declarations


def build_cases(
    *,
    call: str,
    steps: list[str],
    data: Mapping[str, Any],
    explicit: list[dict[str, Any]],
    random: Mapping[str, Any] | None,
    hidden: Mapping[str, Any] | None,
    public_seed: str,
    hidden_seed: str | None,
) -> list[Case]:
    """All cases of one check, in a fixed order: explicit, random, then hidden.

    Draws are keyed by the declaration itself, not by the check's name: two checks that declare
    the same cases get the same inputs, so the sandbox answers the second from memory.
    """
    cases: list[Case] = []
    for i, spec in enumerate(explicit):
        variables = draw(spec, data, seeded(public_seed, "case", fingerprint(spec), i))
        cases.append(Case("case", i, len(explicit), variables, spec.get("call", call),
                          tuple(spec.get("steps", steps)), spec.get("label")))
    groups: tuple[tuple[Group, Mapping[str, Any] | None, str | None], ...] = (
        ("random", random, public_seed),
        ("hidden", hidden, hidden_seed),
    )
    for group, table, seed in groups:
        if not table or seed is None:
            continue
        count = int(table.get("count", 1))
        for i in range(count):
            variables = draw(table, data, seeded(seed, group, fingerprint(table), i))
            cases.append(Case(group, i, count, variables, table.get("call", call),
                              tuple(table.get("steps", steps)), None))
    return cases


def evaluate_data(table: Mapping[str, Any], public_seed: str) -> dict[str, Any]:
    """The course data: literals as written, strings as expressions (drawn from the public seed)."""
    return draw(table, {}, seeded(public_seed, "data"))
