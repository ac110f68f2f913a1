"""Response bodies of the REST API, so the OpenAPI document describes every response.

Reports keep the contract's fields typed and let Stridewell's extensions through
(``extra="allow"``): the contract's page in docs/ is the full description.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from stridewell.journal.model import JournalEntry
from stridewell.plan.model import Task

JsonObject = dict[str, JsonValue]


class TriageBody(BaseModel):
    level: str = Field(description="emergency, urgent, soon or self_care")
    reasons: list[str]


class ReportBody(BaseModel):
    """A triage report: the contract's object, with Stridewell's extensions."""

    model_config = ConfigDict(extra="allow")

    contract: int
    triage: TriageBody
    summary: str
    red_flags: list[JsonObject]
    conditions: list[JsonObject]
    self_care: list[str]
    shoe_features: list[str]
    exercises: list[str]
    disclaimer: str
    knowledge_base: JsonObject
    sources: list[JsonObject]


class StoredReportBody(ReportBody):
    """A stored assessment's report, with where it is stored."""

    id: str
    created_at: datetime


class Corrections(BaseModel):
    """An emergency result the runner corrected by changing an answer: both assessments
    stay stored, and each names the other."""

    corrects: str | None = Field(
        default=None, description="id of the emergency assessment this one corrects"
    )
    corrected_by: str | None = Field(
        default=None, description="id of the later assessment that corrects this emergency"
    )


class StoredAssessmentBody(StoredReportBody, Corrections):
    """A stored assessment: its report, and the original input under ``assessment``."""

    assessment: JsonObject


class AssessmentSummary(Corrections):
    id: str
    created_at: datetime
    level: str
    top_condition: str | None
    kb_version: str


class KnowledgeItem(BaseModel):
    id: str
    name: str


class RedFlagItem(KnowledgeItem):
    level: str


class KnowledgeBody(BaseModel):
    version: str
    conditions: list[KnowledgeItem]
    red_flags: list[RedFlagItem]
    citations: list[JsonObject]


class HealthBody(BaseModel):
    status: str
    knowledge_base: str


class StoredEntryBody(JournalEntry):
    """A check-in as stored: its id, revision and when this revision was recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    revision: int
    recorded_at: datetime


class ExerciseLogBody(BaseModel):
    id: str
    day: date
    exercise_id: str
    sets_done: int
    reps_or_seconds: int | None
    note: str | None


class ExerciseToday(Task):
    done: bool


class AdherenceBody(BaseModel):
    week: str
    prescribed: int
    done: int
    adherence_pct: int | None


class ExercisesTodayBody(BaseModel):
    exercises: list[ExerciseToday]
    adherence: list[AdherenceBody]


class ActivityBody(BaseModel):
    id: str
    sport: str
    sub_sport: str | None
    is_indoor: bool
    start_time: datetime
    duration_s: float
    moving_time_s: float | None
    distance_m: float | None
    elevation_gain_m: float | None
    avg_hr: float | None
    avg_cadence: float | None
    shoe_id: str | None
    gear: str | None
    source_name: str
    warnings: list[str]


class SetAsideBody(BaseModel):
    source: str
    reason: str


class ImportBody(BaseModel):
    imported: int
    files: int
    duplicates: int
    set_aside: list[SetAsideBody]
    not_read: list[SetAsideBody] = []  # files of another type, listed with the reason
    summary: str


class ShoeSaved(BaseModel):
    id: str
    brand: str
    model: str


class ShoeRetired(BaseModel):
    id: str
    retired: date | None


class RunnerBody(BaseModel):
    """The runner the request is for: their name and settings."""

    name: str
    time_zone: str | None = Field(
        description="IANA time zone name (Europe/London): the runner's today, the day each "
        "run and journal entry falls on, the times their pages show. null: the server's zone."
    )


class RunnerChange(BaseModel):
    """The settings to change; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="IANA time zone name; null for the server's zone.",
    )
