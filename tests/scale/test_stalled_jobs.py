"""Stalled import jobs (their worker stopped sending heartbeats): put back in the queue,
until one has stopped its worker MAX_ATTEMPTS times; then it is failed with a plain reason."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from async_support import run_coroutine_apart
from pg_schemas import postgres_schema_url
from repo_paths import ACTIVITY_FILES
from stridewell.jobs.queue import MAX_ATTEMPTS, conninfo, make_app, retry_stalled_jobs
from stridewell.service import Stridewell

pytestmark = pytest.mark.postgres


@pytest.fixture
def service() -> Iterator[Stridewell]:
    with postgres_schema_url() as url, Stridewell(url) as sw:
        sw.upgrade_database()
        yield sw


def stall(url: str, attempts: int) -> int:
    """Mark the queued job as taken by a worker that is gone; its queue id."""
    with psycopg.connect(conninfo(url)) as connection:
        row = connection.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', attempts = %s RETURNING id",
            (attempts,),
        ).fetchone()
    assert row is not None
    return int(row[0])


def queue_status(url: str, queue_id: int) -> str:
    with psycopg.connect(conninfo(url)) as connection:
        row = connection.execute(
            "SELECT status FROM procrastinate_jobs WHERE id = %s", (queue_id,)
        ).fetchone()
    assert row is not None
    return str(row[0])


def one_round(service: Stridewell, done: Callable[[], bool]) -> None:
    """Run the stalled-job check until ``done()`` (bounded)."""
    url = service.database_url

    async def main() -> None:
        app = make_app(url)
        async with app.open_async():
            task = asyncio.create_task(retry_stalled_jobs(app, service._backend, 0.05, 1))
            try:
                for _ in range(600):
                    if await asyncio.to_thread(done):
                        return
                    await asyncio.sleep(0.05)
                pytest.fail("the stalled job was never taken care of")
            finally:
                task.cancel()

    run_coroutine_apart(main)


def submit(service: Stridewell, tmp_path: Path) -> tuple[str, str]:
    runner = service.accounts.register("s@example.org", "correct horse battery", "S").runner_id
    path = tmp_path / "upload-0.gpx"
    path.write_bytes((ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx").read_bytes())
    return runner, service.import_jobs(runner).submit([("Korita.gpx", path)])


def test_a_stalled_job_goes_back_in_the_queue(service: Stridewell, tmp_path: Path) -> None:
    runner, job_id = submit(service, tmp_path)
    queue_id = stall(service.database_url, attempts=1)

    one_round(service, lambda: queue_status(service.database_url, queue_id) == "todo")

    assert service.import_jobs(runner).status(job_id).status == "queued"


def test_a_job_that_stopped_its_worker_every_time_is_failed_with_a_reason(
    service: Stridewell, tmp_path: Path
) -> None:
    runner, job_id = submit(service, tmp_path)
    queue_id = stall(service.database_url, attempts=MAX_ATTEMPTS - 1)

    one_round(service, lambda: service.import_jobs(runner).status(job_id).finished)

    assert queue_status(service.database_url, queue_id) == "failed"
    view = service.import_jobs(runner).status(job_id)
    assert view.status == "failed"
    assert view.error is not None and "import fewer files at a time" in view.error
