"""Plans and plan days on both backends: round trips, one active plan, atomic rebuilds."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from stridewell.storage import (
    LOCAL_RUNNER_ID,
    PLAN_ACTIVE,
    PLAN_ENDED,
    Store,
    StoredAssessment,
    StoredPlan,
    StoredPlanDay,
    UnknownAssessment,
    UnknownRunner,
)

RowCount = Callable[[str], int]
SaveAssessment = Callable[..., StoredAssessment]
FailingStatement = Callable[[str], AbstractContextManager[None]]
PausedStatement = Callable[[str], AbstractContextManager[Any]]

ME = LOCAL_RUNNER_ID
START = date(2026, 11, 2)
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
REPORT = {"triage": {"level": "self_care"}, "conditions": [{"id": "plantar_fasciitis"}]}


def create(store: Store, runner_id: str = ME, **overrides: Any) -> StoredPlan:
    fields: dict[str, Any] = {
        "runner_id": runner_id,
        "assessment_id": None,
        "start_date": START,
        "created_at": T0,
        "kb_version": "2026.11",
        "report": REPORT,
    }
    return store.plans.create_plan(**(fields | overrides))


def plan_day(number: int, phase: str = "protect", rule_id: str = "phase.protect") -> dict[str, Any]:
    """Day ``number`` (1-based) of a plan starting on START, as the plan builder hands it over."""
    return {
        "day": START + timedelta(days=number - 1),
        "day_number": number,
        "phase": phase,
        "rule_id": rule_id,
        "data": {"tasks": [{"id": "ice", "minutes": 15}], "why": f"day {number}: ✓ Ünïcödé"},
    }


def as_records(plan_id: str, days: list[dict[str, Any]]) -> list[StoredPlanDay]:
    return [StoredPlanDay(plan_id=plan_id, **day) for day in days]


def test_plan_round_trips_and_is_the_active_one(
    store: Store, save_assessment: SaveAssessment
) -> None:
    assessment = save_assessment()
    kathmandu = timezone(timedelta(hours=5, minutes=45))

    plan = create(store, assessment_id=assessment.id, created_at=T0.astimezone(kathmandu))

    assert len(plan.id) == 32
    assert (plan.runner_id, plan.assessment_id, plan.start_date) == (ME, assessment.id, START)
    assert (plan.kb_version, plan.status, plan.report) == ("2026.11", PLAN_ACTIVE, REPORT)
    assert plan.created_at == T0 and plan.created_at.utcoffset() == timedelta(0)
    assert store.plans.get_plan(plan.id, ME) == plan
    assert store.plans.active_plan(ME) == plan
    assert store.plans.plan_days(plan.id, ME) == []


def test_plan_without_an_assessment_round_trips(store: Store) -> None:
    plan = create(store, assessment_id=None)

    assert store.plans.get_plan(plan.id, ME) == plan
    assert plan.assessment_id is None


def test_report_snapshot_is_what_reads_back_not_the_callers_dict(store: Store) -> None:
    report: dict[str, Any] = {"pair": (1, 2), "nested": {"x": 1}}
    plan = create(store, report=report)
    report["nested"]["x"] = 999

    assert plan.report == {"pair": [1, 2], "nested": {"x": 1}}
    assert store.plans.get_plan(plan.id, ME) == plan


def test_creating_a_plan_ends_the_runners_previous_active_plan(
    store: Store, other_runner: str
) -> None:
    anas = create(store, runner_id=other_runner)
    first = create(store)
    second = create(store, start_date=START + timedelta(days=3))

    assert store.plans.active_plan(ME) == second
    ended = store.plans.get_plan(first.id, ME)
    assert ended is not None and ended.status == PLAN_ENDED
    # Only this runner's plans are ended.
    assert store.plans.active_plan(other_runner) == anas


def test_database_itself_allows_only_one_active_plan_per_runner(
    store: Store, direct_engine: Engine
) -> None:
    # Even a writer that bypasses the Store cannot add a second active plan.
    plan = create(store)
    insert = text(
        "INSERT INTO plans (id, runner_id, start_date, created_at, kb_version, status, report_json)"
        " VALUES (:id, :runner, :start, :at, 'kb', :status, '{}')"
    )
    values = {"runner": ME, "start": START, "at": T0.replace(tzinfo=None)}

    with direct_engine.begin() as connection:
        connection.execute(insert, values | {"id": "ended1", "status": PLAN_ENDED})
        connection.execute(insert, values | {"id": "ended2", "status": PLAN_ENDED})
    with pytest.raises(IntegrityError), direct_engine.begin() as connection:
        connection.execute(insert, values | {"id": "active2", "status": PLAN_ACTIVE})
    with pytest.raises(IntegrityError), direct_engine.begin() as connection:
        connection.execute(insert, values | {"id": "paused", "status": "paused"})

    assert store.plans.active_plan(ME) == plan


def test_end_plan_leaves_no_active_plan_and_is_idempotent(store: Store) -> None:
    plan = create(store)

    assert store.plans.end_plan(plan.id, ME) is True
    assert store.plans.end_plan(plan.id, ME) is True

    assert store.plans.active_plan(ME) is None
    ended = store.plans.get_plan(plan.id, ME)
    assert ended is not None and ended.status == PLAN_ENDED
    assert store.plans.end_plan("0" * 32, ME) is False


def test_plan_for_an_unknown_runner_raises_and_writes_nothing(
    store: Store, row_count: RowCount
) -> None:
    with pytest.raises(UnknownRunner, match="ghost"):
        create(store, runner_id="ghost")

    assert row_count("plans") == 0


def test_unknown_and_other_runners_assessments_are_refused_alike_and_change_nothing(
    store: Store, save_assessment: SaveAssessment, other_runner: str, row_count: RowCount
) -> None:
    active = create(store)
    anas_assessment = save_assessment(runner_id=other_runner)
    unknown_id = "f" * 32

    with pytest.raises(UnknownAssessment) as other_runners:
        create(store, assessment_id=anas_assessment.id)
    with pytest.raises(UnknownAssessment) as unknown:
        create(store, assessment_id=unknown_id)

    # Same message, so the error does not reveal that the other runner's id exists.
    assert str(other_runners.value).replace(anas_assessment.id, "ID") == str(unknown.value).replace(
        unknown_id, "ID"
    )
    assert store.plans.active_plan(ME) == active
    assert row_count("plans") == 1


def test_deleting_the_assessment_keeps_the_plan_and_its_report(
    store: Store, save_assessment: SaveAssessment, direct_engine: Engine
) -> None:
    assessment = save_assessment()
    plan = create(store, assessment_id=assessment.id)
    store.plans.replace_plan_days(plan.id, ME, [plan_day(1)])

    with direct_engine.begin() as connection:
        connection.execute(text("DELETE FROM assessments WHERE id = :id"), {"id": assessment.id})

    kept = store.plans.get_plan(plan.id, ME)
    assert kept is not None
    assert kept.assessment_id is None
    assert (kept.report, kept.status) == (REPORT, PLAN_ACTIVE)
    assert len(store.plans.plan_days(plan.id, ME)) == 1


def test_plan_days_round_trip_in_day_order(store: Store) -> None:
    plan = create(store)
    days = [plan_day(3, "mobility", "phase.mobility"), plan_day(1), plan_day(2)]

    assert store.plans.replace_plan_days(plan.id, ME, days) is True

    assert store.plans.plan_days(plan.id, ME) == as_records(plan.id, [days[1], days[2], days[0]])


def test_replacing_days_drops_every_old_day(store: Store) -> None:
    plan = create(store)
    store.plans.replace_plan_days(plan.id, ME, [plan_day(n) for n in range(1, 8)])
    rebuilt = [
        plan_day(1, "return", "relapse.step_back"),
        plan_day(2, "return", "relapse.step_back"),
    ]

    store.plans.replace_plan_days(plan.id, ME, rebuilt)

    assert store.plans.plan_days(plan.id, ME) == as_records(plan.id, rebuilt)


def test_replacing_days_rewrites_only_the_days_that_changed(
    store: Store, direct_engine: Engine
) -> None:
    plan = create(store)
    store.plans.replace_plan_days(plan.id, ME, [plan_day(n) for n in range(1, 6)])
    # A row written again gets a new row id (SQLite) or transaction id (PostgreSQL).
    identity = "xmin::text" if direct_engine.dialect.name == "postgresql" else "rowid"

    def written() -> dict[date, str]:
        with direct_engine.connect() as connection:
            rows = connection.execute(text(f"SELECT day, {identity} FROM plan_days")).all()
        return {date.fromisoformat(str(day)[:10]): str(mark) for day, mark in rows}

    if direct_engine.dialect.name == "sqlite":
        # SQLite hands a new row the next free row id, which could be the old one again:
        # move the stored rows' ids out of the way, so a rewritten row is seen.
        with direct_engine.begin() as connection:
            connection.execute(text("UPDATE plan_days SET rowid = rowid + 1000"))
    before = written()
    rebuilt = [plan_day(n) for n in range(1, 5)]
    rebuilt[2] = plan_day(3, "mobility", "phase.mobility")  # day 3 changed, day 5 gone

    store.plans.replace_plan_days(plan.id, ME, rebuilt)

    after = written()
    assert store.plans.plan_days(plan.id, ME) == as_records(plan.id, rebuilt)
    day = {n: START + timedelta(days=n - 1) for n in range(1, 6)}
    assert [after[day[n]] == before[day[n]] for n in (1, 2, 3, 4)] == [True, True, False, True]
    assert day[5] not in after


def test_replacing_with_no_days_clears_the_plan(store: Store, row_count: RowCount) -> None:
    plan = create(store)
    store.plans.replace_plan_days(plan.id, ME, [plan_day(1), plan_day(2)])

    assert store.plans.replace_plan_days(plan.id, ME, []) is True

    assert store.plans.plan_days(plan.id, ME) == []
    assert row_count("plan_days") == 0


def test_plan_days_since_and_until_are_inclusive(store: Store) -> None:
    plan = create(store)
    store.plans.replace_plan_days(plan.id, ME, [plan_day(n) for n in range(1, 6)])

    def numbers(**bounds: date) -> list[int]:
        return [d.day_number for d in store.plans.plan_days(plan.id, ME, **bounds)]

    assert numbers(since=START + timedelta(days=1)) == [2, 3, 4, 5]
    assert numbers(until=START + timedelta(days=1)) == [1, 2]
    assert numbers(since=START + timedelta(days=2), until=START + timedelta(days=2)) == [3]
    assert numbers(since=START + timedelta(days=9)) == []


def test_days_of_an_unknown_plan_are_neither_read_nor_written(
    store: Store, row_count: RowCount
) -> None:
    assert store.plans.replace_plan_days("0" * 32, ME, [plan_day(1)]) is False
    assert store.plans.plan_days("0" * 32, ME) == []
    assert row_count("plan_days") == 0


def _bad(index: int, **changes: Any) -> list[dict[str, Any]]:
    days = [plan_day(1), plan_day(2), plan_day(3)]
    days[index] = days[index] | changes
    return days


@pytest.mark.parametrize(
    ("days", "error"),
    [
        pytest.param(_bad(2, day=START), ValueError, id="duplicate-day"),
        pytest.param(_bad(2, rule_id="r" * 65), ValueError, id="rule-id-too-long"),
        pytest.param(_bad(2, phase="p" * 33), ValueError, id="phase-too-long"),
        pytest.param(_bad(2, day=datetime(2026, 11, 4, tzinfo=UTC)), TypeError, id="datetime-day"),
        pytest.param(_bad(2, day_number=True), TypeError, id="bool-day-number"),
        pytest.param(_bad(2, day_number=2**31), ValueError, id="day-number-beyond-int32"),
        pytest.param(
            _bad(2, data={"at": datetime(2026, 1, 1, tzinfo=UTC)}), TypeError, id="data-not-json"
        ),
        pytest.param(_bad(2, data=["a list"]), TypeError, id="data-not-an-object"),
        pytest.param(_bad(2, extra="typo"), ValueError, id="unknown-key"),
        pytest.param([plan_day(1), {"day": START}], ValueError, id="missing-keys"),
        pytest.param([plan_day(1), "day 2"], TypeError, id="not-a-mapping"),
    ],
)
def test_a_bad_day_is_refused_and_the_old_days_stay(
    store: Store, days: list[Any], error: type[Exception]
) -> None:
    plan = create(store)
    old = [plan_day(1, "old", "old.rule")]
    store.plans.replace_plan_days(plan.id, ME, old)

    with pytest.raises(error):
        store.plans.replace_plan_days(plan.id, ME, days)

    assert store.plans.plan_days(plan.id, ME) == as_records(plan.id, old)


def test_database_failure_while_replacing_days_keeps_the_old_days(
    store: Store, failing_statement: FailingStatement
) -> None:
    # The old days are already deleted when the insert fails: the rollback restores them.
    plan = create(store)
    old = [plan_day(1, "old", "old.rule"), plan_day(2, "old", "old.rule")]
    store.plans.replace_plan_days(plan.id, ME, old)

    with (
        failing_statement("INSERT INTO plan_days"),
        pytest.raises(RuntimeError, match="injected"),
    ):
        store.plans.replace_plan_days(plan.id, ME, [plan_day(n) for n in range(1, 10)])

    assert store.plans.plan_days(plan.id, ME) == as_records(plan.id, old)


def test_failure_while_creating_a_plan_keeps_the_previous_one_active(
    store: Store, row_count: RowCount, failing_statement: FailingStatement
) -> None:
    # The previous plan is already ended when the insert fails: the rollback revives it.
    previous = create(store)

    with failing_statement("INSERT INTO plans"), pytest.raises(RuntimeError, match="injected"):
        create(store)

    assert store.plans.active_plan(ME) == previous
    assert row_count("plans") == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("created_at", datetime(2026, 11, 2, 8, 0), ValueError),
        ("start_date", datetime(2026, 11, 2, 8, 0, tzinfo=UTC), TypeError),
        ("kb_version", "k" * 33, ValueError),
        ("report", {"tags": {"a"}}, TypeError),
        ("report", {"score": float("inf")}, ValueError),
    ],
)
def test_unstorable_plan_is_refused_and_the_active_one_stays(
    store: Store, row_count: RowCount, field: str, value: Any, error: type[Exception]
) -> None:
    active = create(store)

    with pytest.raises(error):
        create(store, **{field: value})

    assert store.plans.active_plan(ME) == active
    assert row_count("plans") == 1


def test_plans_created_at_once_leave_exactly_one_active_plan(
    store: Store, other_runner: str, paused_statement: PausedStatement
) -> None:
    # The first creation is held just before inserting its plan; the second must wait for
    # it, then end it, rather than both ending nothing and colliding. (An existing runner:
    # creating the local runner on first use would serialise the two by accident.)
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        paused_statement("INSERT INTO plans") as pause,
    ):
        first = pool.submit(create, store, other_runner, kb_version="first")
        assert pause.reached.wait(10)
        second = pool.submit(create, store, other_runner, kb_version="second")
        time.sleep(0.5)  # let the second creation reach the point where it must wait
        pause.release.set()
        first_plan, second_plan = first.result(timeout=15), second.result(timeout=15)

    assert store.plans.active_plan(other_runner) == second_plan
    ended = store.plans.get_plan(first_plan.id, other_runner)
    assert ended is not None and ended.status == PLAN_ENDED
