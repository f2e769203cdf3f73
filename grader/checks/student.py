"""The student's functions as the checks see them: calls made in the sandbox, and what they gave.

A check asks for a call with everything the call needs (`Ask`: the arguments back, gradients)
and gets a `CallRecord` back, or a `StudentFailure` whose message names the call, the cause and
the student's line: a missing function, a signature the checks cannot call, an exception, a
timeout, a crash, autograd in a by-hand function, a result of the wrong shape. Nothing is kept
between calls here; the session answers a repeated call from its memory of this submission.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grader.assignment.loader import Assignment
from grader.checks.cases import Case, run_case
from grader.checks.coerce import ReturnMismatch, coerce
from grader.checks.messages import (
    NOT_RAISED,
    FailureStatus,
    at_line,
    autograd_message,
    crash_gist,
    crash_message,
    error_gist,
    error_message,
    load_failure,
    printed,
    render_call,
)
from grader.checks.signatures import Fit, arrange, default_problem, fit, renaming_note
from grader.sandbox.results import CallResult, LoadResult
from grader.sandbox.session import Session

OUTPUT_KEPT = 16 * 1024  # printed output kept for the report


class StudentFailure(Exception):
    """A student call gave no usable value; `status` is what the check reports.

    `message` says it all, the call's inputs included; `gist` says the same without anything
    that came from the case or from the child (what a hidden case shows)."""

    def __init__(self, status: FailureStatus, message: str, gist: str | None = None):
        super().__init__(message)
        self.status: FailureStatus = status
        self.message = message
        self.gist = message if gist is None else gist  # None: the message has nothing of the case
        self.result: CallResult | None = None  # the call that failed, when there was one


@dataclass(frozen=True)
class Ask:
    """What a check wants from each call besides its value."""

    return_args: bool = False  # the arguments as the call left them (to see in-place changes)
    want_grads: bool = False  # d(sum of the result)/d(each argument that requires grad)


@dataclass(frozen=True)
class CallRecord:
    """One call: as the check declared it, as it was sent (the student's signature), what came back."""

    fn: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    sent: tuple[list[Any], dict[str, Any]]
    result: CallResult
    value: Any  # the result in the declared return shape


@dataclass
class Evaluation:
    """A case evaluated on the student's side: its value and every call it made, in order."""

    value: Any
    calls: list[CallRecord] = field(default_factory=list)

    @property
    def last(self) -> CallRecord | None:
        return self.calls[-1] if self.calls else None


class StudentSide:
    """One submission's functions, called in its sandboxed session."""

    def __init__(self, session: Session, assignment: Assignment, filename: str):
        self.session = session
        self.assignment = assignment
        self.filename = filename  # the submitted file's own name, as messages name it
        self.notes: list[str] = []  # what the grader adapted to (renamed parameters)
        # A line number from the child is shown for a hidden case only when the file has it.
        self._printed: list[CallResult] = []  # calls of public cases, whose output the report may show

    def output(self) -> str:
        """What the code printed while loading and in public cases, up to OUTPUT_KEPT characters.

        A hidden case's calls print nothing into the report: their output could show the inputs."""
        load = self.session.load()
        loading = load.failure.stdout if load.failure is not None else load.stdout
        text = loading + "".join(result.stdout for result in self._printed)
        return text if len(text) <= OUTPUT_KEPT else text[:OUTPUT_KEPT] + "\n... [more output not kept]"

    def evaluate(self, case: Case, ask: Ask = Ask()) -> Evaluation:
        """Run the case's steps and call on the student's functions, recording each call."""
        calls: list[CallRecord] = []

        def bound(fn: str) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                try:
                    record = self.call(fn, args, kwargs, ask)
                except StudentFailure as failure:
                    self._keep_output(case, failure.result)
                    raise
                self._keep_output(case, record.result)
                calls.append(record)
                return record.value

            return call

        value = run_case(case, {name: bound(name) for name in self.assignment.signatures})
        return Evaluation(value, calls)

    def _keep_output(self, case: Case, result: CallResult | None) -> None:
        if result is not None and not case.hidden and result.stdout and not any(r is result for r in self._printed):
            self._printed.append(result)

    def call(self, fn: str, args: tuple[Any, ...], kwargs: dict[str, Any], ask: Ask = Ask()) -> CallRecord:
        """`fn(*args, **kwargs)` in the sandbox, checked on the way back; raises StudentFailure."""
        signature = self.assignment.signatures[fn]
        call_args, call_kwargs = self.arranged(fn, args, kwargs)
        result = self.session.call(fn, call_args, call_kwargs, by_hand=signature.by_hand,
                                   return_args=ask.return_args, want_grads=ask.want_grads)
        try:
            value = self._value(fn, result, render_call(fn, args, kwargs))
        except StudentFailure as failure:
            failure.result = result
            raise
        return CallRecord(fn, args, kwargs, (call_args, call_kwargs), result, value)

    def arranged(self, fn: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        """The call in the student's terms (see signatures.arrange); raises StudentFailure when
        the student's function cannot be called that way."""
        load = self.session.load()
        if not load.ok:
            raise StudentFailure(*load_failure(load, self.filename))
        signature = self.assignment.signatures[fn]
        plan = self.fit(fn, load)
        if plan.problem:
            raise StudentFailure("error" if plan.status == "error" else "failed", plan.problem)
        problem = default_problem(signature, plan, len(args), set(kwargs))
        if problem:
            raise StudentFailure("failed", problem)
        return arrange(signature, plan, args, kwargs)

    def reordered(self, fn: str) -> str | None:
        """Both signatures, when the student's names are the stub's in another order (see signatures)."""
        load = self.session.load()
        return fit(self.assignment.signatures[fn], load.functions.get(fn), self.filename).reordered if load.ok else None

    def fit(self, fn: str, load: LoadResult) -> Fit:
        """How the stub's parameters reach the student's `fn`; a renaming becomes a note."""
        signature = self.assignment.signatures[fn]
        plan = fit(signature, load.functions.get(fn), self.filename)
        note = renaming_note(signature, plan) if not plan.problem else None
        if note and note not in self.notes:
            self.notes.append(note)
        return plan

    def _value(self, fn: str, result: CallResult, text: str) -> Any:
        """The call's value in the declared shape, or the StudentFailure that says why there is none."""
        signature = self.assignment.signatures[fn]
        short = f"{fn}(...)"
        if signature.by_hand and result.autograd:
            raise StudentFailure("failed", autograd_message(fn, text, result.autograd),
                                 autograd_message(fn, short, result.autograd))
        if result.status == "timeout":
            hint = "" if "not called" in result.reason else "; is there a loop that never ends?"
            raise StudentFailure("timeout", f"{text} {result.reason}{hint}{printed(result)}",
                                 f"{short} {result.reason}{hint}")
        if result.status == "crashed":
            raise StudentFailure("error", f"{text}: {crash_message(result)}", f"{short}: {crash_gist(result)}")
        if result.status == "error":
            raise self._error(fn, result, text)
        try:
            return coerce(result.value, signature.returns, f"the result of {text}")
        except ReturnMismatch as exc:
            raise StudentFailure("failed", str(exc), f"the result of {short} does not have the declared "
                                 f"shape, {signature.returns}") from exc

    def _error(self, fn: str, result: CallResult, text: str) -> StudentFailure:
        error = result.error
        assert error is not None
        if error.type == "NotImplementedError":
            return StudentFailure("error", f"{fn} is not implemented yet: it raises NotImplementedError"
                                  f"{at_line(error, source=False)}", f"{fn} is not implemented yet")
        # "error" means the code raised; a value that cannot be graded is a failed check.
        status: FailureStatus = "failed" if error.type in NOT_RAISED else "error"
        return StudentFailure(status, f"{text} {error_message(error)}", f"{fn}(...) {error_gist(error)}")


def functions_of(side: StudentSide) -> dict[str, Callable[..., Any]]:
    """The student's functions as plain callables, for a `python` check written by the instructor."""
    return {name: functools.partial(_plain_call, side, name) for name in side.assignment.signatures}


def _plain_call(side: StudentSide, fn: str, *args: Any, **kwargs: Any) -> Any:
    return side.call(fn, args, kwargs).value
