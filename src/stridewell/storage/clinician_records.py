"""The records of clinician notes, in plain Python (no SQLAlchemy): the service hands
them out, and the web app and the CLI read them through ``stridewell.service.records``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Restriction = Literal["none", "reduced", "no_running"]
RESTRICTIONS: tuple[Restriction, ...] = ("none", "reduced", "no_running")


@dataclass(frozen=True, slots=True)
class ClinicianNoteToStore:
    """What an author records; ``condition_id`` None means "other", said in
    ``condition_text``. ``restrict_until`` is set for "no_running" only."""

    author_id: str
    author_name: str
    condition_id: str | None
    condition_text: str
    restriction: Restriction
    restrict_until: date | None
    note: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class StoredClinicianNote:
    id: str
    runner_id: str
    author_id: str | None  # None once the author's account is deleted; the name stays
    author_name: str
    condition_id: str | None
    condition_text: str
    restriction: Restriction
    restrict_until: date | None
    note: str
    recorded_at: datetime
