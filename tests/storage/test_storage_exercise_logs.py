"""Exercise logs on both backends: round trips, ordering, date ranges, refused input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from stridewell.journal.model import ExerciseLog
from stridewell.storage import LOCAL_RUNNER_ID, Store, StoredExerciseLog, UnknownRunner

RowCount = Callable[[str], int]

ME = LOCAL_RUNNER_ID
D1, D2, D3 = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)
T0 = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def log(store: Store, **overrides: Any) -> StoredExerciseLog:
    fields: dict[str, Any] = {
        "runner_id": ME,
        "day": D1,
        "exercise_id": "calf_raises",
        "sets_done": 3,
        "reps_or_seconds": 15,
        "note": "",
        "recorded_at": T0,
    }
    return store.exercises.add_exercise_log(**(fields | overrides))


def test_exercise_log_round_trips(store: Store) -> None:
    # What the service layer gets from a validated ExerciseLog.
    validated = ExerciseLog(day=D2, exercise_id="toe_scrunches", sets_done=2, note="Ünïcödé ✓")
    kathmandu = timezone(timedelta(hours=5, minutes=45))

    saved = store.exercises.add_exercise_log(
        runner_id=ME,
        **validated.model_dump(),
        recorded_at=T0.astimezone(kathmandu),
    )

    assert len(saved.id) == 32
    assert (saved.runner_id, saved.day, saved.exercise_id) == (ME, D2, "toe_scrunches")
    assert (saved.sets_done, saved.reps_or_seconds, saved.note) == (2, None, "Ünïcödé ✓")
    assert saved.recorded_at == T0 and saved.recorded_at.utcoffset() == timedelta(0)
    assert store.exercises.list_exercise_logs(ME) == [saved]


def test_logs_list_by_day_then_time_recorded(store: Store) -> None:
    # Saved out of order, so insertion order cannot pass for sorting.
    late_d1 = log(store, day=D1, recorded_at=T0 + timedelta(hours=2))
    d2 = log(store, day=D2, recorded_at=T0 - timedelta(days=5))
    early_d1 = log(store, day=D1, recorded_at=T0)

    assert store.exercises.list_exercise_logs(ME) == [early_d1, late_d1, d2]


def test_log_since_and_until_are_inclusive(store: Store) -> None:
    for day in (D1, D2, D3):
        log(store, day=day)

    def days(**bounds: date) -> list[date]:
        return [entry.day for entry in store.exercises.list_exercise_logs(ME, **bounds)]

    assert days(since=D2) == [D2, D3]
    assert days(until=D2) == [D1, D2]
    assert days(since=D2, until=D2) == [D2]


def test_logging_for_an_unknown_runner_raises_and_writes_nothing(
    store: Store, row_count: RowCount
) -> None:
    with pytest.raises(UnknownRunner, match="ghost"):
        log(store, runner_id="ghost")

    assert row_count("exercise_logs") == 0


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("recorded_at", datetime(2026, 11, 2, 18, 0), ValueError),
        ("day", datetime(2026, 11, 2, tzinfo=UTC), TypeError),
        ("exercise_id", "e" * 65, ValueError),
        ("sets_done", 2.5, TypeError),
        ("sets_done", True, TypeError),
        ("sets_done", 2**31, ValueError),
        ("reps_or_seconds", "15", TypeError),
        ("note", None, TypeError),
    ],
)
def test_unstorable_log_is_refused_before_writing(
    store: Store, row_count: RowCount, field: str, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        log(store, **{field: value})

    assert row_count("exercise_logs") == 0
    assert row_count("runners") == 0
