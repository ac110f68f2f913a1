"""Decoder processes: bounded bytes in flight, a time limit per file, and no orphans."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pool_helpers import stuck_on
from synthetic import synthetic_run, write_gpx

from stridewell.activities import Limits, import_all
from stridewell.activities.bulk import DecodeJob, Job, SourceMeta, decode_job
from stridewell.activities.pool import DecoderPool, decoder_pool
from stridewell.activities.sources import Source

MB = 1 << 20
GPX = write_gpx(synthetic_run(21, datetime(2025, 6, 2, 6, 30, tzinfo=UTC), 3600))


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except FileNotFoundError:
        return True


def _wait_gone(pids: list[int], seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if all(_gone(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def test_bytes_in_flight_stay_within_the_limit_plus_one_file() -> None:
    limits = Limits(max_in_flight_bytes=2 * MB)
    pulled, answered, most = [0], [0], [0]

    def jobs() -> Iterator[Job]:
        for i in range(12):
            pulled[0] += MB
            most[0] = max(most[0], pulled[0] - answered[0])
            yield DecodeJob(f"junk-{i}.fit", bytes(MB), SourceMeta(), limits, 10 * MB)

    pool = DecoderPool(2, limits)
    try:
        for result, _spent in pool.map(decode_job, jobs()):
            answered[0] += MB
            assert isinstance(result, tuple) and "not a FIT" in result[1]
    finally:
        pool.close()
    assert answered[0] == 12 * MB
    assert most[0] <= 3 * MB  # before: every job of a chunk submitted at once


def test_a_file_past_its_time_is_stopped_in_its_worker_and_set_aside() -> None:
    limits = Limits(seconds_per_file=0.001)
    job = DecodeJob("slow.gpx", GPX * 1, SourceMeta(), limits, 10 * MB)
    result, _ = decode_job(job)
    assert result == ("slow.gpx", "took longer than 0.001 s to read: stopped and set aside")


def test_a_worker_stuck_out_of_reach_is_killed_and_the_rest_still_decode() -> None:
    limits = Limits(seconds_per_file=0.5)
    names = ["a.gpx", "stuck.gpx", "b.gpx", "c.gpx"]
    jobs = [DecodeJob(n, GPX, SourceMeta(), limits, 10 * MB) for n in names]
    pool = DecoderPool(2, limits, kill_grace=0.5, startup_grace=2.0)
    began = time.monotonic()
    try:
        results = [r for r, _ in pool.map(stuck_on("stuck.gpx"), jobs)]
    finally:
        pool.close()
    assert time.monotonic() - began < 15
    assert results[1] == ("stuck.gpx", "took longer than 0.5 s to read: stopped and set aside")
    assert all(isinstance(r, list) and len(r) == 1 for i, r in enumerate(results) if i != 1)


def test_workers_are_ended_when_the_import_fails_midway() -> None:
    limits = Limits()
    sources = [Source(f"{i}.gpx", lambda: GPX) for i in range(6)]
    pids: list[int] = []
    with pytest.raises(RuntimeError), decoder_pool(6, limits, isolate=True) as mapper:

        def progress(done: int, _total: int | None, _name: str) -> None:
            pids.extend(mapper.__self__.pids())  # type: ignore[attr-defined]
            raise RuntimeError("the database went away")

        import_all(sources, progress=progress, mapper=mapper)
    assert pids and _wait_gone(pids, 5)


CHILD = """
import sys, time
from stridewell.activities import Limits
from stridewell.activities.bulk import DecodeJob, SourceMeta, decode_job
from stridewell.activities.pool import DecoderPool
pool = DecoderPool(2, Limits())
jobs = [DecodeJob(f"{i}.fit", b"x", SourceMeta(), Limits(), 1) for i in range(2)]
list(pool.map(decode_job, jobs))
print(" ".join(str(p) for p in pool.pids()), flush=True)
time.sleep(60)
"""


def test_workers_die_with_the_importing_process_after_a_kill_9() -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        pids = [int(p) for p in child.stdout.readline().split()]
        assert pids and not any(_gone(p) for p in pids)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        assert _wait_gone(pids), "decoder workers outlived their parent"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_small_imports_on_the_main_thread_decode_in_process(tmp_path: Path) -> None:
    with decoder_pool(3, Limits()) as mapper:
        assert mapper is map
    with decoder_pool(3, Limits(), isolate=True) as mapper:
        assert mapper is not map
        ((result, _),) = list(
            mapper(decode_job, [DecodeJob("a", GPX, SourceMeta(), Limits(), 1 << 30)])
        )
    assert isinstance(result, list) and result[0].source_name == "a"
    assert io  # the module is used by other tests' helpers


def test_a_file_needing_more_memory_than_a_decoder_may_use_is_set_aside() -> None:
    from hostile.hostile_corpus import zeros_deflated

    bomb, _ = zeros_deflated(250 * MB, 31)
    limits = Limits(
        decoder_memory_bytes=200 * MB,
        max_expansion_ratio=10**6,
        max_decompressed_bytes=1 << 30,
    )
    jobs = [DecodeJob(n, data, SourceMeta(), limits, 1 << 31) for n, data in
            (("bomb.fit.gz", bomb), ("fine.gpx", GPX))]  # fmt: skip
    pool = DecoderPool(1, limits)
    try:
        (bombed, _), (fine, _) = list(pool.map(decode_job, jobs))
    finally:
        pool.close()
    assert bombed == ("bomb.fit.gz", "needs more memory to read than a decoder may use: set aside")
    assert isinstance(fine, list) and len(fine) == 1
