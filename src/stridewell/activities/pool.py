"""Decoder processes: files decoded in parallel, bounded in memory and time, never orphaned.

Jobs stream into the pool: at most one per worker is out at a time and, past the first,
no more than ``max_in_flight_bytes`` of files, so a chunk of big files is never held or
queued all at once. A file that decodes past its time is stopped inside its worker (an
alarm); a worker stuck where the alarm cannot reach is killed and the pool started again.
Workers die with the process that started them, even after a kill -9 of that process.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass

from .bulk import Decoded, DecodeJob, Job, Mapper, overtime_reason
from .limits import DEFAULT_LIMITS, Limits

# Decoding is CPU-bound and files are independent: several processes for big imports.
PARALLEL_MIN_FILES = 24
MAX_WORKERS = 4
# Past a file's time, how long its worker may take to notice before it is killed.
KILL_GRACE_S = 3.0
# How long to wait for a killed worker to be gone before the pool is shut down.
KILL_JOIN_S = 5.0
# Workers of a new pool start a Python and import the decoders first.
STARTUP_GRACE_S = 10.0
WATCH_EVERY_S = 0.5
PR_SET_PDEATHSIG = 1


@contextmanager
def decoder_pool(
    files: int, limits: Limits = DEFAULT_LIMITS, *, isolate: bool | None = None
) -> Iterator[Mapper]:
    """A mapper for ``import_all``: decoder processes, or the built-in ``map`` when a small
    import runs on a main thread (the CLI), where a file's time limit works in process.

    ``isolate`` forces processes (True) or allows in-process decoding (False); by default
    a thread that is not the main one (a web request) always gets processes, so hostile
    files never run inside the server and their time limit holds.
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if isolate is None:
        isolate = threading.current_thread() is not threading.main_thread()
    if not isolate and (files < PARALLEL_MIN_FILES or workers < 2):
        yield map
        return
    pool = DecoderPool(max(1, min(workers, files)), limits)
    try:
        yield pool.map
    except BaseException:
        pool.close(kill=True)
        raise
    pool.close()


@dataclass
class _Out:
    job: Job
    future: Future[Decoded]
    deadline: float
    weight: int


class DecoderPool:
    """A process pool fed through a bounded window; results in submission order."""

    def __init__(
        self,
        workers: int,
        limits: Limits,
        kill_grace: float = KILL_GRACE_S,
        startup_grace: float = STARTUP_GRACE_S,
    ) -> None:
        self.workers = workers
        self.limits = limits
        self.kill_grace = kill_grace
        self.startup_grace = startup_grace
        self._executor: ProcessPoolExecutor | None = None
        self._started = 0.0

    def pids(self) -> list[int]:
        """The worker processes now running (for tests and benchmarks)."""
        executor = self._executor
        return [] if executor is None else [p.pid for p in executor._processes.values() if p.pid]

    def map(self, fn: Callable[[Job], Decoded], jobs: Iterable[Job]) -> Iterator[Decoded]:
        window: deque[_Out] = deque()
        held = 0
        source = iter(jobs)
        staged: Job | None = None
        try:
            while True:
                while len(window) < self.workers:
                    if staged is None:
                        staged = next(source, None)
                        if staged is None:
                            break
                    weight = _weight(staged)
                    if window and held + weight > self.limits.max_in_flight_bytes:
                        break
                    window.append(self._submit(fn, staged, weight))
                    held += weight
                    staged = None
                if not window:
                    return
                head = window.popleft()
                held -= head.weight
                yield self._result(fn, head, window)
        finally:
            for out in window:
                out.future.cancel()

    def _submit(self, fn: Callable[[Job], Decoded], job: Job, weight: int) -> _Out:
        future = self._pool().submit(fn, job)
        begins = max(time.monotonic(), self._started + self.startup_grace)
        return _Out(job, future, begins + self.limits.seconds_per_file + self.kill_grace, weight)

    def _result(self, fn: Callable[[Job], Decoded], head: _Out, window: deque[_Out]) -> Decoded:
        try:
            return head.future.result(timeout=max(0.0, head.deadline - time.monotonic()))
        except FutureTimeout:
            reason = overtime_reason(self.limits)
        except BrokenProcessPool:
            reason = "the decoder stopped while reading this file (out of memory?): set aside"
        # The pool is lost with the worker: start again, and resend the jobs that were out.
        self.close(kill=True)
        for index, out in enumerate(window):
            window[index] = self._submit(fn, out.job, out.weight)
        return (_name(head.job), reason), 0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            # Workers fork from a server that has the decoders imported: they start at once.
            context.set_forkserver_preload([__name__])
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_worker_start,
                initargs=(os.getpid(), self.limits.decoder_memory_bytes),
            )
            self._started = time.monotonic()
        return self._executor

    def close(self, kill: bool = False) -> None:
        """Stop the workers: wait for them, or (``kill``) end them at once."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            processes = list(executor._processes.values())
            for process in processes:
                process.kill()
            for process in processes:
                process.join(KILL_JOIN_S)
            # A worker killed while it wrote its result leaves half a message in the result
            # pipe, and the executor's manager thread would wait for the rest for ever (and
            # with it shutdown and interpreter exit). Closing our end of the pipe's writing
            # side gives that thread end-of-file, which it treats as a broken pool.
            with contextlib.suppress(Exception):
                executor._result_queue._writer.close()  # type: ignore[attr-defined]
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            executor.shutdown(wait=True)


def _weight(job: Job) -> int:
    return len(job.data) if isinstance(job, DecodeJob) else 0


def _name(job: Job) -> str:
    return job.name if isinstance(job, DecodeJob) else job[0]


def _worker_start(parent: int, memory: int) -> None:
    """In each worker: a memory ceiling, Ctrl-C left to the parent, and death with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        # The data segment (the heap and private mappings on Linux): past it an allocation
        # fails with MemoryError and the file is set aside; the server never swaps.
        import resource  # POSIX only

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    if sys.platform == "linux":
        # The kernel kills the worker when its parent (the fork server) exits, and the fork
        # server exits when the importing process does.
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    born_of = os.getppid()
    watcher = threading.Thread(target=_watch, args=(parent, born_of), daemon=True)
    watcher.start()


def _watch(parent: int, born_of: int) -> None:
    """Exit as soon as the importing process is gone (a kill -9 leaves no one to stop us)."""
    while True:
        if os.getppid() != born_of or not _alive(parent):
            os._exit(1)
        time.sleep(WATCH_EVERY_S)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie is gone too
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
