"""The handover summary: what a runner brings to a clinician, as typed, frozen records.

Built by `build_summary` (pure); the PDF and the FHIR export both read it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stridewell.contract import Assessment
from stridewell.levels import Level

_FROZEN = ConfigDict(frozen=True, extra="forbid")

SelfTestResult = Literal["positive", "negative"]


class SelfTest(BaseModel):
    """A test the runner did on themselves, and what it showed."""

    model_config = _FROZEN

    field: str
    name: str
    result: SelfTestResult
    detail: str = ""


class Presentation(BaseModel):
    """The history in clinical words; None or empty means not asked or not known."""

    model_config = _FROZEN

    side: str | None
    sites: list[str]
    pain_score: int | None
    onset: str | None
    duration: str | None
    course: str | None
    timing: list[str]
    quality: list[str]
    swelling: str | None
    associated: list[str]
    denied: list[str] = Field(description="warning features the runner said are absent")
    self_tests: list[SelfTest]
    bone_tenderness: list[str]
    background: list[str]
    patient: str | None = Field(description="age and sex, as known")


class WarningSign(BaseModel):
    model_config = _FROZEN

    id: str
    name: str
    level: Level
    level_words: str = Field(description="the level's label in the vocabulary")
    because: list[str]
    advice: str


class Cause(BaseModel):
    """A ranked condition with its findings and its SNOMED CT concept."""

    model_config = _FROZEN

    rank: int = Field(ge=1)
    id: str
    name: str
    likelihood: float = Field(ge=0, le=1)
    likelihood_words: str = Field(description="'most likely', 'possible', 'less likely'")
    for_: list[str]
    against: list[str]
    # None for a cause that is no clinical condition (ordinary training soreness).
    snomed_code: str | None = None
    snomed_term: str | None = None
    snomed_match: Literal["exact", "broader"] | None = None


class PainDay(BaseModel):
    model_config = _FROZEN

    day: date
    worst: int = Field(ge=0, le=10)
    morning: int | None = None
    rest: int | None = None


class Journal(BaseModel):
    """The pain journal of the window: one worst score per day, and its trend."""

    model_config = _FROZEN

    days: list[PainDay]
    check_ins: int = Field(ge=0)
    trend: str = Field(description="the trend's direction in words")
    trend_method: str
    latest: PainDay | None


class TrainingWeek(BaseModel):
    model_config = _FROZEN

    monday: date
    label: str
    km: float = Field(ge=0)
    runs: int = Field(ge=0)
    longest_km: float = Field(ge=0)
    change_pct: float | None = Field(description="against the week before, both complete")
    spikes: int = Field(ge=0, description="runs >10 % longer than the longest of 30 days")


class SpikeRun(BaseModel):
    """A run more than 10 % longer than the longest run of the 30 days before it."""

    model_config = _FROZEN

    day: date
    km: float
    previous_longest_km: float
    pct: float
    band: str


class SurfaceShare(BaseModel):
    model_config = _FROZEN

    surface: str
    km: float = Field(ge=0)
    runs: int = Field(ge=0)


class Training(BaseModel):
    model_config = _FROZEN

    weeks: list[TrainingWeek]
    spikes: list[SpikeRun]
    surfaces: list[SurfaceShare]
    stated_surface: str | None = Field(description="the usual surface the runner gave")
    daily_km: list[tuple[date, float]]
    total_km: float = Field(ge=0)


class ShoeRow(BaseModel):
    model_config = _FROZEN

    id: str
    name: str
    km: float = Field(ge=0)
    check_km: float
    replace_km: float
    retired: bool
    status: Literal["ok", "check", "replace", "retired"]
    last_run: date | None


class PhaseReached(BaseModel):
    model_config = _FROZEN

    phase: str
    words: str
    first: date
    last: date


class Tried(BaseModel):
    """The recovery plan so far: phases reached and how often the exercises were done."""

    model_config = _FROZEN

    plan_start: date | None
    phases: list[PhaseReached]
    current_phase: str | None
    exercise_days_prescribed: int = Field(ge=0)
    exercise_days_done: int = Field(ge=0)
    referral: str | None

    @property
    def adherence_pct(self) -> int | None:
        if not self.exercise_days_prescribed:
            return None
        return round(100 * self.exercise_days_done / self.exercise_days_prescribed)


class AnswerChanged(BaseModel):
    """One answer of a corrected emergency: as first given, and as given afterwards."""

    model_config = _FROZEN

    question: str
    before: str
    after: str
    words: str = Field(description="the change as one plain sentence")


class Correction(BaseModel):
    """The handed-over assessment has a part in an emergency the runner corrected: it is
    the emergency ("corrected", the runner changed an answer afterwards) or the assessment
    that corrects one ("corrects"). Both stay stored; neither is hidden."""

    model_config = _FROZEN

    role: Literal["corrected", "corrects"]
    other_assessment_id: str
    other_assessed_at: datetime
    text: str = Field(description="the mark, in plain words, with the other's time")
    changes: list[AnswerChanged]


class HandoverSummary(BaseModel):
    """Everything the handover PDF and the FHIR export say, in one record."""

    model_config = _FROZEN

    assessment_id: str
    assessed_at: datetime
    prepared_on: date
    window_start: date
    assessment: Assessment
    level: Level
    level_words: str
    level_reasons: list[str]
    report_summary: str
    presentation: Presentation
    warning_signs: list[WarningSign]
    unanswered_safety_questions: list[str]
    causes: list[Cause]
    journal: Journal
    training: Training
    shoes: list[ShoeRow]
    tried: Tried
    questions: list[str]
    disclaimer: str
    kb_version: str
    correction: Correction | None = None

    @property
    def other_level_reasons(self) -> list[str]:
        """The level's reasons that do not restate a warning sign (an escalation rule, the
        leading condition's minimum level): the warning signs are listed on their own."""
        names = tuple(w.name for w in self.warning_signs)
        return [r for r in self.level_reasons if not names or not r.startswith(names)]
