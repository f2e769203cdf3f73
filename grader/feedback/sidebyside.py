"""A gradient check's numbers as rows: where (parameter and index), the student's, the expected.

Values in a report are numbers, the strings "nan"/"inf"/"-inf", or nested lists and dicts of
them (tensors become nested lists). Both sides are flattened to the same paths so that a shape
mismatch shows as a missing entry rather than as numbers that silently shift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

ROWS = 40
RELATIVE = 1e-4  # rows are marked "off" beyond this relative difference, to point the eye only


@dataclass(frozen=True)
class Row:
    where: str
    student: str
    expected: str
    difference: str
    off: bool


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    omitted: int


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{path}[{i}]"))
        return out or {path: "[]"}
    return {path: value}


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if value in ("nan", "inf", "-inf"):
        return float(value)
    return None


def show(value: Any) -> str:
    number = _float(value)
    if number is not None:
        return f"{number:.8g}"
    if value is None:
        return "none"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def side_by_side(student: Any, expected: Any, limit: int = ROWS) -> Table:
    ours, theirs = flatten(student), flatten(expected)
    paths = list(theirs) + [p for p in ours if p not in theirs]
    rows: list[Row] = []
    for path in paths:
        have, want = ours.get(path, "(missing)"), theirs.get(path, "(none expected)")
        a, b = _float(have), _float(want)
        difference, off = "", have != want
        if a is not None and b is not None:
            if math.isfinite(a) and math.isfinite(b):
                difference = f"{a - b:+.3g}"
                off = abs(a - b) > RELATIVE * max(1.0, abs(b))
            else:
                off = not (a == b or (math.isnan(a) and math.isnan(b)))
        rows.append(Row(path or "value", show(have), show(want), difference, off))
    if len(rows) > limit:
        # keep the rows that differ first: they are the ones the student needs to see
        ordered = sorted(range(len(rows)), key=lambda i: (not rows[i].off, i))[:limit]
        return Table([rows[i] for i in sorted(ordered)], len(rows) - limit)
    return Table(rows, 0)
