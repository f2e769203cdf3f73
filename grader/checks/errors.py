"""What can go wrong on the grader's side of a check: never the student's fault.

`ConfigError` is the instructor's to fix (a declaration that cannot be evaluated); the batch stops
on it. `ReferenceFailure` is the reference solution failing on a case. `NoReference` means the
reference's answer is neither computable nor recorded here (a student's machine without the
solution), and the case is skipped.
"""

from __future__ import annotations

from grader.errors import UserError


class ConfigError(UserError):
    """A check's declaration cannot be evaluated (unknown name, bad shape): fix assignment.toml."""


class ReferenceFailure(RuntimeError):
    """The reference solution itself failed: an instructor's problem, never a student's."""


class NoReference(LookupError):
    """Neither the reference solution nor a recorded answer is available for this case."""
