"""Plain-data encoding of Python, NumPy and torch values for the frames (stdlib at import time).

Inside the worker, `encode` turns whatever a student function returned into JSON-ready data
using only the base types' own methods (`float.__float__`, `list.__len__`, ...), so a float
subclass with lying comparisons or a Tensor subclass arrives at the grader as an ordinary number.
`decode` rebuilds values from that data; the trusted side uses it on replies and the worker on
arguments. Nothing here unpickles, and every size is bounded.

Wire forms: null, bool, int, float (finite), str, list are themselves; everything else is an
object with a "$" tag: {"$": "float", "v": "nan"|"inf"|"-inf"}, {"$": "tuple", "v": [...]},
{"$": "dict", "v": {...}}, {"$": "tensor"|"ndarray", "dtype", "shape", "data" (flat),
"requires_grad"}, {"$": "object", "type": "name"}.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MAX_NUMBERS = 250_000  # numbers in one value: about 6 MB of JSON, under framing.MAX_FRAME
MAX_DEPTH = 24
MAX_STR = 20_000  # characters of one string
MAX_CHARS = 1_000_000  # characters of all strings and keys of one value
MAX_KEYS = 10_000

FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8")
DTYPES = FLOAT_DTYPES + INT_DTYPES + ("bool",)


class EncodeError(Exception):
    """A value cannot cross the boundary (too big, too deep, unsupported)."""


class DecodeError(Exception):
    """Data from the peer does not follow the wire forms."""


@dataclass(frozen=True)
class Opaque:
    """A value of a type that has no plain-data form; only its type name crosses."""

    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


@dataclass
class _Budget:
    numbers: int = MAX_NUMBERS
    chars: int = MAX_CHARS

    def text(self, text: str) -> str:
        """`text`, cut to MAX_STR, paid for out of the value's character budget."""
        if len(text) > MAX_STR:
            text = text[:MAX_STR] + f"... ({len(text):,} characters)"
        self.chars -= len(text)
        if self.chars < 0:
            raise EncodeError(f"the value holds more than {MAX_CHARS:,} characters of text in all")
        return text


def _number(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"$": "float", "v": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _flat_numbers(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, float) and not math.isfinite(v):
            out.append("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
        else:
            out.append(v)
    return out


def _type_name(value: Any) -> str:
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__qualname__", "object")
    name = name if isinstance(name, str) else "object"
    return (name if module in ("builtins", "") else f"{module}.{name}")[:200]


def encode(value: Any) -> Any:
    """Encode a value for a frame; raises EncodeError when it is too large or too deep."""
    return _encode(value, 0, _Budget())


def _spend(budget: _Budget, n: int, what: str) -> None:
    budget.numbers -= n
    if budget.numbers < 0:
        raise EncodeError(
            f"{what} holds more than {MAX_NUMBERS:,} values in all; the grader accepts at most that"
        )


def _encode(value: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH:
        raise EncodeError(f"the value is nested more than {MAX_DEPTH} levels deep")
    if value is None or value is True or value is False:
        return value
    if isinstance(value, bool):  # a bool subclass cannot exist, but be explicit
        return bool(value)
    if isinstance(value, int):
        _spend(budget, 1, "the value")
        number = int.__int__(value)
        if abs(number) > 2**63:
            return _number(float(number))
        return number
    if isinstance(value, float):
        _spend(budget, 1, "the value")
        return _number(float.__float__(value))
    if isinstance(value, str):
        return budget.text(str.__str__(value))
    if isinstance(value, (list, tuple)):
        base: Any = list if isinstance(value, list) else tuple
        size = base.__len__(value)
        if size > MAX_NUMBERS:
            raise EncodeError(
                f"the value is a {base.__name__} of {size:,} items; the grader accepts at most "
                f"{MAX_NUMBERS:,}"
            )
        items = [_encode(base.__getitem__(value, i), depth + 1, budget) for i in range(size)]
        return items if base is list else {"$": "tuple", "v": items}
    if isinstance(value, dict):
        size = dict.__len__(value)
        if size > MAX_KEYS:
            raise EncodeError(f"the value is a dict of {size:,} keys; at most {MAX_KEYS:,}")
        out: dict[str, Any] = {}
        for key, item in dict.items(value):
            if not isinstance(key, str):
                raise EncodeError(f"a dict key is a {_type_name(key)}; only str keys are accepted")
            out[budget.text(str.__str__(key)[:200])] = _encode(item, depth + 1, budget)
        return {"$": "dict", "v": out}
    module = type(value).__module__ or ""
    if module.startswith("torch") or _is_tensor(value):
        return _encode_tensor(value, budget)
    if module.startswith("numpy"):
        return _encode_numpy(value, depth, budget)
    return {"$": "object", "type": _type_name(value)}


def _is_tensor(value: Any) -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is always present where tensors exist
        return False
    return isinstance(value, torch.Tensor)


_DTYPE_NAMES: dict[Any, str] = {}


def _encode_tensor(value: Any, budget: _Budget) -> Any:
    import torch

    if not isinstance(value, torch.Tensor):
        return {"$": "object", "type": _type_name(value)}
    if not _DTYPE_NAMES:
        _DTYPE_NAMES.update({getattr(torch, name): name for name in DTYPES})
    with torch._C.DisableTorchFunctionSubclass():
        t = torch.Tensor.detach(value)
        dtype = _DTYPE_NAMES.get(t.dtype) or str(t.dtype).removeprefix("torch.")
        if dtype not in DTYPES or t.layout != torch.strided or t.device.type != "cpu":
            if t.device.type != "meta" and dtype in DTYPES and t.layout == torch.strided:
                t = t.cpu()
            else:
                return {"$": "object", "type": f"torch.Tensor ({dtype}, {t.layout}, {t.device})"}
        numel = int(t.numel())
        _spend(budget, numel, f"a tensor of shape {tuple(t.shape)}")
        flat = t.reshape(-1)
        if dtype in ("float16", "bfloat16"):
            flat = flat.to(torch.float32)
        return {
            "$": "tensor",
            "dtype": dtype,
            "shape": [int(s) for s in t.shape],
            "data": _flat_numbers(flat.tolist()),
            "requires_grad": bool(value.requires_grad),
        }


def _encode_numpy(value: Any, depth: int, budget: _Budget) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return _encode(value.item(), depth, budget)
    if isinstance(value, np.ndarray):
        dtype = str(value.dtype)
        if dtype not in DTYPES:
            return {"$": "object", "type": f"numpy.ndarray ({dtype})"}
        _spend(budget, int(value.size), f"an array of shape {value.shape}")
        return {
            "$": "ndarray",
            "dtype": dtype,
            "shape": [int(s) for s in value.shape],
            "data": _flat_numbers(np.asarray(value).reshape(-1).tolist()),
            "requires_grad": False,
        }
    return {"$": "object", "type": _type_name(value)}


# ---------------------------------------------------------------------------------------------
# Decoding


INT_RANGES = {"int8": (-(2**7), 2**7 - 1), "int16": (-(2**15), 2**15 - 1), "int32": (-(2**31), 2**31 - 1),
              "int64": (-(2**63), 2**63 - 1), "uint8": (0, 255), "bool": (0, 1)}


def decode(data: Any) -> Any:
    """Rebuild a value from wire data; raises DecodeError (and nothing else) on anything malformed,
    too large or out of range, so no reply a child forges can make the grader raise."""
    try:
        return _decode(data, 0, _Budget(numbers=2 * MAX_NUMBERS))  # numbers and the containers around them
    except DecodeError:
        raise
    except (ValueError, TypeError, OverflowError, RuntimeError, MemoryError, RecursionError) as exc:
        raise DecodeError(f"the value cannot be rebuilt: {str(exc)[:200]}") from exc


def _decode(data: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH + 2:
        raise DecodeError("data nested too deeply")
    _take(budget)
    if data is None or isinstance(data, (bool, str, float)):
        return data
    if isinstance(data, int):
        if abs(data) > 2**63:
            raise DecodeError("an integer beyond 64 bits")
        return data
    if isinstance(data, list):
        return [_decode(item, depth + 1, budget) for item in data]
    if not isinstance(data, dict):
        raise DecodeError(f"unexpected JSON value of type {type(data).__name__}")
    tag = data.get("$")
    if tag == "float":
        v = data.get("v")
        if v not in ("nan", "inf", "-inf"):
            raise DecodeError("bad special float")
        return float(v)
    if tag == "tuple":
        items = data.get("v")
        if not isinstance(items, list):
            raise DecodeError("bad tuple")
        return tuple(_decode(item, depth + 1, budget) for item in items)
    if tag == "dict":
        items = data.get("v")
        if not isinstance(items, dict):
            raise DecodeError("bad dict")
        return {str(k): _decode(v, depth + 1, budget) for k, v in items.items()}
    if tag in ("tensor", "ndarray"):
        return _decode_array(data, tag, budget)
    if tag == "object":
        return Opaque(str(data.get("type", "object"))[:200])
    raise DecodeError(f"unknown tag {str(tag)[:40]!r}")


def _take(budget: _Budget, n: int = 1) -> None:
    """Every item decoded (a number, a container, a key) is paid for: an empty list costs the
    grader as much memory as a number, so containers count too."""
    budget.numbers -= n
    if budget.numbers < 0:
        raise DecodeError(f"the value holds more than {2 * MAX_NUMBERS:,} items")


def _decode_array(data: dict[str, Any], tag: str, budget: _Budget) -> Any:
    dtype = data.get("dtype")
    shape = data.get("shape")
    flat = data.get("data")
    if dtype not in DTYPES or not isinstance(shape, list) or not isinstance(flat, list) or len(shape) > 32:
        raise DecodeError("bad array header")
    if not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s <= MAX_NUMBERS for s in shape):
        raise DecodeError("bad array shape")
    numel = math.prod(shape)
    if numel != len(flat) or numel > MAX_NUMBERS:
        raise DecodeError(f"array data holds {len(flat)} values for shape {shape}")
    _take(budget, numel)
    bounds = INT_RANGES.get(str(dtype))
    values: list[Any] = []
    for v in flat:
        if isinstance(v, str):
            if v not in ("nan", "inf", "-inf") or bounds is not None:
                raise DecodeError("bad array value")
            values.append(float(v))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if bounds is not None and not (isinstance(v, int) and bounds[0] <= v <= bounds[1]):
                raise DecodeError(f"a {dtype} array holds {str(v)[:30]}")
            values.append(v)
        else:
            raise DecodeError("bad array value")
    if tag == "ndarray":
        import numpy as np

        return np.asarray(values, dtype=dtype).reshape(shape)
    import torch

    tensor = torch.tensor(values, dtype=getattr(torch, dtype)).reshape(shape)
    if data.get("requires_grad") is True and tensor.is_floating_point():
        tensor.requires_grad_(True)
    return tensor
