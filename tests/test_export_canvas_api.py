"""`grader export --format canvas --post`: against a local server that speaks Canvas's endpoint."""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from grader.cli import main
from grader.export import canvas_api
from tests.export_reports import write_class

TOKEN = "s3cr3t-canvas-token-do-not-print"
ROUTE = re.compile(r"^/api/v1/courses/(\d+)/assignments/(\d+)/submissions/([^/?]+)$")
USERS = {"101": 101, "102": 102, "103": 103, "104": 104, "sis_login_id:ada": 101}


class FakeCanvas(BaseHTTPRequestHandler):
    """PUT .../submissions/:user_id with submission[posted_grade], as documented (FORMATS.md §3.3)."""

    grades: dict[int, str]
    requests: list[tuple[str, dict[str, list[str]]]]
    fail_first: dict[int, list[int]]  # user id → statuses to answer with first (429 says Retry-After: 0)

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        found = ROUTE.match(self.path)
        self.server.requests.append((self.path, form))  # type: ignore[attr-defined]
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"errors": [{"message": "Invalid access token."}]})
        if not found or found.group(1) != "7" or found.group(2) != "4242":
            return self._send(404, {"errors": [{"message": "The specified resource does not exist."}]})
        user = USERS.get(urllib.parse.unquote(found.group(3)))
        if user is None:
            return self._send(404, {"errors": [{"message": "The specified resource does not exist."}]})
        pending = self.server.fail_first.get(user)  # type: ignore[attr-defined]
        if pending:
            status = pending.pop(0)
            return self._send(status, {"message": "try again"}, {"Retry-After": "0"} if status == 429 else {})
        grade = form["submission[posted_grade]"][0]
        self.server.grades[user] = grade  # type: ignore[attr-defined]
        self._send(200, {"id": 9000 + user, "user_id": user, "assignment_id": 4242, "score": float(grade),
                         "grade": grade, "workflow_state": "graded"})

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canvas() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCanvas)
    server.grades, server.requests, server.fail_first = {}, [], {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    reports = write_class(tmp_path / "out")
    roster = tmp_path / "canvas.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,backprop (4242)\n"
                      '"Lovelace, Ada",101,,ada,A,\n"Smith, Bob",102,,bob,A,\n"Zed, Zoë",103,,zoë,A,\n'
                      '"Dan, Dan",104,,dan,A,\n', encoding="utf-8")
    return reports, roster


def post(capsys: pytest.CaptureFixture[str], server: ThreadingHTTPServer, reports: Path, roster: Path,
         *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    code = main(["export", "--format", "canvas", str(reports), "--roster", str(roster), "--post",
                 "--canvas-url", url, "--course", "7", *extra])
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


def test_posts_every_grade_and_retries_server_errors(capsys: pytest.CaptureFixture[str], monkeypatch:
                                                     pytest.MonkeyPatch, canvas: ThreadingHTTPServer,
                                                     setup: tuple[Path, Path]) -> None:
    monkeypatch.setenv("CANVAS_TOKEN", TOKEN)
    canvas.fail_first[102] = [429, 429]  # type: ignore[attr-defined]
    code, out, err = post(capsys, canvas, *setup)
    assert code == 0, err
    assert canvas.grades == {101: "5", 102: "1.5", 103: "0", 104: "2.5"}  # type: ignore[attr-defined]
    assert len(canvas.requests) == 6  # type: ignore[attr-defined]  # bob took three attempts
    assert "posted 4 grade(s) to Canvas" in err and out == ""
    assert TOKEN not in out + err


def test_dry_run_sends_nothing_and_shows_no_token(capsys: pytest.CaptureFixture[str], monkeypatch:
                                                  pytest.MonkeyPatch, canvas: ThreadingHTTPServer,
                                                  setup: tuple[Path, Path]) -> None:
    monkeypatch.setenv("CANVAS_TOKEN", TOKEN)
    code, out, err = post(capsys, canvas, *setup, "--dry-run")
    assert code == 0, err
    assert canvas.requests == []  # type: ignore[attr-defined]
    lines = out.splitlines()
    assert len(lines) == 4 and TOKEN not in out + err
    assert lines[1].startswith(f"PUT http://127.0.0.1:{canvas.server_address[1]}/api/v1/courses/7/assignments/4242/"
                               "submissions/102  submission[posted_grade]=1.5")
    assert "$CANVAS_TOKEN, not shown" in lines[1]


def test_refusals_are_reported_per_student_and_fail_the_command(capsys: pytest.CaptureFixture[str], monkeypatch:
                                                                pytest.MonkeyPatch, canvas: ThreadingHTTPServer,
                                                                setup: tuple[Path, Path]) -> None:
    monkeypatch.setenv("CANVAS_TOKEN", TOKEN)
    reports, roster = setup
    roster.write_text(roster.read_text().replace(",104,", ",999,"), encoding="utf-8")  # dan: unknown to Canvas
    code, _, err = post(capsys, canvas, reports, roster)
    assert code == 2
    assert "1 of 4 grade(s) were not posted to Canvas: dan (HTTP 404: The specified resource does not exist.)" in err
    assert canvas.grades == {101: "5", 102: "1.5", 103: "0"}  # type: ignore[attr-defined]


def test_wrong_token_is_refused_without_printing_it(capsys: pytest.CaptureFixture[str], monkeypatch:
                                                    pytest.MonkeyPatch, canvas: ThreadingHTTPServer,
                                                    setup: tuple[Path, Path]) -> None:
    monkeypatch.setenv("MY_TOKEN", "wrong-" + TOKEN)
    code, out, err = post(capsys, canvas, *setup, "--token-env", "MY_TOKEN", "--retries", "0")
    assert code == 2 and "HTTP 401: Invalid access token." in err
    assert TOKEN not in out + err


def test_gives_up_after_the_retries(canvas: ThreadingHTTPServer) -> None:
    canvas.fail_first[101] = [503] * 10  # type: ignore[attr-defined]
    target = canvas_api.Target(f"http://127.0.0.1:{canvas.server_address[1]}", "7", "4242")
    waits: list[float] = []
    uploader = canvas_api.Uploader(target, TOKEN, retries=2, backoff_s=0.5, sleep=waits.append)
    problem = uploader.put(canvas_api.Grade("ada", "sis_login_id:ada", "5"))
    assert problem == "HTTP 503: try again; gave up after 3 attempts"
    assert waits == [0.5, 1.0]  # exponential backoff when the server names no Retry-After


def test_refuses_plain_http_to_another_host_and_a_missing_token(capsys: pytest.CaptureFixture[str], monkeypatch:
                                                                pytest.MonkeyPatch, setup: tuple[Path, Path]) -> None:
    monkeypatch.delenv("CANVAS_TOKEN", raising=False)
    reports, roster = setup
    code = main(["export", "--format", "canvas", str(reports), "--roster", str(roster), "--post",
                 "--canvas-url", "http://canvas.example.edu", "--course", "7"])
    assert code == 2 and "use https://" in " ".join(capsys.readouterr().err.split())
    code = main(["export", "--format", "canvas", str(reports), "--roster", str(roster), "--post",
                 "--canvas-url", "https://canvas.example.edu", "--course", "7"])
    assert code == 2 and "needs a Canvas API token in $CANVAS_TOKEN" in " ".join(capsys.readouterr().err.split())
