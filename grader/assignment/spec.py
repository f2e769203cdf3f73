"""The schema of `assignment.toml`: what an instructor declares, validated field by field.

An assignment is data: its functions (signatures come from the stub, so they are written once),
its limits, the course data every case starts from, and a list of checks, each of a built-in
kind or a `python` check from the assignment's own `checks.py`. Every field's description and
example here is what the authors' reference (docs/authoring/reference.md) and the JSON Schema
(schema/assignment.schema.json) say; `grader schema` regenerates both.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from grader.assignment.late import LatePolicy
from grader.language.syntax import parse, parse_step
from grader.sandbox.limits import Limits

Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]
VARIABLE: dict[str, JsonValue] = {"description": (
    "a variable: a number, a list, a table, or an expression string evaluated with the helpers "
    "(later variables may use earlier ones and [data])")}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseGroup(BaseModel):
    """Cases drawn at random: `count` draws; every other key is a variable of the case."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": VARIABLE})

    count: int = Field(1, ge=1, le=200, strict=True, description="How many cases to draw.", examples=[3])
    call: str | None = Field(None, description="Replaces the check's `call` for these cases.",
                             examples=["train(xs, ys, w0=w0, lr=lr, epochs=epochs)"])
    steps: list[str] | None = Field(None, description="Replace the check's `steps` for these cases.",
                                    examples=[["w = train(xs, ys, lr=lr)[0]"]])

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
                parse(value)
            elif not isinstance(value, (int, float, bool, list, dict)):
                raise ValueError(f"variable {name!r} must be a number, a list or an expression")
        if self.call is not None:
            parse(self.call)
        for step in self.steps or []:
            parse_step(step)
        return self


def _course_case() -> list[dict[str, Any]]:
    """One case with the course data as is."""
    return [{}]


GROUP_REF = "the name of a group under [groups], or an inline table of the same form"


class CheckBase(_Strict):
    name: str = Field(min_length=1, max_length=200, examples=["forward computes sigmoid(X @ w + b)"],
                      description="Unique within the assignment; students read it in every report.")
    target: str = Field(min_length=1, examples=["forward"], description=(
        "The student-facing function this check is about, a function of the stub; feedback, statistics "
        "and `grader check --target` group checks by it."))
    points: float = Field(ge=0, le=1000, strict=True, examples=[1.5], description=(
        "What the check is worth. It earns them only when every case passes (public, random and hidden)."))
    visibility: Visibility = Field("visible", examples=["hidden"], description=(
        "Who sees the check (Gradescope's words): `visible` in self-checks and on feedback pages, "
        "`after_due_date` and `after_published` on pages released then, `hidden` never to students "
        "(it still counts). Self-checks run only visible checks."))
    call: str = Field(examples=["forward(X, w, b)"], description=(
        "What to call on each case: an expression over the case's variables, the stub's functions and "
        "the helpers. The student's result is compared with the reference's on the same case. A "
        "`python` check does not evaluate it: write the call its function makes, for the record."))
    steps: list[str] = Field(default_factory=list, examples=[["w = train(xs, ys, lr=lr)[0]"]], description=(
        "`name = expression` lines run before `call`, on the same side (the student's functions for "
        "the student, the reference's for the reference): one function's result feeds the next."))
    cases: list[dict[str, Any]] = Field(
        default_factory=_course_case,
        examples=[[{"x": 2.0, "w": 1.0}, {"label": "the course data", "call": "train(xs, ys)"}]],
        description=(
            "Explicit cases, each a table of variables that override [data] (numbers, lists or "
            "expression strings), with an optional `label` shown to students instead of the inputs and "
            "its own `call` or `steps`. The default is one case, the course data as is; `cases = []` "
            "leaves only the random and hidden cases."),
        json_schema_extra={"items": {
            "type": "object",
            "properties": {
                "label": {"type": "string", "description": "shown to students instead of the case's inputs"},
                "call": {"type": "string", "description": "replaces the check's call for this case"},
                "steps": {"type": "array", "items": {"type": "string"},
                          "description": "replace the check's steps for this case"},
            },
            "additionalProperties": VARIABLE,
        }},
    )
    random: CaseGroup | str | None = Field(None, examples=["points"], description=(
        f"Public random cases: {GROUP_REF}. They are drawn from a seed made of the assignment's name "
        "and version, so a student's `grader check` runs the same ones."))
    hidden: CaseGroup | str | None = Field(None, examples=["hidden_points"], description=(
        f"Hidden cases: {GROUP_REF}. They are drawn from the grading seed (solutions/<name>/grading.toml "
        "or $GRADER_SEED) and run only when grading and validating; students never see their inputs."))
    rtol: float = Field(1e-4, ge=0, le=1, strict=True, examples=[1e-3], description=(
        "Relative tolerance: a number passes when |actual - expected| <= atol + rtol * |expected|, "
        "element by element through tensors, lists, tuples and dicts."))
    atol: float = Field(1e-6, ge=0, strict=True, examples=[1e-8], description=(
        "Absolute tolerance (see rtol); it matters for expected values near zero. A history check "
        "raises it to 1e-6 of the largest reference loss."))
    hint: str | None = Field(None, examples=["Chain rule: d loss / d w = 2 * (x * w - y) * x."],
                             description="Shown to students under the message when the check fails.")

    @field_validator("call")
    @classmethod
    def _call_parses(cls, value: str) -> str:
        parse(value)
        return value

    @field_validator("steps")
    @classmethod
    def _steps_parse(cls, value: list[str]) -> list[str]:
        for step in value:
            parse_step(step)
        return value


class ValuesCheck(CheckBase):
    """The call's result equals the reference's on every case, within rtol and atol."""

    kind: Literal["values"] = Field(description="This check's kind.")
    keeps_graph: bool = Field(False, strict=True, examples=[True], description=(
        "The result must also be a tensor with a grad_fn: the forward pass kept the graph back to the "
        "weights (no .item(), .data, .detach() or new torch.tensor on the way)."))


class GradientCheck(CheckBase):
    """A gradient written by hand equals the gradient of the reference's loss.

    The reference gradient is computed in float64 from `loss` with respect to each variable named
    in `wrt`; the student's `call` must return the gradients in the same order: one value for one
    name, a tuple `(dw, db)` for `wrt = ["w", "b"]`. A gradient has the shape of its variable: a
    float for a float, a tensor for a tensor, a dict of them for a dict of tensors.
    """

    kind: Literal["gradient"] = Field(description="This check's kind.")
    loss: str = Field(examples=["loss(X, y, w, b)"], description=(
        "The expression to differentiate, evaluated with the reference's functions on the case's "
        "variables (the check's steps are not run for it); it must give one number."))
    wrt: list[str] = Field(min_length=1, examples=[["w", "b"]], description=(
        "The case variables to differentiate with respect to, in the order the student's function "
        "returns their gradients."))
    method: Literal["finite_differences", "autograd"] = Field("finite_differences", examples=["autograd"],
                                                              description=(
        "`finite_differences`: central differences (L(v + h) - L(v - h)) / 2h, element by element; "
        "`autograd`: torch.autograd.grad on the reference loss."))
    eps: float = Field(1e-6, gt=0, lt=1, strict=True, examples=[1e-5], description=(
        "The finite-difference step, relative: h = eps * max(1, |v|) for each element v."))

    @field_validator("loss")
    @classmethod
    def _loss_parses(cls, value: str) -> str:
        parse(value)
        return value


HISTORY = ("Where the loss history is in the call's result, as an expression over `result`; the "
           "default takes the second item of a `(weights, history)` tuple. A history is a list of "
           "numbers, one per epoch.")


class HistoryCheck(CheckBase):
    """The training loss history equals the reference's, entry by entry (rtol, and an absolute
    floor of 1e-6 of the largest reference loss)."""

    kind: Literal["history"] = Field(description="This check's kind.")
    history: str = Field("result[1]", examples=["result"], description=HISTORY)


class ConvergesCheck(CheckBase):
    """The loss history is finite, ends lower than it starts, has the declared length and ends below
    a bound when one is declared. It needs no reference."""

    kind: Literal["converges"] = Field(description="This check's kind.")
    history: str = Field("result[1]", examples=["result"], description=HISTORY)
    length: str | None = Field(None, examples=["epochs"], description=(
        "How many values the history must have, an expression over the case's variables "
        "(usually `epochs`); not checked when absent."))
    final_below: float | None = Field(None, strict=True, examples=[0.002], description=(
        "The last loss must be below this number; not checked when absent."))


class UnchangedArgsCheck(CheckBase):
    """The call leaves its arguments as they were: no in-place update of the caller's tensors,
    lists or dicts (compared exactly after the call)."""

    kind: Literal["unchanged_args"] = Field(description="This check's kind.")


class PythonCheck(CheckBase):
    """A check written in Python: `function` in the assignment's `checks.py` receives the student's
    functions, the reference's (None on a student's machine) and the case's variables, and returns
    None when the case passes or a message for the student when it does not."""

    kind: Literal["python"] = Field(description="This check's kind.")
    function: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", examples=["loss_is_never_negative"],
                          description="The function's name in checks.py, next to assignment.toml.")


CheckSpec = Annotated[
    ValuesCheck | GradientCheck | HistoryCheck | ConvergesCheck | UnchangedArgsCheck | PythonCheck,
    Field(discriminator="kind"),
]
CHECK_KINDS: tuple[type[CheckBase], ...] = (
    ValuesCheck, GradientCheck, HistoryCheck, ConvergesCheck, UnchangedArgsCheck, PythonCheck,
)


class FunctionSpec(_Strict):
    """What the stub's signature cannot say about one of its functions."""

    returns: str | None = Field(None, examples=["tuple[float, list[float]]"], description=(
        "The return type, when the stub's annotation is missing or says too little: float, int, bool, "
        "torch.Tensor, list[T], tuple[T, ...] or dict[str, T]. A number may come back as a float, a "
        "one-element tensor or a NumPy scalar."))
    by_hand: bool = Field(False, strict=True, examples=[True], description=(
        "The function is called under torch.no_grad(), and a call that uses .backward(), "
        "torch.autograd or enable_grad() fails its checks: gradients must be computed by hand."))


class AssignmentMeta(_Strict):
    """Who the assignment is."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", examples=["logistic"], description=(
        "The folder's name under assignments/ and solutions/, and the student's file `<name>.py`."))
    title: str = Field(examples=["Logistic regression, gradients by hand"],
                       description="Shown on reports, feedback pages and notebooks.")
    version: str = Field("1", examples=["2026.1"], description=(
        "Part of the public seed: changing it draws other public random cases (and changes "
        "expected.json). Change it between terms."))
    file: str | None = Field(None, examples=["logistic.py"],
                             description="The file students hand in, when it is not `<name>.py`.")


class AssignmentSpec(_Strict):
    """An assignment.toml."""

    assignment: AssignmentMeta = Field(description="Who the assignment is.")
    data: dict[str, Any] = Field(default_factory=dict, examples=[{"xs": [1.0, 2.0, 3.0], "lr": 0.01}],
                                 description=(
        "The course data every case starts from: numbers, lists, or expression strings (drawn from "
        "the public seed, so the same for everyone). Cases and groups override these variables."),
        json_schema_extra={"additionalProperties": VARIABLE})
    limits: Limits = Field(default_factory=Limits, examples=[{"call_timeout_s": 10, "submission_timeout_s": 60}],
                           description="Wall-clock and resource limits for each submission.")
    functions: dict[str, FunctionSpec] = Field(default_factory=dict, examples=[{"gradient": {"by_hand": True}}],
                                               description=(
        "Per function of the stub, what its signature cannot say; signatures and return annotations "
        "come from the stub itself."))
    groups: dict[str, CaseGroup] = Field(default_factory=dict, examples=[
        {"hidden_points": {"count": 3, "x": "uniform(-5.0, 5.0)", "w": "uniform(-3.0, 3.0)"}}],
        description="Named groups of random cases, for the checks' `random` and `hidden`.")
    checks: list[CheckSpec] = Field(min_length=1, description="The checks, in the order reports list them.")
    late: LatePolicy | None = Field(None, examples=[{"due": "2026-12-01T23:59", "time_zone": "Europe/Berlin",
                                                     "penalty_percent": 10, "max_percent": 50}],
                                    description="The due date and the late penalty; without it nothing is late.")

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
