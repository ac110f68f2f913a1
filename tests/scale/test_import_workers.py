"""Imports as jobs on PostgreSQL, across processes: two `stridewell worker` processes, jobs
submitted by two app processes, one worker killed (SIGKILL) in the middle of a job. The
other worker finishes it, and every file ends up imported exactly once, with the same
per-file report as the same import run in process on SQLite.

Without a reachable PostgreSQL server the test is skipped (it fails under CI).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_schemas import postgres_schema_url
from repo_paths import ACTIVITY_FILES, NOT_REDISTRIBUTED, TESTS
from stridewell.jobs.imports import ImportJobView
from stridewell.jobs.queue import ensure_queue_schema
from stridewell.service import Stridewell

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

STRIDEWELL = Path(sys.executable).with_name("stridewell")
ENQUEUE = TESTS / "scale" / "enqueue_imports.py"
RUNNERS_PER_APP = 2
CHUNK = 4  # files per stored chunk in the workers
WAIT_S = 240  # bounded waits: generous for a busy machine, never a timing assert


def activity_files() -> list[Path]:
    return sorted(
        p
        for p in ACTIVITY_FILES.rglob("*")
        if p.is_file()
        and p.suffix.lower() in {".fit", ".gpx", ".tcx"}
        and p.name not in NOT_REDISTRIBUTED
    )


def file_results(view: ImportJobView) -> list[tuple[int, str, str, int]]:
    return [(f.ordinal, f.name, f.result, f.runs) for f in view.files]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        with Stridewell(url) as service:
            service.upgrade_database()
        assert ensure_queue_schema(url)
        yield url


def start_worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STRIDEWELL_DATABASE_URL": url,
        # Small chunks: a killed worker has stored part of its job.
        "STRIDEWELL_IMPORT_CHUNK": str(CHUNK),
    }
    return subprocess.Popen(
        [str(STRIDEWELL), "worker", "--heartbeat", "0.5", "--stalled-after", "2"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the worker with its decoders
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def test_a_worker_killed_mid_job_leaves_every_file_imported_exactly_once(
    pg_url: str, tmp_path: Path
) -> None:
    files = activity_files()
    assert len(files) > 40
    file_list = tmp_path / "files.txt"
    file_list.write_text("\n".join(str(p) for p in files))

    # The same import in process on SQLite: what every job's report must say.
    with Stridewell(f"sqlite:///{tmp_path / 'baseline.db'}") as local:
        jobs = local.import_jobs("local")
        expected = file_results(jobs.status(jobs.submit([(p.name, p) for p in files])))
    assert {r for _, _, r, _ in expected} == {"imported", "duplicate", "skipped"}

    with Stridewell(pg_url) as service:
        runners = [
            service.accounts.register(f"r{i}@example.org", "correct horse battery", f"R{i}")
            for i in range(2 * RUNNERS_PER_APP)
        ]
        workers = [start_worker(pg_url, tmp_path / f"worker-{i}.log") for i in range(2)]
        try:
            apps = [
                subprocess.Popen(
                    [sys.executable, str(ENQUEUE), pg_url, str(file_list)]
                    + [r.runner_id for r in runners[i::2]],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for i in range(2)
            ]
            submitted = dict(
                line.split() for a in apps for line in a.communicate(timeout=WAIT_S)[0].splitlines()
            )
            assert all(a.returncode == 0 for a in apps)
            assert sorted(submitted) == sorted(r.runner_id for r in runners)

            killed = kill_a_worker_mid_job(service, submitted, workers)
            views = wait_until_finished(service, submitted, tmp_path)
        finally:
            for worker in workers:
                kill_group(worker)

        for runner, view in views.items():
            assert view.status == "done", (runner, view.error)
            assert file_results(view) == expected, runner
            activities = service.for_runner(runner).training.activities(limit=None)
            assert len(activities) == sum(runs for *_, runs in expected)
            # The names the runner uploaded, never our temporary ones.
            assert {a.source_name for a in activities} <= {p.name for p in files}
        # The killed worker's job was taken up again, by the other worker.
        stored = service._backend.run(lambda store: store.import_jobs.job(submitted[killed]))
        assert stored is not None and stored.attempts >= 2, stored


def kill_a_worker_mid_job(
    service: Stridewell, submitted: dict[str, str], workers: list[subprocess.Popen[bytes]]
) -> str:
    """SIGKILL the worker of a job that has begun storing and has files left; the runner."""
    pids = {w.pid: w for w in workers}
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        for runner, job_id in submitted.items():
            view = service.import_jobs(runner).status(job_id)
            job = service._backend.run(lambda store, j=job_id: store.import_jobs.job(j))
            assert job is not None
            if view.status != "running" or not view.files or not view.total:
                continue
            # Two chunks or more to go: the worker is still at it when the kill lands.
            if view.total - len(view.files) < 2 * CHUNK or job.worker is None:
                continue
            pid = int(job.worker.rsplit(":", 1)[1])
            if pid in pids:
                kill_group(pids[pid])
                return runner
        time.sleep(0.02)
    pytest.fail("no job was caught between two chunks within the wait: nothing was killed")


def wait_until_finished(
    service: Stridewell, submitted: dict[str, str], logs: Path
) -> dict[str, ImportJobView]:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        views = {r: service.import_jobs(r).status(j) for r, j in submitted.items()}
        if all(v.finished for v in views.values()):
            return views
        time.sleep(0.2)
    states = {r: (v.status, v.done, v.total) for r, v in views.items()}
    worker_logs = "\n".join(p.read_text() for p in sorted(logs.glob("worker-*.log")))
    pytest.fail(f"imports not finished after {WAIT_S} s: {states}\n{worker_logs[-3000:]}")
