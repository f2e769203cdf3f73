"""The built-in check kinds, one module each, by the name `kind = "..."` gives them in assignment.toml."""

from __future__ import annotations

from grader.checks.kind import Kind
from grader.checks.kinds.converges import ConvergesKind
from grader.checks.kinds.gradient import GradientKind
from grader.checks.kinds.history import HistoryKind
from grader.checks.kinds.python import PythonKind
from grader.checks.kinds.unchanged_args import UnchangedArgsKind
from grader.checks.kinds.values import ValuesKind

KINDS: dict[str, Kind] = {
    "values": ValuesKind(),
    "gradient": GradientKind(),
    "history": HistoryKind(),
    "converges": ConvergesKind(),
    "unchanged_args": UnchangedArgsKind(),
    "python": PythonKind(),
}
