"""The task queue on PostgreSQL: procrastinate keeps its jobs in the database Stridewell
already uses, so a club or clinic needs no other service.

Only imported on PostgreSQL (by ``ImportJobs.submit`` and `stridewell worker`): a one-person
SQLite install never loads procrastinate. Its tables are procrastinate's own schema, applied
by ``ensure_queue_schema`` (run by `stridewell db upgrade` and by each worker as it starts).

A job whose worker dies (killed, machine lost) stops sending heartbeats; every worker looks
for such stalled jobs every ``stalled_after`` seconds and puts them back in the queue, and
another worker finishes them: the import skips what the dead one had stored already.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import re
import threading
from typing import Any

import procrastinate
import psycopg
from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.jobs import Status

from stridewell.jobs.imports import run_job, worker_name
from stridewell.service.backend import Backend, utc_now

QUEUE = "stridewell-imports"
TASK = "stridewell.import"
# Retried with backoff: 2, 4, 8, 16 seconds after a failure (then the job is failed).
MAX_ATTEMPTS = 5
RETRY = RetryStrategy(max_attempts=MAX_ATTEMPTS, exponential_wait=2)
# procrastinate's schema is applied once per database, under this advisory lock.
SCHEMA_LOCK_KEY = 0x5354_5749_4A4F_4253 & 0x7FFF_FFFF_FFFF_FFFF

logger = logging.getLogger(__name__)


def conninfo(database_url: str) -> str:
    """libpq's form of a SQLAlchemy URL (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", database_url)


def make_app(database_url: str, connector: PsycopgConnector | None = None) -> App:
    """A procrastinate app on the database (through ``connector`` if given), with the
    import task registered: its queue and retries go with each job deferred."""
    if connector is None:
        connector = PsycopgConnector(conninfo=conninfo(database_url))
    app = App(connector=connector)
    backend = Backend(database_url, utc_now)

    @app.task(name=TASK, queue=QUEUE, retry=RETRY, pass_context=True)
    def import_job(context: JobContext, job_id: str) -> None:
        attempts = context.job.attempts if context.job is not None else 0
        run_job(backend, job_id, worker_name(), final_attempt=attempts + 1 >= MAX_ATTEMPTS)

    return app


_schema_ensured: set[str] = set()
_deferring: dict[str, App] = {}
_deferring_lock = threading.Lock()


def defer_import(database_url: str, job_id: str) -> int:
    """Queue the import job ``job_id``; returns the queue's own job id. The queue's tables
    are made first if `stridewell db upgrade` has not made them (checked once a process).
    One open app a process and database, its connections kept a while: opening an app
    per call started a connection pool (its threads, its connections) per upload."""
    return _deferring_app(database_url).configure_task(TASK).defer(job_id=job_id)


def _deferring_app(database_url: str) -> App:
    with _deferring_lock:
        app = _deferring.get(database_url)
        if app is None:
            if database_url not in _schema_ensured:
                ensure_queue_schema(database_url)
                _schema_ensured.add(database_url)
            # No connection until the first defer; one kept idle up to a minute after it.
            connector = PsycopgConnector(
                conninfo=conninfo(database_url), min_size=0, max_size=4, max_idle=60
            )
            app = make_app(database_url, connector)
            app.open()
            _deferring[database_url] = app
            if len(_deferring) == 1:
                atexit.register(_close_deferring_apps)
        return app


def _close_deferring_apps() -> None:
    with _deferring_lock:
        apps = list(_deferring.values())
        _deferring.clear()
    for app in apps:
        app.close()


def ensure_queue_schema(database_url: str) -> bool:
    """Apply procrastinate's schema to the database unless it is there; True if applied.
    Safe when several processes start at once (an advisory lock, one transaction)."""
    schema = procrastinate.App(connector=PsycopgConnector()).schema_manager.get_schema()
    with psycopg.connect(conninfo(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
        cursor.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        row = cursor.fetchone()
        if row is not None and row[0]:
            return False
        # No parameters: the schema's text goes to the server as it is (several statements).
        cursor.execute(schema.encode())
    return True


async def retry_stalled_jobs(
    app: App, backend: Backend, every: float, stalled_after: float
) -> None:
    """Put back in the queue, every ``every`` seconds, the import jobs of workers that sent
    no heartbeat for ``stalled_after`` seconds (killed mid-job). A job that has been tried
    MAX_ATTEMPTS times is failed instead: a file that brings its worker down each time
    must not take every worker down in turn, for ever."""
    while True:
        await asyncio.sleep(every)
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                queue=QUEUE, seconds_since_heartbeat=stalled_after
            )
            for job in stalled:
                if job.attempts + 1 < MAX_ATTEMPTS:
                    logger.warning("import %s was left by a stopped worker: retrying it", job.id)
                    await app.job_manager.retry_job(job)
                    continue
                logger.error("import %s stopped its worker %d times: failed", job.id, MAX_ATTEMPTS)
                await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
                await asyncio.to_thread(_fail, backend, str(job.task_kwargs.get("job_id", "")))
        except Exception:  # the database may be briefly away; try again next round
            logger.exception("could not look for stalled import jobs")


def _fail(backend: Backend, job_id: str) -> None:
    reason = (
        f"The import stopped its worker {MAX_ATTEMPTS} times, so it was given up. "
        "A file in it may be damaged: import fewer files at a time to find it."
    )
    backend.run(
        lambda store: store.import_jobs.finish(
            job_id, status="failed", at=backend.clock(), error=reason
        )
    )


def run_worker(
    database_url: str,
    *,
    concurrency: int = 1,
    heartbeat: float = 10.0,
    stalled_after: float = 30.0,
) -> None:
    """Run a worker until it is stopped (SIGINT/SIGTERM end it after the running jobs)."""
    ensure_queue_schema(database_url)
    app = make_app(database_url)

    async def main() -> None:
        async with app.open_async():
            backend = Backend(database_url, utc_now)
            retrier = asyncio.create_task(
                retry_stalled_jobs(app, backend, heartbeat, stalled_after)
            )
            options: dict[str, Any] = {
                "queues": [QUEUE],
                "name": worker_name(),
                "concurrency": concurrency,
                "update_heartbeat_interval": heartbeat,
                "stalled_worker_timeout": stalled_after,
                "delete_jobs": "successful",
            }
            try:
                await app.run_worker_async(**options)
            finally:
                retrier.cancel()

    asyncio.run(main())
