"""Grading on Dask workers, each keeping a warm zygote of its own.

The client sends each submission's bytes (workers need not share the grader's disk for the
submissions) and gets the report back as JSON; reports are written locally, exactly as in a
local run. Each worker builds its plan once (assignment, reference, grading seed) from the
assignment folder, which must be readable by the workers at the same path (a shared file system,
as on a SLURM cluster), and keeps its zygote warm for the submissions that follow.

Faults. A task is idempotent (a fresh temporary folder, the report returned, nothing written on
the worker), so Dask may run it again: it does when a worker is lost mid-task (the task moves to
another worker) and, with `retries`, when a task raised. On the worker, faults of its sandbox
are retried as in a local run (grader.faults). A task that keeps killing workers ends as a
grader-error report for its submission, not as a crash of the batch. A worker whose sandbox is
not the one the client asks for (another tier, no uid drop, no seccomp) refuses the work: the
batch stops with a message naming the worker, instead of grading with a weaker sandbox.
"""

from __future__ import annotations

import json
import tempfile
import threading
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import UserError
from grader.progress import Event, Progress, silent
from grader.report import Report
from grader.sandbox.protocol.errors import SandboxError
from grader.sandbox.tiers import Tier
from grader.submission import Submission

if TYPE_CHECKING:  # the worker imports torch only after its zygote is launched
    from grader.grading import Plan
    from grader.sandbox.zygote import Zygote

TASK_RETRIES = 2
"""Dask runs a task that raised up to this many more times (possibly on another worker)."""


class TierRefused(SandboxError):
    """A worker's sandbox is not the one the client asked for; the message names the worker."""


@dataclass(frozen=True)
class SandboxAsked:
    """The sandbox every worker must give: the client's, so that a report means the same anywhere."""

    name: str
    root: bool
    seccomp: bool

    @classmethod
    def of(cls, tier: Tier) -> SandboxAsked:
        return cls(tier.name, tier.drops_uid, tier.seccomp)

    @property
    def choice(self) -> str:
        """The `--sandbox` value that asks a worker's detection for this tier."""
        return self.name.removeprefix("linux-")

    def describe(self) -> str:
        extras = [word for word, on in (("uid drop", self.root), ("seccomp", self.seccomp)) if on]
        return self.name + (f" ({', '.join(extras)})" if extras else " (no uid drop, no seccomp)")


@dataclass(frozen=True)
class PlanSpec:
    """What a worker needs to rebuild the grader's plan: paths, sandbox and the seed (in memory only)."""

    assignment: str
    solutions: str | None
    sandbox: SandboxAsked
    seed: str | None
    hide: tuple[str, ...]


@dataclass
class _WorkerState:
    plan: Plan
    zygote: Zygote
    lock: threading.Lock = field(default_factory=threading.Lock)
    established: bool = False  # a submission was graded: later start errors are faults, not setup


_cache: dict[str, _WorkerState] = {}
_lock = threading.Lock()


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "a worker"


def _worker_tier(asked: SandboxAsked) -> Tier:
    """This worker's sandbox, if it is the one asked for; TierRefused otherwise."""
    from grader.sandbox.tiers import detect

    try:
        tier = detect(asked.choice)
    except SandboxError as exc:
        raise TierRefused(f"Dask worker {_worker_address()} refuses to grade: the client asks for the "
                          f"{asked.describe()} sandbox and this worker cannot give it ({exc})") from exc
    got = SandboxAsked.of(tier)
    if got != asked:
        raise TierRefused(f"Dask worker {_worker_address()} refuses to grade: the client asks for the "
                          f"{asked.describe()} sandbox and this worker gives {got.describe()}; run the worker "
                          "as the client runs (root, pyseccomp, bubblewrap) or pass the client a weaker --sandbox")
    return tier


def _worker_state(spec: PlanSpec) -> _WorkerState:
    """The plan and zygote of this worker process for `spec`, built on first use."""
    key = json.dumps(asdict(spec), sort_keys=True)
    with _lock:
        if key not in _cache:
            from grader.sandbox.zygote import Zygote

            zygote = Zygote(_worker_tier(spec.sandbox), hide=list(spec.hide))
            zygote.launch()  # before the reference is loaded, as in a local run
            try:
                from grader.assignment.loader import load
                from grader.grading import Plan

                assignment = load(spec.assignment, solutions=Path(spec.solutions) if spec.solutions else None)
                plan = Plan(assignment, include_hidden=True, reference=assignment.load_reference(), seed=spec.seed)
                plan.warm()
                zygote.wait()
            except BaseException:
                zygote.close()
                raise
            _cache[key] = _WorkerState(plan, zygote)
        return _cache[key]


def grade_remote(spec: PlanSpec, sub: Submission, filename: str | None, data: bytes | None) -> str:
    """Runs on a Dask worker: grade one submission (its file sent as `data`), return its report as JSON."""
    from grader.faults import grade_retrying, lend

    state = _worker_state(spec)
    with tempfile.TemporaryDirectory(prefix="grader-dask-") as tmp:
        source = None
        if data is not None and filename is not None:
            source = Path(tmp) / filename
            source.write_bytes(data)
        here = replace(sub, source=source, notes=list(sub.notes))
        with state.lock:
            report = grade_retrying(state.plan, here, lend(state.zygote), start_errors_are_faults=state.established)
            state.established = state.established or report.grader_error is None
    return report.to_json()


class DaskExecutor:
    """Sends each submission to the cluster and waits for its report."""

    def __init__(self, client: Any, spec: PlanSpec, plan: Plan, cluster: Any = None,
                 progress: Progress = silent) -> None:
        self.client, self.spec, self.plan, self.cluster = client, spec, plan, cluster
        self.progress = progress

    @property
    def slots(self) -> int:
        return max(1, int(sum(self.client.nthreads().values())))

    @property
    def address(self) -> str:
        return str(self.client.scheduler.address)

    def grade(self, sub: Submission) -> Report:
        from distributed import KilledWorker

        from grader.faults import grader_error_report

        data = sub.source.read_bytes() if sub.source is not None and sub.source.is_file() else None
        filename = sub.source.name if sub.source else None
        future = self.client.submit(grade_remote, self.spec, replace(sub, source=None), filename, data, pure=False,
                                    key=f"grade-{sub.student}", retries=TASK_RETRIES)
        try:
            return Report.model_validate_json(future.result())
        except KilledWorker as exc:  # every worker that ran it died: the machine's doing, say so
            self.progress(Event("warning", f"{sub.student}: Dask workers died while grading it ({exc})"))
            return grader_error_report(self.plan, sub, [f"Dask workers running it died: {exc}"])

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def connect(scheduler: str | None, workers: int, spec: PlanSpec, plan: Plan,
            progress: Progress = silent) -> DaskExecutor:
    """An executor on `scheduler`, or on a new local cluster of `workers` single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UserError("the dask executor needs `pip install 'dask[distributed]'`") from exc
    if scheduler:
        try:
            return DaskExecutor(Client(scheduler, timeout="30s"), spec, plan, progress=progress)
        except OSError as exc:
            raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return DaskExecutor(Client(cluster), spec, plan, cluster, progress)
