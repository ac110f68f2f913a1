"""The running plan's data: targets, a goal, the runs done, and the plan's weeks and days.

Plain, frozen pydantic records: the planner builds them; the web, CLI, API, calendar and
FIT export only read them. Distances are kilometres with one decimal (the planner works in
whole hectometres, so the 110 % rule holds exactly, without floating-point slack). Every
day and week carries the reasons that made it so, in plain words, with their sources.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stridewell.plan.model import DayStatus

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Mode(StrEnum):
    back_to_running = "back_to_running"  # after a recovery plan: pain-gated
    prevention = "prevention"  # a runner without pain, towards targets or a goal


class SessionKind(StrEnum):
    easy_run = "easy_run"
    walk_run = "walk_run"
    long_run = "long_run"
    usual_run = "usual_run"
    goal_run = "goal_run"
    strength = "strength"
    cross_training = "cross_training"
    rest = "rest"


RUN_SESSIONS = frozenset(
    {
        SessionKind.easy_run,
        SessionKind.walk_run,
        SessionKind.long_run,
        SessionKind.usual_run,
        SessionKind.goal_run,
    }
)


class Reason(BaseModel):
    """Why something is as it is: the rule's id, the plain text with the numbers, sources."""

    model_config = _FROZEN

    id: str
    text: str
    sources: list[str] = Field(min_length=1)


class DoneRun(BaseModel):
    """A run the runner did: imported from a watch file, or logged in the journal."""

    model_config = _FROZEN

    day: date
    km: float = Field(ge=0, le=500)
    minutes: float = Field(ge=0, le=3000)
    shoe_id: str | None = None
    source: str = Field(default="import", pattern=r"^(import|journal)$")


class Targets(BaseModel):
    """The runner's usual training: what the plan builds up to. Changeable at any time."""

    model_config = _FROZEN

    runs_per_week: int = Field(ge=1, le=7)
    weekly_km: float = Field(gt=0, le=300)
    long_run_km: float = Field(gt=0, le=100)
    usual_runs_per_week: int = Field(default=0, ge=0, le=7, description="harder runs a week")
    long_run_weekday: int = Field(default=6, ge=0, le=6, description="0 = Monday")
    easy_pace_s_per_km: int = Field(default=400, ge=180, le=900)
    method: Reason

    @model_validator(mode="after")
    def _consistent(self) -> Targets:
        if self.long_run_km > self.weekly_km:
            raise ValueError("the long run cannot be longer than the whole week")
        if self.usual_runs_per_week >= self.runs_per_week:
            raise ValueError("at least the long run stays easy")
        return self


class Goal(BaseModel):
    """A distance to run on a date (prevention mode)."""

    model_config = _FROZEN

    km: float = Field(gt=0, le=100)
    day: date


class GoalCheck(BaseModel):
    """Whether the goal fits within the single-run rule, and if not, the earliest date."""

    model_config = _FROZEN

    goal: Goal
    reachable: bool
    earliest: date | None
    reason: Reason


class ShoeAdvice(BaseModel):
    model_config = _FROZEN

    shoe_id: str
    text: str
    warning: str | None = None
    sources: list[str] = Field(min_length=1)


class PlannedRun(BaseModel):
    model_config = _FROZEN

    kind: SessionKind
    km: float = Field(gt=0)
    minutes: int = Field(ge=1)
    run_interval: int | None = Field(default=None, description="walk-run: minutes running")
    walk_interval: int | None = Field(default=None, description="walk-run: minutes walking")
    text: str
    sources: list[str] = Field(min_length=1)
    shoe: ShoeAdvice | None = None


class Session(BaseModel):
    """Something other than a run on a day: strength, cross-training or rest."""

    model_config = _FROZEN

    kind: SessionKind
    text: str
    sources: list[str] = Field(min_length=1)


class RunDay(BaseModel):
    """One day of the plan. `done_km` is what was run that day (imports and journal)."""

    model_config = _FROZEN

    day: date
    week: int = Field(ge=1)
    status: DayStatus
    run: PlannedRun | None
    sessions: list[Session]
    done_km: float | None = None
    reasons: list[Reason] = Field(default_factory=list)


class Week(BaseModel):
    model_config = _FROZEN

    number: int = Field(ge=1)
    first_day: date
    level: int = Field(ge=0, description="step on the way to the targets; 0 = the baseline")
    budget_km: float = Field(ge=0, description="the most the week plans, runs done included")
    long_run_km: float = Field(ge=0)
    runs: int = Field(ge=0)
    easy_only: bool
    decision: Reason
    days: list[RunDay]

    @property
    def planned_km(self) -> float:
        """Runs done on past days and today, plus the runs still planned."""
        total = 0.0
        for d in self.days:
            if d.done_km is not None:
                total += d.done_km
            elif d.run is not None and d.status is not DayStatus.past:
                total += d.run.km
        return round(total, 1)


class Bound(BaseModel):
    model_config = _FROZEN

    id: str
    pct: int
    text: str
    sources: list[str] = Field(min_length=1)


class Ending(BaseModel):
    """The plan stopped: on which day, why, and where to go next."""

    model_config = _FROZEN

    day: date
    reason: Reason
    next_step: str = Field(pattern=r"^(assessment|clinician)$")


class RunningPlan(BaseModel):
    model_config = _FROZEN

    mode: Mode
    start: date
    today: date
    targets: Targets = Field(description="the runner's own targets, as they set them")
    restricted_targets: Targets | None = Field(
        default=None,
        description="what the plan builds up to while a clinician reduced the running",
    )
    baseline_km: float = Field(description="the week before the plan: its distance")
    bounds: list[Bound]
    weeks: list[Week]
    targets_week: int | None = Field(description="the first week at the targets, if any")
    goal: GoalCheck | None = None
    ending: Ending | None = None
    notes: list[Reason] = Field(default_factory=list)
    rules_version: str

    def days(self) -> list[RunDay]:
        return [d for w in self.weeks for d in w.days]

    def day_of(self, when: date) -> RunDay | None:
        return next((d for d in self.days() if d.day == when), None)

    def week_of(self, when: date) -> Week | None:
        return next((w for w in self.weeks if any(d.day == when for d in w.days)), None)
