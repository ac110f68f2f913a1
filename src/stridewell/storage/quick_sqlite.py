"""The one-shot write of `stridewell assess --json` on a local SQLite file, without SQLAlchemy.

Importing SQLAlchemy and mapping the models costs more than the whole triage, and the
CLI should answer in well under half a second. When the database is a local SQLite file
already at the current schema revision, an assessment is one INSERT, so it is written
with the standard library here, in exactly the form the SQLAlchemy models write (a test
reads rows written both ways through the ORM and compares them). Anything unusual (no
file yet, another revision, an unknown runner, training data to read) returns None and
the caller takes the ordinary path, which can set up or migrate the database.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from stridewell.storage.assessment_record import assessment_record
from stridewell.storage.records import (
    LOCAL_RUNNER_ID,
    LOCAL_RUNNER_NAME,
    AssessmentToStore,
    StoredAssessment,
)
from stridewell.storage.schema_version import HEAD_REVISION

SQLITE_PREFIX = "sqlite:///"
BUSY_TIMEOUT_S = 5.0
# SQLAlchemy's storage format for DateTime on SQLite (UTC, offset dropped; see UTCDateTime).
_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


_INSERT_ASSESSMENT = (
    "INSERT INTO assessments (id, runner_id, created_at, input_json, report_json, level,"
    " top_condition, kb_version, rules_fired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def stored_datetime(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime refused (attach a time zone): {value.isoformat()}")
    return value.astimezone(UTC).strftime(_DATETIME_FORMAT)


def _stored_json(value: object) -> str:
    # SQLAlchemy's JSON type serialises with json.dumps and its defaults.
    return json.dumps(value)


class QuickSqlite:
    """An open local SQLite database at the head revision, or nothing (see `open`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, url: str) -> QuickSqlite | None:
        """The database behind ``url`` if it is a local SQLite file at the head revision."""
        if not url.startswith(SQLITE_PREFIX) or "?" in url:
            return None
        path = Path(url.removeprefix(SQLITE_PREFIX))
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            # The same settings as the SQLAlchemy engine (see db._configure_sqlite_connection).
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=NORMAL")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            connection.close()
            return None
        if row is None or row[0] != HEAD_REVISION:
            connection.close()
            return None
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> QuickSqlite:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def has_activities(self, runner_id: str) -> bool:
        query = "SELECT 1 FROM activities WHERE runner_id = ? LIMIT 1"
        return self._db.execute(query, (runner_id,)).fetchone() is not None

    def save_assessment(
        self, values: AssessmentToStore, *, runner_id: str
    ) -> StoredAssessment | None:
        """Store one assessment; the record as it reads back, or None when the ordinary
        path must do it. The record is built (and checked) as the ORM path builds it.
        A correction of an earlier assessment is for the ordinary path (it checks the link)."""
        if values.corrects_id is not None:
            return None
        record = assessment_record(values, runner_id)
        row = (
            record.id,
            runner_id,
            stored_datetime(record.created_at),
            _stored_json(record.assessment),
            _stored_json(record.report),
            record.level,
            record.top_condition,
            record.kb_version,
            _stored_json(record.rules_fired),
        )
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                if runner_id == LOCAL_RUNNER_ID:
                    db.execute(
                        "INSERT INTO runners (id, name, created_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (id) DO NOTHING",
                        (LOCAL_RUNNER_ID, LOCAL_RUNNER_NAME, row[2]),
                    )
                elif (
                    db.execute("SELECT 1 FROM runners WHERE id = ?", (runner_id,)).fetchone()
                    is None
                ):
                    db.execute("ROLLBACK")
                    return None  # the ordinary path raises UnknownRunner
                db.execute(_INSERT_ASSESSMENT, row)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return None
        return record
