"""How numbers and values are written in messages: short, deterministic, the same everywhere."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch


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


def brief(value: Any, limit: int = 6) -> str:
    """A short rendering of a value: a number, a few items, or the shape of something bigger."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return repr(value[:60])
    if isinstance(value, torch.Tensor):
        return _tensor(value, limit)
    if isinstance(value, np.ndarray):
        return brief(torch.from_numpy(np.asarray(value, dtype=np.float64)), limit)
    if isinstance(value, (list, tuple)):
        return _sequence(value, limit)
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {brief(v, limit)}" for k, v in list(value.items())[:8])
        return "{" + inner + "}"
    return repr(value)


def _tensor(value: torch.Tensor, limit: int) -> str:
    flat = value.detach().reshape(-1).tolist()
    if value.numel() == 1:
        return f"tensor([{fmt(float(flat[0]))}])" if value.dim() else f"tensor({fmt(float(flat[0]))})"
    if value.numel() <= limit and value.dim() == 1:
        return "tensor([" + ", ".join(fmt(float(v)) for v in flat) + "])"
    return f"tensor of shape {tuple(value.shape)}"


def _sequence(value: list[Any] | tuple[Any, ...], limit: int) -> str:
    open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
    if len(value) <= limit:
        inner = ", ".join(brief(v, limit) for v in value)
        return f"{open_}{inner}{',' if len(value) == 1 and open_ == '(' else ''}{close}"
    head = ", ".join(brief(v, limit) for v in value[:3])
    return f"{open_}{head}, ..., {brief(value[-1], limit)}{close} ({len(value)} values)"


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value (tensors as nested lists) for a report's `data`."""
    if isinstance(value, torch.Tensor):
        return value.detach().to(torch.float64).tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return repr(value)
