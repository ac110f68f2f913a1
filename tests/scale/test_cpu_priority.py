"""Work that can wait runs at a lower CPU priority, so that pages keep the cores: the
import worker (and its session's autogroup, which on Linux weighs more than nice), and
Argon2's password checks (on threads of their own).

Every lowering is done in a child process or on a pool thread: the test process itself
is never lowered (it could not be raised again)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pg_schemas import postgres_schema_url
from stridewell.cpu_priority import autogroup_nice, thread_nice
from stridewell.jobs.queue import ensure_queue_schema
from stridewell.service import Stridewell, accounts

STRIDEWELL = Path(sys.executable).with_name("stridewell")
AUTOGROUP = Path("/proc/self/autogroup")
WAIT_S = 120  # bounded waits for a busy machine, never a timing assert
linux_autogroups = pytest.mark.skipif(
    not AUTOGROUP.exists(), reason="needs Linux with autogroups (/proc/self/autogroup)"
)

# One JSON line: a process left in the machine's default autogroup (never in a session of
# its own since boot, as in many CI containers) reads an empty autogroup file, and an empty
# line must not shift the others.
LOWER_AND_TELL = """
import json, os
from pathlib import Path
from stridewell.cpu_priority import lower_process
print(json.dumps([
    lower_process(10),
    os.getpriority(os.PRIO_PROCESS, 0),
    Path("/proc/self/autogroup").read_text().strip(),
]))
"""


def lowered_child(*, own_session: bool) -> tuple[list[str], int, str]:
    done = subprocess.run(
        [sys.executable, "-c", LOWER_AND_TELL],
        capture_output=True,
        text=True,
        check=True,
        start_new_session=own_session,
        timeout=WAIT_S,
    )
    lowered, nice, autogroup = json.loads(done.stdout)
    return lowered, nice, autogroup


@linux_autogroups
def test_a_process_leading_its_own_session_lowers_itself_and_its_autogroup() -> None:
    # Already lower (pytest itself run under nice)? Then lowering leaves it as it is.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    lowered, nice, autogroup = lowered_child(own_session=True)
    assert nice == max(ours, 10)
    assert autogroup_nice(autogroup) == 10
    assert "session (autogroup) nice 10" in lowered


@linux_autogroups
def test_a_process_sharing_a_session_lowers_only_itself_never_the_session() -> None:
    ours = autogroup_nice(AUTOGROUP.read_text())
    lowered, nice, autogroup = lowered_child(own_session=False)
    assert nice == max(os.getpriority(os.PRIO_PROCESS, 0), 10)
    assert autogroup_nice(autogroup) == ours  # the terminal's other programs keep theirs
    assert not [line for line in lowered if "autogroup" in line]


def test_the_autogroup_line_is_read_and_an_odd_one_counts_as_not_lowered() -> None:
    assert autogroup_nice("/autogroup-85 nice 0") == 0
    assert autogroup_nice("/autogroup-2036 nice 10\n") == 10
    assert autogroup_nice("") == 0


@pytest.mark.skipif(sys.platform != "linux", reason="threads have priorities of their own on Linux")
def test_passwords_are_hashed_and_checked_on_lowered_threads_not_the_callers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    class Hasher:
        def hash(self, password: str) -> str:
            seen.append(thread_nice())
            return "hashed:" + password

        def verify(self, stored: str, password: str) -> bool:
            seen.append(thread_nice())
            if stored != "hashed:" + password:
                raise ValueError("wrong password")
            return True

    monkeypatch.setattr(accounts, "_hasher", Hasher)
    caller = thread_nice()
    stored = accounts._hash("a-long-password-1")
    accounts._verify(stored, "a-long-password-1")
    with pytest.raises(ValueError, match="wrong password"):  # errors reach the caller
        accounts._verify(stored, "another-password")
    assert seen == [max(caller, accounts.HASHING_NICE)] * 3
    assert thread_nice() == caller


@pytest.mark.postgres
@linux_autogroups
def test_the_worker_command_runs_at_the_priority_it_is_given(tmp_path: Path) -> None:
    with postgres_schema_url() as url:
        with Stridewell(url) as service:
            service.upgrade_database()
        assert ensure_queue_schema(url)
        log = tmp_path / "worker.log"
        with log.open("wb") as output:
            worker = subprocess.Popen(
                [str(STRIDEWELL), "worker", "--nice", "7", "--heartbeat", "0.5"],
                env={**os.environ, "STRIDEWELL_DATABASE_URL": url},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # as systemd starts it
            )
        expected = max(os.getpriority(os.PRIO_PROCESS, 0), 7)
        try:
            deadline = time.monotonic() + WAIT_S
            while "running queued imports" not in log.read_text() and worker.poll() is None:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            proc = Path(f"/proc/{worker.pid}")
            found: dict[str, Any] = {
                "nice": int((proc / "stat").read_text().rsplit(")", 1)[1].split()[16]),
                "autogroup": autogroup_nice((proc / "autogroup").read_text()),
            }
            assert found == {"nice": expected, "autogroup": 7}, log.read_text()
            assert "session (autogroup) nice 7" in log.read_text()
        finally:
            worker.terminate()
            worker.wait(WAIT_S)
