"""`grader check`: a student's self-check, the public checks only, as a readable table.

It runs the same checks as grading, in the same sandbox, but only the visible ones and only their
public cases; the reference's answers come from the solution when it is there (an instructor's
checkout) and otherwise from `expected.json`. Hidden cases and hidden checks run only at grading.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.assignment.loader import Assignment, AssignmentError
from grader.assignment.loader import load as load_assignment
from grader.grading import Plan, grade
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
    """The assignment named, or the one whose folder holds the file or the current folder."""
    if ref:
        return load_assignment(ref)
    for folder in ([file.resolve().parent] if file else []) + [Path.cwd()]:
        if (folder / "assignment.toml").is_file():
            return load_assignment(folder)
    raise AssignmentError(
        "which assignment? Run `grader check NAME [FILE]`, or run it from the assignment's folder"
    )


def default_file(assignment: Assignment) -> Path:
    """The student's working file: in the current folder if there, else the assignment's stub."""
    stem = Path(assignment.student_file).stem
    for folder in (Path.cwd(), assignment.folder):
        for name in (assignment.student_file, f"{stem}.ipynb"):
            if (folder / name).is_file():
                return folder / name
    return assignment.stub_path


def recorded(assignment: Assignment) -> dict[str, Any] | None:
    path = assignment.expected_path
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def run(assignment: Assignment, file: Path, zygote: Zygote) -> Report:
    reference = assignment.load_reference()
    plan = Plan(assignment, include_hidden=False, reference=reference,
                recorded=None if reference else recorded(assignment), only_visible=True)
    sub = Submission(student_id(file.stem), file, source=file)
    return grade(plan, sub, zygote)


def render(report: Report, console: Console, target: str | None = None, verbose: bool = False) -> None:
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
    console.print(table)
    for line in report.errors:
        console.print(f"[red]problem:[/] {escape(line)}")
    for note in report.submission.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")
    score = sum(c.score for c in shown)
    total = sum(c.max_score for c in shown)
    console.print(
        f"[bold]{score:g} / {total:g}[/] public points. When your work is graded, hidden cases "
        "(other data and settings) and any hidden checks run too."
    )
    if verbose and report.sandbox:
        console.print(f"sandbox tier: [bold]{report.sandbox.tier}[/]")
        for line in report.sandbox.protections:
            console.print(f"  - {escape(line)}")
    if verbose and report.output:
        console.print("[dim]your code printed:[/]")
        console.print(escape(report.output), markup=False, highlight=False)


def notebook_check(target: str | None, assignment: str | None, notebook: str | None) -> Report:
    """`grader.check()` inside a notebook: grade the notebook's code as the kernel ran it."""
    from grader.notebooks import kernel_program_file

    file = kernel_program_file(notebook)
    found = find_assignment(assignment, Path(notebook) if notebook else None)
    with Zygote() as zygote:
        report = run(found, file, zygote)
    render(report, Console(), target)
    return report
