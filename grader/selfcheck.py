"""`grader check`: a student's self-check, the public checks only, as a readable table.

It runs the same checks as grading, in the same sandbox, but only the visible ones and only their
public cases; the reference's answers come from the solution when it is there (an instructor's
checkout) and otherwise from `expected.json`. Hidden cases and hidden checks run only at grading.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from grader.assignment.loader import Assignment, AssignmentError
from grader.assignment.loader import load as load_assignment
from grader.faults import grade_retrying, lend
from grader.grading import Plan
from grader.report import Report
from grader.sandbox.zygote import Zygote
from grader.submission import Submission, student_id

SYMBOLS = {
    "passed": "[green]✔ passed[/]",
    "failed": "[red]✘ failed[/]",
    "error": "[red]! error[/]",
    "timeout": "[yellow]⏱ timeout[/]",
    "skipped": "[dim]– skipped[/]",
}


def find_assignment(ref: str | None, file: Path | None) -> Assignment:
    """The assignment named, or the one whose folder holds the file or the current folder.

    A name is also found as the current folder (a notebook's kernel runs in its own folder,
    which on a student's machine need not lie in a course checkout's assignments/)."""
    if ref:
        here = Path.cwd()
        if (here / "assignment.toml").is_file() and here.name == ref:
            return load_assignment(here)
        return load_assignment(ref)
    for folder in ([file.resolve().parent] if file else []) + [Path.cwd()]:
        if (folder / "assignment.toml").is_file():
            return load_assignment(folder)
    raise AssignmentError(
        "which assignment? Run `grader check NAME [FILE]`, or run it from the assignment's folder"
    )


def default_file(assignment: Assignment) -> Path:
    """The student's working file: the .py or the .ipynb (whichever was saved last) in the current
    folder, else in the assignment's folder."""
    stem = Path(assignment.student_file).stem
    for folder in (Path.cwd(), assignment.folder):
        found = [folder / name for name in (assignment.student_file, f"{stem}.ipynb") if (folder / name).is_file()]
        if found:
            return max(found, key=lambda p: p.stat().st_mtime)
    return assignment.stub_path


def recorded(assignment: Assignment) -> dict[str, Any] | None:
    path = assignment.expected_path
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def run(assignment: Assignment, file: Path, zygote: Zygote, shown_as: str | None = None) -> Report:
    """The public checks on `file` (named `shown_as` in the report), with the course's own
    folders out of the sandbox's sight, as when grading."""
    reference = assignment.load_reference()
    plan = Plan(assignment, include_hidden=False, reference=reference,
                recorded=None if reference else recorded(assignment), only_visible=True)
    sub = Submission(student_id(file.stem), Path(shown_as) if shown_as else file, source=file)
    return grade_retrying(plan, sub, lend(zygote))  # what the machine breaks is graded again


def render(report: Report, console: Console, target: str | None = None, verbose: bool = False) -> None:
    """The table, problems, notes and the public score, printed at once: in Jupyter that is one
    output (rich renders it as HTML there), not one per line."""
    table = Table(title=f"{report.assignment}: public checks for {escape(report.submission.path)}",
                  show_lines=True, expand=True)
    table.add_column("check", ratio=2)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("details", ratio=5)
    shown = [c for c in report.checks if target is None or c.target == target]
    for c in shown:
        details = escape(c.message)
        if c.hint:
            details += f"\n[cyan]hint:[/] {escape(c.hint)}"
        table.add_row(escape(c.name), f"{c.score:g}/{c.max_score:g}", SYMBOLS[c.status], details)
    parts: list[RenderableType] = [table]
    parts += [f"[red]problem:[/] {escape(line)}" for line in report.errors]
    parts += [f"[yellow]note:[/] {escape(note)}" for note in report.submission.notes]
    score = sum(c.score for c in shown)
    total = sum(c.max_score for c in shown)
    parts.append(
        f"[bold]{score:g} / {total:g}[/] public points. When your work is graded, hidden cases "
        "(other data and settings) and any hidden checks run too."
    )
    if verbose and report.sandbox:
        parts.append(f"sandbox tier: [bold]{report.sandbox.tier}[/]")
        parts += [f"  - {escape(line)}" for line in report.sandbox.protections]
    if verbose and report.output:
        parts += ["[dim]your code printed:[/]", Text(report.output)]
    console.print(Group(*parts))


def _find_from_notebook(ref: str | None, file: Path | None) -> Assignment:
    """find_assignment, with a notebook's way to say which assignment when none is found."""
    try:
        return find_assignment(ref, file)
    except AssignmentError as exc:
        if ref:
            raise
        raise AssignmentError(
            "which assignment? This notebook's folder holds no assignment.toml: keep the notebook next to "
            "the assignment's files, or name it, e.g. grader.check(assignment=\"NAME\")"
        ) from exc


_zygote: Zygote | None = None


def kernel_zygote() -> Zygote:
    """The sandbox worker this kernel keeps between `grader.check()` calls.

    Starting one imports torch (the cost of the first check); later checks only fork a fresh
    child from it, so the student's changed code always runs from scratch while the warm worker
    stays. It is started again if it died, and stopped with the kernel (at exit, or when the
    kernel dies, because its control socket closes).
    """
    global _zygote
    if _zygote is None:
        import atexit

        _zygote = Zygote()
        atexit.register(_zygote.close)
    if not _zygote.alive:
        _zygote.launch()  # torch loads in the sandbox while the kernel's history is read
    return _zygote


def notebook_check(target: str | None, assignment: str | None, notebook: str | None,
                   as_json: bool = False) -> Report:
    """`grader.check()` in a notebook: the public checks on the code the kernel has run (or on
    the saved `notebook`), as a table that fits the notebook (grader.notebook_view)."""
    from grader import kernel

    if not notebook:
        kernel.shell()  # outside Jupyter: say so before starting anything
    zygote = kernel_zygote()
    with tempfile.TemporaryDirectory(prefix="grader-check-") as folder:
        if notebook:
            file, shown = Path(notebook), None
            found = _find_from_notebook(assignment, file)
        else:
            found = _find_from_notebook(assignment, None)
            file = kernel.write_history(Path(folder) / f"{Path(found.student_file).stem}.ipynb")
            shown = f"{kernel.notebook_name() or file.name} (the cells this kernel ran)"
        report = run(found, file, zygote, shown_as=shown)
    if as_json:
        print(report.to_json())
    else:
        from grader import notebook_view

        notebook_view.show(report, target)
    return report
