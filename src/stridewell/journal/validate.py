"""Validate journal input from people: clear errors that name the field, nothing saved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError

from stridewell.errors import InvalidInput, field_message, validation_problem
from stridewell.journal.model import ExerciseLog, JournalEntry
from stridewell.text import day_words


def _check_day(day: date, today: date) -> None:
    if day > today:
        problem = f"{day_words(day)} is in the future (today is {day_words(today)})"
        raise InvalidInput(field_message("day", problem), field="day")


def _known_exercises(ids: list[str], known: set[str], field: str) -> None:
    unknown = sorted(set(ids) - known)
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        problem = f"no exercise is called {names}"
        raise InvalidInput(field_message(field, problem), field=field)


M = TypeVar("M", JournalEntry, ExerciseLog)


def _validated(model: type[M], data: Mapping[str, Any] | M) -> M:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "(root)"
        problem = validation_problem(error["type"], str(error["msg"]), error.get("ctx"))
        raise InvalidInput(field_message(field, problem), field=field) from exc


def parse_entry(
    data: Mapping[str, Any] | JournalEntry, *, today: date, exercises: set[str]
) -> JournalEntry:
    """A journal entry from untrusted input: 0-10 scores, a day not in the future,
    known activity types and exercise ids."""
    entry = _validated(JournalEntry, data)
    _check_day(entry.day, today)
    _known_exercises(entry.exercises_done, exercises, "exercises_done")
    return entry


def parse_exercise_log(
    data: Mapping[str, Any] | ExerciseLog, *, today: date, exercises: set[str]
) -> ExerciseLog:
    log = _validated(ExerciseLog, data)
    _check_day(log.day, today)
    _known_exercises([log.exercise_id], exercises, "exercise_id")
    return log
