"""Files kept in the database, in chunks: original activity files and uploads waiting for
their import job.

On PostgreSQL every server and worker reaches the same database, so a file kept here can
be handed back by any process on any machine (a folder is only seen by its own machine).
A file is written whole in one transaction, so a reader never sees part of one; each is
held to ``MAX_STORED_FILE_BYTES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, delete, exists, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stridewell.storage.checks import require_aware
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.models import RunnerRow, StoredFileChunkRow, StoredFileRow, utc_now

KIND_ORIGINAL = "original"
KIND_UPLOAD = "upload"
KINDS = (KIND_ORIGINAL, KIND_UPLOAD)
# One row per MiB: each row stays well under what a driver wants to carry at once.
CHUNK_BYTES = 1024 * 1024
# No single file larger than this is kept (an upload is held to 200 MB in all).
MAX_STORED_FILE_BYTES = 256 * 1024 * 1024
NAME_LENGTH = 100


class StoredFileTooLarge(ValueError):
    """A file over ``MAX_STORED_FILE_BYTES``: nothing of it is kept."""


class StoredFileRepository(Repository):
    """Files kept in the database (``Store.stored_files``), one runner's at a time."""

    def put(
        self, runner_id: str, kind: str, name: str, data: bytes, *, at: datetime | None = None
    ) -> bool:
        """Keep ``data`` as ``name``; False when a file of that name is kept already (it
        stays as it is: names are content digests or fresh job ids)."""
        return self.put_many(runner_id, kind, [(name, data)], at=at) == 1

    def put_many(
        self,
        runner_id: str,
        kind: str,
        files: Iterable[tuple[str, bytes]],
        *,
        at: datetime | None = None,
    ) -> int:
        """Keep several files in one transaction; returns how many were new."""
        stamp = utc_now() if at is None else require_aware(at, "at")
        checked = [(_name(name), data) for name, data in files]
        _kind(kind)
        for name, data in checked:
            _size(name, len(data))
        added = 0
        with self._write_session() as session:
            runner_exists_without_waiting(session, runner_id)
            fast_compression(session)
            for name, data in checked:
                added += _put(session, runner_id, kind, name, stamp, [data], len(data))
        return added

    def put_paths(
        self,
        runner_id: str,
        kind: str,
        files: Iterable[tuple[str, Path]],
        *,
        at: datetime | None = None,
    ) -> int:
        """Keep files read from disk a chunk at a time (never one whole upload in memory),
        all in one transaction; returns how many were new."""
        stamp = utc_now() if at is None else require_aware(at, "at")
        checked = checked_paths(kind, files)
        with self._write_session() as session:
            runner_exists_without_waiting(session, runner_id)
            return put_checked_paths(session, runner_id, kind, checked, stamp)

    def read(self, runner_id: str, kind: str, name: str) -> bytes | None:
        """The file's bytes, or None when no such file is kept for the runner."""
        return b"".join(chunk for chunk in self.iter_chunks(runner_id, kind, name)) or (
            b"" if self.exists(runner_id, kind, name) else None
        )

    def iter_chunks(self, runner_id: str, kind: str, name: str) -> Iterator[bytes]:
        """The file's chunks in order (nothing when it is not kept)."""
        query = (
            select(StoredFileChunkRow.data)
            .where(
                StoredFileChunkRow.runner_id == runner_id,
                StoredFileChunkRow.kind == kind,
                StoredFileChunkRow.name == name,
            )
            .order_by(StoredFileChunkRow.seq)
        )
        with self._read_session() as session:
            yield from session.scalars(query)

    def exists(self, runner_id: str, kind: str, name: str) -> bool:
        query = select(func.count()).where(
            StoredFileRow.runner_id == runner_id,
            StoredFileRow.kind == kind,
            StoredFileRow.name == name,
        )
        with self._read_session() as session:
            return bool(session.scalar(query))

    def names(self, runner_id: str, kind: str, *, prefix: str = "") -> list[str]:
        """The names of the runner's files of ``kind`` (starting with ``prefix``), sorted."""
        query = select(StoredFileRow.name).where(
            StoredFileRow.runner_id == runner_id, StoredFileRow.kind == kind
        )
        if prefix:
            query = query.where(StoredFileRow.name.startswith(prefix, autoescape=True))
        with self._read_session() as session:
            return sorted(session.scalars(query))

    def remove(self, runner_id: str, kind: str, *, prefix: str) -> int:
        """Remove the runner's files of ``kind`` whose name starts with ``prefix`` (their
        chunks go with them); returns how many."""
        if not prefix:
            raise ValueError("prefix must not be empty")
        with self._write_session() as session:
            return remove_files(session, runner_id, kind, prefix)


# PostgreSQL compresses each chunk as it stores it, with pglz unless told otherwise: on an
# activity export (zips and FIT files hardly compress) pglz spent 0.25 s of the server's
# CPU per 7 MB only to give up, lz4 0.05 s. This transaction only: no schema change, and
# a server built without lz4 (or older than PostgreSQL 14) keeps its default.
_LZ4_FOR_THIS_TRANSACTION = text(
    "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings"
    " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def fast_compression(session: Session) -> None:
    """Store this transaction's chunks with lz4 where the server has it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LZ4_FOR_THIS_TRANSACTION)


def runner_exists_without_waiting(session: Session, runner_id: str) -> None:
    """``ensure_runner_exists`` that reads first. Its insert of the local runner (ON
    CONFLICT DO NOTHING) waits for any open transaction that changed the runner's row, as
    a running import's does at each chunk it stores (the data version moves); a read
    waits for nothing, so storing an upload never waits for the runner's import."""
    if not session.scalar(select(exists().where(RunnerRow.id == runner_id))):
        ensure_runner_exists(session, runner_id)


def checked_paths(kind: str, files: Iterable[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """``files`` (name to keep, file on disk) checked before a transaction starts: their
    names, and no file over ``MAX_STORED_FILE_BYTES``."""
    _kind(kind)
    checked = [(_name(name), path) for name, path in files]
    for name, path in checked:
        _size(name, path.stat().st_size)
    return checked


def put_checked_paths(
    session: Session,
    runner_id: str,
    kind: str,
    checked: list[tuple[str, Path]],
    stamp: datetime,
) -> int:
    """Keep the ``checked_paths`` in ``session``'s transaction (the caller's: a job and
    its uploads are stored together); returns how many were new."""
    fast_compression(session)
    added = 0
    for name, path in checked:
        size = path.stat().st_size
        added += _put(session, runner_id, kind, name, stamp, _read_chunks(path), size)
    return added


def remove_files(session: Session, runner_id: str, kind: str, prefix: str) -> int:
    where = (
        StoredFileRow.runner_id == runner_id,
        StoredFileRow.kind == kind,
        StoredFileRow.name.startswith(prefix, autoescape=True),
    )
    # Chunks first: SQLite only cascades with its foreign keys on, which we do not rely on.
    session.execute(
        delete(StoredFileChunkRow).where(
            StoredFileChunkRow.runner_id == runner_id,
            StoredFileChunkRow.kind == kind,
            StoredFileChunkRow.name.startswith(prefix, autoescape=True),
        )
    )
    return len(
        session.scalars(delete(StoredFileRow).where(*where).returning(StoredFileRow.name)).all()
    )


def _put(
    session: Session,
    runner_id: str,
    kind: str,
    name: str,
    stamp: datetime,
    chunks: Iterable[bytes],
    size: int,
) -> int:
    # ON CONFLICT DO NOTHING: two workers keeping the same original at once both succeed.
    dialect = session.get_bind().dialect.name
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = (
        insert(cast(Table, StoredFileRow.__table__))
        .values(runner_id=runner_id, kind=kind, name=name, size=size, created_at=stamp)
        .on_conflict_do_nothing()
        .returning(StoredFileRow.name)
    )
    if session.scalar(statement) is None:
        return 0
    seq = 0
    for data in chunks:
        for start in range(0, len(data), CHUNK_BYTES):
            piece = data[start : start + CHUNK_BYTES]
            session.add(
                StoredFileChunkRow(runner_id=runner_id, kind=kind, name=name, seq=seq, data=piece)
            )
            seq += 1
        session.flush()
    return 1


def _read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk


def _kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _name(name: str) -> str:
    if not isinstance(name, str) or not 0 < len(name) <= NAME_LENGTH:
        raise ValueError(f"a stored file's name must have 1 to {NAME_LENGTH} characters")
    return name


def _size(name: str, size: int) -> None:
    if size > MAX_STORED_FILE_BYTES:
        limit = MAX_STORED_FILE_BYTES // 2**20
        raise StoredFileTooLarge(f"{name} is larger than {limit} MB, so it was not kept")
