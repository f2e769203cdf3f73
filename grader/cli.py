"""The `grader` command: arguments in, one call per verb, exit codes out.

Exit codes: 0 done (for `grade`: every submission got a report, whatever the scores); 1 the
thing checked does not hold (`validate`, `generate --check`, `check` with failing checks);
2 the grader could not do its job (bad assignment, bad arguments, no worker).

Heavy imports (torch, pydantic models) happen inside the verbs, after the sandbox's zygotes are
launched, so that they import torch while the grader does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rich.console import Console
from rich.markup import escape

from grader import __version__

if TYPE_CHECKING:
    from grader.batch import BatchResult
    from grader.grading import Plan
    from grader.sandbox.tiers import Tier
    from grader.submission import Submission


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader", description="Grade PyTorch homework in a sandbox; see `grader COMMAND -h`."
    )
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("grade", help="grade submissions into DIR/<student>.json and DIR/summary.csv")
    p.add_argument("assignment", help="a name under assignments/ or a path to an assignment folder")
    p.add_argument("submissions", nargs="+", type=Path, help=".py/.ipynb files or folders")
    p.add_argument("--out", required=True, type=Path, help="folder for the reports")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)")
    p.add_argument("--solutions", type=Path, help="the reference's folder (default: solutions/<name>)")
    p.add_argument("--html", action="store_true", help="also write DIR/feedback/ as `grader feedback DIR` does")
    p.add_argument("--layout", choices=["auto", "files", "canvas", "moodle", "classroom"], default="auto",
                   help="how SUBMISSION is organised (default: recognised from the names; zips are unpacked)")
    p.add_argument("--no-resume", dest="resume", action="store_false",
                   help="grade everything again, even submissions whose report is up to date")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="where to grade: here, or on Dask workers (each with its own warm sandbox)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler (default: a local cluster)")
    p.add_argument("--dask-workers", type=int, default=os.cpu_count() or 1,
                   help="worker processes of the local Dask cluster")
    _sandbox_option(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("check", help="self-check: the public checks on your file, as a table")
    p.add_argument("items", nargs="*", metavar="[ASSIGNMENT] [FILE]",
                   help="assignment name or folder, and the .py/.ipynb file to check")
    p.add_argument("-v", "--verbose", action="store_true", help="show the sandbox's protections and your output")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--target", help="only the checks of this function")
    _sandbox_option(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("validate", help="the reference earns full marks and the stub earns 0")
    p.add_argument("assignments", nargs="+", help="assignment names or folders")
    _sandbox_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("doctor", help="which sandbox tier this machine gives, and each protection")
    _sandbox_option(p)
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("generate", help="build assignments/ (stubs, notebooks, expected.json) from solutions/")
    p.add_argument("assignments", nargs="*", help="names (default: every assignment with a solution)")
    p.add_argument("--check", action="store_true", help="change nothing; fail if anything is out of date")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("feedback", help="HTML pages per student and a class dashboard, in DIR/feedback/")
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder of <student>.json reports")
    p.add_argument("--release", choices=["none", "due", "published"], default="none",
                   help="student pages also show after_due_date checks (due), and after_published checks "
                        "and the total score (published); default: visible checks only")
    p.add_argument("--instructor", action="store_true", help="student pages show every check, hidden ones too")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("schema", help="write the report's JSON Schema")
    p.add_argument("--output", type=Path, default=Path("schema/report.schema.json"))
    p.add_argument("--check", action="store_true", help="fail if the file is out of date")
    p.set_defaults(func=cmd_schema)

    from grader.export import command as export_command
    from grader.gradescope import command as gradescope_command

    export_command.add_parser(sub)
    gradescope_command.add_parser(sub, _sandbox_option)
    return parser


def _sandbox_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", choices=["auto", "bwrap", "rlimit", "portable"], default=None,
                   help="force a sandbox tier (default: $GRADER_SANDBOX, else the strongest available)")


def _tier(args: argparse.Namespace) -> Tier:
    from grader.sandbox.tiers import detect

    return detect(args.sandbox)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(highlight=False)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.func(args, console))
    except KeyboardInterrupt:
        errors.print("[yellow]interrupted[/]")
        return 130
    except Exception as exc:
        from grader.errors import USER_ERRORS  # imported only now: it pulls in torch

        if isinstance(exc, USER_ERRORS):
            errors.print(f"[red]error:[/] {escape(str(exc))}")
            return 2
        raise


def cmd_grade(args: argparse.Namespace, console: Console) -> int:
    from grader.sandbox.pool import Pool

    local = args.executor == "local"
    with contextlib.ExitStack() as stack, Pool(args.jobs if local else 0, _tier(args)) as pool:
        if local:
            pool.launch()  # torch loads in the workers while the grader loads the assignment
        from grader import batch
        from grader.assignment.loader import load
        from grader.grading import Plan
        from grader.intake import intake
        from grader.sandbox.tiers import hidden_paths

        assignment = load(args.assignment, solutions=args.solutions)
        hide = hidden_paths(assignment.folder.parent.parent, assignment.solution_dir, args.out, *args.submissions)
        pool.configure(hide)
        reference = assignment.load_reference()
        if reference is None:
            raise_user(f"{assignment.name}: grading needs the reference solution "
                       f"(solutions/{assignment.name}/{assignment.student_file}, or --solutions)")
        plan = Plan(assignment, include_hidden=True, reference=reference)
        if plan.hidden_seed_missing:
            raise_user(f"{assignment.name}: no grading seed; put `seed = \"<random text>\"` in "
                       f"solutions/{assignment.name}/grading.toml or set GRADER_SEED")
        plan.warm()
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="grader-intake-"))
        found = intake(args.submissions, assignment, args.layout, workdir=Path(scratch))
        for line in found.set_aside:
            console.print(f"[yellow]set aside:[/] {escape(line)}")
        if not found.submissions:
            raise_user("no submissions found in " + ", ".join(map(str, args.submissions)))
        if local:
            pool.wait()
            result = batch.run(plan, found.submissions, args.out, pool, console, resume=args.resume,
                               set_aside=found.set_aside)
        else:
            result = _grade_on_dask(args, plan, found.submissions, found.set_aside, hide, console)
    scores = [r.score for r in result.reports]
    mean = sum(scores) / len(scores)
    console.print(
        f"{len(result.reports)} report(s) in {escape(str(args.out))} ({result.seconds:.1f} s, "
        f"{result.graded} graded, {result.reused} kept); mean score {mean:.2f} / {plan.max_score:g}; "
        f"summary in {escape(str(args.out / 'summary.json'))} and summary.csv"
    )
    if args.html:
        _feedback(args.out, "none", False, console)
    return 0


def _grade_on_dask(args: argparse.Namespace, plan: Plan, subs: list[Submission], set_aside: list[str],
                   hide: list[str], console: Console) -> BatchResult:
    from grader import batch, distributed

    a = plan.assignment
    spec = distributed.PlanSpec(
        assignment=str(a.folder), solutions=str(a.solution_dir) if a.solution_dir else None,
        sandbox=args.sandbox, seed=plan.hidden_seed, hide=tuple(hide),
    )
    client, cluster = distributed.connect(args.scheduler, args.dask_workers)
    try:
        threads = distributed.total_threads(client)
        console.print(f"grading on Dask: {escape(str(client.scheduler.address))}, {threads} worker thread(s)")
        return batch.run(plan, subs, args.out, None, console, resume=args.resume, jobs=threads,
                         grader=distributed.dask_grader(client, spec), set_aside=set_aside)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def cmd_feedback(args: argparse.Namespace, console: Console) -> int:
    _feedback(args.dir, args.release, args.instructor, console)
    return 0


def _feedback(folder: Path, release: str, instructor: bool, console: Console) -> None:
    from grader.feedback.build import build
    from grader.feedback.views import View

    built = build(folder, View.parse(release, instructor))
    console.print(f"{built.pages} student page(s) and the dashboard {escape(str(built.index))} "
                  f"({built.seconds:.1f} s); figures in {escape(str(built.index.parent / 'plots'))}")


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from grader.sandbox.zygote import Zygote

    zygote = Zygote(_tier(args))
    zygote.launch()
    try:
        from grader import selfcheck

        ref, file = _check_items(args.items)
        assignment = selfcheck.find_assignment(ref, file)
        file = file or selfcheck.default_file(assignment)
        report = selfcheck.run(assignment, file, zygote)
    finally:
        zygote.close()
    if args.json:
        sys.stdout.write(report.to_json())
    else:
        selfcheck.render(report, console, args.target, args.verbose)
    shown = [c for c in report.checks if args.target is None or c.target == args.target]
    return 0 if all(c.status == "passed" for c in shown) else 1


def _check_items(items: list[str]) -> tuple[str | None, Path | None]:
    if len(items) > 2:
        raise_user("grader check takes at most an assignment and a file")
    ref: str | None = None
    file: Path | None = None
    for item in items:
        path = Path(item)
        if path.suffix in (".py", ".ipynb"):
            if not path.is_file():
                raise_user(f"{item}: no such file")
            file = path
        else:
            ref = item
    return ref, file


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    from grader.sandbox.zygote import Zygote

    with Zygote(_tier(args)) as zygote:
        from grader.assignment.loader import load
        from grader.sandbox.tiers import hidden_paths
        from grader.validate import validate


        ok = True
        for name in args.assignments:
            assignment = load(name)
            zygote.configure(hidden_paths(assignment.folder.parent.parent, assignment.solution_dir))
            result = validate(assignment, zygote)
            ref, stub = result.reference, result.stub
            verdict = "[green]OK[/]" if result.ok else "[red]PROBLEMS[/]"
            console.print(f"{escape(result.assignment.name)}: reference {ref.score:g}/{ref.max_score:g}, "
                          f"stub {stub.score:g}/{stub.max_score:g} — {verdict}")
            for problem in result.problems:
                console.print(f"  [red]-[/] {escape(problem)}")
            ok = ok and result.ok
    return 0 if ok else 1


def cmd_doctor(args: argparse.Namespace, console: Console) -> int:
    from grader.sandbox.doctor import diagnose

    return diagnose(_tier(args), console)


def cmd_generate(args: argparse.Namespace, console: Console) -> int:
    from grader import generate
    from grader.assignment.loader import load, resolve_all
    from grader.grading import Plan

    names = args.assignments or resolve_all()
    stale: list[Path] = []
    for name in names:
        assignment = load(name)
        files = generate.outputs(assignment)
        if args.check:
            stale += generate.stale(files)
        else:
            for path in generate.write(files):
                console.print(f"wrote {escape(str(path))}")
        assignment = load(name)  # the stub may have just been written
        plan = Plan(assignment, include_hidden=False, reference=assignment.load_reference())
        plan.warm()
        expected = generate.Generated(assignment.expected_path,
                                      generate.expected_text(plan.expectations.public_record()))
        if args.check:
            stale += generate.stale([expected])
        else:
            for path in generate.write([expected]):
                console.print(f"wrote {escape(str(path))}")
    if args.check:
        for path in stale:
            console.print(f"[red]out of date:[/] {escape(str(path))}")
        if stale:
            console.print("run `grader generate` and commit the result")
            return 1
        console.print(f"assignments/ is up to date ({len(names)} assignment(s))")
    return 0


def cmd_schema(args: argparse.Namespace, console: Console) -> int:
    from grader.report import schema_text

    text = schema_text()
    current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
    if args.check:
        if current != text:
            console.print(f"[red]out of date:[/] {escape(str(args.output))}; run `grader schema`")
            return 1
        return 0
    if current != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        console.print(f"wrote {escape(str(args.output))}")
    return 0


def raise_user(message: str) -> NoReturn:
    from grader.errors import UserError

    raise UserError(message)
