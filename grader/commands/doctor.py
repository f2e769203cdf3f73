"""`grader doctor [--require TIER]`: which sandbox tier this machine gives, each protection tried.

Exit 0 when every protection of the tier holds, 2 when `--require` asks for more than the
machine gives (for CI: a missing sandbox fails the job instead of grading with less).
"""

from __future__ import annotations

import argparse

from rich.console import Console

from grader.commands import sandbox_option
from grader.errors import UserError

TIER_STRENGTH = {"portable": 0, "rlimit": 1, "bwrap": 2}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("doctor", help="which sandbox tier this machine gives, and each protection")
    sandbox_option(p)
    p.add_argument("--require", choices=list(TIER_STRENGTH), metavar="TIER",
                   help="exit 2 unless this tier or a stronger one is available (bwrap, rlimit, portable); "
                        "for CI, so that a missing sandbox fails the job instead of grading with less")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, console: Console) -> int:
    from grader.doctor import diagnose
    from grader.sandbox.tiers import detect

    tier = detect(args.sandbox)
    status = diagnose(tier, console)
    got = tier.name.removeprefix("linux-")
    if args.require and TIER_STRENGTH[got] < TIER_STRENGTH[args.require]:
        why = "; ".join(tier.missing) or f"--sandbox or GRADER_SANDBOX asked for {tier.name}"
        raise UserError(f"the {args.require} sandbox tier is required, but this machine gives {tier.name}: {why}")
    return status
