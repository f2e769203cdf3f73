"""Fitting the checks' calls to the student's own signature.

Parameter names are the student's to choose (the course's own code says `x_data`, `w1`,
`epoch`): every argument goes by position and a renaming is a note, never a lost point. Names
say nothing about roles either: a student may call the x² coefficient `w2`. When the student's
names are the stub's in another order, the arguments still go by position, and a check that then
fails says so with both signatures (`reordered`). Only a different number of parameters, or a
wrong default, makes the call impossible: a failed check (status `failed`) showing both signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.assignment.loader import MISSING, Signature
from grader.checks.formatting import brief
from grader.sandbox.protocol import codec
from grader.sandbox.protocol.calls import FunctionInfo, ParamInfo

POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")


@dataclass(frozen=True)
class Fit:
    """How the stub's parameters reach the student's function, or why they cannot."""

    problem: str | None = None
    status: str = "failed"  # "error" when there is no function at all
    by_position: int = 0  # the first n stub parameters go by position
    by_keyword: frozenset[str] = frozenset()  # stub parameters sent by their stub name
    send_as_written: bool = False  # the student takes *args: no reshuffling
    renamed: tuple[tuple[str, str], ...] = ()  # (stub name, student name)
    student_params: tuple[ParamInfo, ...] = ()
    reordered: str | None = None  # the stub's names in another order: both signatures, for a failure


def render_student(name: str, params: tuple[ParamInfo, ...]) -> str:
    """`train(x_data, y_data, w=1.0)`, as the student wrote it."""
    parts = []
    for p in params:
        prefix = {"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}.get(p.kind, "")
        parts.append(prefix + _render_param(p))
    return f"{name}({', '.join(parts)})"


def _render_param(p: ParamInfo) -> str:
    if not p.has_default:
        return str(p.name)
    try:
        default = brief(codec.decode(p.default))
    except codec.DecodeError:
        default = "..."
    return f"{p.name}={default}"


def fit(expected: Signature, info: FunctionInfo | None, filename: str) -> Fit:
    """Work out, once per function, how the stub's parameters map onto the student's."""
    name = expected.name
    if info is None:
        return Fit(f"{filename} defines no function {name}; the assignment needs {expected.render()}", "error")
    if not info.callable:
        return Fit(f"{name} in {filename} is a {info.type}, not a function", "error")
    params = info.params
    if params is None:  # a builtin or C function: nothing to inspect
        return Fit(send_as_written=True)
    if any(p.kind != "POSITIONAL_OR_KEYWORD" for p in expected.params):
        return Fit(send_as_written=True, student_params=tuple(params))
    return _fit_params(expected, params, filename)


def _fit_params(expected: Signature, params: tuple[ParamInfo, ...], filename: str) -> Fit:
    """The mapping when both sides are plain Python functions: a count, then an order, then extras."""
    theirs = render_student(expected.name, params)
    positional = [p for p in params if p.kind in POSITIONAL]
    keyword_only = {p.name for p in params if p.kind == "KEYWORD_ONLY"}
    var_args = any(p.kind == "VAR_POSITIONAL" for p in params)
    var_kw = any(p.kind == "VAR_KEYWORD" for p in params)
    want = [p.name for p in expected.params]
    both = f"{filename} defines {theirs}, but the assignment needs {expected.render()}"
    by_keyword: set[str] = set()
    for stub_name in want[len(positional):]:
        if var_args:
            break
        if stub_name in keyword_only or var_kw:
            by_keyword.add(stub_name)
        else:
            names = {p.name for p in params}
            absent = [w for w in want if w not in names]
            none_for = f" (none for {', '.join(absent)})" if len(absent) == len(want) - len(positional) else ""
            return Fit(f"{both}: it takes {len(positional)} parameter{'s' * (len(positional) != 1)} "
                       f"where the stub has {len(want)}{none_for}")
    moved = any(p.name in want and want.index(p.name) != i for i, p in enumerate(positional[: len(want)]))
    reordered = f"{both}, and the arguments were passed by position" if moved else None
    stub_names = set(want)
    extra_required = [p.name for p in positional[len(want):] if not p.has_default]
    extra_required += [p.name for p in params
                       if p.kind == "KEYWORD_ONLY" and not p.has_default and p.name not in stub_names]
    if extra_required:
        return Fit(f"{filename} defines {theirs}: extra parameters {extra_required} need default values")
    renamed = tuple((w, p.name) for w, p in zip(want, positional, strict=False) if w != p.name)
    return Fit(by_position=min(len(want), len(positional)) if not var_args else len(want),
               by_keyword=frozenset(by_keyword), renamed=renamed, student_params=tuple(params), reordered=reordered)


def default_problem(expected: Signature, plan: Fit, n_args: int, keywords: set[str]) -> str | None:
    """A stub default the call relies on that the student's function does not have (by position)."""
    if plan.send_as_written or not plan.student_params:
        return None
    positional = [p for p in plan.student_params if p.kind in POSITIONAL]
    by_name = {p.name: p for p in plan.student_params if p.kind == "KEYWORD_ONLY"}
    for i, param in enumerate(expected.params):
        if param.default is MISSING or i < n_args or param.name in keywords:
            continue
        theirs = positional[i] if i < len(positional) else by_name.get(param.name)
        if theirs is None:  # taken by *args or **kwargs
            continue
        label = param.name if theirs.name == param.name else f"{param.name} (your {theirs.name})"
        if not theirs.has_default:
            return (f"{expected.name}'s parameter {label} needs the default {param.default!r}, "
                    f"as in {expected.render()}")
        try:
            default = codec.decode(theirs.default)
        except codec.DecodeError:
            default = None
        if not _same_default(default, param.default):
            return (f"{expected.name}'s default for {label} is {brief(default)}; the assignment says "
                    f"{param.name}={param.default!r}")
    return None


def _same_default(got: Any, want: Any) -> bool:
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return float(got) == float(want)
    return bool(got == want)


def arrange(expected: Signature, plan: Fit, args: tuple[Any, ...],
            kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The call in the student's terms: the stub's parameters by position, defaults filled in.

    `train(xs, ys)` and `train(xs, ys, w0=1.0, lr=0.01, epochs=100)` then make the same call,
    answered once. Safe because `default_problem` has checked the student's defaults; a call with
    keywords the stub does not know is sent as written.
    """
    params = expected.params
    if plan.send_as_written or set(kwargs) - {p.name for p in params}:
        return list(args), kwargs
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for i, param in enumerate(params):
        if i < len(args):
            value = args[i]
        elif param.name in kwargs:
            value = kwargs[param.name]
        elif param.default is not MISSING:
            value = param.default
        else:
            return list(args), kwargs  # a required argument is missing: let the call say so
        if i < plan.by_position:
            positional.append(value)
        else:
            keywords[param.name] = value
    return positional, keywords


def renaming_note(expected: Signature, plan: Fit) -> str | None:
    """The note on the report when the student's names differ from the stub's."""
    if not plan.renamed:
        return None
    if plan.reordered:
        pairs = ", ".join(f"your {theirs} gets the stub's {stub}" for stub, theirs in plan.renamed)
        return (f"{expected.name}: your parameter names are the stub's in another order; the grader passed the "
                f"arguments by position ({pairs})")
    pairs = ", ".join(f"{theirs} for {stub}" for stub, theirs in plan.renamed)
    return (f"{expected.name}: your parameter names differ from the stub's ({pairs}); the grader passed "
            "the arguments by position, in the stub's order (no points lost for names)")
