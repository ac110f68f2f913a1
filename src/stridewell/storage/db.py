"""Engine construction and the column types shared by the models.

SQLite is the local-first default and PostgreSQL the server option; this module hides
their differences (connection pragmas, transaction control, timezone handling) so that
the models and the repository can be written once for both.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Engine, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

from stridewell.storage.config import normalise_database_url

SQLITE_BUSY_TIMEOUT_MS = 5000

# Execution option a caller sets (on an engine or connection) when its transaction
# will write. On SQLite it turns the BEGIN into BEGIN IMMEDIATE; see _begin_sqlite.
WRITE_TRANSACTION = "stridewell_write_transaction"

# JSON everywhere, stored as JSONB on PostgreSQL so it can be indexed and queried later.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def make_engine(url: str) -> Engine:
    """An engine for ``url``, configured for Stridewell's needs on SQLite or PostgreSQL."""
    url = normalise_database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    # pre-ping: a long-running local server must survive PostgreSQL restarts. A request
    # holds one connection while it reads (storage.core.SharedReads): the pool allows as
    # many as the web server's 40 threads, keeping 10 open between bursts.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)


def _configure_sqlite_connection(
    dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry
) -> None:
    # sqlite3's legacy transaction control never BEGINs before SELECT or DDL, which
    # breaks atomic migrations and repeatable reads; we emit BEGIN ourselves instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets the web server read while the CLI writes; foreign keys are off by
        # default in SQLite and ON DELETE CASCADE depends on them; busy_timeout makes a
        # second writer wait instead of failing at once; NORMAL is durable enough in WAL.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for a concurrent
    # writer: SQLite fails it with "database is locked" regardless of busy_timeout.
    # Taking the write lock up front (IMMEDIATE) makes writers queue politely instead.
    if connection.get_execution_options().get(WRITE_TRANSACTION, False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def is_sqlite(engine_or_connection: Engine | Connection) -> bool:
    return engine_or_connection.dialect.name == "sqlite"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (UTC).

    PostgreSQL keeps the offset (``timestamptz``) but returns values in the session's
    time zone; SQLite stores text and drops the offset. Normalising to UTC on the way in
    and re-attaching UTC on the way out gives identical behaviour on both. Naive values
    are refused because their meaning (local time? UTC?) cannot be known.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (attach a time zone): {value.isoformat()}")
        utc_value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite's DATETIME storage is offset-free text; storing UTC keeps it sortable.
            return utc_value.replace(tzinfo=None)
        return utc_value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
