"""Error messages name things in words: check-in fields by their labels, no CLI command
sent to a web or API user. The JSON keeps its structured `field` key for API clients.
In process against a real SQLite database (the app through TestClient, the CLI through
Typer's runner)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewell.cli.main import app
from stridewell.service import Stridewell
from stridewell.text import day_words
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


def _csrf(client: TestClient) -> str:
    client.get("/")
    return client.cookies["sw_csrf"]


def test_the_web_check_in_names_a_bad_score_by_its_label(client: TestClient) -> None:
    page = client.post("/checkin", data={"csrf_token": _csrf(client), "pain": "11"})
    assert page.status_code == 422
    assert "Pain score: must be 10 or less" in page.text
    assert "field 'pain'" not in page.text and "Input should be" not in page.text
    minutes = client.post(
        "/checkin", data={"csrf_token": _csrf(client), "pain": "3", "minutes_run": "lots"}
    )
    assert minutes.status_code == 422
    assert "Minutes run: must be a whole number" in minutes.text
    moment = client.post(
        "/checkin", data={"csrf_token": _csrf(client), "pain": "3", "moment": "bogus"}
    )
    assert moment.status_code == 422
    assert "Moment of the day:" in moment.text and "bogus" not in moment.text


def test_a_future_day_is_named_in_words(client: TestClient) -> None:
    future = date.today() + timedelta(days=40)
    page = client.post(
        "/checkin", data={"csrf_token": _csrf(client), "pain": "3", "day": future.isoformat()}
    )
    assert page.status_code == 422
    assert f"The day: {day_words(future)} is in the future" in page.text
    assert f"{future.isoformat()} is in the future" not in page.text


def test_the_api_keeps_the_field_id_and_words_the_message(client: TestClient) -> None:
    answer = client.post("/api/v1/journal", json={"day": date.today().isoformat(), "pain_rest": 11})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == "pain_rest"
    assert error["message"] == "Pain at rest: must be 10 or less"
    broken = client.post(
        "/api/v1/journal", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 422
    assert broken.json()["error"]["message"] == "the request body is not valid JSON"


def test_the_cli_names_an_unknown_exercise_in_words_and_says_where_the_names_are() -> None:
    done = CliRunner().invoke(app, ["log", "--morning", "2", "--exercise", "x"])
    assert done.exit_code == 2
    assert "Exercises done: no exercise is called 'x'" in done.output
    assert "stridewell exercises --all" in done.output
    assert "field 'exercises_done'" not in done.output
