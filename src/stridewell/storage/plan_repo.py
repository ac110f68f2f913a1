"""Recovery plans and their days.

A plan is rebuilt from the journal on every change, so its days are replaced as a whole,
atomically (only the days that changed are written). A runner has at most one active
plan: creating one ends the others in the same transaction, and a partial unique index
makes the database enforce it as well.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Row, delete, exists, insert, select, text, update
from sqlalchemy.orm import Session

from stridewell.storage.checks import (
    as_stored_json_object,
    require_aware,
    require_date,
    require_int,
    require_max_length,
    require_optional_date,
)
from stridewell.storage.core import Repository, lock_runner
from stridewell.storage.errors import UnknownAssessment
from stridewell.storage.limits import (
    KB_VERSION_LENGTH,
    PHASE_LENGTH,
    RULE_ID_LENGTH,
)
from stridewell.storage.models import (
    AssessmentRow,
    PlanDayRow,
    PlanRow,
)
from stridewell.storage.records import PLAN_ACTIVE, PLAN_ENDED, StoredPlan, StoredPlanDay

PLAN_DAY_KEYS = frozenset({"day", "day_number", "phase", "rule_id", "data"})


class PlanRepository(Repository):
    """Plans and plan days (``Store.plans``)."""

    def create_plan(
        self,
        *,
        runner_id: str,
        assessment_id: str | None,
        start_date: date,
        created_at: datetime,
        kb_version: str,
        report: dict[str, Any],
    ) -> StoredPlan:
        """Store a new active plan, ending the runner's other active plan in the same
        transaction. It has no days until ``replace_plan_days``.

        Raises ``UnknownRunner``, or ``UnknownAssessment`` if ``assessment_id`` is not one
        of this runner's assessments; TypeError/ValueError for unstorable input.
        """
        record = StoredPlan(
            id=uuid4().hex,
            runner_id=runner_id,
            assessment_id=assessment_id,
            start_date=require_date(start_date, "start_date"),
            created_at=require_aware(created_at, "created_at"),
            kb_version=require_max_length(kb_version, KB_VERSION_LENGTH, "kb_version"),
            status=PLAN_ACTIVE,
            report=as_stored_json_object(report, "report"),
        )
        with self._write_session() as session:
            # Locked so that two plans created at once take turns: the second one then
            # sees, and ends, the first instead of colliding with it.
            lock_runner(session, runner_id)
            if assessment_id is not None and not _has_assessment(session, runner_id, assessment_id):
                raise UnknownAssessment(assessment_id)
            session.execute(
                update(PlanRow)
                .where(PlanRow.runner_id == runner_id, PlanRow.status == PLAN_ACTIVE)
                .values(status=PLAN_ENDED)
            )
            session.add(
                PlanRow(
                    id=record.id,
                    runner_id=record.runner_id,
                    assessment_id=record.assessment_id,
                    start_date=record.start_date,
                    created_at=record.created_at,
                    kb_version=record.kb_version,
                    status=record.status,
                    report_json=record.report,
                )
            )
        return record

    def get_plan(self, plan_id: str, runner_id: str) -> StoredPlan | None:
        """The plan if it is this runner's, else None."""
        query = select(PlanRow).where(PlanRow.id == plan_id, PlanRow.runner_id == runner_id)
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_plan(row)

    def active_plan(self, runner_id: str) -> StoredPlan | None:
        """The runner's active plan, if any."""
        query = select(PlanRow).where(PlanRow.runner_id == runner_id, PlanRow.status == PLAN_ACTIVE)
        with self._read_session() as session:
            row = session.scalars(query).one_or_none()
            return None if row is None else _to_plan(row)

    def end_plan(self, plan_id: str, runner_id: str) -> bool:
        """Mark the plan ended (again, if it already was); False if the runner has no
        such plan."""
        with self._write_session() as session:
            row = session.scalars(
                select(PlanRow)
                .where(PlanRow.id == plan_id, PlanRow.runner_id == runner_id)
                .with_for_update(key_share=True)
            ).one_or_none()
            if row is None:
                return False
            row.status = PLAN_ENDED
            return True

    def replace_plan_days(
        self, plan_id: str, runner_id: str, days: Sequence[Mapping[str, Any]]
    ) -> bool:
        """Replace all the plan's days with ``days``, atomically: on any error the old days
        stay. Each day has exactly the keys day (a date, unique within the list),
        day_number, phase, rule_id and data (a JSON object: the whole day).

        Returns False, changing nothing, if the runner has no such plan.
        """
        rows = [_plan_day_row(plan_id, index, day) for index, day in enumerate(days)]
        seen: set[date] = set()
        for row in rows:
            if row["day"] in seen:
                raise ValueError(f"days[]: day {row['day'].isoformat()} appears twice")
            seen.add(row["day"])
        with self._write_session() as session:
            # Concurrent rebuilds of one plan take turns instead of interleaving.
            locked = session.scalar(
                select(PlanRow.id)
                .where(PlanRow.id == plan_id, PlanRow.runner_id == runner_id)
                .with_for_update(key_share=True)
            )
            if locked is None:
                return False
            if session.get_bind().dialect.name == "postgresql":
                # The days are a record worked out again from the journal at every
                # refresh: after a database crash they may be one refresh behind until the
                # next, and a check-in need not wait for a second flush to disk (the
                # journal entry it wrote committed durably just before).
                session.execute(text("SET LOCAL synchronous_commit = off"))
            stored = {
                found.day: found
                for found in session.execute(
                    select(
                        PlanDayRow.day,
                        PlanDayRow.day_number,
                        PlanDayRow.phase,
                        PlanDayRow.rule_id,
                        PlanDayRow.data,
                    ).where(PlanDayRow.plan_id == plan_id)
                )
            }
            # Only the days that changed are written: a check-in changes a few of them.
            changed = [row for row in rows if not _same_day(stored.get(row["day"]), row)]
            wanted = {row["day"] for row in rows}
            gone = [day for day in stored if day not in wanted]
            gone += [row["day"] for row in changed if row["day"] in stored]
            if gone:
                chosen = (PlanDayRow.plan_id == plan_id) & PlanDayRow.day.in_(gone)
                session.execute(delete(PlanDayRow).where(chosen))
            if changed:
                session.execute(insert(PlanDayRow), changed)
            return True

    def plan_days(
        self,
        plan_id: str,
        runner_id: str,
        *,
        since: date | None = None,
        until: date | None = None,
    ) -> list[StoredPlanDay]:
        """The plan's days with ``since <= day <= until``, in order; empty if the runner
        has no such plan."""
        since = require_optional_date(since, "since")
        until = require_optional_date(until, "until")
        query = (
            select(PlanDayRow)
            .join(PlanRow, PlanRow.id == PlanDayRow.plan_id)
            .where(PlanRow.id == plan_id, PlanRow.runner_id == runner_id)
            .order_by(PlanDayRow.day)
        )
        if since is not None:
            query = query.where(PlanDayRow.day >= since)
        if until is not None:
            query = query.where(PlanDayRow.day <= until)
        with self._read_session() as session:
            return [_to_plan_day(row) for row in session.scalars(query)]


def _has_assessment(session: Session, runner_id: str, assessment_id: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    AssessmentRow.id == assessment_id, AssessmentRow.runner_id == runner_id
                )
            )
        )
    )


def _same_day(stored: Row[Any] | None, row: Mapping[str, Any]) -> bool:
    return stored is not None and (
        stored.day_number == row["day_number"]
        and stored.phase == row["phase"]
        and stored.rule_id == row["rule_id"]
        # As JSON text: Python's == takes 1, 1.0 and True for the same value.
        and _json_text(stored.data) == _json_text(row["data"])
    )


def _json_text(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _plan_day_row(plan_id: str, index: int, day: Mapping[str, Any]) -> dict[str, Any]:
    """The checked values of one plan day, ready to insert."""
    where = f"days[{index}]"
    if not isinstance(day, Mapping):
        raise TypeError(f"{where} must be a mapping, got {type(day).__name__}")
    if day.keys() != PLAN_DAY_KEYS:
        missing = sorted(PLAN_DAY_KEYS - day.keys())
        unknown = sorted(str(key) for key in day.keys() - PLAN_DAY_KEYS)
        raise ValueError(f"{where}: missing keys {missing}, unknown keys {unknown}")
    return {
        "plan_id": plan_id,
        "day": require_date(day["day"], f"{where}.day"),
        "day_number": require_int(day["day_number"], f"{where}.day_number"),
        "phase": require_max_length(day["phase"], PHASE_LENGTH, f"{where}.phase"),
        "rule_id": require_max_length(day["rule_id"], RULE_ID_LENGTH, f"{where}.rule_id"),
        "data": as_stored_json_object(day["data"], f"{where}.data"),
    }


def _to_plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        runner_id=row.runner_id,
        assessment_id=row.assessment_id,
        start_date=row.start_date,
        created_at=row.created_at,
        kb_version=row.kb_version,
        status=row.status,
        report=row.report_json,
    )


def _to_plan_day(row: PlanDayRow) -> StoredPlanDay:
    return StoredPlanDay(
        plan_id=row.plan_id,
        day=row.day,
        day_number=row.day_number,
        phase=row.phase,
        rule_id=row.rule_id,
        data=row.data,
    )
