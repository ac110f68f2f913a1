"""Running plans: how a runner's plan started and what it builds up to.

One row per runner. Its weeks are not stored: they follow from the targets, the journal,
the imported runs and the shoes, and are rebuilt each time the plan is read. Starting a
plan again replaces the row, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from stridewell.storage.checks import (
    as_stored_json,
    as_stored_json_object,
    require_aware,
    require_date,
    require_optional_date,
    require_optional_measure,
)
from stridewell.storage.core import Repository, lock_runner
from stridewell.storage.models import RunningPlanRow

RUNNING_MODES = ("back_to_running", "prevention")


@dataclass(frozen=True, slots=True)
class StoredRunningPlan:
    """A runner's running plan as stored; ``targets`` is the domain's Targets as JSON."""

    runner_id: str
    mode: str
    start_date: date
    targets: dict[str, Any]
    goal_km: float | None
    goal_day: date | None
    locations: list[str]
    known_flags: list[str]
    created_at: datetime
    updated_at: datetime


def _strings(values: list[str], name: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a list of strings")
    return as_stored_json(values, name)


class RunningPlanRepository(Repository):
    """The runner's running plan (``Store.running``)."""

    def save_running_plan(
        self,
        runner_id: str,
        *,
        mode: str,
        start_date: date,
        targets: dict[str, Any],
        goal_km: float | None,
        goal_day: date | None,
        locations: list[str],
        known_flags: list[str],
        now: datetime,
    ) -> StoredRunningPlan:
        """Store the runner's running plan, replacing the one they had.

        Raises ``UnknownRunner``; TypeError/ValueError for unstorable input."""
        if mode not in RUNNING_MODES:
            raise ValueError(f"mode must be one of {RUNNING_MODES}, got {mode!r}")
        if (goal_km is None) != (goal_day is None):
            raise ValueError("a goal needs both its distance and its day")
        stamp = require_aware(now, "now")
        record = StoredRunningPlan(
            runner_id=runner_id,
            mode=mode,
            start_date=require_date(start_date, "start_date"),
            targets=as_stored_json_object(targets, "targets"),
            goal_km=require_optional_measure(goal_km, "goal_km"),
            goal_day=require_optional_date(goal_day, "goal_day"),
            locations=_strings(locations, "locations"),
            known_flags=_strings(known_flags, "known_flags"),
            created_at=stamp,
            updated_at=stamp,
        )
        with self._write_session() as session:
            lock_runner(session, runner_id)
            session.execute(delete(RunningPlanRow).where(RunningPlanRow.runner_id == runner_id))
            session.add(
                RunningPlanRow(
                    runner_id=runner_id,
                    mode=record.mode,
                    start_date=record.start_date,
                    targets=record.targets,
                    goal_km=record.goal_km,
                    goal_day=record.goal_day,
                    locations=record.locations,
                    known_flags=record.known_flags,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
        return record

    def running_plan(self, runner_id: str) -> StoredRunningPlan | None:
        query = select(RunningPlanRow).where(RunningPlanRow.runner_id == runner_id)
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_record(row)

    def update_targets(
        self, runner_id: str, targets: dict[str, Any], *, now: datetime
    ) -> StoredRunningPlan | None:
        """Change the targets (and nothing else); None if the runner has no plan."""
        checked = as_stored_json_object(targets, "targets")
        stamp = require_aware(now, "now")
        with self._write_session() as session:
            row = session.scalars(
                select(RunningPlanRow)
                .where(RunningPlanRow.runner_id == runner_id)
                .with_for_update(key_share=True)
            ).one_or_none()
            if row is None:
                return None
            row.targets = checked
            row.updated_at = stamp
            session.flush()
            return _to_record(row)

    def delete_running_plan(self, runner_id: str) -> bool:
        with self._write_session() as session:
            result = session.execute(
                delete(RunningPlanRow).where(RunningPlanRow.runner_id == runner_id)
            )
            return bool(getattr(result, "rowcount", 0))


def _to_record(row: RunningPlanRow) -> StoredRunningPlan:
    return StoredRunningPlan(
        runner_id=row.runner_id,
        mode=row.mode,
        start_date=row.start_date,
        targets=dict(row.targets),
        goal_km=row.goal_km,
        goal_day=row.goal_day,
        locations=list(row.locations),
        known_flags=list(row.known_flags),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
