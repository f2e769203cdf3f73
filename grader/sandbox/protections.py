"""What the sandbox protects on this machine, in words a student or instructor can check."""

from __future__ import annotations

import os
import sys

from grader.report import SandboxInfo
from grader.sandbox.limits import Limits


def describe(limits: Limits) -> SandboxInfo:
    """The active tier and its protections (reported in every report and by `grader check -v`)."""
    common = [
        "student code runs in a separate process forked from a clean worker, never in the grader",
        "only plain data comes back (no pickles); values are converted inside the worker",
        f"wall-clock limits: {limits.call_timeout_s:g} s per call, {limits.load_timeout_s:g} s to "
        f"load, {limits.submission_timeout_s:g} s per submission; SIGKILL to the process group",
        "stdin is /dev/null; printed output is captured and capped",
        "the worker's environment is rebuilt from an allow-list (no tokens, no grading seed)",
    ]
    if sys.platform.startswith("linux"):
        rl = [
            f"RLIMIT_AS {limits.memory_mb} MiB",
            f"RLIMIT_CPU {int(limits.submission_timeout_s) + 5} s",
            f"RLIMIT_FSIZE {limits.file_size_mb} MiB",
            f"RLIMIT_NOFILE {limits.max_open_files}",
            "RLIMIT_NPROC" + (" (not enforced for root)" if os.geteuid() == 0 else ""),
        ]
        return SandboxInfo(tier="linux-process", protections=[*common, "resource limits: " + ", ".join(rl)])
    return SandboxInfo(tier="portable", protections=[
        *common, "resource limits are best effort on this platform (advisory only)",
    ])
