"""The export's user errors: a bad reports folder, roster or option, said in one line."""

from __future__ import annotations

from grader.errors import UserError


class ExportError(UserError):
    """Exporting cannot go on; the message names the file or column and what to do."""


class RosterError(ExportError):
    """The roster and the reports do not match one to one."""


class UploadError(ExportError):
    """Some grades could not be posted to the LMS; the message lists them."""
