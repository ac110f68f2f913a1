"""The running plan in the web app and the API: from the end of a recovery plan ("Back to
your running" on Today) into the plan's page, the targets form, the calendar and the
watch workouts. The app in process on a real SQLite file, with a fixed clock."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import fitdecode
import icalendar
import pytest
from fastapi.testclient import TestClient
from running_wiring_seed import finish_recovery

from stridewell.service import Stridewell
from stridewell.web.app import create_app

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TODAY = NOW.astimezone().date()
USUAL = {"weekly_km": 40, "runs_per_week": 4, "long_run_km": 14}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    with Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}", clock=lambda: NOW) as sw:
        sw.upgrade_database()
        yield sw


@pytest.fixture
def client(service: Stridewell) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as test_client:
        test_client.get("/")  # the CSRF cookie
        yield test_client


@pytest.fixture
def recovered(service: Stridewell) -> Stridewell:
    finish_recovery(service, service.local(), TODAY)
    return service


def _token(client: TestClient) -> str:
    return client.cookies.get("sw_csrf") or ""


def _api(client: TestClient, method: str, url: str, body: dict[str, Any]) -> Any:
    return client.request(method, url, json=body, headers={"x-csrf-token": _token(client)})


def _form(client: TestClient, url: str, data: dict[str, object]) -> Any:
    return client.post(url, data={"csrf_token": _token(client), **data}, follow_redirects=False)


def test_today_at_the_end_of_the_recovery_plan_offers_back_to_your_running(
    client: TestClient, recovered: Stridewell
) -> None:
    today = client.get("/today").text
    assert "Your recovery plan has done its job" in today
    assert "Back to your running" in today and 'href="/running#start"' in today
    page = client.get("/running").text
    assert "Back to your running" in page and 'name="weekly_km"' in page


def test_starting_from_the_form_shows_this_week_and_next_with_the_reasons(
    client: TestClient, recovered: Stridewell
) -> None:
    started = _form(client, "/running/start", USUAL)
    assert started.status_code == 303 and started.headers["location"].startswith("/running")
    page = client.get("/running").text
    assert "Week 1 (this week)" in page and "Week 2 (next week)" in page
    assert "Easy run of" in page and "First week: up to" in page  # the run, the week's why
    assert re.search(r"up to [\d.]+ km in 3 runs", page)
    assert "110 %" in page  # the single-run rule, stated
    assert "/api/v1/running-plan/workouts/" in page and "/api/v1/running-plan.ics" in page
    today = client.get("/today").text
    assert "Your running this week" in today and "Easy run of" in today


def test_the_targets_form_changes_the_plan(client: TestClient, recovered: Stridewell) -> None:
    _form(client, "/running/start", USUAL)
    changed = _form(client, "/running/targets", {"weekly_km": 25, "runs_per_week": 3,
                                                 "long_run_km": 10})  # fmt: skip
    assert changed.status_code == 303
    assert "3 runs and 25.0 km a week" in client.get("/running").text


def test_the_api_starts_reads_and_changes_the_plan(
    client: TestClient, recovered: Stridewell
) -> None:
    assert client.get("/api/v1/running-plan").status_code == 404
    status = client.get("/api/v1/running-plan/status").json()
    assert status == {"has_plan": False, "recovery_finished": TODAY.isoformat(),
                      "suggested_targets": None}  # fmt: skip
    started = _api(client, "POST", "/api/v1/running-plan", {"targets": USUAL})
    assert started.status_code == 201, started.text
    plan = started.json()
    assert plan["mode"] == "back_to_running" and plan["start"] == TODAY.isoformat()
    assert plan["weeks"][0]["days"][0]["day"] == TODAY.isoformat()
    assert client.get("/api/v1/running-plan").json() == plan
    changed = _api(client, "PUT", "/api/v1/running-plan/targets",
                   {"weekly_km": 30, "runs_per_week": 3, "long_run_km": 12})  # fmt: skip
    assert changed.status_code == 200 and changed.json()["targets"]["weekly_km"] == 30.0
    bad = _api(client, "PUT", "/api/v1/running-plan/targets",
               {"weekly_km": 10, "runs_per_week": 3, "long_run_km": 12})  # fmt: skip
    assert bad.status_code == 422


def test_the_api_refuses_a_start_before_the_recovery_plan_is_done(
    client: TestClient, service: Stridewell
) -> None:
    runner = service.local()
    runner.plans.start(runner.assessments.assess({"locations": ["heel_bottom"]}).id)
    refused = _api(client, "POST", "/api/v1/running-plan", {"targets": USUAL})
    assert refused.status_code == 409
    assert "still going" in client.get("/running").text


def test_a_runner_without_pain_gets_a_plan_from_today_with_a_goal_check(
    client: TestClient, service: Stridewell
) -> None:
    goal = {"km": 21.1, "day": (TODAY + timedelta(days=20)).isoformat()}
    started = _api(client, "POST", "/api/v1/running-plan",
                   {"targets": {"weekly_km": 20, "runs_per_week": 3, "long_run_km": 8},
                    "goal": goal})  # fmt: skip
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["mode"] == "prevention" and body["goal"]["reachable"] is False
    assert body["goal"]["reason"]["text"] in client.get("/running").text


def test_the_calendar_and_the_watch_workout_download(
    client: TestClient, recovered: Stridewell
) -> None:
    plan = _api(client, "POST", "/api/v1/running-plan", {"targets": USUAL}).json()
    run_days = [date.fromisoformat(d["day"]) for w in plan["weeks"] for d in w["days"] if d["run"]]
    ics = client.get("/api/v1/running-plan.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert set(run_days) <= {e.decoded("dtstart") for e in events}
    fit = client.get(f"/api/v1/running-plan/workouts/{run_days[0].isoformat()}.fit")
    assert fit.status_code == 200 and fit.headers["content-type"] == "application/vnd.ant.fit"
    with fitdecode.FitReader(io.BytesIO(fit.content), check_crc=fitdecode.CrcCheck.RAISE) as r:
        kinds = [f.name for f in r if isinstance(f, fitdecode.FitDataMessage)]
    assert kinds.count("workout_step") == 3 and "workout" in kinds
    assert client.get(f"/api/v1/running-plan/workouts/{TODAY.isoformat()}.fit").status_code == 404


def test_a_runner_without_pain_starts_from_the_form_with_a_goal(
    client: TestClient, service: Stridewell
) -> None:
    page = client.get("/running").text
    assert "Start my running plan" in page and 'name="goal_km"' in page
    half = _form(client, "/running/start", {**USUAL, "goal_km": 10})
    assert half.status_code == 422
    goal_day = (TODAY + timedelta(days=120)).isoformat()
    started = _form(client, "/running/start", {**USUAL, "goal_km": 10, "goal_date": goal_day})
    assert started.status_code == 303
    page = client.get("/running").text
    assert "Your goal:" in page and "Week 1 (this week)" in page


def test_a_new_warning_sign_stops_the_plan_on_the_page_and_points_to_an_assessment(
    client: TestClient, recovered: Stridewell
) -> None:
    _form(client, "/running/start", USUAL)
    recovered.local().journal.log_entry(
        {"day": TODAY.isoformat(), "pain_morning": 2, "checkin": {"numbness_tingling": True}}
    )
    page = client.get("/running").text
    assert "The plan has stopped" in page and 'href="/assess"' in page


def test_with_the_running_plan_on_today_shows_its_week_instead_of_the_recovery_days(
    client: TestClient, recovered: Stridewell
) -> None:
    before = client.get("/today").text
    assert "The days ahead" in before
    _form(client, "/running/start", USUAL)
    today = client.get("/today").text
    assert "Your running this week" in today and "The days ahead" not in today
    assert "How is your foot?" in today  # the check-ins still gate the running plan
