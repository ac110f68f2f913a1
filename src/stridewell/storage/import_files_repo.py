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
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stridewell.storage.checks import require_aware, require_int, require_text
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.models import ImportFileRow, utc_now
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
