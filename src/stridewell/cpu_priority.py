"""Lower the CPU priority of work that can wait, so that pages keep the cores.

Two kinds of work here can wait a little without anyone noticing, and each can take whole
cores while it runs: an import worker decoding a season of runs, and Argon2 checking a
password (slow on purpose, in several threads). Both lower their own priority; a page then
waits for neither.

On Linux, ``nice`` alone is not enough: with the kernel's autogroups (on by default on
desktops and many servers), the scheduler first shares the CPU fairly between *sessions*,
and a nice value only ranks threads inside one session. A worker that leads its own
session (as systemd and the load test start it) therefore also lowers its session's
autogroup. Elsewhere (a worker started from a terminal shares the terminal's session) only
its own threads are lowered, never the session's other programs. Under systemd with
cgroups, the service's CPU weight is what counts between services (autogroups then do
nothing): the unit file sets ``CPUWeight`` as well.

Lowering is all this does. Raising a thread's nice value back needs privileges, so a
thread once lowered stays so (hashing runs on threads of its own for that reason).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path

NICEST = 19  # the lowest priority Linux has
AUTOGROUP_TRIES = 6


def lower_process(nice: int) -> list[str]:
    """Lower this process (every thread it starts afterwards too) to ``nice`` if it is
    higher than that, and its autogroup when it leads its own session. Returns what it
    lowered, for the worker's start-up line (empty where nothing applied)."""
    nice = max(0, min(nice, NICEST))
    done: list[str] = []
    if not hasattr(os, "getpriority") or nice == 0:
        return done
    if os.getpriority(os.PRIO_PROCESS, 0) < nice:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, nice)
            done.append(f"nice {nice}")
    if sys.platform == "linux" and os.getsid(0) == os.getpid():
        done += _lower_autogroup(Path("/proc/self/autogroup"), nice)
    return done


def _lower_autogroup(autogroup: Path, nice: int) -> list[str]:
    try:
        if autogroup_nice(autogroup.read_text()) >= nice:
            return []
    except OSError:
        return []  # no autogroups here
    # Linux lets an unprivileged process change an autogroup's priority once per 100 ms
    # in the whole machine (EAGAIN otherwise): two workers starting together would race.
    for attempt in range(AUTOGROUP_TRIES):
        try:
            autogroup.write_text(str(nice))
            return [f"session (autogroup) nice {nice}"]
        except BlockingIOError:
            time.sleep(0.12 * (attempt + 1))
        except OSError:
            break
    return ["session (autogroup) not lowered: Linux refused"]


def lower_this_thread(nice: int) -> bool:
    """Lower the calling thread only (Linux ranks threads one by one; threads it starts,
    such as Argon2's lanes, inherit the value). False where the platform has no per-thread
    priority or refused."""
    if sys.platform != "linux":
        return False
    thread = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, thread) < nice:
            os.setpriority(os.PRIO_PROCESS, thread, min(nice, NICEST))
        return True
    except OSError:
        return False


def thread_nice() -> int:
    """The calling thread's nice value (the process's where threads are not ranked)."""
    who = threading.get_native_id() if sys.platform == "linux" else 0
    return os.getpriority(os.PRIO_PROCESS, who)


def autogroup_nice(text: str) -> int:
    """The nice value in ``/proc/<pid>/autogroup`` ("/autogroup-85 nice 0")."""
    parts = text.split()
    return int(parts[-1]) if len(parts) >= 3 and parts[-2] == "nice" else 0
