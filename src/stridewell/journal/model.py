"""The pain journal's data: one check-in, as a runner records it.

Several check-ins a day are allowed; an edit never overwrites, it adds a revision (the
storage keeps every version). Validation here is structural; whether a date lies in the
future depends on the clock and is checked where time is passed in (`validate_entry`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)

from stridewell.contract import Swelling
from stridewell.text import refuse_unstorable

PainScore = Annotated[StrictInt, Field(ge=0, le=10)]
# A day the journal can hold: nobody logs foot pain from before 1990, and a far-off year
# would make every view walk centuries of days (the future is checked with the clock).
EARLIEST_DAY = date(1990, 1, 1)
JournalDay = Annotated[date, Field(ge=EARLIEST_DAY, le=date(2999, 12, 31))]
# Text both databases can store (PostgreSQL refuses NUL): refused at the boundary.
Text = Annotated[str, AfterValidator(refuse_unstorable)]


class ActivityType(StrEnum):
    rest = "rest"
    walk = "walk"
    cross_training = "cross_training"
    run = "run"


class CheckIn(BaseModel):
    """Warning-sign questions asked at a check-in; names match the assessment contract,
    so the knowledge base's red-flag rules apply to them unchanged."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    numbness_tingling: StrictBool | None = None
    redness_warmth: StrictBool | None = None
    fever_or_unwell: StrictBool | None = None
    open_wound: StrictBool | None = None
    foot_cold_pale: StrictBool | None = None
    calf_pain_swelling: StrictBool | None = None
    deformity: StrictBool | None = None
    can_bear_weight: StrictBool | None = None
    bruising: StrictBool | None = None


class JournalEntry(BaseModel):
    """One check-in. Pain scores are 0-10 (numeric rating scale); None = not recorded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: JournalDay
    pain_rest: PainScore | None = None
    pain_morning: PainScore | None = Field(default=None, description="first steps in the morning")
    pain_during: PainScore | None = Field(default=None, description="during activity")
    pain_after: PainScore | None = Field(default=None, description="after activity")
    swelling: Swelling | None = None
    activity: ActivityType | None = None
    activity_minutes: StrictInt | None = Field(default=None, ge=0, le=600)
    exercises_done: list[Annotated[Text, Field(max_length=64)]] = Field(
        default_factory=list, max_length=50
    )
    notes: Text = Field(default="", max_length=2000)
    checkin: CheckIn = Field(default_factory=CheckIn)

    @field_validator("activity_minutes")
    @classmethod
    def _minutes_need_activity(cls, value: int | None, info: Any) -> int | None:
        if value is not None and info.data.get("activity") in (None, ActivityType.rest):
            raise ValueError("minutes need an activity other than rest")
        return value

    def worst_pain(self) -> int | None:
        """The highest pain score recorded in this check-in."""
        scores = [
            s
            for s in (self.pain_rest, self.pain_morning, self.pain_during, self.pain_after)
            if s is not None
        ]
        return max(scores) if scores else None


class StoredEntry(BaseModel):
    """A journal entry as stored: its id, revision and when it was recorded."""

    model_config = ConfigDict(frozen=True)

    id: str
    revision: int = Field(ge=1)
    recorded_at: datetime
    entry: JournalEntry


class ExerciseLog(BaseModel):
    """An exercise session logged against the prescription."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    day: JournalDay
    exercise_id: Text = Field(min_length=1, max_length=64)
    sets_done: StrictInt = Field(ge=0, le=50)
    reps_or_seconds: StrictInt | None = Field(default=None, ge=0, le=1000)
    note: Text = Field(default="", max_length=500)
