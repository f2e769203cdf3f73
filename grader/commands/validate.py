"""`grader validate ASSIGNMENT...`: the reference earns full marks and the stub earns 0.

Exit 0 when that holds for every assignment, 1 when it does not (the problems are listed).
"""

from __future__ import annotations

import argparse

from rich.console import Console

from grader.commands import sandbox_option
from grader.commands.display import shown


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="the reference earns full marks and the stub earns 0")
    p.add_argument("assignments", nargs="+", help="assignment names or folders")
    sandbox_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader import api
    from grader.numbers import points

    ok = True
    for result in api.validate(args.assignments, sandbox=args.sandbox):
        ref, stub = result.reference, result.stub
        verdict = "[green]OK[/]" if result.ok else "[red]PROBLEMS[/]"
        console.print(f"{shown(result.assignment.name)}: reference {points(ref.score)}/{points(ref.max_score)}, "
                      f"stub {points(stub.score)}/{points(stub.max_score)} — {verdict}")
        for problem in result.problems:
            console.print(f"  [red]-[/] {shown(problem)}")
        ok = ok and result.ok
    return 0 if ok else 1
