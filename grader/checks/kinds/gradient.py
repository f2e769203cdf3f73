"""`gradient`: a by-hand gradient against the reference loss's, by finite differences or autograd.

Both references are computed in the grader, in float64, from the reference solution's own loss
function: central differences `(L(v + h) - L(v - h)) / 2h` element by element, or
`torch.autograd.grad`. The student's function runs in the sandbox under `torch.no_grad()`, and
any autograd use inside it fails the case (see StudentSide).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch

from grader.assignment.spec import GradientCheck
from grader.checks.cases import Case
from grader.checks.compare import compare
from grader.checks.diagnose import Judged, diagnose
from grader.checks.errors import ConfigError
from grader.checks.formatting import plain
from grader.checks.kind import Context, Verdict
from grader.checks.messages import subject
from grader.checks.reference import ReferenceSide
from grader.checks.student import StudentSide
from grader.language.evaluator import Evaluator
from grader.language.helpers import plain_helpers
from grader.language.syntax import ExprError

F64 = torch.float64
Functions = Mapping[str, Callable[..., Any]]


class GradientKind:
    needs_reference = True
    pipelined = True  # its cases' first calls are independent: see checks.prefetch

    def expected(self, check: GradientCheck, case: Case, reference: ReferenceSide) -> Any:
        raw = reference.raw_functions
        missing = [name for name in check.wrt if name not in case.variables]
        if missing:
            raise ConfigError(f"check {check.name!r}: wrt names {missing} are not variables of the case")
        if check.method == "autograd":
            grads = _autograd(check, case, raw)
        else:
            base = {k: _to64(v) for k, v in case.variables.items()}

            def loss(variables: Any) -> float:
                return _loss(check, raw, variables)

            grads = [_central(base[name], _substitute(loss, base, name), check.eps) for name in check.wrt]
        return grads[0] if len(grads) == 1 else tuple(grads)

    def judge(self, check: GradientCheck, case: Case, student: StudentSide, expected: Any,
              ctx: Context) -> Verdict:
        actual = student.evaluate(case).value
        label = ("autograd on the reference loss gives" if check.method == "autograd"
                 else f"central finite differences of {check.loss} give")
        data = None if case.hidden else {"student": plain(actual), "expected": plain(expected),
                                         "method": check.method}
        mismatch = compare(actual, expected, check.rtol, check.atol)
        if mismatch:
            found = diagnose(Judged(check, case, self, actual, expected, check.rtol, check.atol, ctx), mismatch)
            return Verdict(False, mismatch.describe(subject(case), label) + found.point,
                           mismatch.gist(subject(case)) + found.gist, data)
        return Verdict(True, data=data)


def _to64(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().to(F64) if value.is_floating_point() else value
    if isinstance(value, dict):
        return {k: _to64(v) for k, v in value.items()}
    return value


def _loss_tensor(check: GradientCheck, raw: Functions, variables: dict[str, Any]) -> Any:
    """The reference loss on these variables, in float64, as a 0-d tensor or a float."""
    evaluator = Evaluator({**plain_helpers(F64), **raw}, dict(variables))
    try:
        out = evaluator.eval(check.loss)
    except ExprError as exc:
        raise ConfigError(f"check {check.name!r}: loss {check.loss!r}: {exc}") from exc
    return _scalar(out, check)


def _loss(check: GradientCheck, raw: Functions, variables: dict[str, Any]) -> float:
    return float(_loss_tensor(check, raw, variables))


def _scalar(out: Any, check: GradientCheck) -> Any:
    if isinstance(out, torch.Tensor):
        if out.numel() != 1:
            raise ConfigError(f"check {check.name!r}: the loss has shape {tuple(out.shape)}, not one number")
        return out.reshape(())
    if isinstance(out, (int, float)):
        return float(out)
    raise ConfigError(f"check {check.name!r}: the loss is not a number")


def _central(value: Any, loss: Callable[[Any], Any], eps: float) -> Any:
    """Central differences of `loss` around `value` (a float, a tensor, a list or a dict of those)."""
    if isinstance(value, bool):
        raise ConfigError("cannot differentiate with respect to a bool")
    if isinstance(value, (int, float)):
        h = eps * max(1.0, abs(float(value)))
        return (float(loss(float(value) + h)) - float(loss(float(value) - h))) / (2 * h)
    if isinstance(value, torch.Tensor):
        grad = torch.zeros_like(value, dtype=F64)
        flat = value.reshape(-1)
        for i in range(flat.numel()):
            h = eps * max(1.0, abs(float(flat[i])))
            plus, minus = flat.clone(), flat.clone()
            plus[i] += h
            minus[i] -= h
            f_plus = float(loss(plus.reshape(value.shape)))
            f_minus = float(loss(minus.reshape(value.shape)))
            grad.reshape(-1)[i] = (f_plus - f_minus) / (2 * h)
        return grad
    if isinstance(value, dict):
        return {k: _central(v, _substitute(loss, value, k), eps) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_central(v, _substitute(loss, value, i), eps) for i, v in enumerate(value)]
    raise ConfigError(f"cannot differentiate with respect to a {type(value).__name__}")


def _substitute(loss: Callable[[Any], Any], container: Any, key: Any) -> Callable[[Any], Any]:
    """`loss` of `container` with the item at `key` replaced: one coordinate of the gradient."""

    def replaced(new: Any) -> Any:
        if isinstance(container, dict):
            return loss({**container, key: new})
        items = list(container)
        items[key] = new
        return loss(items)

    return replaced


def _autograd(check: GradientCheck, case: Case, raw: Functions) -> list[Any]:
    leaves: dict[str, Any] = {}
    for name in check.wrt:
        leaves[name] = _leaf(case.variables[name])
    with torch.enable_grad():
        out = _loss_tensor(check, raw, {**case.variables, **leaves})
        if not isinstance(out, torch.Tensor) or not out.requires_grad:
            raise ConfigError(f"check {check.name!r}: the loss does not depend on {check.wrt} through autograd")
        flat = _flatten(leaves)
        grads = torch.autograd.grad(out, flat, allow_unused=True)
    it = iter(grads)
    return [_rebuild(leaves[name], it) for name in check.wrt]


def _leaf(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _leaf(v) for k, v in value.items()}
    if isinstance(value, torch.Tensor):
        return value.detach().to(F64).clone().requires_grad_(True)
    return torch.tensor(float(value), dtype=F64, requires_grad=True)


def _flatten(value: Any) -> list[torch.Tensor]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _flatten(v)]
    return [value]


def _rebuild(leaf: Any, grads: Any) -> Any:
    if isinstance(leaf, dict):
        return {k: _rebuild(v, grads) for k, v in leaf.items()}
    grad = next(grads)
    if grad is None:
        grad = torch.zeros_like(leaf)
    return float(grad) if leaf.dim() == 0 else grad.detach()
