"""Plain records handed out by the storage package.

Domain code receives these instead of ORM objects, so nothing outside ``storage``
needs SQLAlchemy, and a record stays valid after its session is gone. Datetimes are always
timezone-aware (UTC); JSON fields hold exactly what reads back from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

LOCAL_RUNNER_ID = "local"
LOCAL_RUNNER_NAME = "Local runner"

# A plan's status: a runner has at most one active plan; creating a new one ends it.
PLAN_ACTIVE = "active"
PLAN_ENDED = "ended"


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """An assessment as saved: the contract input, its triage report and summary columns.

    ``created_at`` is always timezone-aware (UTC).
    """

    id: str
    runner_id: str
    created_at: datetime
    assessment: dict[str, Any]
    report: dict[str, Any]
    level: str
    top_condition: str | None
    kb_version: str
    rules_fired: list[str]


@dataclass(frozen=True, slots=True)
class StoredJournalEntry:
    """One revision of a journal entry (the latest, unless read from its history).

    ``data`` is the entry as JSON; ``day`` is the entry's day as of this revision, and
    ``recorded_at`` when this revision was recorded. Revisions count from 1.
    """

    id: str
    runner_id: str
    day: date
    revision: int
    recorded_at: datetime
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A recovery plan: where it starts, what it was built from, whether it is active.

    ``assessment_id`` becomes None if that assessment is deleted; ``report`` is the
    snapshot of the triage report the plan was built from, so the plan stays reproducible.
    """

    id: str
    runner_id: str
    assessment_id: str | None
    start_date: date
    created_at: datetime
    kb_version: str
    status: str
    report: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredPlanDay:
    """One day of a plan: its phase, the rule that put it there, and the whole day as JSON."""

    plan_id: str
    day: date
    day_number: int
    phase: str
    rule_id: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredExerciseLog:
    """An exercise session logged against the prescription."""

    id: str
    runner_id: str
    day: date
    exercise_id: str
    sets_done: int
    reps_or_seconds: int | None
    note: str
    recorded_at: datetime
