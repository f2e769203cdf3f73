"""How late a submission is under the assignment's `[late]` policy, what that costs, and why.

Lateness counts from the due date that applies to the student (an override's extension, else
one in the policy, else the policy's due date). Work in at most `grace_hours` is on time; past
that, every started day (or hour) since the due time costs `penalty_percent`, up to
`max_percent`. A submission whose time is unknown costs nothing, and its reason says so (and
what the LMS's own late flag said). Everything here is a pure function of its arguments, so a
report can be assessed again later (an extension granted after grading) from what it stores.
"""

from __future__ import annotations

import math
from datetime import datetime

from grader.assignment.late import LatePolicy, parse_when
from grader.numbers import points
from grader.report import LateInfo

UNIT_SECONDS = {"day": 86_400, "hour": 3_600}


def assess(policy: LatePolicy, student: str, submitted: datetime | None, source: str | None,
           flagged: bool | None, extension: tuple[str, str] | None = None) -> LateInfo:
    """`extension`: (until, reason) granted by an override, which wins over the policy's own."""
    zone = policy.zone
    if extension is not None:
        due, why = parse_when(extension[0], zone), f"extended by the instructor: {extension[1]}"
    elif student in policy.extensions:
        due, why = policy.due_for(student), "extension in assignment.toml"
    else:
        due, why = policy.due_for(student), None
    own = {k: v for k, v in policy.extensions.items() if k == student}  # no other student's id in the report
    info = LateInfo(policy=policy.model_copy(update={"extensions": own}),
                    submitted_at=submitted.isoformat() if submitted else None, source=source, flagged=flagged,
                    due=due.isoformat(), extension=why, reason="")
    deadline = _deadline(due, policy, why is not None)
    if submitted is None:
        said = {True: "the LMS marks it late", False: "the LMS marks it on time", None: "nothing says when"}[flagged]
        info.reason = f"submission time unknown ({said}); no late penalty ({deadline})"
        return info
    seconds = (submitted - due).total_seconds()
    if seconds <= 0:
        info.reason = f"on time: submitted {_local(submitted, policy)} ({deadline})"
        return info
    info.seconds_late = seconds
    if seconds <= policy.grace_hours * 3600:
        info.reason = f"submitted {duration(seconds)} late, within the grace period: no penalty ({deadline})"
        return info
    units = math.ceil(seconds / UNIT_SECONDS[policy.per])
    info.percent = min(policy.max_percent, units * policy.penalty_percent)
    capped = " (the cap)" if info.percent < units * policy.penalty_percent else ""
    info.reason = (f"submitted {duration(seconds)} late ({deadline}); "
                   f"\N{MINUS SIGN}{points(info.percent)}%{capped}")
    return info


def penalty(info: LateInfo | None, score: float, max_score: float) -> float:
    """The points the late policy takes off `score`; never more than `score` itself."""
    if info is None or info.percent <= 0:
        return 0.0
    base = score if info.policy.of == "score" else max_score
    return round(min(max(score, 0.0), base * info.percent / 100.0), 6)


def _deadline(due: datetime, policy: LatePolicy, extended: bool) -> str:
    """`due 2026-12-01 23:59 Europe/Berlin; 24 h grace; 10% per day started, at most 50%`."""
    parts = [f"{'extended to' if extended else 'due'} {_local(due, policy)}"]
    if policy.grace_hours:
        parts.append(f"{duration(policy.grace_hours * 3600)} grace")
    cap = f", at most {points(policy.max_percent)}%" if policy.max_percent < 100 else ""
    parts.append(f"{points(policy.penalty_percent)}% per {policy.per} started{cap}")
    return "; ".join(parts)


def _local(when: datetime, policy: LatePolicy) -> str:
    local = when.astimezone(policy.zone)
    seconds = f":{local:%S}" if local.second else ""
    return f"{local:%Y-%m-%d %H:%M}{seconds} {policy.time_zone}"


def duration(seconds: float) -> str:
    """`1 day 4 h`, `2 h 5 min`, `35 min`, `40 s`: the two largest units, rounded down."""
    seconds = int(seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes else "", f"{secs} s" if secs else ""]
    shown = [p for p in parts if p]
    return " ".join(shown[:2]) if shown else "0 s"
