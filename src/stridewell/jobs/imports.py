"""Import jobs: submitted with their uploads, run by whichever process takes them, read back
with their progress and the per-file report.

On PostgreSQL the uploads are stored in the database with the job, and the job is handed
to the task queue (``stridewell.jobs.queue``): a `stridewell worker` on any machine runs it,
and the web answers at once with the job's id. On SQLite (one person, one machine) the same
``run_job`` runs in the submitting process, on the files where they lie, as before.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

from stridewell.errors import NotFound
from stridewell.jobs.pipeline import RESULTS, FileResult, Result, import_files
from stridewell.service.imports import IMPORT_CHUNK, originals_keeper

if TYPE_CHECKING:
    from stridewell.service.backend import Backend
    from stridewell.storage.import_files_repo import StoredImportJob, StoredJobInput

# A job's progress is written at most this often (each write is a transaction).
PROGRESS_EVERY_S = 0.5
# Files per stored chunk for a job (STRIDEWELL_IMPORT_CHUNK): smaller chunks keep more of
# a job that a killed worker leaves, at the price of more transactions.
CHUNK_VARIABLE = "STRIDEWELL_IMPORT_CHUNK"


@dataclass(frozen=True)
class ImportJobView:
    """An import job as the runner sees it: state, progress and, file by file, the report."""

    id: str
    status: str  # queued, running, done or failed
    done: int
    total: int | None
    files: list[FileResult]
    summary: str
    error: str | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def uses_queue(backend: Backend) -> bool:
    """Jobs go to the task queue on PostgreSQL; on SQLite they run in process."""
    return backend.database_url.startswith("postgresql")


class ImportJobs:
    """One runner's import jobs."""

    def __init__(self, backend: Backend, runner_id: str) -> None:
        self._backend = backend
        self.runner_id = runner_id

    @property
    def queued(self) -> bool:
        """True when a submitted job waits for a worker (PostgreSQL); False when it has
        run in this process by the time ``submit`` returns (SQLite)."""
        return uses_queue(self._backend)

    def submit(self, uploads: list[tuple[str, Path]]) -> str:
        """A job for ``uploads`` (the name the runner gave each file, and where it lies
        now); returns its id. On PostgreSQL it is queued for a worker (the files are stored
        with it, so the caller may remove them); on SQLite it has run when this returns."""
        backend, runner_id, job_id = self._backend, self.runner_id, uuid4().hex
        queued = uses_queue(backend)
        now = backend.clock()
        backend.run(
            lambda store: store.import_jobs.create_job(
                runner_id, job_id, uploads, keep_uploads=queued, at=now
            )
        )
        if queued:
            from stridewell.jobs.queue import defer_import

            try:
                defer_import(backend.database_url, job_id)
            except BaseException:
                reason = "The import could not be queued: nothing was imported. Try again."
                at = backend.clock()
                backend.run(
                    lambda store: store.import_jobs.finish(
                        job_id, status="failed", at=at, error=reason
                    )
                )
                raise
        else:
            run_job(backend, job_id, worker_name(), paths=[path for _, path in uploads])
        return job_id

    def status(self, job_id: str) -> ImportJobView:
        """The job, if it is this runner's (NotFound otherwise: another's is not shown)."""
        runner_id = self.runner_id
        job = self._backend.run(lambda store: store.import_jobs.job(job_id, runner_id))
        if job is None:
            raise NotFound(f"no import with id '{job_id}'")
        return job_view(self._backend, job)


def job_view(backend: Backend, job: StoredImportJob) -> ImportJobView:
    stored = backend.run(lambda store: store.import_jobs.results(job.id))
    files = [FileResult(r.ordinal, r.name, _result(r.result), r.reason, r.runs) for r in stored]
    return ImportJobView(
        id=job.id,
        status=job.status,
        done=job.done,
        total=job.total,
        files=files,
        summary=summary_text(files) if files or job.finished_at else _pending(job),
        error=job.error,
    )


def _result(text: str) -> Result:
    if text not in RESULTS:
        raise ValueError(f"not a file result: {text!r}")
    return text


def _pending(job: StoredImportJob) -> str:
    if job.status == "queued":
        return "Waiting for a worker to start the import."
    return f"Importing: {job.done} of {job.total} files." if job.total else "Importing."


def summary_text(files: list[FileResult]) -> str:
    """The report in one line: files imported (and their runs), duplicates, skipped."""
    counts = Counter(f.result for f in files)
    runs = sum(f.runs for f in files)
    parts = [
        f"{_count(counts['imported'], 'file')} imported ({_count(runs, 'run')} added)",
        f"{_count(counts['duplicate'], 'duplicate')} skipped",
    ]
    if counts["skipped"]:
        parts.append(f"{_count(counts['skipped'], 'file')} not imported")
    return ", ".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_counts(files: list[FileResult]) -> dict[str, int]:
    counts = Counter(f.result for f in files)
    return {
        "files": len(files),
        "imported": counts["imported"],
        "duplicates": counts["duplicate"],
        "skipped": counts["skipped"],
        "runs": sum(f.runs for f in files),
    }


def run_job(
    backend: Backend,
    job_id: str,
    worker: str,
    *,
    paths: list[Path] | None = None,
    final_attempt: bool = True,
) -> None:
    """Run (or finish) the job: the uploads are read from ``paths`` (in process) or from
    the database (a worker); files an earlier attempt finished are not imported again.
    A failure on the final attempt marks the job failed; it is raised either way, for the
    queue to retry the job with backoff."""
    from stridewell.storage.import_files_repo import StoredJobResult

    job = backend.run(lambda store: store.import_jobs.start(job_id, worker, backend.clock()))
    if job is None:
        return  # finished already (a retry of a job whose first run did finish), or gone
    inputs = backend.run(lambda store: store.import_jobs.inputs(job_id))
    earlier = backend.run(lambda store: store.import_jobs.results(job_id))
    folder = None if paths is not None else Path(tempfile.mkdtemp(prefix="stridewell-job-"))
    try:
        if folder is not None:
            paths = _fetch_uploads(backend, job.runner_id, job_id, inputs, folder)
        assert paths is not None
        names = {str(path): i.name for path, i in zip(paths, inputs, strict=True)}
        progress = _ProgressWriter(backend, job_id)

        def record(results: list[FileResult]) -> None:
            rows = [StoredJobResult(r.ordinal, r.name, r.result, r.reason, r.runs) for r in results]
            backend.run(lambda store: store.import_jobs.add_results(job_id, rows))

        import_files(
            backend,
            job.runner_id,
            paths,
            names=names,
            originals=originals_keeper(backend, job.runner_id),
            on_chunk=record,
            done=frozenset(r.ordinal for r in earlier),
            started=job.first_started_at if job.attempts > 1 else None,
            progress=progress,
            chunk_files=_chunk_files(),
        )
        view = job_view(backend, job)
        counts = summary_counts(view.files)
        backend.run(
            lambda store: store.import_jobs.finish(
                job_id, status="done", at=backend.clock(), summary=counts
            )
        )
    except Exception as error:
        if final_attempt:
            reason = f"The import stopped: {error}" if str(error) else "The import stopped."
            backend.run(
                lambda store: store.import_jobs.finish(
                    job_id, status="failed", at=backend.clock(), error=reason
                )
            )
        raise
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _fetch_uploads(
    backend: Backend,
    runner_id: str,
    job_id: str,
    inputs: list[StoredJobInput],
    folder: Path,
) -> list[Path]:
    """The job's stored uploads written into ``folder`` under our own names (an upload's
    name never becomes a path), a chunk at a time."""
    from stridewell.storage.originals_repo import KIND_UPLOAD

    paths = []
    for item in inputs:
        suffix = "".join(Path(item.name).suffixes[-2:])[:16]
        path = folder / f"upload-{item.position}{suffix}"
        with path.open("wb") as out:
            name = f"{job_id}/{item.position}"
            # A generator: its read session stays open while the chunks are written.
            for chunk in backend.store.stored_files.iter_chunks(runner_id, KIND_UPLOAD, name):
                out.write(chunk)
        paths.append(path)
    return paths


class _ProgressWriter:
    """Writes the job's progress, at most every PROGRESS_EVERY_S (and at the end)."""

    def __init__(self, backend: Backend, job_id: str) -> None:
        self._backend, self._job_id, self._last = backend, job_id, 0.0

    def __call__(self, done: int, total: int | None, _name: str) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_EVERY_S and done != total:
            return
        self._last = now
        job_id = self._job_id
        self._backend.run(lambda store: store.import_jobs.progress(job_id, done, total))


def _chunk_files() -> int:
    configured = os.environ.get(CHUNK_VARIABLE, "").strip()
    return int(configured) if configured.isdigit() and int(configured) > 0 else IMPORT_CHUNK
