"""Cases: the concrete inputs a check runs on, and the helpers their declarations may use.

A check runs on its explicit `cases` (the course data by default), on `random` cases drawn
from a public seed (students can reproduce them with `grader check`) and on `hidden` cases drawn
from the grading seed, which only the instructor has. Draws are keyed by (seed, check, group,
index), so adding a check never changes the inputs of another, and grading is repeatable.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import torch

from grader.checks import expr
from grader.sandbox.inside import values

Group = Literal["case", "random", "hidden"]
RESERVED = frozenset({"call", "steps", "label", "count"})


@dataclass
class Case:
    """One set of inputs for a check, with the call (and steps) to make on them."""

    group: Group
    index: int
    count: int
    variables: dict[str, Any]
    call: str
    steps: list[str] = field(default_factory=list)
    label: str | None = None
    _key: str | None = field(default=None, repr=False, compare=False)
    # The first student call this case makes, its arguments built once (see runner.first_calls);
    # () when it makes none that can be known in advance.
    first_call: Any = field(default=None, repr=False, compare=False)

    @property
    def hidden(self) -> bool:
        return self.group == "hidden"

    def key(self) -> str:
        """A stable identity for caching the reference's answer to this case (computed once)."""
        if self._key is None:
            self._key = self._compute_key()
        return self._key

    def _compute_key(self) -> str:
        used = self.used_names()
        data = {k: values.encode(v) for k, v in sorted(self.variables.items()) if k in used}
        return json.dumps([self.call, self.steps, data], sort_keys=True)

    def used_names(self) -> set[str]:
        names = expr.names_used(self.call)
        for step in self.steps:
            targets, _ = expr.parse_step(step)
            names |= {n for n in _names_in_step(step)} - set(targets)
        return names

    def describe(self) -> str:
        """Where the case came from and its inputs, as a student may see them."""
        shown = []
        for name in sorted(self.used_names() & set(self.variables), key=self._order):
            value = self.variables[name]
            if self.hidden and not _is_scalar(value):
                continue
            shown.append(f"{name}={brief(value)}")
        inputs = ", ".join(shown)
        if self.label:
            where = self.label
        elif self.group == "hidden":
            where = f"hidden case {self.index + 1} of {self.count}"
        elif self.group == "random":
            where = f"random case {self.index + 1} of {self.count}"
        else:
            where = ""
        if where and inputs:
            return f"{where} ({inputs})"
        return where or inputs

    def _order(self, name: str) -> int:
        keys = list(self.variables)
        return keys.index(name) if name in keys else len(keys)


def _names_in_step(step: str) -> set[str]:
    import ast

    _, node = expr.parse_step(step)
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _is_scalar(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return value.numel() == 1
    return isinstance(value, (int, float, bool, str))


def brief(value: Any, limit: int = 6) -> str:
    """A short, deterministic rendering of a value for messages."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return repr(value[:60])
    if isinstance(value, torch.Tensor):
        flat = value.detach().reshape(-1).tolist()
        if value.numel() == 1:
            return f"tensor([{fmt(float(flat[0]))}])" if value.dim() else f"tensor({fmt(float(flat[0]))})"
        if value.numel() <= limit and value.dim() == 1:
            return "tensor([" + ", ".join(fmt(float(v)) for v in flat) + "])"
        return f"tensor of shape {tuple(value.shape)}"
    if isinstance(value, np.ndarray):
        return brief(torch.from_numpy(np.asarray(value, dtype=np.float64)), limit)
    if isinstance(value, (list, tuple)):
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        if len(value) <= limit:
            inner = ", ".join(brief(v, limit) for v in value)
            return f"{open_}{inner}{',' if len(value) == 1 and open_ == '(' else ''}{close}"
        head = ", ".join(brief(v, limit) for v in value[:3])
        return f"{open_}{head}, ..., {brief(value[-1], limit)}{close} ({len(value)} values)"
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {brief(v, limit)}" for k, v in list(value.items())[:8])
        return "{" + inner + "}"
    return repr(value)


def fmt(x: float) -> str:
    """Numbers as people read them: 6 significant digits, nan/inf spelled out."""
    if isinstance(x, bool):
        return repr(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0"
    text = f"{x:.6g}"
    if "e" not in text and "." not in text:
        text += ".0"
    return text


# ---------------------------------------------------------------------------------------------
# Helpers available to declarations


def _dtype(name: Any, default: torch.dtype) -> torch.dtype:
    if name is None:
        return default
    if isinstance(name, torch.dtype):
        return name
    dtype = getattr(torch, str(name), None)
    if not isinstance(dtype, torch.dtype):
        raise expr.ExprError(f"unknown dtype {name!r}")
    return dtype


_PLAIN_HELPERS: dict[torch.dtype, dict[str, Callable[..., Any]]] = {}


def make_helpers(
    rng: np.random.Generator | None = None, default_dtype: torch.dtype = torch.float32
) -> dict[str, Callable[..., Any]]:
    """The functions a case or call declaration may use; random ones need an `rng`.

    Without an `rng` the table is the same every time, so it is built once per dtype.
    """
    if rng is None:
        if default_dtype not in _PLAIN_HELPERS:
            _PLAIN_HELPERS[default_dtype] = _build_helpers(None, default_dtype)
        return _PLAIN_HELPERS[default_dtype]
    return _build_helpers(rng, default_dtype)


def _build_helpers(rng: np.random.Generator | None, default_dtype: torch.dtype) -> dict[str, Callable[..., Any]]:

    def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> torch.Tensor:
        target = _dtype(dtype, default_dtype)
        if isinstance(data, torch.Tensor):
            t = data.to(target)
        elif isinstance(data, (list, tuple)) and any(isinstance(d, torch.Tensor) for d in data):
            t = torch.stack([tensor(d, target) for d in data])
        else:
            t = torch.as_tensor(np.asarray(data, dtype=np.float64), dtype=target)
        if requires_grad:
            t = t.detach().clone().requires_grad_(True)
        return t

    def grid(start: float, stop: float, step: float) -> list[float]:
        n = round((stop - start) / step)
        return [round(start + i * step, 10) for i in range(n + 1)]

    def column(x: Any) -> Any:
        return x.reshape(-1, 1)

    def need_rng() -> np.random.Generator:
        if rng is None:
            raise expr.ExprError("random helpers are only available in random or hidden cases")
        return rng

    def uniform(low: float, high: float, n: int | None = None) -> Any:
        return need_rng().uniform(low, high, size=n) if n else float(need_rng().uniform(low, high))

    def normal(mean: float = 0.0, std: float = 1.0, n: int | None = None) -> Any:
        return need_rng().normal(mean, std, size=n) if n else float(need_rng().normal(mean, std))

    def randint(low: int, high: int) -> int:
        """An integer in [low, high], both ends included."""
        return int(need_rng().integers(low, high + 1))

    def choice(options: list[Any]) -> Any:
        return options[int(need_rng().integers(0, len(options)))]

    def randn(*shape: int, dtype: Any = "float64", scale: float = 1.0) -> torch.Tensor:
        data = need_rng().standard_normal(size=shape) * scale
        return torch.as_tensor(data, dtype=_dtype(dtype, torch.float64))

    def elementwise(fn_np: Callable[[Any], Any], fn_t: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def apply(x: Any) -> Any:
            if isinstance(x, torch.Tensor):
                return fn_t(x)
            if isinstance(x, list):
                return [float(v) for v in fn_np(np.asarray(x, dtype=np.float64))]
            return fn_np(x)

        return apply

    return {
        "tensor": tensor,
        "grid": grid,
        "column": column,
        "linspace": lambda a, b, n: np.linspace(a, b, int(n)),
        "zeros": lambda *shape, dtype="float64": torch.zeros(shape, dtype=_dtype(dtype, default_dtype)),
        "ones": lambda *shape, dtype="float64": torch.ones(shape, dtype=_dtype(dtype, default_dtype)),
        "sin": elementwise(np.sin, torch.sin),
        "cos": elementwise(np.cos, torch.cos),
        "exp": elementwise(np.exp, torch.exp),
        "tanh": elementwise(np.tanh, torch.tanh),
        "sorted": sorted,
        "len": len,
        "abs": abs,
        "round": round,
        "float": float,
        "int": int,
        "list": list,
        "uniform": uniform,
        "normal": normal,
        "randint": randint,
        "choice": choice,
        "randn": randn,
    }


def finalize(value: Any) -> Any:
    """NumPy results of generators become the plain floats and lists students receive."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return float(value)
        return [finalize(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [finalize(v) for v in value]
    if isinstance(value, tuple):
        return tuple(finalize(v) for v in value)
    if isinstance(value, dict):
        return {k: finalize(v) for k, v in value.items()}
    if isinstance(value, float):
        return float(value)
    return value


def _rng(seed: str, *parts: object) -> np.random.Generator:
    digest = hashlib.sha256("\x1f".join([seed, *map(str, parts)]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


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
        variables = _draw(spec, data, _rng(public_seed, "case", _fingerprint(spec), i))
        cases.append(Case("case", i, len(explicit), variables, spec.get("call", call),
                          list(spec.get("steps", steps)), spec.get("label")))
    groups: tuple[tuple[Group, Mapping[str, Any] | None, str | None], ...] = (
        ("random", random, public_seed),
        ("hidden", hidden, hidden_seed),
    )
    for group, table, seed in groups:
        if not table or seed is None:
            continue
        count = int(table.get("count", 1))
        for i in range(count):
            variables = _draw(table, data, _rng(seed, group, _fingerprint(table), i))
            cases.append(Case(group, i, count, variables, table.get("call", call),
                              list(table.get("steps", steps)), None))
    return cases


def evaluate_data(table: Mapping[str, Any], public_seed: str) -> dict[str, Any]:
    """The course data: literals as written, strings as expressions (drawn from the public seed)."""
    return _draw(table, {}, _rng(public_seed, "data"))


def _fingerprint(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, default=str)


def _draw(spec: Mapping[str, Any], data: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """Variables of one case: the course data, then the declared ones in order.

    A string is an expression (`"uniform(-3, 3)"`, `"slope * xs"`); other TOML values are
    literals. Later declarations may use earlier ones.
    """
    variables: dict[str, Any] = dict(data)
    evaluator = expr.Evaluator(make_helpers(rng), variables)
    for name, text in spec.items():
        if name in RESERVED:
            continue
        variables[name] = evaluator.eval(text) if isinstance(text, str) else text
    return {k: finalize(v) for k, v in variables.items()}
