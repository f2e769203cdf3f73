"""Errors that are the user's to fix: printed as one clear line, never as a traceback."""

from __future__ import annotations

from grader.assignment.loader import AssignmentError
from grader.checks.runner import ConfigError
from grader.export.errors import ExportError
from grader.feedback.loading import FeedbackError
from grader.generate import GenerateError
from grader.notebooks import NotebookError
from grader.sandbox.tiers import SandboxUnavailable
from grader.sandbox.zygote import WorkerStartError


class UserError(Exception):
    """Bad arguments or a missing input; the message says what to do."""


USER_ERRORS: tuple[type[BaseException], ...] = (
    UserError, AssignmentError, ConfigError, GenerateError, WorkerStartError, SandboxUnavailable,
    FeedbackError, ExportError, NotebookError,
)
