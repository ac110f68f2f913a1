"""Alembic environment for Stridewell.

There is no alembic.ini: ``stridewell.storage.migrate`` builds the configuration in code
and hands over an open connection in ``config.attributes["connection"]``, so that the
caller owns the transaction (and its locks). Without one (offline SQL rendering, or a
developer running alembic by hand) the URL comes from ``sqlalchemy.url`` or the
environment, like the application itself.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON
from sqlalchemy.engine import Connection

from stridewell.storage.config import resolve_database_url
from stridewell.storage.db import UTCDateTime, make_engine
from stridewell.storage.models import Base

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must keep working after the application code moves on, so they spell
    # out plain SQLAlchemy types instead of importing Stridewell's own.
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON) and "postgresql" in obj._variant_mapping:
        # Alembic's own rendering of JSONB emits a bare, unimported ``Text()``.
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')"
    return False


def configured_url() -> str:
    return config.get_main_option("sqlalchemy.url") or resolve_database_url()


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    # Inside a caller's transaction this is a no-op, and the caller commits.
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = make_engine(configured_url())
    try:
        with engine.connect() as new_connection:
            run_migrations(new_connection)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    url = configured_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
