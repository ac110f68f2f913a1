"""Fixtures for the web pages: the app in process on a migrated SQLite file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import Clock

from pg_schemas import postgres_schema_url
from stridewell.service import Stridewell
from stridewell.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    service = Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}")
    service.upgrade_database()
    with TestClient(create_app(service)) as test_client:
        yield test_client
    service.close()


# A service on SQLite and on PostgreSQL with a clock the test can move (the security
# tests); a module with a `service` fixture of its own uses that one instead.
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'web.db').as_posix()}"
        return
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(database_url: str, clock: Clock) -> Iterator[Stridewell]:
    sw = Stridewell(database_url, clock=clock)
    sw.upgrade_database()
    yield sw
    sw.close()


@pytest.fixture
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own time zone set to UTC for the test (and put back after)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
