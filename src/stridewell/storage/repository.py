"""``Store``: the one door to the database for the rest of Stridewell.

Callers pass plain values in and get frozen dataclasses (``records``) back; no ORM object
or SQLAlchemy exception escapes. Every write runs in a single transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import uuid4

from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from stridewell.storage import migrate
from stridewell.storage.config import normalise_database_url, resolve_database_url
from stridewell.storage.db import WRITE_TRANSACTION, make_engine
from stridewell.storage.errors import DatabaseError, UnknownRunner
from stridewell.storage.models import (
    KB_VERSION_LENGTH,
    LEVEL_LENGTH,
    TOP_CONDITION_LENGTH,
    AssessmentRow,
    RunnerRow,
    utc_now,
)
from stridewell.storage.records import LOCAL_RUNNER_ID, LOCAL_RUNNER_NAME, StoredAssessment

JsonT = TypeVar("JsonT")


class Store:
    """Persistence for runners' assessments, on SQLite (default) or PostgreSQL.

    Use as a context manager, or call ``close()``, to release the connection pool.
    """

    def __init__(self, url: str) -> None:
        self._url = normalise_database_url(url)
        self._engine = make_engine(self._url)
        self._read_sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self._engine.execution_options(**{WRITE_TRANSACTION: True}), expire_on_commit=False
        )
        # Checked once per Store: the schema does not go backwards under a running app.
        self._schema_verified = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Store:
        """A store for the database configured in the environment (see ``config``)."""
        return cls(resolve_database_url(env))

    @property
    def url(self) -> str:
        return self._url

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    # -- schema -------------------------------------------------------------------------

    def upgrade(self) -> None:
        """Migrate the database to the newest schema; safe to run any number of times."""
        with _translated_errors():
            migrate.upgrade_to_head(self._engine)
        self._schema_verified = True

    def current_revision(self) -> str | None:
        """The schema revision of the database, or None if it was never migrated."""
        with _translated_errors(), self._engine.connect() as connection:
            return migrate.current_revision(connection)

    # -- assessments --------------------------------------------------------------------

    def save_assessment(
        self,
        *,
        assessment: dict[str, Any],
        report: dict[str, Any],
        level: str,
        top_condition: str | None,
        kb_version: str,
        rules_fired: list[str],
        created_at: datetime,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> StoredAssessment:
        """Store an assessment with its triage report; returns it as it now reads back.

        Raises ValueError/TypeError for input the database would store differently on
        the two backends (naive datetime, over-long text, non-JSON values), and
        ``UnknownRunner`` if ``runner_id`` does not exist (the local runner always does).
        """
        _require_aware(created_at, "created_at")
        _require_max_length(level, LEVEL_LENGTH, "level")
        _require_max_length(kb_version, KB_VERSION_LENGTH, "kb_version")
        if top_condition is not None:
            _require_max_length(top_condition, TOP_CONDITION_LENGTH, "top_condition")
        row = AssessmentRow(
            id=uuid4().hex,
            runner_id=runner_id,
            created_at=created_at,
            input_json=_as_stored_json(assessment, "assessment"),
            report_json=_as_stored_json(report, "report"),
            level=level,
            top_condition=top_condition,
            kb_version=kb_version,
            rules_fired=_as_stored_json(list(rules_fired), "rules_fired"),
        )
        with self._write_session() as session:
            _ensure_runner_exists(session, runner_id)
            session.add(row)
        return _to_record(row)

    def get_assessment(self, id: str, runner_id: str = LOCAL_RUNNER_ID) -> StoredAssessment | None:
        """The assessment ``id`` if it belongs to ``runner_id``, else None."""
        query = select(AssessmentRow).where(
            AssessmentRow.id == id, AssessmentRow.runner_id == runner_id
        )
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_record(row)

    def list_assessments(
        self, runner_id: str = LOCAL_RUNNER_ID, limit: int = 50, offset: int = 0
    ) -> list[StoredAssessment]:
        """A page of the runner's assessments, newest first."""
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must not be negative (got {limit}, {offset})")
        query = (
            select(AssessmentRow)
            .where(AssessmentRow.runner_id == runner_id)
            # id breaks ties so that pages never overlap or skip equal timestamps.
            .order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._read_session() as session:
            return [_to_record(row) for row in session.scalars(query)]

    # -- sessions -----------------------------------------------------------------------

    @contextmanager
    def _read_session(self) -> Iterator[Session]:
        with _translated_errors():
            self._verify_schema()
            with self._read_sessions() as session:
                yield session

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back entirely on any error."""
        with _translated_errors():
            self._verify_schema()
            with self._write_sessions() as session, session.begin():
                yield session

    def _verify_schema(self) -> None:
        if self._schema_verified:
            return
        with self._engine.connect() as connection:
            migrate.ensure_at_head(connection)
        self._schema_verified = True


@contextmanager
def _translated_errors() -> Iterator[None]:
    # Callers outside storage cannot import SQLAlchemy, so they could not catch its errors.
    try:
        yield
    except SQLAlchemyError as error:
        raise DatabaseError(f"Database error: {error}") from error


def _ensure_runner_exists(session: Session, runner_id: str) -> None:
    if runner_id == LOCAL_RUNNER_ID:
        # Created on first use. "Insert unless present" in one statement, so two
        # processes saving their first assessment at once cannot collide.
        dialect = session.get_bind().dialect.name
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        session.execute(
            insert(RunnerRow)
            .values(id=LOCAL_RUNNER_ID, name=LOCAL_RUNNER_NAME, created_at=utc_now())
            .on_conflict_do_nothing(index_elements=[RunnerRow.id])
        )
        return
    if not session.scalar(select(exists().where(RunnerRow.id == runner_id))):
        raise UnknownRunner(runner_id)


def _to_record(row: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(
        id=row.id,
        runner_id=row.runner_id,
        created_at=row.created_at,
        assessment=row.input_json,
        report=row.report_json,
        level=row.level,
        top_condition=row.top_condition,
        kb_version=row.kb_version,
        rules_fired=list(row.rules_fired),
    )


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def _require_max_length(value: str, limit: int, name: str) -> None:
    # PostgreSQL enforces VARCHAR lengths and SQLite does not; check here so that both
    # backends accept and refuse the same values.
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters: {value!r}")


def _as_stored_json(value: JsonT, name: str) -> JsonT:
    """``value`` exactly as it will read back from the database (a deep copy).

    Round-tripping through JSON up front refuses what JSON cannot hold (sets, datetimes,
    NaN, which SQLite would store but PostgreSQL rejects) before anything is written,
    and means the record returned by a save equals the one a later get returns (tuples
    become lists, keys become strings) and cannot be changed through the caller's dict.
    """
    try:
        encoded = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name} is not storable as JSON: {error}") from error
    decoded: JsonT = json.loads(encoded)
    return decoded
