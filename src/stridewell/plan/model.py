"""The recovery plan's data: a plan, its days, their tasks, and a referral.

Everything here is plain, serialisable data (pydantic, frozen): the engine builds it, the
CLI, the REST API, the calendar export and the storage only read it. A plan day carries
the rule that put it there, so nothing a runner sees is unexplained.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stridewell.contract import Level
from stridewell.journal.trend import Trend

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Phase(StrEnum):
    """Where a day sits on the way back to running, in order (see_clinician stands apart)."""

    protect = "protect"
    mobilise = "mobilise"
    test_jog = "test_jog"
    return_to_run = "return_to_run"
    continuous_running = "continuous_running"
    see_clinician = "see_clinician"


RUNNING_PHASES = frozenset({Phase.test_jog, Phase.return_to_run, Phase.continuous_running})


class TaskKind(StrEnum):
    rest = "rest"
    ice = "ice"
    compression = "compression"
    elevation = "elevation"
    footwear = "footwear"
    log_pain = "log_pain"
    mobility = "mobility"
    cross_training = "cross_training"
    foam_roll = "foam_roll"
    contrast_bath = "contrast_bath"
    compression_socks = "compression_socks"
    test_jog = "test_jog"
    run = "run"
    warm_up = "warm_up"
    cool_down = "cool_down"
    strength = "strength"
    exercise = "exercise"
    caution = "caution"
    see_clinician = "see_clinician"


RUN_KINDS = frozenset({TaskKind.test_jog, TaskKind.run})


class DayStatus(StrEnum):
    past = "past"
    today = "today"
    ahead = "ahead"


class Task(BaseModel):
    """One thing to do on a plan day, in Stridewell's own words, with its sources."""

    model_config = _FROZEN

    kind: TaskKind
    text: str = Field(min_length=3)
    exercise_id: str | None = None
    dose: str | None = None
    minutes: int | None = Field(default=None, ge=1, le=600)
    sources: list[str] = Field(min_length=1)


class DayRule(BaseModel):
    """Why a day is what it is: the rule's id, its plain explanation and the evidence."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    why: str
    detail: str = Field(default="", description="the numbers from the journal, if any")
    sources: list[str] = Field(min_length=1)


class PlanDay(BaseModel):
    model_config = _FROZEN

    day: date
    day_number: int = Field(ge=1)
    phase: Phase
    tasks: list[Task]
    rule: DayRule
    status: DayStatus

    def run_minutes(self) -> int | None:
        """Minutes of running prescribed for the day (walk breaks excluded), if any."""
        minutes = [t.minutes for t in self.tasks if t.kind in RUN_KINDS and t.minutes]
        return max(minutes) if minutes else None

    def is_test_jog(self) -> bool:
        return any(t.kind is TaskKind.test_jog for t in self.tasks)


class Referral(BaseModel):
    """Stop self-care and see a clinician: who, how soon, and why."""

    model_config = _FROZEN

    level: Level = Field(description="how soon: emergency today, urgent in 1-2 days, soon")
    clinicians: list[str] = Field(min_length=1)
    reasons: list[str] = Field(min_length=1)
    rule: str
    since: date
    sources: list[str] = Field(min_length=1)


class ClinicianDecision(BaseModel):
    """A clinician's word the plan follows instead of the questionnaire's ranking: the
    confirmed condition (None for a diagnosis outside the knowledge base, named in
    `condition_text`) and a running restriction."""

    model_config = _FROZEN

    condition_id: str | None
    condition_text: str = ""
    restriction: Literal["none", "reduced", "no_running"] = "none"
    until: date | None = Field(default=None, description="no running before this day")
    recorded_on: date
    author: str = Field(min_length=1)


class Plan(BaseModel):
    """A recovery plan as of `today`: the days so far (as the journal shaped them) and
    the days ahead (as they will be if every check passes)."""

    model_config = _FROZEN

    start: date
    today: date
    level: Level = Field(description="the triage report's level")
    condition_id: str | None = Field(description="the report's leading condition, if known")
    phase: Phase = Field(description="today's phase")
    referral: Referral | None
    days: list[PlanDay]
    kb_version: str
    rules_version: str = Field(description="version of the plan rules (plan.yaml)")
    trend: Trend
    clinician: ClinicianDecision | None = Field(
        default=None, description="the clinician's diagnosis and restriction it follows"
    )

    def day_of(self, when: date) -> PlanDay | None:
        """The plan day for a date, if the plan covers it."""
        index = (when - self.start).days
        if 0 <= index < len(self.days):
            return self.days[index]
        return None
