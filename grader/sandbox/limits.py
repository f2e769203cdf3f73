"""Resource limits for one submission, and their translation into rlimits for a child."""

from __future__ import annotations

import functools
import os

from pydantic import BaseModel, ConfigDict, Field

from grader.sandbox.inside import proctable
from grader.sandbox.protocol.control import RLimits


class Limits(BaseModel):
    """Wall-clock and resource limits; the defaults suit the course on a 2-core machine."""

    model_config = ConfigDict(extra="forbid")

    call_timeout_s: float = Field(10.0, gt=0, le=3600, description="wall clock per function call")
    load_timeout_s: float = Field(10.0, gt=0, le=3600, description="wall clock to run the file")
    submission_timeout_s: float = Field(60.0, gt=0, le=36000, description="wall clock in all")
    memory_mb: int = Field(2048, ge=768, description="RLIMIT_AS; torch needs about 768 MiB")
    max_processes: int = Field(64, ge=8, description="RLIMIT_NPROC above what the uid runs")
    file_size_mb: int = Field(16, ge=0, description="RLIMIT_FSIZE")
    max_open_files: int = Field(256, ge=32, description="RLIMIT_NOFILE")

    def rlimits(self, dedicated_uid: bool = False) -> RLimits:
        """The rlimits a child sets on itself right after the fork.

        RLIMIT_NPROC counts every process of the uid on the machine: with a uid of its own the
        child gets `max_processes`; sharing the grader's uid, that many more than already run.
        """
        nproc = self.max_processes if dedicated_uid else _processes_of_this_uid() + self.max_processes
        return RLimits(
            as_bytes=self.memory_mb * 1024 * 1024,
            cpu_s=int(self.submission_timeout_s) + 5,
            nproc=nproc,
            fsize_bytes=self.file_size_mb * 1024 * 1024,
            nofile=self.max_open_files,
        )


@functools.lru_cache(maxsize=1)
def _processes_of_this_uid() -> int:
    """RLIMIT_NPROC counts every thread of the uid system-wide, not only the child's (counted once)."""
    return proctable.threads_of(os.getuid())
