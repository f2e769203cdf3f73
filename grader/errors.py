"""The one base class for mistakes a user can fix: printed as one clear line, never as a traceback.

Importing nothing but the standard library and the sandbox's own error module (itself stdlib
only), so that every module, however low, can raise from it and `main` can catch it without
loading torch. A message names the file, the field and what to do.
"""

from __future__ import annotations

from grader.sandbox.protocol.errors import SandboxError


class UserError(Exception):
    """Bad arguments, a missing or malformed input; the message says what to do."""


# The sandbox imports nothing of the rest of the grader, so its own user-facing errors (a tier
# this machine cannot give, a worker that will not start) derive from its own SandboxError:
# the two bases are what `main` and `grader.check()` report as one line.
USER_ERRORS: tuple[type[Exception], ...] = (UserError, SandboxError)
