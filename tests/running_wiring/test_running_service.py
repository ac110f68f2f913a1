"""runner.running: the plan started from the end of a real recovery plan (or today), its
targets typed or from the imported runs, and rebuilt from the journal, imports and shoes.
A real SQLite file, a fixed clock, the recovery plan followed day by day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from running_wiring_seed import finish_recovery

from stridewell.errors import Conflict, InvalidInput, NotFound
from stridewell.running import Mode, RunningPlan
from stridewell.service import RunnerServices, Stridewell
from stridewell.service.running import GoalInput, TargetsInput
from stridewell.storage.repository import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TODAY = NOW.astimezone().date()
USUAL = TargetsInput(weekly_km=40, runs_per_week=4, long_run_km=14)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    with Stridewell(f"sqlite:///{(tmp_path / 'sw.db').as_posix()}", clock=lambda: NOW) as sw:
        sw.upgrade_database()
        yield sw


@pytest.fixture
def recovered(service: Stridewell) -> RunnerServices:
    runner = service.local()
    finish_recovery(service, runner, TODAY)
    return runner


def _import_runs(service: Stridewell, runs: list[tuple[date, float]]) -> None:
    """Runs as the import stores them (one activity each, on the morning of its day)."""
    rows = []
    for day, km in runs:
        start = datetime(day.year, day.month, day.day, 7, 0).astimezone(UTC)
        rows.append({
            "source_format": "fit", "sport": "running", "is_indoor": False,
            "start_time": start, "duration_s": km * 360, "moving_time_s": km * 360,
            "distance_m": km * 1000, "source_name": f"{day}.fit",
            "fingerprint": f"running|{start:%Y-%m-%dT%H:%M}|{km}",
        })  # fmt: skip
    with Store(service.database_url) as store:
        store.activities.add_activities("local", rows)  # type: ignore[arg-type]


def _runs(plan: RunningPlan) -> dict[date, float]:
    return {d.day: d.run.km for d in plan.days() if d.run is not None}


def test_the_plan_starts_the_day_after_the_recovery_plan_did_its_job(
    recovered: RunnerServices,
) -> None:
    assert recovered.running.recovery_finished() == TODAY
    plan = recovered.running.start(USUAL)
    assert (plan.mode, plan.start, plan.today) == (Mode.back_to_running, TODAY, TODAY)
    assert plan.targets.weekly_km == 40.0 and plan.targets.method.id == "targets.typed"
    assert plan.targets_week is not None and plan.ending is None
    # Read back from storage and rebuilt: the same plan.
    assert recovered.running.require() == plan


def test_before_the_recovery_plan_is_done_the_running_plan_cannot_start(
    service: Stridewell,
) -> None:
    runner = service.local()
    result = runner.assessments.assess({"locations": ["heel_bottom"], "pain_score": 4})
    runner.plans.start(result.id)
    assert runner.running.recovery_finished() is None
    with pytest.raises(Conflict, match="not finished"):
        runner.running.start(USUAL)
    with pytest.raises(NotFound, match="no running plan yet: start one first"):
        runner.running.require()


def test_targets_come_from_the_runs_before_the_pain_with_the_method_stated(
    service: Stridewell,
) -> None:
    # Eight usual weeks before the recovery plan's assessment: 3 runs, 30 km, long run 12 km.
    first = TODAY - timedelta(days=85)
    weeks_before = [first - timedelta(days=7 * w) for w in range(1, 9)]
    _import_runs(service, [(m + timedelta(days=d), km) for m in weeks_before
                           for d, km in ((1, 9.0), (3, 9.0), (6, 12.0))])  # fmt: skip
    runner = service.local()
    finish_recovery(service, runner, TODAY)
    suggested = runner.running.suggested_targets()
    assert suggested is not None
    assert (suggested.runs_per_week, suggested.weekly_km, suggested.long_run_km) == (3, 30.0, 12.0)
    assert suggested.method.id == "targets.history" and "8 weeks" in suggested.method.text
    plan = runner.running.start()
    assert plan.targets == suggested


def test_without_history_or_typed_targets_the_runner_is_asked_to_type_them(
    recovered: RunnerServices,
) -> None:
    with pytest.raises(InvalidInput, match="type it in"):
        recovered.running.start()


def test_changed_targets_rebuild_the_weeks(recovered: RunnerServices) -> None:
    before = recovered.running.start(USUAL)
    after = recovered.running.change_targets(
        TargetsInput(weekly_km=25, runs_per_week=3, long_run_km=10)
    )
    assert after.targets.weekly_km == 25.0 and after.start == before.start
    assert after.targets_week is not None and before.targets_week is not None
    assert after.targets_week < before.targets_week
    with pytest.raises(InvalidInput, match="long run"):
        recovered.running.change_targets(
            TargetsInput(weekly_km=10, runs_per_week=3, long_run_km=12)
        )


def test_an_imported_run_longer_than_planned_shortens_the_next_runs_and_says_why(
    service: Stridewell, recovered: RunnerServices
) -> None:
    plan = recovered.running.start(USUAL)
    first_run = min(_runs(plan))
    later = Stridewell(service.database_url, clock=lambda: NOW + timedelta(days=3))
    _import_runs(service, [(first_run, 9.0)])
    rebuilt = later.local().running.require()
    assert rebuilt.day_of(first_run) is not None
    assert rebuilt.day_of(first_run).done_km == 9.0  # type: ignore[union-attr]
    why = [r.text for d in rebuilt.days() for r in d.reasons if r.id == "day.longer_than_planned"]
    assert why, "the next runs say they were moved by the longer run"
    later.close()


def test_a_new_warning_sign_in_a_check_in_ends_the_plan_and_points_to_an_assessment(
    recovered: RunnerServices,
) -> None:
    recovered.running.start(USUAL)
    recovered.journal.log_entry(
        {"day": TODAY.isoformat(), "pain_morning": 2, "checkin": {"numbness_tingling": True}}
    )
    plan = recovered.running.require()
    assert plan.ending is not None and plan.ending.next_step == "assessment"
    assert plan.ending.day == TODAY


def test_two_pairs_of_shoes_are_rotated_on_the_planned_runs(recovered: RunnerServices) -> None:
    recovered.shoes.add({"brand": "Acme", "model": "One", "started": date(2026, 1, 1)})
    recovered.shoes.add({"brand": "Acme", "model": "Two", "started": date(2026, 1, 1)})
    plan = recovered.running.start(USUAL)
    pairs = [d.run.shoe.shoe_id for d in plan.days() if d.run and d.run.shoe]
    assert len(set(pairs)) == 2 and pairs[0] != pairs[1]


def test_a_runner_without_pain_starts_today_and_hears_when_a_goal_is_too_soon(
    service: Stridewell,
) -> None:
    runner = service.local()
    plan = runner.running.start(
        TargetsInput(weekly_km=20, runs_per_week=3, long_run_km=8),
        GoalInput(km=21.1, day=TODAY + timedelta(days=21)),
    )
    assert (plan.mode, plan.start) == (Mode.prevention, TODAY)
    assert plan.goal is not None and not plan.goal.reachable
    assert plan.goal.earliest is None or plan.goal.earliest > TODAY + timedelta(days=21)
    with pytest.raises(InvalidInput, match="goal day"):
        runner.running.start(USUAL, GoalInput(km=10, day=TODAY))


def test_the_calendar_and_each_run_as_a_watch_workout(recovered: RunnerServices) -> None:
    import io

    import fitdecode
    import icalendar

    plan = recovered.running.start(USUAL)
    events = icalendar.Calendar.from_ical(recovered.running.ics()).walk("VEVENT")
    assert {e.decoded("dtstart") for e in events} >= set(_runs(plan))
    run_day = min(_runs(plan))
    names = []
    data = recovered.running.workout_fit(run_day)
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                names.append(frame.get_value("wkt_step_name"))
    assert names == ["Warm-up walk", "Easy run", "Cool-down walk"]
    rest_day = next(d.day for d in plan.days() if d.run is None)
    with pytest.raises(NotFound, match="no run planned"):
        recovered.running.workout_fit(rest_day)


def test_a_recovery_plan_started_after_the_running_plan_takes_over_until_it_ends(
    service: Stridewell, recovered: RunnerServices
) -> None:
    recovered.running.start(USUAL)
    later = Stridewell(service.database_url, clock=lambda: NOW + timedelta(hours=2))
    runner = later.local()
    runner.plans.start(runner.assessments.assess({"locations": ["heel_bottom"]}).id)
    assert runner.running.current() is None
    with pytest.raises(Conflict, match="not finished"):
        runner.running.start(USUAL)
    later.close()
