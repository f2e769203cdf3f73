"""The sandbox's exceptions: a base for what a user must fix, and one for a broken conversation."""

from __future__ import annotations


class SandboxError(Exception):
    """The sandbox cannot do its job on this machine or with this setup; the message says what to do.

    The sandbox imports nothing of the rest of the grader, so this is its own base class; the
    command line reports it like any other user error (one line, exit code 2).
    """


class ProtocolError(Exception):
    """The other side broke the protocol (a malformed, oversized or unexpected message)."""
