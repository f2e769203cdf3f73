"""Every sentence a student reads about a call: how it went wrong, where, and on which case.

Kinds say what differs ("history[3] is 0.51; the reference has 0.49"); this module says the rest:
which case it was, how a call is shown, and what a load failure, an exception, a timeout or a
crash means, in the student's terms (their file's name, their line, their code).
"""

from __future__ import annotations

import builtins
import re
import signal
from typing import Any, Literal

from grader.checks.cases import Case
from grader.checks.formatting import brief
from grader.sandbox.protocol.calls import ErrorInfo
from grader.sandbox.results import CallResult, LoadResult

FailureStatus = Literal["failed", "error", "timeout"]
NOT_RAISED = frozenset({"TooLarge", "Unreadable", "OutputLimit", "Protocol"})  # error kinds the grader found
BUILTIN_ERRORS = frozenset(name for name, obj in vars(builtins).items()
                           if isinstance(obj, type) and issubclass(obj, BaseException))
AUTOGRAD = frozenset({".backward()", "torch.autograd.backward", "torch.autograd.grad", "torch.enable_grad()"})


# -- the case ------------------------------------------------------------------------------------


def subject(case: Case) -> str:
    """The call as declared, with its steps: `predict(4.0, w) with w = train(xs, ys)[0]`."""
    text = case.call
    if case.steps:
        text += " with " + "; ".join(case.steps)
    return text


def origin(case: Case) -> str:
    """Which case: its label, `random case 1 of 2`, `hidden case 2 of 3`, or nothing (a listed case)."""
    if case.label:
        return case.label
    if case.group == "case":
        return ""
    return f"{case.group} case {case.index + 1} of {case.count}"


def inputs(case: Case) -> str:
    """`x=2.0, w=1.0`: the case's variables its call uses, in their declared order."""
    keys = list(case.variables)
    used = sorted(case.used_names() & set(keys), key=keys.index)
    return ", ".join(f"{name}={brief(case.variables[name])}" for name in used)


def described(case: Case, with_inputs: bool = True) -> str:
    """`random case 1 of 2 (x=1.5, w=-0.5)`, `x=2.0, w=1.0`, `hidden case 2 of 3`."""
    where, shown = origin(case), inputs(case) if with_inputs else ""
    if where and shown:
        return f"{where} ({shown})"
    return where or shown


def said(case: Case, point: str, gist: str, *, call_shown: bool = False) -> tuple[str, str | None]:
    """(message, detail) for a failing case: the point first, then which case it was.

    A public case's message carries its numbers (`call_shown`: the point already shows the
    call's inputs). A hidden case's message is the gist, which carries none, and its detail,
    for instructors only, has everything."""
    if case.hidden:
        return f"{gist} — for {origin(case)}", f"{point} — for {described(case)}"
    where = described(case, with_inputs=not call_shown)
    return (f"{point} — for {where}" if where else point), None


def render_call(fn: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """`train([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], lr=0.01)`."""
    parts = [brief(a) for a in args] + [f"{k}={brief(v)}" for k, v in kwargs.items()]
    return f"{fn}({', '.join(parts)})"


# -- loading -------------------------------------------------------------------------------------


def load_failure(load: LoadResult, filename: str) -> tuple[FailureStatus, str]:
    """Why the submission could not be loaded, naming the file as the student handed it in."""
    failure = load.failure
    assert failure is not None
    if failure.status == "timeout":
        return "timeout", f"loading {filename} {failure.reason}; is there a loop at the top level?{printed(failure)}"
    if failure.status == "crashed":
        return "error", f"{filename} could not be loaded: {crash_message(failure)}"
    error = failure.error or ErrorInfo("Error")
    kind = error.type
    if kind in ("SyntaxError", "IndentationError", "TabError"):
        text = f"\n    {error.text.strip()}" if error.text else ""
        article = "an" if kind[0] in "AEIOU" else "a"
        return "error", f"{filename} has {article} {kind} at line {error.line}: {error.message}{text}"
    if kind == "SystemExit":
        return "error", (
            f"{filename} called sys.exit while being loaded{at_line(error)}: a submission defines "
            "functions and must not exit"
        )
    if kind in ("OutputLimit", "Protocol"):
        return "error", f"{filename} could not be graded: {error.message}"
    return "error", f"{filename} could not be loaded: running it {error_message(error)}"


# -- calls ---------------------------------------------------------------------------------------


def error_message(error: ErrorInfo) -> str:
    """What an error reply means, as a verb phrase after the call: `raised ValueError: ... (line 3)`."""
    kind = error.type
    message = error.message
    if kind == "NotImplementedError":
        return f"is not implemented yet: it raises NotImplementedError{at_line(error)}"
    if kind == "Missing":
        return "is not defined"
    if kind == "TooLarge":
        return f"returned a value that is too large to grade: {message}"
    if kind == "Unreadable":
        return f"returned a value that could not be read: {message}"
    if kind == "OutputLimit":
        return f"was not graded: {message}"
    if kind == "Protocol":
        return f"broke the grader's protocol: {message}"
    if kind == "SystemExit":
        return f"called sys.exit{at_line(error)}; a function must return its result"
    return f"raised {kind}" + (f": {message}" if message else "") + at_line(error)


def at_line(error: ErrorInfo, source: bool = True) -> str:
    """` (line 12: the line's code)` for the student's line where an error was raised."""
    if not error.line:
        return ""
    code = ""
    trace = error.traceback.splitlines()
    if source and trace and not trace[-1].lstrip().startswith("File "):
        code = f": {trace[-1].strip()}"
    # A notebook's line numbers count from the top of a cell, so say which (grader.notebooks
    # labels cells `name.ipynb (code cell 3)` or, for a kernel's history, `(In [5])`).
    cell = re.search(r"\((code cell \d+|In \[\d+\])\)$", error.file or "")
    return f" ({cell.group(1) + ', ' if cell else ''}line {error.line}{code})"


def printed(result: CallResult) -> str:
    """`; the last it printed: ...` after a call or load that never answered (public cases only:
    what a hidden call prints can be made of its inputs)."""
    tail = " / ".join(line.strip() for line in result.output_tail.strip().splitlines()[-6:] if line.strip())
    return f"; the last it printed: {tail[-400:]}" if tail else ""


def crash_message(result: CallResult) -> str:
    """Why the process running the code ended: its own os._exit, a limit, or a signal."""
    note = result.exit_note
    if note:
        where = f" at line {note.line}" if note.line else ""
        return f"the code called os._exit({note.code}){where}, which ends the process"
    status = result.exit
    if status is not None and status.signal is not None:
        if status.signal == signal.SIGXCPU:
            return "the process used more CPU time than allowed and was stopped"
        if status.signal == signal.SIGKILL:
            return "the process was killed (SIGKILL), for example for using too much memory"
        return f"the process running the code {status.describe()}"
    if status is not None and status.exit is not None:
        return f"the process running the code exited with status {status.exit} instead of returning"
    return result.reason or "the process running the code ended unexpectedly"


# -- the same, for a hidden case ------------------------------------------------------------------
# Everything a reply carries was written by the child, which runs the student's code: an
# exception's message or name, a traceback, an exit code can all be made of a hidden case's
# inputs. A hidden case's words therefore use only what the grader itself knows or can bound.


def error_gist(error: ErrorInfo) -> str:
    """`raised TypeError`: a builtin error's name, and no line: the child reports the line, and a
    file padded with a million blank lines would turn it into 20 bits of the hidden inputs."""
    fixed = {
        "NotImplementedError": "is not implemented yet: it raises NotImplementedError",
        "Missing": "is not defined",
        "TooLarge": "returned a value that is too large to grade",
        "Unreadable": "returned a value that could not be read",
        "OutputLimit": "was not graded: the code sent the grader more than it accepts",
        "Protocol": "broke the grader's protocol",
        "SystemExit": "called sys.exit; a function must return its result",
    }
    if error.type in fixed:
        return fixed[error.type]
    name = error.type if error.type in BUILTIN_ERRORS else "an exception"
    return f"raised {name}; the public cases of this check show where such errors come from"


def crash_gist(result: CallResult) -> str:
    """Why the process ended, without its exit code or signal (the code could choose those)."""
    if result.exit_note:
        return "the code called os._exit, which ends the process"
    status = result.exit
    if status is not None and status.signal == signal.SIGXCPU:
        return "the process used more CPU time than allowed and was stopped"
    if status is not None and status.signal == signal.SIGKILL:
        return "the process was killed (SIGKILL), for example for using too much memory"
    return "the process running the code ended instead of returning"


def autograd_message(fn: str, call: str, used: tuple[str, ...]) -> str:
    """A by-hand function that used autograd, named with what it used."""
    named = [a for a in used if a in AUTOGRAD and not (a == "torch.autograd.backward" and ".backward()" in used)]
    return (f"{call} used autograd ({', '.join(named)}); {fn} must compute the gradient by hand "
            "with the chain rule, without .backward() or torch.autograd")


def passed_message(passed: int, hidden: int) -> str:
    text = "the one case passed" if passed == 1 else f"all {passed} cases passed"
    if hidden:
        text += ", a hidden one" if passed == 1 else f", {hidden} of them hidden"
    return text
