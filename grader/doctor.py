"""`grader doctor`: the active sandbox tier and its protections, each one tried for real.

It does not take the tier's word for it: a probe submission runs in the sandbox and tries to
reach a TCP listener the doctor opens, to fork, to see the course folder and to reserve more
memory than allowed; the table says what actually happened.
"""

from __future__ import annotations

import socket

from rich.console import Console
from rich.markup import escape

from grader.assignment.loader import PACKAGE_ROOT
from grader.report import SandboxInfo
from grader.sandbox.limits import Limits
from grader.sandbox.protections import describe
from grader.sandbox.results import Cell, Program
from grader.sandbox.session import Session
from grader.sandbox.tiers import Tier
from grader.sandbox.zygote import Zygote

PROBE = '''
import os, socket

def probe(port, course):
    found = {"uid": os.getuid()}
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        found["network"] = "open: reached the doctor's listener on 127.0.0.1"
    except OSError as exc:
        found["network"] = f"blocked ({exc.strerror or exc})"
    try:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        found["new processes"] = "allowed"
    except OSError as exc:
        found["new processes"] = f"blocked ({exc.strerror})"
    found["the course's solutions/"] = "VISIBLE" if os.path.isdir(os.path.join(course, "solutions")) else "hidden"
    try:
        import torch
        big = torch.empty(3 * 2**30 // 4)
        del big
        found["3 GiB of memory"] = "ALLOWED"
    except (RuntimeError, MemoryError):
        found["3 GiB of memory"] = "refused"
    return found
'''


def diagnose(tier: Tier, console: Console) -> int:
    limits = Limits()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0)
    course = str(PACKAGE_ROOT)
    try:
        program = Program((Cell(PROBE, "probe.py", "probe.py"),))
        with Zygote(tier, hide=[str(PACKAGE_ROOT)]) as zygote, Session(zygote, program, ["probe"], limits) as session:
            result = session.call("probe", [listener.getsockname()[1], course])
            applied = session.protections
    finally:
        listener.close()
    info = SandboxInfo(tier=tier.name, protections=describe(tier, limits, applied))
    console.print(f"sandbox tier: [bold]{info.tier}[/]" + ("  (running as root)" if tier.root else ""))
    for line in info.protections:
        mark = "[yellow]![/]" if line.startswith("not available") else "[green]✔[/]"
        console.print(f"  {mark} {escape(line)}")
    if not result.ok:
        console.print(f"[red]the probe did not run:[/] {escape(str(result.error or result.reason))}")
        return 1
    console.print("what a submission can do here (tried just now):")
    for key, value in result.value.items():
        bad = isinstance(value, str) and (value.startswith("open") or value in ("VISIBLE", "ALLOWED", "allowed"))
        console.print(f"  {'[yellow]![/]' if bad else '[green]✔[/]'} {key}: {escape(str(value))}")
    if tier.name == "portable":
        console.print("[yellow]this tier only times out and caps output: fine for a self-check on your own "
                      "machine, not for grading other people's code[/]")
    return 0



