"""What the sandbox protects, in words a student or instructor can check against the code.

The per-child list comes from the child itself (what it really applied); the rest is what the
grader enforces from outside, whatever the tier.
"""

from __future__ import annotations

from grader.sandbox.limits import Limits
from grader.sandbox.tiers import Tier


def outside(limits: Limits) -> list[str]:
    """Protections the grader applies from outside the child, on every tier."""
    return [
        "student code runs in a separate process forked from a clean worker, never in the grader",
        "only plain JSON data comes back (no pickles); values are converted inside the worker",
        "the process holds stdin (/dev/null), stdout, stderr and one socket to the grader: nothing else",
        f"wall-clock limits: {limits.call_timeout_s:g} s per call, {limits.load_timeout_s:g} s to "
        f"load, {limits.submission_timeout_s:g} s per submission, then SIGKILL",
        "printed output is captured, capped and cleaned of control characters; the grader bounds "
        "what it reads from the code (frame size, output, bytes per submission)",
        "the worker's environment is rebuilt from an allow-list (no tokens, no grading seed)",
        "after each submission every process it started is killed",
    ]


def describe(tier: Tier, limits: Limits, applied: list[str]) -> list[str]:
    """Every protection of a submission's run, the missing ones last (`not available: ...`)."""
    return [*outside(limits), *applied, *(f"not available: {m}" for m in tier.missing)]
