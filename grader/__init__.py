"""A PyTorch-aware autograder: student code runs in a sandboxed worker, never in the grader.

`grader.check()` runs the public checks from inside a notebook (see grader.selfcheck).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def check(target: str | None = None, assignment: str | None = None, notebook: str | None = None) -> Any:
    """Self-check from a notebook: `grader.check()` or `grader.check("manual_gradient")`."""
    from grader.selfcheck import notebook_check

    return notebook_check(target=target, assignment=assignment, notebook=notebook)
