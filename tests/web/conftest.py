"""Fixtures for the web pages: the app in process on a migrated SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    service = Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}")
    service.upgrade_database()
    with TestClient(create_app(service)) as test_client:
        yield test_client
    service.close()
