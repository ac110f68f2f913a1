"""Exercise sessions logged against the prescription."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import select

from stridewell.storage.checks import (
    require_aware,
    require_date,
    require_int,
    require_max_length,
    require_optional_date,
    require_text,
)
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.limits import (
    EXERCISE_ID_LENGTH,
)
from stridewell.storage.models import (
    ExerciseLogRow,
)
from stridewell.storage.records import StoredExerciseLog


class ExerciseRepository(Repository):
    """Exercise logs (``Store.exercises``)."""

    def add_exercise_log(
        self,
        *,
        runner_id: str,
        day: date,
        exercise_id: str,
        sets_done: int,
        reps_or_seconds: int | None,
        note: str,
        recorded_at: datetime,
    ) -> StoredExerciseLog:
        """Store one logged session; ``UnknownRunner`` if the runner does not exist."""
        record = StoredExerciseLog(
            id=uuid4().hex,
            runner_id=runner_id,
            day=require_date(day, "day"),
            exercise_id=require_max_length(exercise_id, EXERCISE_ID_LENGTH, "exercise_id"),
            sets_done=require_int(sets_done, "sets_done"),
            reps_or_seconds=(
                None if reps_or_seconds is None else require_int(reps_or_seconds, "reps_or_seconds")
            ),
            note=require_text(note, "note"),
            recorded_at=require_aware(recorded_at, "recorded_at"),
        )
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            session.add(
                ExerciseLogRow(
                    id=record.id,
                    runner_id=record.runner_id,
                    day=record.day,
                    exercise_id=record.exercise_id,
                    sets_done=record.sets_done,
                    reps_or_seconds=record.reps_or_seconds,
                    note=record.note,
                    recorded_at=record.recorded_at,
                )
            )
        return record

    def list_exercise_logs(
        self, runner_id: str, *, since: date | None = None, until: date | None = None
    ) -> list[StoredExerciseLog]:
        """The runner's logs with ``since <= day <= until``, by day, then time recorded."""
        since = require_optional_date(since, "since")
        until = require_optional_date(until, "until")
        query = (
            select(ExerciseLogRow)
            .where(ExerciseLogRow.runner_id == runner_id)
            .order_by(ExerciseLogRow.day, ExerciseLogRow.recorded_at, ExerciseLogRow.id)
        )
        if since is not None:
            query = query.where(ExerciseLogRow.day >= since)
        if until is not None:
            query = query.where(ExerciseLogRow.day <= until)
        with self._read_session() as session:
            return [_to_record(row) for row in session.scalars(query)]


def _to_record(row: ExerciseLogRow) -> StoredExerciseLog:
    return StoredExerciseLog(
        id=row.id,
        runner_id=row.runner_id,
        day=row.day,
        exercise_id=row.exercise_id,
        sets_done=row.sets_done,
        reps_or_seconds=row.reps_or_seconds,
        note=row.note,
        recorded_at=row.recorded_at,
    )
