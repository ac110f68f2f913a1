"""The running plan's row: stored, read back, replaced, its targets changed, and gone with
its runner; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from stridewell.running import Targets, typed_targets
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.storage.repository import Store

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _targets(weekly: float = 40.0) -> dict[str, object]:
    return typed_targets(4, weekly, 14.0).model_dump(mode="json")


def _save(store: Store, **changes: object) -> None:
    fields: dict[str, object] = {
        "mode": "back_to_running",
        "start_date": date(2026, 11, 30),
        "targets": _targets(),
        "goal_km": None,
        "goal_day": None,
        "locations": ["heel_bottom"],
        "known_flags": [],
        "now": NOW,
    }
    store.running.save_running_plan(LOCAL_RUNNER_ID, **(fields | changes))  # type: ignore[arg-type]


def test_a_saved_running_plan_reads_back_with_its_targets_as_the_domain_record(
    store: Store,
) -> None:
    _save(store, mode="prevention", goal_km=21.1, goal_day=date(2027, 3, 14))
    stored = store.running.running_plan(LOCAL_RUNNER_ID)
    assert stored is not None
    assert (stored.mode, stored.start_date) == ("prevention", date(2026, 11, 30))
    assert (stored.goal_km, stored.goal_day) == (21.1, date(2027, 3, 14))
    assert stored.locations == ["heel_bottom"]
    assert stored.created_at == NOW
    assert Targets.model_validate(stored.targets).weekly_km == 40.0


def test_starting_again_replaces_the_plan_and_changing_targets_keeps_the_rest(
    store: Store,
) -> None:
    _save(store)
    _save(store, start_date=date(2026, 12, 7))
    later = NOW + timedelta(days=2)
    changed = store.running.update_targets(LOCAL_RUNNER_ID, _targets(50.0), now=later)
    assert changed is not None
    assert changed.start_date == date(2026, 12, 7)
    assert Targets.model_validate(changed.targets).weekly_km == 50.0
    assert changed.updated_at == later and changed.created_at == NOW
    assert store.running.running_plan(LOCAL_RUNNER_ID) == changed


def test_a_runner_without_a_plan_reads_none_and_cannot_change_targets(store: Store) -> None:
    assert store.running.running_plan(LOCAL_RUNNER_ID) is None
    assert store.running.update_targets(LOCAL_RUNNER_ID, _targets(), now=NOW) is None
    assert store.running.delete_running_plan(LOCAL_RUNNER_ID) is False


def test_half_a_goal_or_an_unknown_mode_is_refused_before_anything_is_written(
    store: Store,
) -> None:
    with pytest.raises(ValueError, match="both"):
        _save(store, goal_km=10.0)
    with pytest.raises(ValueError, match="mode"):
        _save(store, mode="sprinting")
    with pytest.raises(ValueError, match="timezone-aware"):
        _save(store, now=datetime(2026, 11, 30, 8, 0))
    assert store.running.running_plan(LOCAL_RUNNER_ID) is None


def test_the_plan_goes_with_its_runner(store: Store) -> None:
    _save(store)
    with store._engine.begin() as connection:
        connection.execute(text("DELETE FROM runners WHERE id = :id"), {"id": LOCAL_RUNNER_ID})
    assert store.running.running_plan(LOCAL_RUNNER_ID) is None


def test_the_database_refuses_half_a_goal_written_behind_the_store(store: Store) -> None:
    _save(store)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store._engine.begin() as connection:
        connection.execute(text("UPDATE running_plans SET goal_km = 5"))
