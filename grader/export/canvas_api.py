"""Posting grades through Canvas's REST API (FORMATS.md §3.3), one PUT per student.

`PUT /api/v1/courses/:course/assignments/:assignment/submissions/:user` with
`submission[posted_grade]`; `:user` is the Canvas id or `sis_user_id:`/`sis_login_id:` plus the
value. Rate limits (429) and server errors are retried with backoff; other refusals are reported
per student. The token is sent only in the Authorization header and never printed.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from grader.export.errors import ExportError, UploadError
from grader.export.roster import Entry
from grader.numbers import points

LOOPBACK = ("localhost", "127.0.0.1", "::1")
MAX_WAIT_S = 60.0


@dataclass(frozen=True)
class Grade:
    student: str
    user: str  # the `:user_id` path segment, before URL quoting
    posted_grade: str


@dataclass(frozen=True)
class Target:
    base_url: str
    course_id: str
    assignment_id: str

    def url(self, user: str) -> str:
        path = "/api/v1/courses/{}/assignments/{}/submissions/{}".format(
            *(urllib.parse.quote(part, safe=":") for part in (self.course_id, self.assignment_id, user)))
        return self.base_url + path


def target(base_url: str, course_id: str | None, assignment_id: str | None) -> Target:
    """Check the options: an https URL (plain http only on this machine), a course and an assignment."""
    parsed = urllib.parse.urlsplit(base_url)
    host = parsed.hostname or ""
    if parsed.scheme != "https" and not (parsed.scheme == "http" and (host in LOOPBACK or host.startswith("127."))):
        raise ExportError(f"--canvas-url {base_url!r}: use https://your-canvas-host (the token must not "
                          "cross the network in clear text)")
    if not course_id:
        raise ExportError("--post needs --course (the number in the course's Canvas URL)")
    if not assignment_id:
        raise ExportError("--post needs the Canvas assignment id: pass --lms-id, or a roster exported from "
                          "Canvas with the assignment's 'Title (id)' column")
    return Target(f"{parsed.scheme}://{parsed.netloc}{parsed.path.rstrip('/')}", course_id, assignment_id)


def user_of(entry: Entry) -> str:
    """The most precise Canvas identity a row has: the Canvas ID, else a SIS id."""
    identity = entry.identity
    if identity.get("ID"):
        return identity["ID"]
    if identity.get("SIS User ID"):
        return "sis_user_id:" + identity["SIS User ID"]
    if identity.get("SIS Login ID"):
        return "sis_login_id:" + identity["SIS Login ID"]
    raise ExportError(f"student {entry.student!r} has no Canvas ID, SIS User ID or SIS Login ID to post to; "
                      "use a roster exported from Canvas")


def grades(entries: list[Entry]) -> list[Grade]:
    """One grade per student with a report (roster students without one get nothing posted)."""
    return [Grade(e.student, user_of(e), points(e.report.score)) for e in entries if e.report is not None]


def describe(target: Target, grade: Grade, token_env: str) -> str:
    """What --dry-run prints for one request (the token itself never appears)."""
    return (f"PUT {target.url(grade.user)}  submission[posted_grade]={grade.posted_grade}  "
            f"({grade.student}; Authorization: Bearer ${token_env}, not shown)")


@dataclass
class Uploader:
    target: Target
    token: str
    retries: int = 3
    backoff_s: float = 1.0
    timeout_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def put(self, grade: Grade) -> str | None:
        """Post one grade; None when Canvas took it, else why not (one line, no token)."""
        body = urllib.parse.urlencode({"submission[posted_grade]": grade.posted_grade}).encode()
        problem, wait = "not sent", None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(min(self.backoff_s * 2 ** (attempt - 1), MAX_WAIT_S) if wait is None else wait)
            request = urllib.request.Request(self.target.url(grade.user), data=body, method="PUT", headers={
                "Authorization": f"Bearer {self.token}", "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    return _check_recorded(response.read(), grade)
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}: {_canvas_message(exc)}"
                if exc.code != 429 and exc.code < 500:
                    return problem
                retry_after = (exc.headers.get("Retry-After") or "").strip() if exc.headers else ""
                wait = min(float(retry_after), MAX_WAIT_S) if retry_after.isdigit() else None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                problem = f"no answer from {self.target.base_url}: {getattr(exc, 'reason', exc)}"
                wait = None
        return f"{problem}; gave up after {self.retries + 1} attempts"


def _canvas_message(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return exc.reason or "refused"
    errors = data.get("errors") if isinstance(data, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message", exc.reason))[:200]
    if isinstance(errors, dict):
        return json.dumps(errors)[:200]
    return str(data.get("message", exc.reason) if isinstance(data, dict) else exc.reason)[:200]


def _check_recorded(raw: bytes, grade: Grade) -> str | None:
    """Canvas answers with the submission; a score other than the one sent is worth saying."""
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return None
    score = data.get("score") if isinstance(data, dict) else None
    if isinstance(score, int | float) and abs(float(score) - float(grade.posted_grade)) > 1e-6:
        return f"Canvas recorded a score of {points(float(score))} instead of {grade.posted_grade}"
    return None


def upload(uploader: Uploader, todo: list[Grade], log: Callable[[str], None]) -> int:
    """Post every grade, logging each; raises UploadError naming every student that failed."""
    failed: list[str] = []
    for grade in todo:
        problem = uploader.put(grade)
        if problem is None:
            log(f"posted {grade.posted_grade} for {grade.student}")
        else:
            log(f"NOT posted for {grade.student}: {problem}")
            failed.append(f"{grade.student} ({problem})")
    if failed:
        raise UploadError(f"{len(failed)} of {len(todo)} grade(s) were not posted to Canvas: "
                          + "; ".join(failed[:20]) + (f" and {len(failed) - 20} more" if len(failed) > 20 else ""))
    return len(todo)
