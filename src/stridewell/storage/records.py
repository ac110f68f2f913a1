"""Plain records handed out by the storage package.

Domain code receives these instead of ORM objects, so nothing outside ``storage``
needs SQLAlchemy, and a record stays valid after its session is gone. Datetimes are always
timezone-aware (UTC); JSON fields hold exactly what reads back from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypedDict

LOCAL_RUNNER_ID = "local"
LOCAL_RUNNER_NAME = "Local runner"
# The demo runner (``demo_repo``): made-up data of its own, never a real runner's.
DEMO_RUNNER_ID = "demo"
DEMO_RUNNER_NAME = "Demo runner"

# A plan's status: a runner has at most one active plan; creating a new one ends it.
PLAN_ACTIVE = "active"
PLAN_ENDED = "ended"

# An account's role: a coach may view the runners who shared their data with them.
ROLE_RUNNER = "runner"
ROLE_COACH = "coach"
ACCOUNT_ROLES = (ROLE_RUNNER, ROLE_COACH)


@dataclass(frozen=True, slots=True)
class AssessmentToStore:
    """An assessment with its triage report, as the service hands it to storage."""

    assessment: dict[str, Any]
    report: dict[str, Any]
    level: str
    top_condition: str | None
    kb_version: str
    rules_fired: list[str]
    created_at: datetime
    # The emergency assessment of the same runner this one corrects: set by the service
    # only from the web's "Change my last answer" flow, after checking it (see
    # ``service.assessments``); storage drops a link to another runner's assessment or
    # to one already corrected.
    corrects_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """An assessment as saved: the contract input, its triage report and summary columns.

    ``created_at`` is always timezone-aware (UTC). ``corrects_id`` names the earlier
    emergency assessment this one corrects (the runner changed an answer given by
    mistake); ``corrected_by_id`` and ``corrected_at`` name the later assessment that
    corrects this one. Both are None for an assessment nobody corrected.
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
    corrects_id: str | None = None
    corrected_by_id: str | None = None
    corrected_at: datetime | None = None


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


# A shoe's mileage alerts unless set otherwise: check it at 500 km, replace it by 800 km.
DEFAULT_CHECK_KM = 500.0
DEFAULT_REPLACE_KM = 800.0


class ImportedFile(TypedDict):
    """A source file an import read: its SHA-256 (hex), its name, how many activities."""

    digest: str
    source_name: str
    activities: int


class _ActivityRequired(TypedDict):
    source_format: str
    sport: str
    is_indoor: bool
    start_time: datetime
    duration_s: float
    moving_time_s: float
    distance_m: float
    source_name: str
    fingerprint: str


class ActivityToStore(_ActivityRequired, total=False):
    """An imported activity as the import service hands it to ``add_activities``: the
    decoded ``Activity``'s summary, its samples in the compact codec, the shoe it was
    run in and where its original file is kept (relative to the runner's originals)."""

    sub_sport: str | None
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    name: str | None
    device: str | None
    gear: str | None
    shoe_id: str | None
    external_id: str | None
    warnings: list[str]
    samples: bytes | None
    original_path: str | None


@dataclass(frozen=True, slots=True)
class StoredActivity:
    """An imported activity as stored: its summary, where it came from, and its samples.

    Units are seconds, metres, beats and steps (or revolutions) per minute; ``start_time``
    and ``imported_at`` are timezone-aware (UTC). ``samples`` is the service's compact
    encoding, exactly the bytes it stored; it is None unless asked for
    (``get_activity(..., with_samples=True)``) or when there are none, which
    ``has_samples`` tells apart. ``shoe_id`` becomes None when that shoe is deleted.
    """

    id: str
    runner_id: str
    source_format: str
    sport: str
    sub_sport: str | None
    is_indoor: bool
    start_time: datetime
    duration_s: float
    moving_time_s: float
    distance_m: float
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    name: str | None
    device: str | None
    gear: str | None
    shoe_id: str | None
    source_name: str
    external_id: str | None
    fingerprint: str
    warnings: list[str]
    imported_at: datetime
    original_path: str | None
    has_samples: bool
    samples: bytes | None = None


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    """The columns training load and shoe mileage need, and nothing else.

    ``start_time`` is UTC; the calendar day is the caller's to derive, in the runner's
    own time zone.
    """

    id: str
    start_time: datetime
    sport: str
    sub_sport: str | None
    is_indoor: bool
    distance_m: float
    duration_s: float
    shoe_id: str | None
    gear: str | None


@dataclass(frozen=True, slots=True)
class AddActivitiesResult:
    """What ``add_activities`` did, both lists in the order of the rows given.

    ``inserted_ids`` holds the ids of the rows stored. ``duplicate_fingerprints`` has one
    entry per row skipped because the runner already had its fingerprint (stored before,
    or earlier in the same call): a fingerprint appears once per skipped row.
    """

    inserted_ids: list[str]
    duplicate_fingerprints: list[str]


class ShoeFields(TypedDict, total=False):
    """What ``add_shoe`` and ``update_shoe`` accept; ``add_shoe`` needs brand, model, type."""

    brand: str
    model: str
    type: str
    nickname: str | None
    started: date | None
    retired: date | None
    is_default: bool
    check_km: float
    replace_km: float
    start_km: float
    strava_gear: str | None


@dataclass(frozen=True, slots=True)
class StoredShoe:
    """A pair of shoes. ``check_km``/``replace_km`` are its mileage alerts and
    ``start_km`` the km it had run before it was tracked; a retired shoe has a
    ``retired`` date and is never the default. ``strava_gear`` is the gear name of an
    export that maps to this pair."""

    id: str
    runner_id: str
    brand: str
    model: str
    type: str
    nickname: str | None
    started: date | None
    retired: date | None
    is_default: bool
    check_km: float
    replace_km: float
    start_km: float
    strava_gear: str | None
    created_at: datetime

    @property
    def is_retired(self) -> bool:
        return self.retired is not None


@dataclass(frozen=True, slots=True)
class StoredAccount:
    """A login account: one per runner, who is ``name``. ``email`` is lower-cased and
    stripped; ``password_hash`` is whatever the caller hashed (kept out of ``repr`` so
    that it never lands in a log)."""

    runner_id: str
    email: str
    name: str
    role: str
    password_hash: str = field(repr=False)
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True, slots=True)
class StoredRunner:
    """A runner as their settings show them: their name, and their IANA time zone (None:
    the machine's)."""

    id: str
    name: str
    time_zone: str | None


@dataclass(frozen=True, slots=True)
class StoredShare:
    """A runner's invitation for a coach to view their data.

    Pending until a coach accepts it (``coach_id``/``coach_name``/``accepted_at`` set),
    and it stops counting once ``revoked_at`` is set. The invite token's hash is never
    handed out.
    """

    id: str
    runner_id: str
    runner_name: str
    coach_id: str | None
    coach_name: str | None
    created_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        """Accepted and not revoked: the coach may view the runner's data."""
        return self.accepted_at is not None and self.revoked_at is None
