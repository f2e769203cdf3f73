"""The schema of `assignment.toml`: what an instructor declares, validated field by field.

An assignment is data: its functions (signatures come from the stub, so they are written once),
its limits, the course data every case starts from, and a list of checks, each of a built-in
kind or a `python` check from the assignment's own `checks.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from grader.checks import expr
from grader.sandbox.limits import Limits

Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseGroup(BaseModel):
    """Generated cases: `count` draws; every other key is a variable, an expression string."""

    model_config = ConfigDict(extra="allow")

    count: int = Field(1, ge=1, le=200)
    call: str | None = None
    steps: list[str] | None = None

    def variables(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    def as_table(self) -> dict[str, Any]:
        table: dict[str, Any] = {"count": self.count, **self.variables()}
        if self.call is not None:
            table["call"] = self.call
        if self.steps is not None:
            table["steps"] = self.steps
        return table

    @model_validator(mode="after")
    def _expressions_parse(self) -> CaseGroup:
        for name, value in self.variables().items():
            if isinstance(value, str):
                expr.parse(value)
            elif not isinstance(value, (int, float, bool, list)):
                raise ValueError(f"variable {name!r} must be a number, a list or an expression")
        if self.call is not None:
            expr.parse(self.call)
        for step in self.steps or []:
            expr.parse_step(step)
        return self


def _course_case() -> list[dict[str, Any]]:
    """One case with the course data as is."""
    return [{}]


class CheckBase(_Strict):
    name: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, description="the student-facing function this check is about")
    points: float = Field(ge=0, le=1000)
    visibility: Visibility = "visible"
    call: str = Field(description="what to call, e.g. `train(xs, ys, lr=lr)`")
    steps: list[str] = Field(default_factory=list, description="`name = expression` run first")
    cases: list[dict[str, Any]] = Field(default_factory=_course_case)
    random: CaseGroup | str | None = None
    hidden: CaseGroup | str | None = None
    rtol: float = Field(1e-4, ge=0, le=1)
    atol: float = Field(1e-6, ge=0)
    hint: str | None = Field(None, description="shown to students when the check fails")

    @field_validator("call")
    @classmethod
    def _call_parses(cls, value: str) -> str:
        expr.parse(value)
        return value

    @field_validator("steps")
    @classmethod
    def _steps_parse(cls, value: list[str]) -> list[str]:
        for step in value:
            expr.parse_step(step)
        return value


class ValuesCheck(CheckBase):
    """The call's result equals the reference's on every case."""

    kind: Literal["values"]
    keeps_graph: bool = Field(False, description="the result must be a tensor with a grad_fn")


class GradientCheck(CheckBase):
    """A by-hand gradient equals the reference loss's gradient (finite differences or autograd)."""

    kind: Literal["gradient"]
    loss: str = Field(description="the reference expression to differentiate, e.g. `loss(x, y, w)`")
    wrt: list[str] = Field(min_length=1)
    method: Literal["finite_differences", "autograd"] = "finite_differences"
    eps: float = Field(1e-6, gt=0, lt=1)

    @field_validator("loss")
    @classmethod
    def _loss_parses(cls, value: str) -> str:
        expr.parse(value)
        return value


class HistoryCheck(CheckBase):
    """The training loss history equals the reference's, entry by entry."""

    kind: Literal["history"]
    history: str = Field("result[1]", description="where the history is in `result`")


class ConvergesCheck(CheckBase):
    """The loss history is finite, ends lower than it starts, and (optionally) below a bound."""

    kind: Literal["converges"]
    history: str = "result[1]"
    length: str | None = Field(None, description="how many values, e.g. `epochs`")
    final_below: float | None = None


class UnchangedArgsCheck(CheckBase):
    """The call leaves its arguments as they were (no in-place updates of the caller's data)."""

    kind: Literal["unchanged_args"]


class PythonCheck(CheckBase):
    """A custom check: `function` in the assignment's `checks.py`."""

    kind: Literal["python"]
    function: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")


CheckSpec = Annotated[
    ValuesCheck | GradientCheck | HistoryCheck | ConvergesCheck | UnchangedArgsCheck | PythonCheck,
    Field(discriminator="kind"),
]


class FunctionSpec(_Strict):
    returns: str | None = Field(None, description="overrides the stub's return annotation")
    by_hand: bool = Field(False, description="called under no_grad; autograd inside earns nothing")


class AssignmentMeta(_Strict):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    title: str
    version: str = "1"
    file: str | None = Field(None, description="the student's file; default <name>.py")


class AssignmentSpec(_Strict):
    assignment: AssignmentMeta
    data: dict[str, Any] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)
    functions: dict[str, FunctionSpec] = Field(default_factory=dict)
    groups: dict[str, CaseGroup] = Field(default_factory=dict)
    checks: list[CheckSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> AssignmentSpec:
        names = [c.name for c in self.checks]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"check names must be unique; repeated: {duplicates}")
        for i, check in enumerate(self.checks):
            for field in ("random", "hidden"):
                ref = getattr(check, field)
                if isinstance(ref, str) and ref not in self.groups:
                    raise ValueError(
                        f"checks[{i}].{field}: no group {ref!r} under [groups] "
                        f"(known: {sorted(self.groups)})"
                    )
        return self

    def group(self, ref: CaseGroup | str | None) -> CaseGroup | None:
        return self.groups[ref] if isinstance(ref, str) else ref

    @property
    def max_score(self) -> float:
        return float(sum(c.points for c in self.checks))
