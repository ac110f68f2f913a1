"""The pain journal: entries whose edits add revisions instead of overwriting.

An entry is a row in ``journal_entries`` (identity, owner, current day) plus one row per
version in ``journal_revisions``; the entry's content is opaque JSON to storage (the
service layer converts ``JournalEntry`` models to and from it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, cast
from uuid import uuid4

from sqlalchemy import CursorResult, Select, bindparam, delete, func, select, update
from sqlalchemy.orm import Session, aliased

from stridewell.storage.checks import (
    as_stored_json_object,
    require_aware,
    require_date,
    require_optional_date,
)
from stridewell.storage.core import Repository, ensure_runner_exists, lock_runner
from stridewell.storage.models import JournalEntryRow, JournalRevisionRow
from stridewell.storage.records import StoredJournalEntry

Entry = JournalEntryRow
Revision = JournalRevisionRow

# Every query yields these columns, in this order, for _to_record.
_RECORD_COLUMNS = (
    Entry.id,
    Entry.runner_id,
    Revision.day,
    Revision.revision,
    Revision.recorded_at,
    Revision.data,
)

# What a day's check-in changes, decided from that day's entries as they stand: one
# (entry id, data) per write, the id None for a new entry; the first is the check-in.
DayChanges = Sequence[tuple[str | None, dict[str, Any]]]


class JournalRepository(Repository):
    """Journal entries with their edit history (``Store.journal``)."""

    def add_journal_entry(
        self, *, runner_id: str, day: date, data: dict[str, Any], recorded_at: datetime
    ) -> StoredJournalEntry:
        """Store a new entry as revision 1; several entries per day are allowed.

        Raises TypeError/ValueError for input the backends would store differently, and
        ``UnknownRunner`` if ``runner_id`` does not exist (the local runner always does).
        """
        day = require_date(day, "day")
        recorded_at = require_aware(recorded_at, "recorded_at")
        stored_data = as_stored_json_object(data, "data")
        entry_id = uuid4().hex
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            session.add(Entry(id=entry_id, runner_id=runner_id, day=day, created_at=recorded_at))
            # Flushed first: the revision's foreign key needs the entry.
            session.flush()
            session.add(
                Revision(
                    entry_id=entry_id,
                    revision=1,
                    day=day,
                    recorded_at=recorded_at,
                    data=stored_data,
                )
            )
        return StoredJournalEntry(entry_id, runner_id, day, 1, recorded_at, stored_data)

    def edit_journal_entry(
        self,
        entry_id: str,
        *,
        runner_id: str,
        day: date,
        data: dict[str, Any],
        recorded_at: datetime,
    ) -> StoredJournalEntry | None:
        """Add the next revision of the entry (the old ones stay); its day may change.

        None if the runner has no entry with that id (another runner's entry included).
        """
        day = require_date(day, "day")
        recorded_at = require_aware(recorded_at, "recorded_at")
        stored_data = as_stored_json_object(data, "data")
        with self._write_session() as session:
            # The row lock makes concurrent edits of one entry take turns, so each reads
            # the revision number the previous one wrote (PostgreSQL; SQLite's write
            # transactions are serial anyway).
            entry = session.scalars(
                select(Entry)
                .where(Entry.id == entry_id, Entry.runner_id == runner_id)
                .with_for_update(key_share=True)
            ).one_or_none()
            if entry is None:
                return None
            latest = session.scalar(
                select(func.max(Revision.revision)).where(Revision.entry_id == entry_id)
            )
            revision = (latest or 0) + 1
            entry.day = day
            session.add(
                Revision(
                    entry_id=entry_id,
                    revision=revision,
                    day=day,
                    recorded_at=recorded_at,
                    data=stored_data,
                )
            )
        return StoredJournalEntry(entry_id, runner_id, day, revision, recorded_at, stored_data)

    def write_journal_day(
        self,
        *,
        runner_id: str,
        day: date,
        recorded_at: datetime,
        decide: Callable[[list[StoredJournalEntry]], DayChanges],
    ) -> list[StoredJournalEntry]:
        """Read the day's entries (latest revisions) and write what ``decide`` makes of
        them, in one transaction that holds the runner's lock: two check-ins for the same
        moment, sent at once, cannot both miss each other.

        ``decide`` is pure (no database): it returns new entries (id None) and new
        revisions of the day's entries; another id is refused with ``ValueError``.
        Returns the written records in ``decide``'s order.
        """
        day = require_date(day, "day")
        recorded_at = require_aware(recorded_at, "recorded_at")
        with self._write_session() as session:
            lock_runner(session, runner_id)
            today = [
                _to_record(row)
                for row in session.execute(
                    _LATEST.where(Entry.day == day), {"runner_id": runner_id}
                )
            ]
            known = {entry.id for entry in today}
            written = []
            for entry_id, data in decide(today):
                stored_data = as_stored_json_object(data, "data")
                if entry_id is None:
                    written.append(_add(session, runner_id, day, stored_data, recorded_at))
                elif entry_id in known:
                    written.append(_revise(session, entry_id, runner_id, day, stored_data,
                                           recorded_at))  # fmt: skip
                else:
                    raise ValueError(f"entry '{entry_id}' is not one of the day's entries")
            return written

    def list_journal_entries(
        self, runner_id: str, *, since: date | None = None, until: date | None = None
    ) -> list[StoredJournalEntry]:
        """The latest revision of each of the runner's entries with ``since <= day <= until``.

        Ordered by day, then by when each entry was first recorded (an edit does not move
        an entry within its day), then by id, so the order is always the same.
        """
        since = require_optional_date(since, "since")
        until = require_optional_date(until, "until")
        query = _LATEST
        if since is not None:
            query = query.where(Entry.day >= since)
        if until is not None:
            query = query.where(Entry.day <= until)
        with self._read_session() as session:
            return [_to_record(row) for row in session.execute(query, {"runner_id": runner_id})]

    def journal_entry_history(self, entry_id: str, runner_id: str) -> list[StoredJournalEntry]:
        """Every revision of the entry, oldest first; empty if the runner has no such entry."""
        query = (
            _select_records()
            .where(Entry.id == entry_id, Entry.runner_id == runner_id)
            .order_by(Revision.revision)
        )
        with self._read_session() as session:
            return [_to_record(row) for row in session.execute(query)]

    def delete_journal_entry(self, entry_id: str, runner_id: str) -> bool:
        """Delete the entry with all its revisions; False if the runner has no such entry."""
        with self._write_session() as session:
            # Revisions go with it (ON DELETE CASCADE).
            result = session.execute(
                delete(Entry).where(Entry.id == entry_id, Entry.runner_id == runner_id)
            )
            return cast(CursorResult[Any], result).rowcount == 1


def _add(
    session: Session, runner_id: str, day: date, data: dict[str, Any], recorded_at: datetime
) -> StoredJournalEntry:
    entry_id = uuid4().hex
    session.add(Entry(id=entry_id, runner_id=runner_id, day=day, created_at=recorded_at))
    # Flushed first: the revision's foreign key needs the entry.
    session.flush()
    session.add(Revision(entry_id=entry_id, revision=1, day=day, recorded_at=recorded_at,
                         data=data))  # fmt: skip
    session.flush()
    return StoredJournalEntry(entry_id, runner_id, day, 1, recorded_at, data)


def _revise(
    session: Session,
    entry_id: str,
    runner_id: str,
    day: date,
    data: dict[str, Any],
    recorded_at: datetime,
) -> StoredJournalEntry:
    """The entry's next revision (the caller holds the entry, or its runner, locked)."""
    # The entry's row first: an edit of it (which locks the entry, not the runner) may
    # be adding a revision right now; its number is read once that edit has committed.
    session.execute(update(Entry).where(Entry.id == entry_id).values(day=day))
    latest = session.scalar(
        select(func.max(Revision.revision)).where(Revision.entry_id == entry_id)
    )
    revision = (latest or 0) + 1
    session.add(Revision(entry_id=entry_id, revision=revision, day=day,
                         recorded_at=recorded_at, data=data))  # fmt: skip
    session.flush()
    return StoredJournalEntry(entry_id, runner_id, day, revision, recorded_at, data)


def _select_records() -> Select[Any]:
    return select(*_RECORD_COLUMNS).join(Revision, Revision.entry_id == Entry.id)


def _to_record(row: Any) -> StoredJournalEntry:
    entry_id, runner_id, day, revision, recorded_at, data = row
    return StoredJournalEntry(entry_id, runner_id, day, revision, recorded_at, data)


def _latest_of_runner() -> Select[Any]:
    """The latest revision of each entry of the runner named by the bound parameter
    ``runner_id``, by day, then first recording. Built once: constructing it (an aliased
    correlated subquery) cost more than running it."""
    newer = aliased(Revision)
    latest_revision = (
        select(func.max(newer.revision)).where(newer.entry_id == Entry.id).scalar_subquery()
    )
    return (
        _select_records()
        .where(Entry.runner_id == bindparam("runner_id"), Revision.revision == latest_revision)
        .order_by(Entry.day, Entry.created_at, Entry.id)
    )


_LATEST = _latest_of_runner()
