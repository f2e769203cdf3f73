"""Grading on Dask: the same job function, run by Dask workers that each keep a warm zygote.

The client sends each submission's bytes (workers need not share the grader's disk for the
submissions) and gets the report back as JSON; reports are written locally, exactly as in a
local run. Each worker builds its plan once (assignment, reference, grading seed) from the
assignment folder, which must be readable by the workers at the same path (a shared file system,
as on a SLURM cluster), and keeps its zygote warm for the submissions that follow.
"""

from __future__ import annotations

import json
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from grader.batch import Grader
from grader.report import Report
from grader.submission import Submission


@dataclass(frozen=True)
class PlanSpec:
    """What a worker needs to rebuild the grader's plan: paths, tier and the seed (in memory only)."""

    assignment: str
    solutions: str | None
    sandbox: str | None
    seed: str | None
    hide: tuple[str, ...]


_cache: dict[str, Any] = {}
_lock = threading.Lock()


def _worker_state(spec: PlanSpec) -> Any:
    """The plan and zygote of this worker process for `spec`, built on first use."""
    key = json.dumps(asdict(spec), sort_keys=True)
    with _lock:
        if key not in _cache:
            from grader.assignment.loader import load
            from grader.grading import Plan
            from grader.sandbox.tiers import detect
            from grader.sandbox.zygote import Zygote

            zygote = Zygote(detect(spec.sandbox))
            zygote.launch()  # before the reference is loaded, as in a local run
            zygote.configure(list(spec.hide))
            assignment = load(spec.assignment, solutions=Path(spec.solutions) if spec.solutions else None)
            plan = Plan(assignment, include_hidden=True, reference=assignment.load_reference(), seed=spec.seed)
            plan.warm()
            zygote.wait()
            _cache[key] = (plan, zygote, threading.Lock())
        return _cache[key]


def grade_remote(spec: PlanSpec, student: str, path: str, name: str | None, data: bytes | None,
                 problem: str | None, late: bool | None, display: str | None, notes: list[str]) -> str:
    """Runs on a Dask worker: grade one submission, return its report as JSON."""
    from grader.grading import grade

    plan, zygote, lock = _worker_state(spec)
    with tempfile.TemporaryDirectory(prefix="grader-dask-") as tmp:
        source = None
        if data is not None and name is not None:
            source = Path(tmp) / name
            source.write_bytes(data)
        sub = Submission(student, Path(path), source=source, problem=problem, late=late, name=display,
                         notes=list(notes))
        with lock:
            report = grade(plan, sub, zygote)
    return report.to_json()


def dask_grader(client: Any, spec: PlanSpec) -> Grader:
    """A `Grader` for `batch.run` that sends each submission to the cluster and waits for it."""

    def job(sub: Submission) -> Report:
        data = sub.source.read_bytes() if sub.source is not None and sub.source.is_file() else None
        future = client.submit(
            grade_remote, spec, sub.student, str(sub.path), sub.source.name if sub.source else None, data,
            sub.problem, sub.late, sub.name, list(sub.notes), pure=False, key=f"grade-{sub.student}",
        )
        return Report.model_validate_json(future.result())

    return job


def connect(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """A client for `scheduler`, or for a new local cluster of `workers` single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        from grader.errors import UserError

        raise UserError("the dask executor needs `pip install 'dask[distributed]'`") from exc
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def total_threads(client: Any) -> int:
    return max(1, int(sum(client.nthreads().values())))
