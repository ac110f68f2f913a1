"""Clinicians' and coaches' word on a runner: confirmed diagnosis, restriction, note.

Written by an author the runner shares with (the service checks the share); kept in
the runner's history with the author's name after the share is withdrawn.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast
from uuid import uuid4

from sqlalchemy import select

from stridewell.storage.checks import (
    require_aware,
    require_max_length,
    require_optional_date,
    require_text,
)
from stridewell.storage.clinician_records import (
    RESTRICTIONS,
    ClinicianNoteToStore,
    Restriction,
    StoredClinicianNote,
)
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.limits import ID_LENGTH, RUNNER_NAME_LENGTH, TOP_CONDITION_LENGTH
from stridewell.storage.models import ClinicianNoteRow


class ClinicianNoteRepository(Repository):
    """Clinician notes (``Store.clinician``)."""

    def add_note(self, runner_id: str, note: ClinicianNoteToStore) -> StoredClinicianNote:
        """Store a note on the runner; ``UnknownRunner`` if the runner does not exist."""
        if note.restriction not in RESTRICTIONS:
            raise ValueError(f"restriction must be one of {RESTRICTIONS}")
        if (note.restriction == "no_running") != (note.restrict_until is not None):
            raise ValueError("restrict_until goes with 'no_running', and only with it")
        if note.condition_id is not None:
            require_max_length(note.condition_id, TOP_CONDITION_LENGTH, "condition_id")
        record = StoredClinicianNote(
            id=uuid4().hex,
            runner_id=runner_id,
            author_id=require_max_length(note.author_id, ID_LENGTH, "author_id"),
            author_name=require_max_length(note.author_name, RUNNER_NAME_LENGTH, "author_name"),
            condition_id=note.condition_id,
            condition_text=require_text(note.condition_text, "condition_text"),
            restriction=note.restriction,
            restrict_until=require_optional_date(note.restrict_until, "restrict_until"),
            note=require_text(note.note, "note"),
            recorded_at=require_aware(note.recorded_at, "recorded_at"),
        )
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            session.add(
                ClinicianNoteRow(
                    id=record.id,
                    runner_id=record.runner_id,
                    author_id=record.author_id,
                    author_name=record.author_name,
                    condition_id=record.condition_id,
                    condition_text=record.condition_text,
                    restriction=record.restriction,
                    restrict_until=record.restrict_until,
                    note=record.note,
                    recorded_at=record.recorded_at,
                )
            )
        return record

    def list_notes(self, runner_id: str) -> list[StoredClinicianNote]:
        """The runner's notes, newest first."""
        query = (
            select(ClinicianNoteRow)
            .where(ClinicianNoteRow.runner_id == runner_id)
            .order_by(ClinicianNoteRow.recorded_at.desc(), ClinicianNoteRow.id.desc())
        )
        with self._read_session() as session:
            return [_to_record(row) for row in session.scalars(query)]

    def latest_note(
        self, runner_id: str, *, since: datetime | None = None
    ) -> StoredClinicianNote | None:
        """The runner's newest note; with ``since``, only one recorded at or after it (a
        note belongs to the episode it was recorded in)."""

        def read() -> StoredClinicianNote | None:
            query = (
                select(ClinicianNoteRow)
                .where(ClinicianNoteRow.runner_id == runner_id)
                .order_by(ClinicianNoteRow.recorded_at.desc(), ClinicianNoteRow.id.desc())
                .limit(1)
            )
            if since is not None:
                query = query.where(ClinicianNoteRow.recorded_at >= require_aware(since, "since"))
            with self._read_session() as session:
                row = session.scalars(query).first()
                return None if row is None else _to_record(row)

        # The plan and the running plan both ask, on the same pages.
        return self._once_per_request(("latest note", runner_id, since), read)


def _to_record(row: ClinicianNoteRow) -> StoredClinicianNote:
    return StoredClinicianNote(
        id=row.id,
        runner_id=row.runner_id,
        author_id=row.author_id,
        author_name=row.author_name,
        condition_id=row.condition_id,
        condition_text=row.condition_text,
        restriction=cast(Restriction, row.restriction),
        restrict_until=row.restrict_until,
        note=row.note,
        recorded_at=row.recorded_at,
    )
