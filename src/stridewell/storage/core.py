"""What every repository needs: engine, sessions, schema check, error mapping.

``Store`` (in ``repository``) is a ``StoreCore`` that holds one ``Repository`` per area
(``assessment_repo``, ``journal_repo``, ``plan_repo``, ``exercise_repo``,
``activity_repo``, ``import_files_repo``, ``shoe_repo``, ``account_repo``), all sharing
its connection pool; none of them knows about the others (``activity_repo`` only
borrows ``import_files_repo``'s row helpers, to record files in the transaction of
their activities).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from types import TracebackType
from typing import Self

from sqlalchemy import exists, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from stridewell.storage.config import normalise_database_url, resolve_database_url
from stridewell.storage.db import WRITE_TRANSACTION, make_engine
from stridewell.storage.errors import DatabaseError, UnknownRunner
from stridewell.storage.models import RunnerRow, utc_now
from stridewell.storage.records import LOCAL_RUNNER_ID, LOCAL_RUNNER_NAME
from stridewell.storage.schema_version import HEAD_REVISION


class StoreCore:
    """Connection handling shared by every part of the ``Store``.

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
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
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
        with translated_errors():
            from stridewell.storage import migrate

            migrate.upgrade_to_head(self._engine)
        self._schema_verified = True

    def current_revision(self) -> str | None:
        """The schema revision of the database, or None if it was never migrated."""
        with translated_errors(), self._engine.connect() as connection:
            from stridewell.storage import migrate

            return migrate.current_revision(connection)

    # -- sessions -----------------------------------------------------------------------

    @contextmanager
    def _read_session(self) -> Iterator[Session]:
        with translated_errors():
            self._verify_schema()
            with self._read_sessions() as session:
                yield session

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back entirely on any error."""
        with translated_errors():
            self._verify_schema()
            with self._write_sessions() as session, session.begin():
                yield session

    def _verify_schema(self) -> None:
        if self._schema_verified:
            return
        with self._engine.connect() as connection:
            if _stamped_revision(connection) != HEAD_REVISION:
                from stridewell.storage import migrate  # slow import: only off the happy path

                migrate.ensure_at_head(connection)
        self._schema_verified = True


class Repository:
    """One area's queries over the shared connection pool of a ``StoreCore``."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    def _read_session(self) -> AbstractContextManager[Session]:
        return self._core._read_session()

    def _write_session(self) -> AbstractContextManager[Session]:
        """A session whose work commits on success and rolls back entirely on any error."""
        return self._core._write_session()


def _stamped_revision(connection: Connection) -> str | None:
    """The revision in Alembic's version table, or None if there is no such table."""
    try:
        with connection.begin_nested() if connection.in_transaction() else connection.begin():
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except SQLAlchemyError:
        return None
    return str(row[0]) if row else None


@contextmanager
def translated_errors() -> Iterator[None]:
    # Callers outside storage cannot import SQLAlchemy, so they could not catch its errors.
    try:
        yield
    except SQLAlchemyError as error:
        raise DatabaseError(f"Database error: {error}") from error


def ensure_runner_exists(session: Session, runner_id: str, *, now: datetime | None = None) -> None:
    """Raise ``UnknownRunner`` unless the runner exists; the local runner is created
    (stamped ``now``: the caller's clock where it has one)."""
    if runner_id == LOCAL_RUNNER_ID:
        # Created on first use. "Insert unless present" in one statement, so two
        # processes saving their first record at once cannot collide.
        dialect = session.get_bind().dialect.name
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        session.execute(
            insert(RunnerRow)
            .values(id=LOCAL_RUNNER_ID, name=LOCAL_RUNNER_NAME, created_at=now or utc_now())
            .on_conflict_do_nothing(index_elements=[RunnerRow.id])
        )
        return
    if not session.scalar(select(exists().where(RunnerRow.id == runner_id))):
        raise UnknownRunner(runner_id)


def lock_runner(session: Session, runner_id: str) -> None:
    """Like ``ensure_runner_exists``, and serialise this transaction with others that lock
    the same runner until it ends.

    For writes whose correctness depends on what the runner already has (one active plan).
    PostgreSQL takes a row lock (FOR NO KEY UPDATE: inserts of the runner's other rows,
    which only need FOR KEY SHARE, are not blocked); on SQLite, write transactions
    already hold the database's write lock from BEGIN IMMEDIATE and FOR UPDATE is omitted.
    """
    ensure_runner_exists(session, runner_id)
    session.execute(
        select(RunnerRow.id).where(RunnerRow.id == runner_id).with_for_update(key_share=True)
    )
