"""Source files already imported, known by the SHA-256 of their bytes.

An import can then skip a file it has seen before without parsing it again. A file is
recorded once per runner (INSERT ... ON CONFLICT DO NOTHING, which also holds when two
imports run at once), with the name and activity count of its first import.
``add_activities(..., files=...)`` records files in the transaction that stores their
activities, so a file is never marked seen while its activities are missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stridewell.storage.checks import require_aware, require_int, require_text
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.models import (
    ImportFileRow,
    ImportJobInputRow,
    ImportJobResultRow,
    ImportJobRow,
    utc_now,
)
from stridewell.storage.originals_repo import (
    KIND_UPLOAD,
    checked_paths,
    put_checked_paths,
    remove_files,
    runner_exists_without_waiting,
)
from stridewell.storage.records import ImportedFile

ImportFile = ImportFileRow

IMPORT_FILE_KEYS = ImportedFile.__required_keys__

# Lower-case hex only: "AB.." and "ab.." would be two digests of one file.
_DIGEST = re.compile(r"[0-9a-f]{64}")


class ImportFileRepository(Repository):
    """Imported source files (``Store.files``)."""

    def known_file_digests(self, runner_id: str) -> set[str]:
        """The digests of all the source files the runner has imported."""
        query = select(ImportFile.digest).where(ImportFile.runner_id == runner_id)
        with self._read_session() as session:
            return set(session.scalars(query))

    def record_import_files(
        self,
        runner_id: str,
        rows: Sequence[ImportedFile],
        *,
        first_seen: datetime | None = None,
    ) -> int:
        """Record the files whose digest the runner does not have yet, in one transaction;
        returns how many that was.

        Each row has the keys ``IMPORT_FILE_KEYS``: ``digest`` (hex SHA-256 of the file's
        bytes, lower case), ``source_name`` and ``activities`` (how many it gave, >= 0).
        A digest already recorded, or repeated in ``rows``, keeps its first row.
        ``first_seen`` (default: now) is stamped on every row of the call.

        Raises TypeError/ValueError for a malformed row (naming it), ``UnknownRunner``.
        """
        stamp = utc_now() if first_seen is None else require_aware(first_seen, "first_seen")
        checked = checked_file_rows(runner_id, stamp, rows, "rows")
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            return insert_file_rows(session, checked)


def checked_file_rows(
    runner_id: str, first_seen: datetime, rows: Sequence[ImportedFile], name: str
) -> list[dict[str, Any]]:
    """The checked values of ``rows`` (called ``name`` in errors), ready to insert."""
    if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
        raise TypeError(f"{name} must be a sequence of mappings, got {type(rows).__name__}")
    return [
        _file_row(runner_id, first_seen, f"{name}[{index}]", row) for index, row in enumerate(rows)
    ]


def insert_file_rows(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose (runner, digest) is not taken; returns how many it did."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = (
        insert(cast(Table, ImportFile.__table__))
        .on_conflict_do_nothing(index_elements=[ImportFile.runner_id, ImportFile.digest])
        .returning(ImportFile.digest)
    )
    # Of several rows with one digest the first is kept; the others need not travel.
    first_of_digest: dict[str, dict[str, Any]] = {}
    for row in rows:
        first_of_digest.setdefault(row["digest"], row)
    return len(session.scalars(statement, list(first_of_digest.values())).all())


def _file_row(
    runner_id: str, first_seen: datetime, where: str, row: Mapping[str, Any]
) -> dict[str, Any]:
    if not isinstance(row, Mapping):
        raise TypeError(f"{where} must be a mapping, got {type(row).__name__}")
    missing = sorted(IMPORT_FILE_KEYS - row.keys())
    unknown = sorted(str(key) for key in row.keys() - IMPORT_FILE_KEYS)
    if missing or unknown:
        raise ValueError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    digest = require_text(row["digest"], f"{where}.digest")
    if not _DIGEST.fullmatch(digest):
        raise ValueError(f"{where}.digest must be 64 lower-case hex digits, got {digest!r}")
    activities = require_int(row["activities"], f"{where}.activities")
    if activities < 0:
        raise ValueError(f"{where}.activities must not be negative, got {activities}")
    return {
        "runner_id": runner_id,
        "digest": digest,
        "source_name": require_text(row["source_name"], f"{where}.source_name"),
        "activities": activities,
        "first_seen": first_seen,
    }


# -- import jobs ------------------------------------------------------------------------

JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED = "queued", "running", "done", "failed"
RESULTS = ("imported", "duplicate", "skipped")


@dataclass(frozen=True)
class StoredImportJob:
    """An import job as stored: state, progress and, once done, the report's counts."""

    id: str
    runner_id: str
    status: str
    done: int
    total: int | None
    attempts: int
    worker: str | None
    created_at: datetime
    first_started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    summary: dict[str, Any] | None


@dataclass(frozen=True)
class StoredJobInput:
    position: int
    name: str
    size: int


@dataclass(frozen=True)
class StoredJobResult:
    """What a job did with one file: ``result`` is one of ``RESULTS``."""

    ordinal: int
    name: str
    result: str
    reason: str
    runs: int


def _job(row: ImportJobRow) -> StoredImportJob:
    return StoredImportJob(
        id=row.id,
        runner_id=row.runner_id,
        status=row.status,
        done=row.done,
        total=row.total,
        attempts=row.attempts,
        worker=row.worker,
        created_at=row.created_at,
        first_started_at=row.first_started_at,
        finished_at=row.finished_at,
        error=row.error,
        summary=row.summary,
    )


class ImportJobRepository(Repository):
    """Import jobs (``Store.import_jobs``): created with their uploads in one transaction,
    then run, with their progress and per-file results, by whichever process takes them."""

    def create_job(
        self,
        runner_id: str,
        job_id: str,
        inputs: Sequence[tuple[str, Path]],
        *,
        keep_uploads: bool,
        at: datetime,
    ) -> StoredImportJob:
        """A queued job for the uploaded files ``inputs`` (name as uploaded, file on disk).
        With ``keep_uploads`` their bytes are stored too (as ``<job id>/<position>``), so a
        worker on another machine can read them; all or nothing."""
        stamp = require_aware(at, "at")
        kept = [(f"{job_id}/{p}", path) for p, (_, path) in enumerate(inputs)]
        # Checked before the transaction: a file over the limit stores nothing.
        checked = checked_paths(KIND_UPLOAD, kept if keep_uploads else [])
        row = ImportJobRow(
            id=job_id,
            runner_id=runner_id,
            status=JOB_QUEUED,
            done=0,
            total=None,
            attempts=0,
            worker=None,
            created_at=stamp,
            first_started_at=None,
            finished_at=None,
            error=None,
            summary=None,
        )
        # One transaction for the job, its inputs and their bytes: a worker never sees a
        # job without its files. It takes no lock a running import holds (only the key
        # share of the runner's row that every insert of theirs takes), so a submit never
        # waits for the runner's import in progress.
        with self._write_session() as session:
            runner_exists_without_waiting(session, runner_id)
            session.add(row)
            session.flush()
            for position, (name, path) in enumerate(inputs):
                size = path.stat().st_size
                session.add(
                    ImportJobInputRow(job_id=job_id, position=position, name=name, size=size)
                )
            session.flush()
            put_checked_paths(session, runner_id, KIND_UPLOAD, checked, stamp)
            return _job(row)

    def job(self, job_id: str, runner_id: str | None = None) -> StoredImportJob | None:
        """The job (only if it is ``runner_id``'s, when given), or None."""
        query = select(ImportJobRow).where(ImportJobRow.id == job_id)
        if runner_id is not None:
            query = query.where(ImportJobRow.runner_id == runner_id)
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _job(row)

    def inputs(self, job_id: str) -> list[StoredJobInput]:
        query = (
            select(ImportJobInputRow)
            .where(ImportJobInputRow.job_id == job_id)
            .order_by(ImportJobInputRow.position)
        )
        with self._read_session() as session:
            return [StoredJobInput(r.position, r.name, r.size) for r in session.scalars(query)]

    def start(self, job_id: str, worker: str, at: datetime) -> StoredImportJob | None:
        """Mark the job running by ``worker`` (one more attempt); None when it is gone or
        finished already (a retried job whose first run did finish)."""
        stamp = require_aware(at, "at")
        with self._write_session() as session:
            row = session.get(ImportJobRow, job_id, with_for_update=True)
            if row is None or row.status in (JOB_DONE, JOB_FAILED):
                return None
            row.status, row.worker, row.attempts = JOB_RUNNING, worker[:120], row.attempts + 1
            row.first_started_at = row.first_started_at or stamp
            session.flush()
            return _job(row)

    def progress(self, job_id: str, done: int, total: int | None) -> None:
        with self._write_session() as session:
            session.execute(
                update(ImportJobRow)
                .where(ImportJobRow.id == job_id, ImportJobRow.status == JOB_RUNNING)
                .values(done=done, total=total)
            )

    def add_results(self, job_id: str, results: Sequence[StoredJobResult]) -> None:
        """Record per-file results; an ordinal recorded already keeps its first result."""
        if not results:
            return
        for r in results:
            if r.result not in RESULTS or r.runs < 0:
                raise ValueError(f"not a file result: {r!r}")
        rows = [
            {
                "job_id": job_id,
                "ordinal": r.ordinal,
                "name": r.name,
                "result": r.result,
                "reason": r.reason,
                "runs": r.runs,
            }
            for r in results
        ]
        with self._write_session() as session:
            dialect = session.get_bind().dialect.name
            insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
            statement = insert(cast(Table, ImportJobResultRow.__table__)).on_conflict_do_nothing()
            session.execute(statement, rows)

    def results(self, job_id: str) -> list[StoredJobResult]:
        query = (
            select(ImportJobResultRow)
            .where(ImportJobResultRow.job_id == job_id)
            .order_by(ImportJobResultRow.ordinal)
        )
        with self._read_session() as session:
            return [
                StoredJobResult(r.ordinal, r.name, r.result, r.reason, r.runs)
                for r in session.scalars(query)
            ]

    def finish(
        self,
        job_id: str,
        *,
        status: str,
        at: datetime,
        summary: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """The job's end (done or failed): its report's counts or the reason, and its
        stored uploads removed (in the same transaction)."""
        if status not in (JOB_DONE, JOB_FAILED):
            raise ValueError(f"a job finishes done or failed, not {status!r}")
        stamp = require_aware(at, "at")
        with self._write_session() as session:
            row = session.get(ImportJobRow, job_id, with_for_update=True)
            if row is None:
                return
            row.status, row.finished_at, row.summary, row.error = status, stamp, summary, error
            if status == JOB_DONE and row.total is not None:
                row.done = row.total
            remove_files(session, row.runner_id, KIND_UPLOAD, f"{job_id}/")

    def files_first_seen_since(
        self, runner_id: str, digests: Sequence[str], since: datetime
    ) -> dict[str, int]:
        """Of ``digests``, those the runner first imported at or after ``since``, with the
        number of activities each gave (an earlier attempt of a job stored them)."""
        if not digests:
            return {}
        query = select(ImportFile.digest, ImportFile.activities).where(
            ImportFile.runner_id == runner_id,
            ImportFile.digest.in_(list(digests)),
            ImportFile.first_seen >= require_aware(since, "since"),
        )
        with self._read_session() as session:
            return {digest: count for digest, count in session.execute(query)}
