"""Points as LMS importers read them: plain decimals, no exponent, no trailing zeros."""

from __future__ import annotations


def points(value: float) -> str:
    """`7.5`, `10`, `0.3333`: four decimals at most (finer than any gradebook stores)."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(score: float, max_score: float) -> str:
    return points(100.0 * score / max_score) if max_score else "0"
