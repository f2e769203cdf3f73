"""A PyTorch-aware autograder: student code runs in a sandboxed worker, never in the grader.

`grader.check()` runs the public checks from inside a notebook (see grader.selfcheck).
"""

from __future__ import annotations

__version__ = "0.1.0"


def check(target: str | None = None, assignment: str | None = None, notebook: str | None = None,
          *, json: bool = False) -> None:
    """Self-check from a notebook: `grader.check()` or `grader.check("manual_gradient")`.

    Shows the public checks' table for the code this kernel has run (or for the saved
    `notebook`); `assignment` is a name or folder, by default the notebook's own folder's.
    `json=True` prints the report as JSON instead, as `grader check --json` does. Problems
    (no assignment found, not in Jupyter) are printed as one line, not raised: a traceback in
    a student's notebook explains nothing.
    """
    from rich.console import Console
    from rich.markup import escape

    from grader.errors import USER_ERRORS
    from grader.selfcheck import notebook_check
    from grader.text import MESSAGE_LIMIT, clean

    try:
        notebook_check(target=target, assignment=assignment, notebook=notebook, as_json=json)
    except USER_ERRORS as exc:
        Console(highlight=False).print(f"[red]grader.check:[/] {escape(clean(str(exc), MESSAGE_LIMIT))}")
