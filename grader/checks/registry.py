"""The built-in check kinds by the name `kind = "..."` gives them in assignment.toml."""

from __future__ import annotations

from grader.checks.custom import PythonKind
from grader.checks.gradients import GradientKind
from grader.checks.mutation import UnchangedArgsKind
from grader.checks.runner import Kind
from grader.checks.training import ConvergesKind, HistoryKind
from grader.checks.values import ValuesKind

KINDS: dict[str, Kind] = {
    "values": ValuesKind(),
    "gradient": GradientKind(),
    "history": HistoryKind(),
    "converges": ConvergesKind(),
    "unchanged_args": UnchangedArgsKind(),
    "python": PythonKind(),
}
