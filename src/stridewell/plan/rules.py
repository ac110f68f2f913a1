"""Schema and loader of the plan rules (`knowledge/data/plan.yaml`).

The plan's phases, tasks, walk-run ladder and thresholds are knowledge, not code: they
live in the YAML file, are validated here with pydantic, and are checked against the
knowledge base (citations, exercises, conditions, red flags) when loaded, so a typo fails
loudly instead of silently dropping a task.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from stridewell.contract import Level
from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.loader import data_dir, load_knowledge, read_yaml, validated
from stridewell.knowledge.rules import Rule, parse_rule
from stridewell.knowledge.schema import KnowledgeBase, plain_words
from stridewell.plan.model import Phase, TaskKind

PLAN_FILE = "plan.yaml"

# Every rule id the engine can put on a day or a referral; the file must explain each one.
RULE_IDS = frozenset(
    {
        "phase.protect",
        "phase.settle",
        "phase.easy_days",
        "phase.mobilise",
        "progress.not_ready",
        "progress.test_jog",
        "progress.resume",
        "progress.between_runs",
        "progress.pain_settled",
        "progress.same_week",
        "progress.expected",
        "hold.not_settled",
        "hold.no_data",
        "hold.not_done",
        "load.single_run_cap",
        "reset.no_recent_run",
        "step_back.pain_returned",
        "step_back.pain_rising",
        "refer.triage_level",
        "refer.book_soon",
        "refer.bone_stress",
        "refer.red_flag",
        "refer.not_improving",
        "refer.rest_pain",
        "refer.slow_recovery",
        "refer.repeated_setbacks",
        "clinician.no_running",
        "clinician.reduced_running",
    }
)
TASK_GROUPS = (
    "protect",
    "settle",
    "mobilise",
    "warm_up",
    "cool_down",
    "run_day",
    "strength",
    "between_runs",
    "pause",
    "see_clinician",
    "keep_moving",
)

Text = Annotated[str, BeforeValidator(lambda v: plain_words(v) if isinstance(v, str) else v)]
RuleField = Annotated[Any, BeforeValidator(parse_rule)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaskSpec(_Strict):
    """A task as written in the file. An exercise task takes its name, dose and sources
    from exercises.yaml unless `text` or `dose` override them."""

    kind: TaskKind
    text: Text | None = None
    exercise: str | None = None
    dose: str | None = None
    minutes: int | None = Field(default=None, ge=1, le=600)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _needs_words(self) -> TaskSpec:
        if self.text is None and self.exercise is None:
            raise ValueError("a task needs a text or an exercise")
        return self


class Limits(_Strict):
    protect_last_day: int = Field(ge=1)
    # Cold, compression and elevation are care for a fresh injury: only when the pain
    # began at most this many days before the assessment.
    acute_max_days: int = Field(default=7, ge=0)
    mobilise_last_day: int = Field(ge=1)
    # Ordinary training soreness: this many easy days, then straight to the way back.
    soreness_easy_last_day: int = Field(default=3, ge=1)
    run_days_of_week: list[int] = Field(min_length=1)
    ready_days: int = Field(ge=1)
    ready_rest_max: int = Field(ge=0, le=10)
    ready_walking_max: int = Field(ge=0, le=10)
    test_jog_pain_max: int = Field(ge=0, le=10)
    acceptable_pain_during: int = Field(ge=0, le=10)
    morning_rise_step_back: int = Field(ge=1, le=10)
    stopped_pain_min: int = Field(ge=0, le=10)
    step_back_days: int = Field(ge=1)
    max_step_backs: int = Field(ge=1)
    single_run_cap_pct: int = Field(ge=100, le=200)
    lookback_days: int = Field(ge=1)
    trend_window_days: int = Field(ge=2)
    trend_threshold: float = Field(gt=0)
    trend_min_days: int = Field(ge=2)
    not_improving_from_day: int = Field(ge=1)
    improvement_min_drop: int = Field(ge=0, le=10)
    recovered_pain_max: int = Field(ge=0, le=10)
    not_ready_by_day: int = Field(ge=1)
    ready_again_within_days: int = Field(ge=1)
    rest_pain_from_day: int = Field(ge=1)
    rest_pain_min: int = Field(ge=1, le=10)
    rest_pain_days: int = Field(ge=1)
    # A clinician's "reduced running": each run at most this share of the planned time.
    reduced_running_pct: int = Field(default=50, ge=10, le=90)

    @model_validator(mode="after")
    def _consistent(self) -> Limits:
        if not self.protect_last_day < self.mobilise_last_day:
            raise ValueError("protect must end before mobilise ends")
        if self.soreness_easy_last_day > self.mobilise_last_day:
            raise ValueError("soreness_easy_last_day: no longer than protect and mobilise")
        days = self.run_days_of_week
        if sorted(set(days)) != days or days[0] < 1 or days[-1] > 7:
            raise ValueError("run_days_of_week: ascending days 1-7")
        if any(b - a < 2 for a, b in itertools.pairwise(days)) or days[0] + 7 - days[-1] < 2:
            raise ValueError("run_days_of_week: a day without running must follow every run")
        if self.test_jog_pain_max > self.acceptable_pain_during:
            raise ValueError("the test jog cannot allow more pain than a return run")
        return self


class BoneStress(_Strict):
    red_flags: list[str] = Field(min_length=1)
    conditions: list[str] = Field(min_length=1)


class RunStep(_Strict):
    id: str
    phase: Phase
    minutes: int = Field(ge=1, le=600)
    run_interval: int | None = Field(default=None, ge=1)
    walk_interval: int | None = Field(default=None, ge=1)
    text: Text
    sources: list[str] = Field(min_length=1)


class Growth(_Strict):
    pct: int = Field(ge=1, le=10)
    target_minutes: int = Field(ge=1, le=600)
    sources: list[str] = Field(min_length=1)


class ConditionExtra(_Strict):
    avoid_exercises: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class Adjustment(_Strict):
    id: str
    when: RuleField
    avoid_exercises: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)

    @property
    def rule(self) -> Rule:
        return self.when  # type: ignore[no-any-return]


class RuleSpec(_Strict):
    why: Text
    sources: list[str] = Field(min_length=1)


class PlanRules(_Strict):
    version: str = Field(pattern=r"^\d{4}\.\d{2}\.\d+$")
    clinicians: list[str] = Field(min_length=1)
    limits: Limits
    bone_stress: BoneStress
    tasks: dict[str, list[TaskSpec]]
    clinician_tasks: dict[Level, Text]
    advice_kinds: dict[str, TaskKind]
    run_steps: list[RunStep] = Field(min_length=2)
    growth: Growth
    every_other_day: list[str]
    # Stretches of the same muscles: a day without running lists only the first of them.
    one_stretch_while_resting: list[str] = Field(default_factory=list)
    conditions: dict[str, ConditionExtra]
    adjustments: list[Adjustment]
    rules: dict[str, RuleSpec]

    @model_validator(mode="after")
    def _complete(self) -> PlanRules:
        missing = [g for g in TASK_GROUPS if g not in self.tasks]
        if missing or set(self.tasks) - set(TASK_GROUPS):
            raise ValueError(f"tasks: expected the groups {list(TASK_GROUPS)}")
        if set(self.rules) != RULE_IDS:
            raise ValueError(
                f"rules: missing {sorted(RULE_IDS - set(self.rules))}, "
                f"unknown {sorted(set(self.rules) - RULE_IDS)}"
            )
        if set(self.clinician_tasks) != {Level.emergency, Level.urgent, Level.soon}:
            raise ValueError("clinician_tasks: one text for emergency, urgent and soon")
        self._check_ladder()
        return self

    def _check_ladder(self) -> None:
        steps = self.run_steps
        if steps[0].phase is not Phase.test_jog or any(
            s.phase is Phase.test_jog for s in steps[1:]
        ):
            raise ValueError("run_steps: the pain-free test comes first, and only once")
        if steps[-1].phase is not Phase.continuous_running:
            raise ValueError("run_steps: the last step is continuous running")
        for step in steps:
            if (step.run_interval is None) != (step.walk_interval is None):
                raise ValueError(f"run_steps.{step.id}: give both intervals or neither")
        for before, after in itertools.pairwise(steps):
            if after.minutes * 100 > before.minutes * self.limits.single_run_cap_pct:
                raise ValueError(
                    f"run_steps.{after.id}: more than the single-run cap above {before.id}"
                )

    def ladder(self) -> list[tuple[RunStep, int]]:
        """Every step of the way back with its minutes of running: the listed steps, then
        the last one grown by `growth` (rounded down) until the target is reached."""
        ladder = [(step, step.minutes) for step in self.run_steps]
        last, minutes = ladder[-1]
        while minutes < self.growth.target_minutes:
            grown = min(minutes * (100 + self.growth.pct) // 100, self.growth.target_minutes)
            if grown <= minutes:  # too short to grow by whole minutes within the cap
                break
            minutes = grown
            ladder.append((last, minutes))
        return ladder

    def all_task_specs(self) -> list[TaskSpec]:
        return [spec for group in self.tasks.values() for spec in group]

    def citation_ids_used(self) -> set[str]:
        used: set[str] = set(self.growth.sources)
        for group in (self.all_task_specs(), self.run_steps, self.adjustments):
            for item in group:
                used.update(item.sources)
        for extra in self.conditions.values():
            used.update(extra.sources)
        for rule in self.rules.values():
            used.update(rule.sources)
        return used

    def exercise_ids_used(self) -> set[str]:
        used = {s.exercise for s in self.all_task_specs() if s.exercise is not None}
        used.update(self.every_other_day)
        used.update(self.one_stretch_while_resting)
        for extra in self.conditions.values():
            used.update(extra.avoid_exercises)
        for adjustment in self.adjustments:
            used.update(adjustment.avoid_exercises)
        return used

    def problems_with(self, kb: KnowledgeBase) -> list[str]:
        """References into the knowledge base that do not resolve."""
        problems: list[str] = []
        checks = (
            ("citations", self.citation_ids_used(), {c.id for c in kb.citations}),
            ("exercises", self.exercise_ids_used(), {e.id for e in kb.exercises}),
            (
                "conditions",
                set(self.conditions) | set(self.bone_stress.conditions),
                {c.id for c in kb.conditions},
            ),
            ("red flags", set(self.bone_stress.red_flags), {f.id for f in kb.red_flags}),
            ("advice", set(self.advice_kinds), {a.id for a in kb.self_care}),
        )
        for kind, used, known in checks:
            unknown = sorted(used - known)
            if unknown:
                problems.append(f"unknown {kind}: {unknown}")
        return problems


def load_plan_rules_from(path: Path, kb: KnowledgeBase) -> PlanRules:
    """Read and validate a plan-rules file against the knowledge base `kb`."""
    rules = validated(PlanRules, read_yaml(path), path)
    problems = rules.problems_with(kb)
    if problems:
        raise KnowledgeBaseError(f"{path.name}: " + "; ".join(problems))
    return rules


@lru_cache(maxsize=1)
def load_plan_rules() -> PlanRules:
    """The packaged plan rules, checked against the packaged knowledge base, read once."""
    return load_plan_rules_from(data_dir() / PLAN_FILE, load_knowledge())
