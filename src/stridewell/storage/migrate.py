"""Running the Alembic migrations from code.

The application never needs alembic.ini: the configuration is built here, pointing at
the ``migrations`` folder inside the package, so migrations work the same from a source
checkout, an installed wheel, the CLI (``stridewell db upgrade``) and the tests.

Adding a schema change: edit ``models.py``, then run
``python -m stridewell.storage.migrate revision "add plans"``; it autogenerates the
next numbered script (0002_add_plans.py, ...) for you to review and `ruff format`.
"""

from __future__ import annotations

import argparse
import functools
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.engine import Connection

from stridewell.storage.db import WRITE_TRANSACTION, is_sqlite, make_engine
from stridewell.storage.errors import (
    DatabaseError,
    DatabaseNotInitialised,
    StorageError,
    UnknownSchemaRevision,
)
from stridewell.storage.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any fixed 64-bit number will do; it only has to be the same for every Stridewell
# process that may migrate the same PostgreSQL database at once.
POSTGRES_MIGRATION_LOCK_KEY = 0x5354524944455745  # "STRIDEWE"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for Stridewell's migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Numbered file names (0002_add_plans.py); "%%" because the value goes through
    # ConfigParser interpolation.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows, i.e. the schema the models describe."""
    heads = _script_directory().get_heads()
    if len(heads) != 1:
        raise StorageError(f"The migration history must have exactly one head, found {heads}.")
    return heads[0]


def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _script_directory().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def ensure_at_head(connection: Connection) -> None:
    """Refuse to work on a database whose schema is not the one the models describe."""
    current = current_revision(connection)
    expected = head_revision()
    if current == expected:
        return
    if current is None or current in known_revisions():
        raise DatabaseNotInitialised(current, expected)
    raise UnknownSchemaRevision(current)


def upgrade_to_head(engine: Engine) -> None:
    """Apply every pending migration in one transaction; a no-op when already at head."""
    upgrade_to(engine, "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Apply the migrations up to ``revision`` in one transaction (tests start from old ones)."""
    with engine.connect() as connection:
        sqlite = is_sqlite(connection)
        if sqlite:
            # SQLite batch migrations rebuild a table by dropping the old copy; with
            # foreign keys on, that DROP would cascade and delete the children's rows.
            # The pragma is ignored inside a transaction, hence before BEGIN.
            _set_sqlite_foreign_keys(connection, enabled=False)
        try:
            connection.execution_options(**{WRITE_TRANSACTION: True})
            with connection.begin():
                if not sqlite:
                    # Two processes starting at once must not both create the tables.
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": POSTGRES_MIGRATION_LOCK_KEY},
                    )
                command.upgrade(alembic_config(connection), revision)
                if sqlite:
                    _check_sqlite_foreign_keys(connection)
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(connection, enabled=True)


def _set_sqlite_foreign_keys(connection: Connection, *, enabled: bool) -> None:
    # Straight to the driver: going through SQLAlchemy would BEGIN a transaction first.
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None, "an open connection has a driver connection"
    driver_connection.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if violations:
        raise DatabaseError(f"Migration left rows with dangling foreign keys: {violations[:5]}")


def schema_differences(connection: Connection, metadata: MetaData = Base.metadata) -> list[Any]:
    """What autogenerate would change to make the database match the models ([] if none)."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def create_revision(message: str) -> str:
    """Autogenerate the next numbered migration from the difference models vs. head.

    The comparison runs against a scratch SQLite database migrated to head, so no real
    database is needed and the result does not depend on the developer's data.
    """
    next_id = f"{int(head_revision()) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch_dir:
        engine = make_engine(f"sqlite:///{Path(scratch_dir) / 'scratch.db'}")
        try:
            upgrade_to_head(engine)
            with engine.connect() as connection:
                command.revision(
                    alembic_config(connection), message=message, autogenerate=True, rev_id=next_id
                )
        finally:
            engine.dispose()
    _script_directory.cache_clear()
    return next_id


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m stridewell.storage.migrate")
    commands = parser.add_subparsers(dest="command", required=True)
    revision = commands.add_parser("revision", help="autogenerate the next migration")
    revision.add_argument("message", help='what changes, e.g. "add plans"')
    arguments = parser.parse_args(argv)
    if arguments.command == "revision":
        print(f"Created revision {create_revision(arguments.message)} in {MIGRATIONS_DIR}")


if __name__ == "__main__":
    main()
