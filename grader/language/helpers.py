"""The functions a declaration may call: tensors, grids, and random draws for random cases.

Random helpers (`uniform`, `normal`, `randint`, `choice`, `randn`) need a seeded generator, so
they exist only where a case's variables are drawn; elsewhere calling one is an error that says
so. `finalize` turns what the helpers drew (NumPy arrays and scalars) into the plain floats and
lists students receive.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import torch

from grader.language.syntax import ExprError


def _dtype(name: Any, default: torch.dtype) -> torch.dtype:
    if name is None:
        return default
    if isinstance(name, torch.dtype):
        return name
    dtype = getattr(torch, str(name), None)
    if not isinstance(dtype, torch.dtype):
        raise ExprError(f"unknown dtype {name!r}")
    return dtype


Shape = int | tuple[int, ...] | list[int] | None  # `n=4` draws 4 values, `n=(3, 2)` a 3 × 2 table


def _size(n: int | tuple[int, ...] | list[int]) -> int | tuple[int, ...]:
    """numpy's `size` from a helper's `n`: a count or a shape of non-negative integers."""
    shape = tuple(n) if isinstance(n, (tuple, list)) else (n,)
    if not shape or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise ExprError(f"n must be a count or a shape such as (3, 2), not {n!r}")
    return shape[0] if isinstance(n, int) else shape


def make_helpers(
    rng: np.random.Generator | None = None, default_dtype: torch.dtype = torch.float32
) -> dict[str, Callable[..., Any]]:
    """The functions a case or call declaration may use; random ones need an `rng`.

    Built anew each time (a few microseconds): nothing here is kept between calls."""
    return _build_helpers(rng, default_dtype)


def plain_helpers(default_dtype: torch.dtype = torch.float32) -> Mapping[str, Callable[..., Any]]:
    """The table without random helpers, which is the same every time: a constant per dtype,
    since every case of every submission evaluates with it."""
    table = _PLAIN.get(default_dtype)
    return table if table is not None else _build_helpers(None, default_dtype)


def _build_helpers(rng: np.random.Generator | None, default_dtype: torch.dtype) -> dict[str, Callable[..., Any]]:
    """The helper table: small closures over one generator and dtype, kept together (about 90
    lines) because the table is what an author reads to know what a declaration may call."""

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
            raise ExprError("random helpers are only available in random or hidden cases")
        return rng

    def uniform(low: float, high: float, n: Shape = None) -> Any:
        if n is None:
            return float(need_rng().uniform(low, high))
        return need_rng().uniform(low, high, size=_size(n))

    def normal(mean: float = 0.0, std: float = 1.0, n: Shape = None) -> Any:
        if n is None:
            return float(need_rng().normal(mean, std))
        return need_rng().normal(mean, std, size=_size(n))

    def randint(low: int, high: int, n: Shape = None) -> Any:
        """Integers in [low, high], both ends included."""
        if n is None:
            return int(need_rng().integers(low, high + 1))
        return need_rng().integers(low, high + 1, size=_size(n))

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

    def linspace(start: float, stop: float, n: int) -> Any:
        return np.linspace(start, stop, int(n))

    def zeros(*shape: int, dtype: Any = "float64") -> torch.Tensor:
        return torch.zeros(shape, dtype=_dtype(dtype, default_dtype))

    def ones(*shape: int, dtype: Any = "float64") -> torch.Tensor:
        return torch.ones(shape, dtype=_dtype(dtype, default_dtype))

    return {
        "tensor": tensor,
        "grid": grid,
        "column": column,
        "linspace": linspace,
        "zeros": zeros,
        "ones": ones,
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


_PLAIN = {dtype: MappingProxyType(_build_helpers(None, dtype)) for dtype in (torch.float32, torch.float64)}
