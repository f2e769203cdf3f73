"""Points as people and gradebooks read them, the same everywhere a score is shown as text.

The rule: at most two decimals, trailing zeros dropped, no exponent (`7.5`, `10`, `0.33`). The
terminal's summary line, summary.csv, every export and the feedback pages use it; JSON files
(reports, summary.json, results.json) keep the exact number.
"""

from __future__ import annotations

import math

DECIMALS = 2


def points(value: float) -> str:
    """`7.5`, `10`, `0.33`, `-1.25`: a score, a mean or a percentage as text."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent(score: float, max_score: float) -> str:
    """The score as a percentage of the maximum, by the same rule (0 when there is no maximum)."""
    return points(100.0 * score / max_score) if max_score else "0"
