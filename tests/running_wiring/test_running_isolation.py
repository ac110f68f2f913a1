"""Signed in as one runner, another runner's running plan is out of reach: the API and the
page show only one's own plan, and another's workouts read as missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.service.running import TargetsInput
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def club(tmp_path: Path) -> Iterator[tuple[Stridewell, TestClient, str]]:
    with Stridewell(f"sqlite:///{(tmp_path / 'club.db').as_posix()}") as service:
        service.upgrade_database()
        alice = service.accounts.register("alice@example.org", PASSWORD, "Alice")
        service.accounts.register("bob@example.org", PASSWORD, "Bob")
        service.for_runner(alice.runner_id).running.start(
            TargetsInput(weekly_km=33.3, runs_per_week=3, long_run_km=11.1)
        )
        with TestClient(create_app(service, multi_user=True), follow_redirects=False) as bob:
            bob.get("/login")
            token = bob.cookies["sw_csrf"]
            signed_in = bob.post("/login", data={"email": "bob@example.org",
                                                 "password": PASSWORD, "csrf_token": token})  # fmt: skip
            assert signed_in.status_code == 303
            yield service, bob, alice.runner_id


def test_another_runners_running_plan_is_out_of_reach(
    club: tuple[Stridewell, TestClient, str],
) -> None:
    service, bob, alice_id = club
    alice_plan = service.for_runner(alice_id).running.require()
    run_day = next(d.day for d in alice_plan.days() if d.run is not None)
    assert bob.get("/api/v1/running-plan").status_code == 404
    assert bob.get(f"/api/v1/running-plan/workouts/{run_day.isoformat()}.fit").status_code == 404
    assert bob.get("/api/v1/running-plan.ics").status_code == 404
    page = bob.get("/running")
    assert page.status_code == 200 and "33.3" not in page.text
    # Bob's own plan changes nothing of Alice's.
    changed = bob.put("/api/v1/running-plan/targets", headers={"x-csrf-token": bob.cookies["sw_csrf"]},
                      json={"weekly_km": 20, "runs_per_week": 3, "long_run_km": 8})  # fmt: skip
    assert changed.status_code == 404
    assert service.for_runner(alice_id).running.require().targets.weekly_km == 33.3
    assert alice_plan.start == service.today()
