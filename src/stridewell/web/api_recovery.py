"""REST API for recovery: journal entries, exercise logs and the recovery plan."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Body, Query, Response

from stridewell.journal.model import ExerciseLog, JournalDay, JournalEntry, StoredEntry
from stridewell.journal.trend import Trend
from stridewell.plan.model import Plan
from stridewell.web.api_models import (
    ExerciseLogBody,
    ExercisesTodayBody,
    StoredEntryBody,
)
from stridewell.web.deps import Runner

router = APIRouter(prefix="/api/v1", tags=["recovery"])
CALENDAR: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}
}


def _entry_body(stored: StoredEntry) -> StoredEntryBody:
    return StoredEntryBody.model_validate(
        {
            "id": stored.id,
            "revision": stored.revision,
            "recorded_at": stored.recorded_at,
            **stored.entry.model_dump(),
        }
    )


@router.post("/journal", status_code=201, response_model=StoredEntryBody)
def add_journal_entry(entry: JournalEntry, runner: Runner) -> StoredEntryBody:
    """Record a check-in. Pain scores 0-10; the day may not be in the future."""
    return _entry_body(runner.journal.log_entry(entry))


@router.get("/journal", response_model=list[StoredEntryBody])
def list_journal(
    runner: Runner,
    since: JournalDay | None = Query(None),
    until: JournalDay | None = Query(None),
) -> list[StoredEntryBody]:
    return [_entry_body(s) for s in runner.journal.entries(since=since, until=until)]


@router.put("/journal/{entry_id}", response_model=StoredEntryBody)
def edit_journal_entry(entry_id: str, entry: JournalEntry, runner: Runner) -> StoredEntryBody:
    """Store a new revision of a check-in (earlier ones stay in its history)."""
    return _entry_body(runner.journal.edit_entry(entry_id, entry))


@router.get("/journal/{entry_id}/history", response_model=list[StoredEntryBody])
def journal_history(entry_id: str, runner: Runner) -> list[StoredEntryBody]:
    return [_entry_body(s) for s in runner.journal.entry_history(entry_id)]


@router.delete("/journal/{entry_id}", status_code=204, response_class=Response)
def delete_journal_entry(entry_id: str, runner: Runner) -> Response:
    runner.journal.delete_entry(entry_id)
    return Response(status_code=204)


@router.get("/journal/trend", response_model=Trend)
def journal_trend(runner: Runner) -> Trend:
    return runner.journal.pain_trend()


@router.post("/exercise-logs", status_code=201, response_model=ExerciseLogBody)
def add_exercise_log(log: ExerciseLog, runner: Runner) -> ExerciseLogBody:
    stored = runner.journal.log_exercise(log)
    return ExerciseLogBody(
        id=stored.id,
        day=stored.day,
        exercise_id=stored.exercise_id,
        sets_done=stored.sets_done,
        reps_or_seconds=stored.reps_or_seconds,
        note=stored.note,
    )


@router.get("/exercises/today", response_model=ExercisesTodayBody)
def exercises_today(runner: Runner) -> ExercisesTodayBody:
    return ExercisesTodayBody.model_validate(
        {
            "exercises": [
                {**task.model_dump(), "done": done} for task, done in runner.plans.exercises_for()
            ],
            "adherence": runner.plans.adherence(),
        }
    )


@router.post("/plans", status_code=201, response_model=Plan)
def start_plan(
    runner: Runner,
    assessment_id: str | None = Body(None, embed=True),
    start: date | None = Body(None, embed=True),
) -> Plan:
    """Start a recovery plan from an assessment (the latest by default)."""
    return runner.plans.start(assessment_id, start=start)


@router.get("/plans/current", response_model=Plan)
def current_plan(runner: Runner) -> Plan:
    return runner.plans.require()


@router.get("/plans/current.ics", response_class=Response, responses=CALENDAR)
def current_plan_ics(runner: Runner) -> Response:
    """The active plan as an iCalendar file (one all-day event per day)."""
    return Response(
        runner.plans.ics(),
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="stridewell-plan.ics"'},
    )
