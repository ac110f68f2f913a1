"""The pain journal and exercise logs of one runner.

Every change to the journal rebuilds the active recovery plan (``after_change``), since
the plan's days follow from the check-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from stridewell.errors import NotFound
from stridewell.journal.model import ExerciseLog, JournalEntry, StoredEntry
from stridewell.journal.supersede import DayEntry, supersede
from stridewell.journal.validate import parse_entry, parse_exercise_log
from stridewell.knowledge import load_knowledge
from stridewell.service.backend import Backend

if TYPE_CHECKING:
    from stridewell.journal.trend import Trend
    from stridewell.storage.journal_repo import DayChanges
    from stridewell.storage.records import StoredExerciseLog, StoredJournalEntry

# What a caller may send as a check-in or an exercise log before it is validated.
RawInput = Mapping[str, object]


def _entry_of(stored: StoredJournalEntry) -> StoredEntry:
    return StoredEntry(
        id=stored.id,
        revision=stored.revision,
        recorded_at=stored.recorded_at,
        entry=JournalEntry.model_validate(stored.data),
    )


def _window(value: date | None, name: str) -> date:
    """A bound of a window of days (None: open); a datetime is refused, not truncated."""
    if value is None:
        return date.max if name == "until" else date.min
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date (not a datetime), got {type(value).__name__}")
    return value


def _exercise_ids() -> set[str]:
    return {e.id for e in load_knowledge().exercises}


def week_start(day: date) -> date:
    """Monday of the ISO week of `day`."""
    return day - timedelta(days=day.weekday())


class JournalService:
    """One runner's check-ins and exercise logs."""

    def __init__(
        self, backend: Backend, runner_id: str, *, after_change: Callable[[], object]
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._after_change = after_change

    def log_entry(self, data: RawInput | JournalEntry) -> StoredEntry:
        """Validate and store a check-in; the active plan is rebuilt from the journal.

        A check-in for a moment of the day already logged (morning pain twice, say)
        replaces that score: the earlier entry gets a new revision (`journal.supersede`),
        so the journal and the plan see the newest score and the history keeps the old.
        """
        backend, runner_id = self._backend, self.runner_id
        entry = parse_entry(data, today=backend.today(runner_id), exercises=_exercise_ids())

        def decide(day_entries: list[StoredJournalEntry]) -> DayChanges:
            current = [DayEntry(s.id, JournalEntry.model_validate(s.data)) for s in day_entries]
            outcome = supersede(entry, current)
            changes: list[tuple[str | None, dict[str, Any]]] = []
            if outcome.add is not None:
                changes.append((None, outcome.add.model_dump(mode="json")))
            changes += [(d.id, d.entry.model_dump(mode="json")) for d in outcome.revise]
            return changes

        written = backend.run(
            lambda store: store.journal.write_journal_day(
                runner_id=runner_id, day=entry.day, recorded_at=backend.clock(), decide=decide
            )
        )
        self._after_change()
        return _entry_of(written[0])

    def edit_entry(self, entry_id: str, data: RawInput | JournalEntry) -> StoredEntry:
        """Store a new revision of a check-in; earlier revisions stay in its history."""
        backend, runner_id = self._backend, self.runner_id
        entry = parse_entry(data, today=backend.today(runner_id), exercises=_exercise_ids())
        stored = backend.run(
            lambda store: store.journal.edit_journal_entry(
                entry_id,
                runner_id=runner_id,
                day=entry.day,
                data=entry.model_dump(mode="json"),
                recorded_at=backend.clock(),
            )
        )
        if stored is None:
            raise NotFound(f"no journal entry with id '{entry_id}'")
        self._after_change()
        return _entry_of(stored)

    def entries(self, *, since: date | None = None, until: date | None = None) -> list[StoredEntry]:
        """Check-ins (latest revision of each), by day."""
        first, last = _window(since, "since"), _window(until, "until")
        # A page asks for several windows of the same journal: the whole of it is read
        # and parsed once, kept until it changes (Backend.cached), and cut here.
        every = self._backend.cached(self.runner_id, "journal entries", self._all_entries)
        return [s for s in every if first <= s.entry.day <= last]

    def _all_entries(self) -> tuple[StoredEntry, ...]:
        runner_id = self.runner_id
        rows = self._backend.run(lambda store: store.journal.list_journal_entries(runner_id))
        return tuple(_entry_of(r) for r in rows)

    def entry_history(self, entry_id: str) -> list[StoredEntry]:
        runner_id = self.runner_id
        rows = self._backend.run(
            lambda store: store.journal.journal_entry_history(entry_id, runner_id)
        )
        if not rows:
            raise NotFound(f"no journal entry with id '{entry_id}'")
        return [_entry_of(r) for r in rows]

    def delete_entry(self, entry_id: str) -> None:
        runner_id = self.runner_id
        if not self._backend.run(
            lambda store: store.journal.delete_journal_entry(entry_id, runner_id)
        ):
            raise NotFound(f"no journal entry with id '{entry_id}'")
        self._after_change()

    def pain_trend(self) -> Trend:
        """Whether pain is getting better, over the trend's window (the last 7 days)."""
        from stridewell.journal.trend import DEFAULT_WINDOW_DAYS, pain_trend

        today = self._backend.today(self.runner_id)
        entries = self.entries(since=today - timedelta(days=DEFAULT_WINDOW_DAYS - 1))
        return pain_trend([s.entry for s in entries], today)

    # -- exercises ----------------------------------------------------------------------

    def log_exercise(self, data: RawInput | ExerciseLog) -> StoredExerciseLog:
        backend, runner_id = self._backend, self.runner_id
        log = parse_exercise_log(data, today=backend.today(runner_id), exercises=_exercise_ids())
        return backend.run(
            lambda store: store.exercises.add_exercise_log(
                runner_id=runner_id,
                day=log.day,
                exercise_id=log.exercise_id,
                sets_done=log.sets_done,
                reps_or_seconds=log.reps_or_seconds,
                note=log.note,
                recorded_at=backend.clock(),
            )
        )

    def exercise_logs(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[StoredExerciseLog]:
        first, last = _window(since, "since"), _window(until, "until")
        runner_id = self.runner_id

        def read_all() -> tuple[StoredExerciseLog, ...]:
            return tuple(self._backend.run(lambda s: s.exercises.list_exercise_logs(runner_id)))

        every = self._backend.cached(runner_id, "exercise logs", read_all)
        return [log for log in every if first <= log.day <= last]
