"""Hostile submissions beside an honest victim, in one batch, in the two Linux tiers.

Each hostile submission implements nothing honestly: it can score only if its trick works.
After the batch: the victim's report is intact with full marks, every hostile scores 0, no file
appeared outside the output folder, the test's TCP listener saw no connection, no process of a
sandbox uid is alive (even after a grandchild's wake-up time), the grading seed is in no report,
and the batch finished within its time budget.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.reports import read_report, report_paths
from grader.sandbox.inside.proctable import processes_of
from grader.sandbox.tiers import UID_BASE, UID_SLOTS, _bwrap_problem
from tests.conftest import ROOT, SCENARIOS

MARK = "PWNED"
FUNCTIONS = '''
def _get(name):
    fn = STOLEN.get(name)
    if fn is None:
        raise RuntimeError("nothing to steal")
    return fn

def forward(x, w): return _get("forward")(x, w)
def loss(x, y, w): return _get("loss")(x, y, w)
def manual_gradient(x, y, w): return _get("manual_gradient")(x, y, w)
def train(xs, ys, w0=1.0, lr=0.01, epochs=100): return _get("train")(xs, ys, w0, lr, epochs)
def predict(x, w): return _get("predict")(x, w)
'''

HOSTILE = {
    "kill_parent": """
import os, signal
for target in (os.getppid(), -os.getpgrp()):
    try:
        os.kill(target, signal.SIGKILL) if target > 0 else os.killpg(-target, signal.SIGKILL)
    except OSError:
        pass
""",
    "fake_reports": """
import json, os
fake = json.dumps({"schema_version": 1, "student": "victim", "score": 0.0, "note": "MARK"})
folders = {os.getcwd(), os.path.dirname(os.getcwd()), "/tmp", os.path.expanduser("~"), "/root", "/"}
for value in os.environ.values():
    folders.update(p for p in value.split(os.pathsep) if p.startswith("/"))
for folder in list(folders):
    for name in ("victim.json", "summary.csv", "MARK-report.json"):
        try:
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(fake)
        except OSError:
            pass
""",
    "late_grandchild": """
import os, time
def rewrite_everything():
    for top, dirs, files in os.walk("/"):
        for name in files:
            if name.endswith(".json") or name.endswith(".csv"):
                try:
                    with open(os.path.join(top, name), "w") as handle:
                        handle.write("MARK")
                except OSError:
                    pass
try:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(4)
            rewrite_everything()
        os._exit(0)
except OSError:
    pass
""",
    "walk_for_solutions": """
import os
for top, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    if os.path.basename(top) == "backprop" and "backprop.py" in files and "solutions" in top:
        namespace = {}
        try:
            exec(open(os.path.join(top, "backprop.py")).read(), namespace)
            STOLEN.update({k: v for k, v in namespace.items() if callable(v)})
        except Exception:
            pass
    if os.path.basename(top) == "solutions":
        for name in files:
            if name == "grading.toml":
                print("seed file found:", open(os.path.join(top, name)).read())
""",
    "scan_memory": """
import gc, sys
for name, module in list(sys.modules.items()):
    if any(word in name for word in ("reference", "solution", "grader")):
        STOLEN.update({k: v for k, v in vars(module).items() if callable(v)})
for obj in gc.get_objects():
    try:
        if callable(obj) and "reference" in getattr(obj, "__module__", "") and obj.__name__ in (
                "forward", "loss", "manual_gradient", "train", "predict"):
            STOLEN[obj.__name__] = obj
    except Exception:
        pass
""",
    "read_frames": """
import sys
def _peek(name):
    frame = sys._getframe(2)
    while frame is not None:
        for key in ("expected", "reference", "ref", "plan", "expectations"):
            if key in frame.f_locals:
                value = frame.f_locals[key]
                return (lambda *a, **k: value)
        frame = frame.f_back
    return None
class _Peeker(dict):
    def get(self, name, default=None):
        return _peek(name) or default
STOLEN = _Peeker()
""",
    "connect_listener": """
import socket
for host in ("127.0.0.1", "localhost", "::1"):
    try:
        socket.create_connection((host, PORT), timeout=2).sendall(b"MARK")
    except OSError:
        pass
""",
    "allocate_8_gib": """
try:
    block = bytearray(8 * 1024**3)
    for i in range(0, len(block), 4096):
        block[i] = 1
except MemoryError:
    pass
""",
    "fork_64_sleepers": """
import os, time
for _ in range(64):
    try:
        if os.fork() == 0:
            time.sleep(300)
            os._exit(0)
    except OSError:
        break
""",
    "ignore_sigterm_busy": """
import signal
signal.signal(signal.SIGTERM, signal.SIG_IGN)
def _spin(*args, **kwargs):
    while True:
        pass
STOLEN.update(train=_spin, predict=_spin)
""",
    "huge_list": """
STOLEN.update(train=lambda *a: (2.0, [0.0] * 10**8), predict=lambda *a: [0.0] * 10**8)
""",
    "read_stdin": """
import os, sys
data = sys.stdin.read() + os.read(0, 1024).decode(errors="replace")
STOLEN.update(predict=lambda *a: data)
""",
    "print_2_mb": """
print("MARK" * 500_000)
""",
    "forged_reply": """
# Replace the child's reply with a tensor no int64 holds; it used to crash the whole batch.
import sys
child = sys.modules.get("sandbox.inside.child")
if child is not None:
    calls = child.CallReply
    child._call = lambda request: calls(True, {"$": "tensor", "dtype": "int64", "shape": [1], "data": [1e300]})
""",
    "lone_surrogate": """
# An exception message with a lone surrogate, sent escaped: no file can hold it.
import sys
child = sys.modules.get("sandbox.inside.child")
if child is not None:
    import json, struct
    def forged(request):
        body = b'{"op": "result", "ok": false, "error": {"type": "ValueError", "message": "\\ud800MARK"}}'
        child.framing.send_bytes(child.Watch.channel, struct.pack(">I", len(body)) + body)
        raise SystemExit
    child._call = forged
""",
    "dump_environment": """
import os
print(dict(os.environ))
STOLEN.update(predict=lambda *a: repr(dict(os.environ)))
""",
}


class Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def snapshot(folders: list[Path], skip: Path) -> set[str]:
    seen: set[str] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry != skip:
                seen.add(str(entry))
    return seen


def _owner(path: str) -> int:
    try:
        return os.lstat(path).st_uid
    except OSError:
        return -1


def _head(path: str) -> str:
    try:
        with open(path, errors="replace") as handle:
            return handle.read(256)
    except OSError:
        return ""


def tiers() -> list[str]:
    required = os.environ.get("GRADER_REQUIRE_BWRAP") == "1"
    have_bwrap = _bwrap_problem(os.geteuid() == 0) is None
    marks = [] if have_bwrap or required else [pytest.mark.skip(reason="bubblewrap is not installed")]
    return [pytest.param("bwrap", marks=marks), pytest.param("rlimit")]


def sandbox_processes(uids: set[int]) -> dict[int, list[int]]:
    found = {uid: processes_of(uid) for uid in uids}
    return {uid: pids for uid, pids in found.items() if pids}


def uids_of(reports: list[Path]) -> set[int]:
    """The sandbox uids a batch ran as, from its reports (other graders may hold other uids)."""
    from grader.reports import read_report

    uids = set()
    for path in reports:
        sandbox = read_report(path).sandbox
        for line in sandbox.protections if sandbox else []:
            match = re.search(r"unprivileged uid (\d+)", line)
            if match:
                uids.add(int(match.group(1)))
    return uids


@pytest.fixture
def decoy_solutions() -> Iterator[Path]:
    """A copy of the solutions elsewhere on the disk (a backup, another clone): invisible too."""
    folder = Path(tempfile.mkdtemp(prefix="grader-decoy-", dir="/opt" if os.access("/opt", os.W_OK) else None))
    target = folder / "solutions" / "backprop"
    target.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "backprop" / "backprop.py", target / "backprop.py")
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="the uid-dropping tiers need Linux and root")
@pytest.mark.parametrize("tier", tiers())
def test_hostile_batch_harms_nothing_and_earns_nothing(tier: str, tmp_path: Path, decoy_solutions: Path) -> None:
    listener = Listener()
    submissions = tmp_path / "class"
    submissions.mkdir()
    (submissions / "victim.py").write_text((SCENARIOS / "backprop" / "correct_seed.py").read_text())
    for name, trick in HOSTILE.items():
        source = "STOLEN = {}\n" + trick.replace("MARK", MARK).replace("PORT", str(listener.port)) + FUNCTIONS
        (submissions / f"{name}.py").write_text(source)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    out = tmp_path / "out"
    env_dirs = [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p.startswith("/")]
    watched = [cwd, tmp_path, Path("/tmp"), Path.home(), Path("/"), *env_dirs]
    before = snapshot(watched, out)

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(ROOT / "assignments" / "backprop"), str(submissions),
         "--out", str(out), "--jobs", "2", "--sandbox", tier],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    time.sleep(6)  # the grandchild would wake after 4 s
    listener.close()

    reports = {p.stem: p for p in report_paths(out)}
    assert set(reports) == {"victim", *HOSTILE}
    victim = read_report(reports["victim"])
    assert victim.score == victim.max_score == 10.0
    assert victim.sandbox is not None and victim.sandbox.tier == ("linux-bwrap" if tier == "bwrap" else "linux-rlimit")
    for name in HOSTILE:
        report = read_report(reports[name])
        assert report.score == 0.0, (name, [(c.name, c.status, c.message) for c in report.checks])
        assert any("uid" in p for p in report.sandbox.protections if report.sandbox), name
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()} == digests
    assert listener.connections == 0
    uids = uids_of(list(reports.values()))
    assert uids and all(UID_BASE <= uid < UID_BASE + UID_SLOTS for uid in uids)
    # New entries elsewhere on the machine are the submissions' only if a sandbox uid owns them
    # or they carry the attack's marker (other programs may create files meanwhile).
    new = snapshot(watched, out) - before
    theirs = {p for p in new if MARK in p or _owner(p) in uids or MARK in _head(p)}
    assert theirs == set(), f"files appeared outside the output folder: {theirs}"
    for folder in watched:
        if folder.is_dir():
            assert not [p for p in folder.iterdir() if MARK in p.name]
    assert sandbox_processes(uids) == {}
    seed = tomllib.loads((ROOT / "solutions" / "backprop" / "grading.toml").read_text())["seed"]
    for path in out.iterdir():
        assert seed not in path.read_text(errors="replace"), path.name
    env_report = read_report(reports["dump_environment"]).output
    assert "PATH" in env_report and "GRADER" not in env_report
    assert elapsed < 120, f"the batch took {elapsed:.0f} s"


@pytest.mark.parametrize("spawn", [False, True], ids=["portable-fork", "portable-spawn"])
def test_portable_tier_grades_the_same_and_says_what_it_lacks(spawn: bool, tmp_path: Path) -> None:
    """Tier 3 (a student's laptop, macOS): same verdicts on honest and cheating code, said plainly."""
    env = dict(os.environ, GRADER_SANDBOX_SPAWN="1" if spawn else "0")
    names = ["correct_seed", "lying_float", "sys_exit_at_import", "os_exit_in_predict", "infinite_loop_train"]
    files = [str(SCENARIOS / "backprop" / f"{n}.py") for n in names]
    result = subprocess.run([sys.executable, "-m", "grader", "grade", "backprop", *files, "--out", str(tmp_path),
                             "--sandbox", "portable"], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    from grader.reports import read_report

    scores = {n: read_report(tmp_path / f"{n}.json").score for n in names}
    assert scores == {"correct_seed": 10.0, "lying_float": 2.0, "sys_exit_at_import": 0.0,
                      "os_exit_in_predict": 8.5, "infinite_loop_train": 5.0}
    sandbox = read_report(tmp_path / "correct_seed.json").sandbox
    assert sandbox is not None and sandbox.tier == "portable"
    assert any(p.startswith("not available") for p in sandbox.protections)


def test_doctor_names_the_tier_and_tries_each_protection() -> None:
    result = subprocess.run([sys.executable, "-m", "grader", "doctor"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "sandbox tier:" in result.stdout and "what a submission can do here" in result.stdout
    if os.geteuid() == 0 and sys.platform.startswith("linux"):
        assert "network: blocked" in result.stdout and "solutions/: hidden" in result.stdout


FLOOD = (Path(__file__).parent / "sandbox_probe.py").read_text() + '''
import torch

def forward(x, w):
    flood(400)
    return x * w

def loss(x, y, w):
    return (forward(x, w) - y) ** 2

def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)

def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            l = (x * w - y) ** 2
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        history.append(l.item())
    return w.item(), history

def predict(x, w):
    return x * w
'''

PEAK = ("import resource, sys; from grader.cli import main; code = main(sys.argv[1:]); "
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)")


def _grade_peak_mb(folder: Path, out: Path) -> float:
    result = subprocess.run([sys.executable, "-c", PEAK, "grade", "backprop", str(folder), "--out", str(out),
                             "--jobs", "2"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return int(re.findall(r"PEAK_KB (\d+)", result.stdout)[-1]) / 1024


def test_injected_output_does_not_inflate_the_grader_or_earn_points(tmp_path: Path) -> None:
    honest, hostile = tmp_path / "honest", tmp_path / "hostile"
    for folder in (honest, hostile):
        folder.mkdir()
        for name in ("a", "b"):
            shutil.copy(SCENARIOS / "backprop" / "correct_seed.py", folder / f"{name}.py")
    (hostile / "b.py").write_text(FLOOD)
    baseline = _grade_peak_mb(honest, tmp_path / "out-honest")
    flooded = _grade_peak_mb(hostile, tmp_path / "out-hostile")
    report = read_report(tmp_path / "out-hostile" / "b.json")
    assert report.score < report.max_score
    assert any("more than it accepts" in c.message for c in report.checks)
    assert read_report(tmp_path / "out-hostile" / "a.json").score == 10.0
    assert flooded - baseline < 100, f"the grader peaked at {flooded:.0f} MB, {baseline:.0f} MB without the flood"
