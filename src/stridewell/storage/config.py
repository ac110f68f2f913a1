"""Where the database lives.

Deliberately free of SQLAlchemy (and of platformdirs until it is needed) so that the
CLI can report or validate its configuration without importing the database stack.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DATABASE_URL_VARIABLE = "STRIDEWELL_DATABASE_URL"
DATA_DIR_VARIABLE = "STRIDEWELL_DATA_DIR"
SQLITE_FILE_NAME = "stridewell.db"
APP_NAME = "stridewell"

# Bare PostgreSQL schemes would make SQLAlchemy pick psycopg2, which we do not ship;
# "postgres://" is what Heroku-style hosts hand out and SQLAlchemy rejects it outright.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://")
_POSTGRES_DRIVER_SCHEME = "postgresql+psycopg://"


def normalise_database_url(url: str) -> str:
    """Point bare PostgreSQL URLs at the psycopg 3 driver; leave anything else alone."""
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return _POSTGRES_DRIVER_SCHEME + url.removeprefix(scheme)
    return url


def default_data_dir() -> Path:
    """The per-user data folder of the platform (e.g. ~/.local/share/stridewell)."""
    import platformdirs  # deferred: only needed when no folder is configured

    return Path(platformdirs.user_data_dir(APP_NAME))


def resolve_database_url(env: Mapping[str, str] | None = None) -> str:
    """The database URL to use, from the environment (``os.environ`` by default).

    ``STRIDEWELL_DATABASE_URL`` wins. Otherwise a SQLite file ``stridewell.db`` in
    ``STRIDEWELL_DATA_DIR`` or, failing that, the platform's user data folder; the
    folder is created so that SQLite can create the file in it.
    """
    environ = os.environ if env is None else env
    explicit_url = environ.get(DATABASE_URL_VARIABLE, "").strip()
    if explicit_url:
        return normalise_database_url(explicit_url)

    configured_dir = environ.get(DATA_DIR_VARIABLE, "").strip()
    data_dir = Path(configured_dir).expanduser() if configured_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / SQLITE_FILE_NAME).resolve().as_posix()}"
