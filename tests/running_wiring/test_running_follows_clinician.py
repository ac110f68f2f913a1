"""A clinician's running restriction steers the running plan as it steers the recovery plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from stridewell.service import Stridewell
from stridewell.service.running import TargetsInput

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
USUAL = TargetsInput(weekly_km=30, runs_per_week=3, long_run_km=12)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{tmp_path / 'sw.db'}", clock=lambda: NOW)
    sw.upgrade_database()
    yield sw
    sw.close()


def _club(service: Stridewell) -> tuple[str, str]:
    runner = service.accounts.register("ann@example.org", PASSWORD, "Ann").runner_id
    coach = service.accounts.register("cora@example.org", PASSWORD, "Dr Cora", role="coach")
    ann = service.for_runner(runner)
    service.for_runner(coach.runner_id).sharing.accept_invite(ann.sharing.invite_coach())
    ann.running.start(USUAL)
    return runner, coach.runner_id


def test_no_running_until_a_day_moves_the_first_run_to_that_day(service: Stridewell) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    before = ann.running.require()
    assert min(d.day for d in before.days() if d.run is not None) < service.today() + timedelta(9)
    until = service.today() + timedelta(10)
    service.for_runner(coach).clinician.record_for(
        runner, condition="plantar_fasciitis", restriction="no_running", until=until
    )
    plan = ann.running.require()
    runs = [d.day for d in plan.days() if d.run is not None]
    assert runs and min(runs) >= until
    assert any("Dr Cora" in n.text and "no running" in n.text for n in plan.notes)


def test_reduced_running_builds_up_to_half_the_usual_week(service: Stridewell) -> None:
    runner, coach = _club(service)
    ann = service.for_runner(runner)
    service.for_runner(coach).clinician.record_for(
        runner, condition="plantar_fasciitis", restriction="reduced"
    )
    plan = ann.running.require()
    reduced = plan.restricted_targets
    assert reduced is not None and (reduced.weekly_km, reduced.long_run_km) == (15.0, 6.0)
    assert all(w.planned_km <= 15.0 + 1e-9 for w in plan.weeks)
    assert "reduced running" in reduced.method.text
