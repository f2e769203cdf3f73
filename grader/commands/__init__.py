"""The `grader` verbs, one module each: `add_parser(subparsers)` and `run(args, console) -> int`.

A verb parses its arguments, calls the work (grader.api or the package that does it) and prints
the result; nothing here grades. Parsing stays light (no torch, no pydantic models) so that
`grader -h` is fast and, for grade/check/validate, the sandbox's zygotes are launched before the
grader imports torch.
"""

from __future__ import annotations

import argparse

VERBS = ("grade", "check", "validate", "doctor", "generate", "feedback", "schema", "export", "gradescope",
         "new", "similarity", "override")
"""In the order `grader -h` lists them; each is grader/commands/<verb>.py."""

SANDBOX_CHOICES = ["auto", "bwrap", "rlimit", "portable"]


def sandbox_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", choices=SANDBOX_CHOICES, default=None,
                   help="force a sandbox tier (default: $GRADER_SANDBOX, else the strongest available)")

