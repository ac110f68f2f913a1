"""REST API for recovery: journal entries, exercise logs and the recovery plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Query, Request, Response

from stridewell.journal.model import ExerciseLog, JournalEntry
from stridewell.web.api import service_of

router = APIRouter(prefix="/api/v1", tags=["recovery"])


def _entry_json(stored: Any) -> dict[str, Any]:
    return {
        "id": stored.id,
        "revision": stored.revision,
        "recorded_at": stored.recorded_at.isoformat(),
        **stored.entry.model_dump(mode="json"),
    }


@router.post("/journal", status_code=201)
def add_journal_entry(entry: JournalEntry, request: Request) -> Any:
    """Record a check-in. Pain scores 0-10; the day may not be in the future."""
    return _entry_json(service_of(request).log_entry(entry))


@router.get("/journal")
def list_journal(
    request: Request,
    since: date | None = Query(None),
    until: date | None = Query(None),
) -> Any:
    return [_entry_json(s) for s in service_of(request).journal(since=since, until=until)]


@router.put("/journal/{entry_id}")
def edit_journal_entry(entry_id: str, entry: JournalEntry, request: Request) -> Any:
    """Store a new revision of a check-in (earlier ones stay in its history)."""
    return _entry_json(service_of(request).edit_entry(entry_id, entry))


@router.get("/journal/{entry_id}/history")
def journal_history(entry_id: str, request: Request) -> Any:
    return [_entry_json(s) for s in service_of(request).journal_history(entry_id)]


@router.delete("/journal/{entry_id}", status_code=204)
def delete_journal_entry(entry_id: str, request: Request) -> Response:
    service_of(request).delete_entry(entry_id)
    return Response(status_code=204)


@router.get("/journal/trend")
def journal_trend(request: Request) -> Any:
    return service_of(request).pain_trend().model_dump(mode="json")


@router.post("/exercise-logs", status_code=201)
def add_exercise_log(log: ExerciseLog, request: Request) -> Any:
    stored = service_of(request).log_exercise(log)
    return {
        "id": stored.id,
        "day": stored.day.isoformat(),
        "exercise_id": stored.exercise_id,
        "sets_done": stored.sets_done,
        "reps_or_seconds": stored.reps_or_seconds,
        "note": stored.note,
    }


@router.get("/exercises/today")
def exercises_today(request: Request) -> Any:
    service = service_of(request)
    return {
        "exercises": [
            {**task.model_dump(mode="json"), "done": done} for task, done in service.exercises_for()
        ],
        "adherence": service.adherence(),
    }


@router.post("/plans", status_code=201)
def start_plan(
    request: Request,
    assessment_id: str | None = Body(None, embed=True),
    start: date | None = Body(None, embed=True),
) -> Any:
    """Start a recovery plan from an assessment (the latest by default)."""
    return service_of(request).start_plan(assessment_id, start=start).model_dump(mode="json")


@router.get("/plans/current")
def current_plan(request: Request) -> Any:
    return service_of(request).require_plan().model_dump(mode="json")


@router.get("/plans/current.ics")
def current_plan_ics(request: Request) -> Response:
    return Response(
        service_of(request).plan_ics(),
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="stridewell-plan.ics"'},
    )
