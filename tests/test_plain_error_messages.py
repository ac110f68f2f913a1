"""Error messages name things in words: check-in fields by their labels, no CLI command
sent to a web or API user. The JSON keeps its structured `field` key for API clients.
In process against a real SQLite database (the app through TestClient, the CLI through
Typer's runner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    service = Stridewell(f"sqlite:///{tmp_path / 'api.db'}")
    service.upgrade_database()
    with TestClient(create_app(service), headers={"Origin": "http://testserver"}) as test_client:
        yield test_client
    service.close()


def test_the_api_says_there_is_no_running_plan_without_naming_a_cli_command(
    client: TestClient,
) -> None:
    answer = client.get("/api/v1/running-plan")
    assert answer.status_code == 404
    message = answer.json()["error"]["message"]
    assert "no running plan yet" in message and "stridewell" not in message
