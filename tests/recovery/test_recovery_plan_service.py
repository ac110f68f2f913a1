"""The recovery plan through the service, the CLI and the REST API (real SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient

from stridewell.errors import NotFound
from stridewell.service import Stridewell
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.repository import Store
from stridewell.web.app import create_app

EARLY_HEEL_PAIN = {
    "age": 38, "pain_score": 4, "locations": ["heel_bottom", "arch"], "onset": "gradual",
    "duration_days": 3, "pain_timing": ["first_steps_morning", "after_run", "eases_with_warmup"],
    "pain_quality": ["sharp"], "history": {"weekly_km_change_pct": 25, "surface": "road"},
}  # fmt: skip


class Clock:
    """A clock the test moves forward, day by day."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def next_day(self) -> None:
        self.now += timedelta(days=1)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


@pytest.fixture
def service(tmp_path: Path, clock: Clock) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{tmp_path / 'plan.db'}", clock=clock)
    sw.upgrade_database()
    yield sw
    sw.close()


def test_no_plan_before_an_assessment(service: Stridewell) -> None:
    with pytest.raises(NotFound, match="assess"):
        service.local().plans.start()
    assert service.local().plans.current() is None


def test_a_plan_starts_from_the_latest_assessment_with_rest_first(service: Stridewell) -> None:
    service.assess(EARLY_HEEL_PAIN)
    plan = service.local().plans.start()
    assert plan.start == service.today()
    assert plan.days[0].phase.value == "protect"
    assert plan.days[0].rule.id
    assert any(t.kind.value == "ice" for t in plan.days[0].tasks)


def test_the_stored_plan_days_follow_the_journal(service: Stridewell, clock: Clock) -> None:
    service.assess(EARLY_HEEL_PAIN)
    plan = service.local().plans.start()
    for _ in range(3):
        service.local().journal.log_entry(
            {"day": service.today().isoformat(), "pain_rest": 1, "pain_morning": 2}
        )
        clock.next_day()
    rebuilt = service.local().plans.current()
    assert rebuilt is not None
    with Store(service.database_url) as store:
        active = store.plans.active_plan(LOCAL_RUNNER_ID)
        assert active is not None
        stored = store.plans.plan_days(active.id, LOCAL_RUNNER_ID)
    assert len(stored) >= len(plan.days[:4])
    assert stored[0].phase == rebuilt.days[0].phase.value


def test_plan_calendar_has_one_event_per_plan_day_with_its_tasks(service: Stridewell) -> None:
    service.assess(EARLY_HEEL_PAIN)
    plan = service.local().plans.start()
    calendar = icalendar.Calendar.from_ical(service.local().plans.ics())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.days)
    assert plan.days[0].tasks[0].text in str(events[0].get("description"))


def test_pain_chart_is_drawn_with_the_phases(
    service: Stridewell, clock: Clock, tmp_path: Path
) -> None:
    service.assess(EARLY_HEEL_PAIN)
    service.local().plans.start()
    for score in (5, 4, 4, 3):
        service.local().journal.log_entry(
            {"day": service.today().isoformat(), "pain_morning": score}
        )
        clock.next_day()
    path = service.local().plans.pain_chart(tmp_path / "pain.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_exercise_adherence_counts_logged_sessions(service: Stridewell, clock: Clock) -> None:
    service.assess(EARLY_HEEL_PAIN)
    service.local().plans.start()
    for _ in range(4):
        clock.next_day()
    today = service.local().plans.exercises_for()
    if not today:
        pytest.skip("the plan prescribes no exercise on day 5")
    task, done = today[0]
    assert not done
    service.local().journal.log_exercise({"day": service.today().isoformat(), "exercise_id": task.exercise_id,
                          "sets_done": 2})  # fmt: skip
    assert dict((t.exercise_id, d) for t, d in service.local().plans.exercises_for())[
        task.exercise_id
    ]
    week = service.local().plans.adherence()[-1]
    assert week["done"] >= 1 and week["prescribed"] >= week["done"]


def test_rest_api_runs_the_recovery_flow(service: Stridewell) -> None:
    with TestClient(create_app(service), headers={"Origin": "http://testserver"}) as client:
        assert client.get("/api/v1/plans/current").status_code == 404
        client.post("/api/v1/assessments", json=EARLY_HEEL_PAIN)
        started = client.post("/api/v1/plans", json={})
        assert started.status_code == 201
        assert started.json()["days"][0]["phase"] == "protect"
        entry = client.post("/api/v1/journal", json={"day": service.today().isoformat(),
                                                     "pain_rest": 2})  # fmt: skip
        assert entry.status_code == 201
        bad = client.post("/api/v1/journal", json={"day": service.today().isoformat(),
                                                   "pain_rest": 12})  # fmt: skip
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "pain_rest"
        future = (service.today() + timedelta(days=2)).isoformat()
        refused = client.post("/api/v1/journal", json={"day": future, "pain_rest": 1})
        assert refused.status_code == 422
        assert len(client.get("/api/v1/journal").json()) == 1
        ics = client.get("/api/v1/plans/current.ics")
        assert ics.headers["content-type"].startswith("text/calendar")
        assert b"BEGIN:VEVENT" in ics.content


def _cli_env(tmp: Path) -> dict[str, Any]:
    import os

    return {**os.environ, "STRIDEWELL_DATA_DIR": str(tmp)}


def test_cli_plan_start_shows_today_and_writes_a_calendar(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    env = _cli_env(tmp_path)
    cli = [sys.executable, "-m", "stridewell.cli.main"]
    subprocess.run([*cli, "assess", "--json", "-"], input=json.dumps(EARLY_HEEL_PAIN),
                   capture_output=True, text=True, env=env, check=True)  # fmt: skip
    done = subprocess.run([*cli, "plan", "--start", "--ics", str(tmp_path / "plan.ics")],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Day 1" in done.stdout and "First days" in done.stdout  # the phase, in words
    assert done.stdout.startswith("Running: ")  # the plan's one running rule comes first
    assert (tmp_path / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert date.today().isoformat() in done.stdout or "today" in done.stdout
