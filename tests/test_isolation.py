"""What a child can see and reach from inside, in each Linux tier, checked by a probe submission.

The probe (tests/sandbox_probe.py) runs in the sandbox like any student code and reports its
descriptors, credentials, namespaces, /dev/shm and the processes it can see; these tests hold
the sandbox to the guarantees SECURITY.md states. The uid-dropping tiers need Linux and root.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.sandbox.limits import Limits
from grader.sandbox.results import Cell, Program
from grader.sandbox.session import Session
from grader.sandbox.tiers import Tier, detect
from grader.sandbox.zygote import Zygote
from tests.test_security import tiers

PROBE = (Path(__file__).parent / "sandbox_probe.py").read_text()
FUNCTIONS = ["probe", "abuse_every_descriptor", "plant", "look", "flood", "reach"]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                                reason="the uid-dropping tiers need Linux and root")


@pytest.fixture(scope="module", params=tiers())
def slot(request: pytest.FixtureRequest) -> Iterator[Zygote]:
    """One worker slot of the tier, as a batch uses it (eager extras sub-zygote included)."""
    with Zygote(detect(request.param), eager=True) as zygote:
        yield zygote


def session(zygote: Zygote, extras: bool = False) -> Session:
    source = PROBE + ("\nimport torch.optim  # forked from the extras sub-zygote\n" if extras else "")
    return Session(zygote, Program((Cell(source, "probe.py", "probe.py"),)), FUNCTIONS, Limits())


def probe(zygote: Zygote, extras: bool = False) -> dict[str, object]:
    with session(zygote, extras) as s:
        result = s.call("probe", [])
        assert result.ok, result.error
        return dict(result.value)


def tier_of(zygote: Zygote) -> Tier:
    return zygote.tier


@pytest.mark.parametrize("extras", [False, True], ids=["lean", "extras"])
def test_a_child_holds_one_channel_no_privilege_and_sees_only_itself(slot: Zygote, extras: bool) -> None:
    seen = probe(slot, extras)
    fds = seen["fds"]
    assert isinstance(fds, dict)
    assert sorted(fds, key=int) == ["0", "1", "2", "3"], fds
    assert fds["0"] == "/dev/null" and str(fds["3"]).startswith("socket:")
    assert str(fds["1"]).startswith("pipe:") and fds["1"] == fds["2"]  # its captured stdout/stderr
    status = seen["status"]
    assert isinstance(status, dict)
    assert status["CapEff"] == "0000000000000000" and status["CapPrm"] == "0000000000000000"
    assert status["Seccomp"] == "2" and status["NoNewPrivs"] == "1"
    assert seen["uid"] != 0
    namespaces = seen["namespaces"]
    assert isinstance(namespaces, dict)
    assert namespaces["ipc"] != os.readlink("/proc/self/ns/ipc")
    assert namespaces["net"] != os.readlink("/proc/self/ns/net")
    assert seen["pids"] == [seen["me"]], "another process is visible"
    shm = seen["shm"]
    assert isinstance(shm, dict)
    assert not shm["exists"] or shm.get("owner") == 0  # a tmpfs of its own, not the host's


def test_two_children_of_one_slot_share_no_ipc_namespace(slot: Zygote) -> None:
    with session(slot) as first, session(slot) as second:
        a, b = first.call("probe", []), second.call("probe", [])
        assert a.ok and b.ok
        assert a.value["namespaces"]["ipc"] != b.value["namespaces"]["ipc"]
        assert a.value["namespaces"]["mnt"] != b.value["namespaces"]["mnt"]


def test_nothing_one_submission_plants_reaches_the_next_or_outlives_the_slot(slot: Zygote) -> None:
    with session(slot) as planter:
        planted = planter.call("plant", [])
        assert planted.ok and planted.value["sysv_shm"] and planted.value["posix_mq"], planted.value
    with session(slot) as looker:
        found = looker.call("look", [])
        assert found.ok and found.value == {}, f"the next submission found {found.value}"
    host_ipc = "".join(Path(f"/proc/sysvipc/{kind}").read_text() for kind in ("shm", "msg", "sem"))
    assert f" {0x5EED} " not in host_ipc
    assert not Path("/dev/shm/grader-probe").exists() and not Path("/tmp/grader-probe").exists()


def test_frames_sent_on_every_descriptor_reach_no_zygote(slot: Zygote) -> None:
    with session(slot) as attacker:
        result = attacker.call("abuse_every_descriptor", [])
    # Only the grader reads the child's one socket: whatever it wrote there broke its own reply.
    if result.ok:
        assert all(fd == 3 for fd, _, _ in result.value), result.value  # its own socket, read by the grader
    assert probe(slot)["uid"] != 0  # the slot still forks isolated children
    assert probe(slot, extras=True)["uid"] != 0


def test_a_flood_of_output_ends_the_submission_not_the_grader(slot: Zygote) -> None:
    with session(slot) as flooder:
        result = flooder.call("flood", [400])
        assert not result.ok and result.error is not None and result.error.type == "OutputLimit"
        again = flooder.call("probe", [])
        assert not again.ok and again.error is not None and "remaining checks were not run" in again.error.message
        assert len(result.stdout) == 0 and len(again.stdout) == 0  # none of the flood was kept
    assert probe(slot)["uid"] != 0


@pytest.mark.parametrize("tier", tiers())
def test_course_files_under_usr_or_at_the_top_are_out_of_sight(tier: str) -> None:
    """A course or a backup under /usr/local or /usr/share, or a file at the top of the disk."""
    import shutil
    import uuid

    tag = uuid.uuid4().hex[:8]
    folder = Path(f"/usr/local/share/grader-decoy-{tag}")
    top = Path(f"/grader-decoy-{tag}.toml")
    folder.mkdir(parents=True)
    (folder / "solution.py").write_text("SECRET")
    top.write_text('seed = "SECRET"')
    try:
        with Zygote(detect(tier)) as zygote, session(zygote) as s:
            result = s.call("reach", [[str(folder / "solution.py"), str(top)]])
    finally:
        shutil.rmtree(folder)
        top.unlink()
    assert result.ok, result.error
    assert "SECRET" not in str(result.value), result.value
    assert "socket 2" not in result.value and "socket 40" not in result.value
    assert "flock" not in result.value
