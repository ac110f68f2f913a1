"""Recovery: the pain journal, exercise logs and the recovery plan they drive."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from stridewell.errors import InvalidInput, NotFound
from stridewell.journal.model import ExerciseLog, JournalEntry, StoredEntry
from stridewell.journal.validate import parse_entry, parse_exercise_log
from stridewell.knowledge import load_knowledge
from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from stridewell.storage.records import StoredExerciseLog, StoredJournalEntry
    from stridewell.storage.repository import Store


def _entry_of(stored: StoredJournalEntry) -> StoredEntry:
    return StoredEntry(
        id=stored.id,
        revision=stored.revision,
        recorded_at=stored.recorded_at,
        entry=JournalEntry.model_validate(stored.data),
    )


class RecoveryMixin:
    """Journal, exercises and plan; mixed into `Stridewell`, which provides the rest."""

    if TYPE_CHECKING:  # provided by Stridewell
        clock: Callable[[], datetime]

        @property
        def store(self) -> Store: ...

        def today(self) -> date: ...

        def _with_schema(self, action: Callable[[], Any]) -> Any: ...

    # -- journal ------------------------------------------------------------------------

    def _exercise_ids(self) -> set[str]:
        return {e.id for e in load_knowledge().exercises}

    def log_entry(
        self, data: Mapping[str, Any] | JournalEntry, *, runner_id: str = LOCAL_RUNNER_ID
    ) -> StoredEntry:
        """Validate and store a check-in; the active plan is rebuilt from the journal."""
        entry = parse_entry(data, today=self.today(), exercises=self._exercise_ids())
        stored = self._with_schema(
            lambda: self.store.add_journal_entry(
                runner_id=runner_id,
                day=entry.day,
                data=entry.model_dump(mode="json"),
                recorded_at=self.clock(),
            )
        )
        self._after_journal_change(runner_id)
        return _entry_of(stored)

    def edit_entry(
        self,
        entry_id: str,
        data: Mapping[str, Any] | JournalEntry,
        *,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> StoredEntry:
        """Store a new revision of a check-in; earlier revisions stay in its history."""
        entry = parse_entry(data, today=self.today(), exercises=self._exercise_ids())
        stored = self._with_schema(
            lambda: self.store.edit_journal_entry(
                entry_id,
                runner_id=runner_id,
                day=entry.day,
                data=entry.model_dump(mode="json"),
                recorded_at=self.clock(),
            )
        )
        if stored is None:
            raise NotFound(f"no journal entry with id '{entry_id}'")
        self._after_journal_change(runner_id)
        return _entry_of(stored)

    def journal(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> list[StoredEntry]:
        """Check-ins (latest revision of each), by day."""
        rows: list[StoredJournalEntry] = self._with_schema(
            lambda: self.store.list_journal_entries(runner_id, since=since, until=until)
        )
        return [_entry_of(r) for r in rows]

    def journal_history(
        self, entry_id: str, *, runner_id: str = LOCAL_RUNNER_ID
    ) -> list[StoredEntry]:
        rows: list[StoredJournalEntry] = self._with_schema(
            lambda: self.store.journal_entry_history(entry_id, runner_id)
        )
        if not rows:
            raise NotFound(f"no journal entry with id '{entry_id}'")
        return [_entry_of(r) for r in rows]

    def delete_entry(self, entry_id: str, *, runner_id: str = LOCAL_RUNNER_ID) -> None:
        if not self._with_schema(lambda: self.store.delete_journal_entry(entry_id, runner_id)):
            raise NotFound(f"no journal entry with id '{entry_id}'")
        self._after_journal_change(runner_id)

    # -- exercises ----------------------------------------------------------------------

    def log_exercise(
        self, data: Mapping[str, Any] | ExerciseLog, *, runner_id: str = LOCAL_RUNNER_ID
    ) -> StoredExerciseLog:
        log = parse_exercise_log(data, today=self.today(), exercises=self._exercise_ids())
        stored: StoredExerciseLog = self._with_schema(
            lambda: self.store.add_exercise_log(
                runner_id=runner_id,
                day=log.day,
                exercise_id=log.exercise_id,
                sets_done=log.sets_done,
                reps_or_seconds=log.reps_or_seconds,
                note=log.note,
                recorded_at=self.clock(),
            )
        )
        return stored

    def exercise_logs(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> list[StoredExerciseLog]:
        rows: list[StoredExerciseLog] = self._with_schema(
            lambda: self.store.list_exercise_logs(runner_id, since=since, until=until)
        )
        return rows

    # -- plan (filled in by the plan section) -------------------------------------------

    def _after_journal_change(self, runner_id: str) -> None:
        """Rebuild the active plan's stored days after the journal changed."""
        refresh = getattr(self, "refresh_plan", None)
        if refresh is not None:
            refresh(runner_id=runner_id)


def week_start(day: date) -> date:
    """Monday of the ISO week of `day`."""
    return day - timedelta(days=day.weekday())


def require_range(since: date | None, until: date | None) -> None:
    if since and until and since > until:
        raise InvalidInput("'since' must not be after 'until'", field="since")
