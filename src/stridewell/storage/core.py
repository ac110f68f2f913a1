"""What every repository needs: engine, sessions, schema check, error mapping.

``Store`` (in ``repository``) is a ``StoreCore`` that holds one ``Repository`` per area
(``assessment_repo``, ``journal_repo``, ``plan_repo``, ``exercise_repo``,
``activity_repo``, ``import_files_repo``, ``shoe_repo``, ``account_repo``), all sharing
its connection pool; none of them knows about the others (``activity_repo`` only
borrows ``import_files_repo``'s row helpers, to record files in the transaction of
their activities).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from types import TracebackType
from typing import Literal, Self, TypeVar, cast

from sqlalchemy import bindparam, exists, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from stridewell.storage.config import normalise_database_url, resolve_database_url
from stridewell.storage.db import WRITE_TRANSACTION, make_engine
from stridewell.storage.errors import DatabaseError, UnknownRunner
from stridewell.storage.models import RunnerRow, RunnerVersionRow, utc_now
from stridewell.storage.records import LOCAL_RUNNER_ID, LOCAL_RUNNER_NAME
from stridewell.storage.runner_cache import RunnerCache, cache_size
from stridewell.storage.schema_version import HEAD_REVISION

T = TypeVar("T")
# What a kept answer is made from: all of a runner's data, or their training data only.
Area = Literal["all", "training"]


class SharedReads:
    """One read session for every read of one web request, instead of one per query.

    Each query of a page used to check a connection out of the pool (a ping), run, and
    roll back: three round trips for one. Within a ``shared_reads()`` scope the reads of
    the request share one session, opened at the first read and closed by ``close()``.
    A write (always in its own session) marks it stale, so that the next read starts a
    new transaction and sees what was written. Reads from another thread while one is
    using it, and reads of another store, get their own session as before.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: Session | None = None
        self._core: StoreCore | None = None
        self._owner: int | None = None
        self._depth = 0
        self._stale = False
        # Answers worked out from this request's reads (see ``Backend.memo``).
        self.memo: dict[Hashable, object] = {}

    @contextmanager
    def session_for(self, core: StoreCore) -> Iterator[Session | None]:
        """The shared session (None: use a session of your own)."""
        me = threading.get_ident()
        with self._lock:
            usable = (self._core is None or self._core is core) and self._owner in (None, me)
            if usable:
                if self._depth == 0 and self._stale and self._session is not None:
                    self._session.close()  # ends the transaction: fresh reads after a write
                    self._session = None
                self._stale = False
                if self._session is None:
                    self._session = core._read_sessions()
                    self._core = core
                self._owner, self._depth = me, self._depth + 1
        if not usable:
            yield None
            return
        try:
            yield self._session
        except BaseException:
            self._stale = True  # a failed statement may have spoiled the transaction
            raise
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None

    def wrote(self) -> None:
        self._stale = True
        self.memo.clear()

    @property
    def opened(self) -> bool:
        return self._session is not None

    def close(self) -> None:
        """End the shared transaction and give its connection back (a round trip)."""
        with self._lock:
            session, self._session, self._core = self._session, None, None
        if session is not None:
            with translated_errors():
                session.close()


_SHARED_READS: ContextVar[SharedReads | None] = ContextVar("stridewell_shared_reads", default=None)


def current_shared_reads() -> SharedReads | None:
    """The scope of the running request, if it has one."""
    return _SHARED_READS.get()


@contextmanager
def shared_reads() -> Iterator[SharedReads]:
    """Share one read session among the reads made in this context (and the threads it
    hands work to); the caller ``close()``s the returned scope when the work is done."""
    scope = SharedReads()
    token = _SHARED_READS.set(scope)
    try:
        yield scope
    finally:
        _SHARED_READS.reset(token)


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
        self.runner_cache = RunnerCache(cache_size())

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
            scope = _SHARED_READS.get()
            if scope is not None:
                with scope.session_for(self) as shared:
                    if shared is not None:
                        yield shared
                        return
            with self._read_sessions() as session:
                yield session

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back entirely on any error."""
        with translated_errors():
            self._verify_schema()
            scope = _SHARED_READS.get()
            if scope is not None:
                scope.wrote()
            with self._write_sessions() as session, session.begin():
                yield session

    # -- answers kept per runner (storage.runner_cache) ---------------------------------

    def once_per_request(self, key: Hashable, read: Callable[[], T]) -> T:
        """``read()``, asked once per web request (``SharedReads``): for a read several
        services of one page make. Forgotten at any write; outside a request, read each
        time. The answer must not be changed by its callers (records are frozen)."""
        scope = _SHARED_READS.get()
        if scope is None:
            return read()
        key = (id(self), key)
        if key not in scope.memo:
            scope.memo[key] = read()
        return cast(T, scope.memo[key])

    def runner_version(self, runner_id: str, area: Area = "all") -> int | None:
        """The version of the runner's data, or of their training data only (None: no
        such runner); both are read in one query, once per request."""

        def read() -> tuple[int, int] | None:
            with self._read_session() as session:
                row = session.execute(_VERSIONS, {"runner_id": runner_id}).one_or_none()
                return None if row is None else (row[0], row[1])

        versions = self.once_per_request(("data versions", runner_id), read)
        if versions is None:
            return None
        return versions[1] if area == "training" else versions[0]

    def remember_versions(self, runner_id: str, versions: tuple[int, int]) -> None:
        """The runner's (data, training) versions, read along with something else in
        this request: ``runner_version`` answers from them without a query."""
        scope = _SHARED_READS.get()
        if scope is not None:
            scope.memo.setdefault((id(self), ("data versions", runner_id)), versions)

    def cached_for_runner(
        self, runner_id: str, key: Hashable, make: Callable[[], T], *, area: Area = "all"
    ) -> T:
        """``make()``'s answer from the runner's rows, kept by this process until the
        runner's data version moves on; in a web request only (elsewhere made each time).
        ``key`` names the question with everything else its answer depends on (the day,
        a limit). ``area="training"``: the answer is made from the training data alone
        (runs, shoes and their files) and outlives changes of the rest (a check-in).
        The answer is shared: frozen records, or copied by the caller."""
        if _SHARED_READS.get() is None:
            return make()
        version = self.runner_version(runner_id, area)
        if version is None:
            return make()
        return self.runner_cache.get_or_make((runner_id, area), version, key, make)

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

    def _once_per_request(self, key: Hashable, read: Callable[[], T]) -> T:
        """``read()``, asked once per web request (see ``StoreCore.once_per_request``)."""
        return self._core.once_per_request(key, read)


_VERSIONS = select(RunnerVersionRow.data_version, RunnerVersionRow.training_version).where(
    RunnerVersionRow.runner_id == bindparam("runner_id")
)


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
        # Looked up first: the insert below waits for any open transaction that changed
        # the runner's row (a running import moves its data version at every chunk).
        if session.scalar(select(exists().where(RunnerRow.id == runner_id))):
            return
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
