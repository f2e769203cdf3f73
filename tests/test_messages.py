"""What a student reads about a failed call or load (grader.checks.messages): their file's name,
their line, plain English, and for a hidden case nothing the code itself could have written."""

from __future__ import annotations

import signal

from grader.checks.messages import crash_gist, crash_message, error_message, load_failure
from grader.sandbox.channels import ExitStatus
from grader.sandbox.protocol.calls import ErrorInfo, ExitNote
from grader.sandbox.results import CallResult, LoadResult


def failed_load(error: ErrorInfo) -> LoadResult:
    return LoadResult("error", failure=CallResult("error", error=error))


def test_a_load_failure_names_the_file_handed_in_and_reads_as_english() -> None:
    indented = ErrorInfo("IndentationError", "unexpected indent", "hw3_final.py", 15, "  def loss(x, y, w):")
    status, message = load_failure(failed_load(indented), "hw3_final.py")
    assert status == "error"
    assert message == "hw3_final.py has an IndentationError at line 15: unexpected indent\n    def loss(x, y, w):"
    syntax = ErrorInfo("SyntaxError", "'(' was never closed", "hw3_final.py", 9)
    assert load_failure(failed_load(syntax), "hw3_final.py")[1].startswith("hw3_final.py has a SyntaxError at line 9")


def test_a_load_that_times_out_asks_about_the_top_level() -> None:
    load = LoadResult("timeout", failure=CallResult("timeout", reason="did not finish within 10 s"))
    assert load_failure(load, "mine.py") == (
        "timeout", "loading mine.py did not finish within 10 s; is there a loop at the top level?")


def test_an_exception_names_its_line_and_code() -> None:
    error = ErrorInfo("ZeroDivisionError", "division by zero", "hw.py", 14,
                      traceback="  File ...\n    scale = 1 / (w - 1)")
    assert error_message(error) == "raised ZeroDivisionError: division by zero (line 14: scale = 1 / (w - 1))"
    stub = ErrorInfo("NotImplementedError", "train: write your code here", "hw.py", 40)
    assert error_message(stub).startswith("is not implemented yet: it raises NotImplementedError")


def test_a_crash_is_explained_and_its_gist_keeps_no_code_the_submission_chose() -> None:
    exited = CallResult("crashed", exit_note=ExitNote(42, "hw.py", 7))
    assert crash_message(exited) == "the code called os._exit(42) at line 7, which ends the process"
    assert crash_gist(exited) == "the code called os._exit, which ends the process"
    signalled = CallResult("crashed", exit=ExitStatus(None, int(signal.SIGUSR2)))
    assert "42" not in crash_gist(exited) and "USR2" not in crash_gist(signalled)
    killed = CallResult("crashed", exit=ExitStatus(None, int(signal.SIGKILL)))
    assert "too much memory" in crash_message(killed) and "too much memory" in crash_gist(killed)
