"""Schema and loader of the running-plan rules (`knowledge/data/running.yaml`).

The limits, the two stated bounds and every text the running plan shows live in the YAML
file; this module validates them with pydantic and checks every source against the
knowledge base's citations, so a typo fails when the file is loaded, not in front of a
runner. Texts are templates: each id has a fixed set of placeholders, checked here too.
"""

from __future__ import annotations

import string
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.loader import data_dir, read_yaml, validated
from stridewell.knowledge.schema import plain_words
from stridewell.text import day_words

RUNNING_FILE = "running.yaml"
CITATIONS_FILE = "citations.yaml"

# Every text the planner shows, with the placeholders it may fill in.
TEXT_FIELDS: dict[str, frozenset[str]] = {
    "session.easy_run": frozenset({"km", "minutes"}),
    "session.walk_run": frozenset({"km", "minutes", "run", "walk"}),
    "session.long_run": frozenset({"km", "minutes"}),
    "session.usual_run": frozenset({"km", "minutes"}),
    "session.goal_run": frozenset({"km", "minutes"}),
    "session.strength": frozenset(),
    "session.cross_training": frozenset(),
    "session.rest": frozenset(),
    "week.start": frozenset({"budget", "runs", "baseline"}),
    "week.advance": frozenset({"budget"}),
    "week.expected": frozenset({"budget"}),
    "week.hold": frozenset({"budget", "detail"}),
    "week.step_back": frozenset({"budget", "detail"}),
    "week.targets": frozenset({"budget", "long"}),
    "day.single_run_cap": frozenset({"km", "reference"}),
    "day.restart": frozenset({"minutes"}),
    "day.longer_than_planned": frozenset({"day", "done", "planned"}),
    "day.week_used_up": frozenset({"budget"}),
    "day.pause": frozenset(),
    "verdict.hold_not_settled": frozenset({"detail"}),
    "verdict.hold_no_data": frozenset({"detail"}),
    "verdict.hold_not_done": frozenset({"detail"}),
    "verdict.hold_longer": frozenset({"detail"}),
    "verdict.step_back": frozenset({"detail"}),
    "verdict.pain_rising": frozenset({"detail"}),
    "end.warning_sign": frozenset({"day", "signs"}),
    "end.setbacks": frozenset({"count", "detail"}),
    "end.rest_pain": frozenset({"detail"}),
    "targets.history": frozenset({"weeks", "onset", "runs", "weekly", "long", "usual"}),
    "targets.typed": frozenset({"runs", "weekly", "long"}),
    "clinician.no_running": frozenset({"author", "until"}),
    "clinician.reduced": frozenset({"author", "pct", "weekly", "long"}),
    "goal.reachable": frozenset({"km", "day", "needed"}),
    "goal.unreachable": frozenset({"km", "day", "earliest"}),
    "goal.beyond": frozenset({"km", "day", "weeks"}),
    "shoe.rotate": frozenset({"shoe"}),
    "shoe.only": frozenset({"shoe"}),
    "shoe.replace": frozenset({"shoe", "km", "mark"}),
}

SESSION_KINDS = (
    "easy_run", "walk_run", "long_run", "usual_run", "goal_run", "strength", "cross_training",
    "rest",
)  # fmt: skip

Text = Annotated[str, BeforeValidator(lambda v: plain_words(v) if isinstance(v, str) else v)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunningLimits(_Strict):
    single_run_cap_pct: int = Field(ge=100, le=200)
    lookback_days: int = Field(ge=7, le=90)
    weekly_growth_pct: int = Field(ge=1, le=30)
    history_weeks: int = Field(ge=2, le=52)
    min_history_runs: int = Field(ge=1)
    start_runs_per_week: int = Field(ge=1, le=7)
    km_per_run_day: float = Field(gt=0)
    min_run_km: float = Field(gt=0)
    restart_minutes: int = Field(ge=5, le=120)
    restart_run_interval: int = Field(ge=1)
    restart_walk_interval: int = Field(ge=1)
    easy_pace_s_per_km: int = Field(ge=180, le=900)
    usual_pace_faster_pct: int = Field(ge=1, le=50)
    goal_long_run_share_pct: int = Field(ge=20, le=100)
    strength_per_week: int = Field(ge=0, le=7)
    weeks_after_targets: int = Field(ge=0, le=12)
    max_weeks: int = Field(ge=4, le=104)
    long_run_weekday: int = Field(ge=0, le=6)
    warm_up_minutes: int = Field(ge=0, le=30)
    cool_down_minutes: int = Field(ge=0, le=30)


class Said(_Strict):
    """A text with its sources."""

    text: Text = Field(min_length=3)
    sources: list[str] = Field(min_length=1)


class Bounds(_Strict):
    single_run: Said
    weekly_growth: Said


class WorkoutWords(_Strict):
    """Step names a watch shows; short, as watch screens are small."""

    name: str = Field(min_length=1, max_length=31)
    warm_up: str = Field(min_length=1, max_length=31)
    run: str = Field(min_length=1, max_length=31)
    walk: str = Field(min_length=1, max_length=31)
    cool_down: str = Field(min_length=1, max_length=31)
    repeat: str = Field(min_length=1, max_length=31)
    run_notes: str = Field(min_length=1, max_length=63)


class RunningRules(_Strict):
    version: str = Field(pattern=r"^\d{4}\.\d{2}\.\d+$")
    limits: RunningLimits
    bounds: Bounds
    texts: dict[str, Said]
    workout: WorkoutWords
    titles: dict[str, str]

    @model_validator(mode="after")
    def _texts_complete(self) -> RunningRules:
        missing = sorted(set(TEXT_FIELDS) - set(self.texts))
        unknown = sorted(set(self.texts) - set(TEXT_FIELDS))
        if missing or unknown:
            raise ValueError(f"texts: missing {missing}, unknown {unknown}")
        if set(self.titles) != set(SESSION_KINDS):
            raise ValueError(f"titles: one for each of {sorted(SESSION_KINDS)}")
        for text_id, said in self.texts.items():
            used = {name for _, name, _, _ in string.Formatter().parse(said.text) if name}
            extra = used - TEXT_FIELDS[text_id]
            if extra:
                raise ValueError(f"texts.{text_id}: unknown placeholders {sorted(extra)}")
        return self

    def say(self, text_id: str, **values: object) -> str:
        """The text `text_id` with its placeholders filled in; a day as people read it
        ("3 Dec 2026"), not the ISO form str() would give."""
        shown = {k: day_words(v) if isinstance(v, date) else v for k, v in values.items()}
        return self.texts[text_id].text.format(**shown)

    def title(self, kind: str, km: float | None = None) -> str:
        return self.titles[kind].format(km=km)

    def sources(self, text_id: str) -> list[str]:
        return list(self.texts[text_id].sources)

    def citation_ids_used(self) -> set[str]:
        used = set(self.bounds.single_run.sources) | set(self.bounds.weekly_growth.sources)
        for said in self.texts.values():
            used.update(said.sources)
        return used

    def problems_with(self, citation_ids: set[str]) -> list[str]:
        unknown = sorted(self.citation_ids_used() - citation_ids)
        return [f"unknown citations: {unknown}"] if unknown else []


def citation_ids(folder: Path) -> set[str]:
    """The ids in the knowledge base's citations file (only the ids: the running rules
    need nothing else of the knowledge base to be checked)."""
    raw = read_yaml(folder / CITATIONS_FILE)
    if not isinstance(raw, list):
        raise KnowledgeBaseError(f"{CITATIONS_FILE}: expected a list of citations")
    return {str(item["id"]) for item in raw if isinstance(item, dict) and "id" in item}


def load_running_rules_from(path: Path, known_citations: set[str]) -> RunningRules:
    """Read and validate a running-rules file; every source must be a known citation."""
    rules = validated(RunningRules, read_yaml(path), path)
    problems = rules.problems_with(known_citations)
    if problems:
        raise KnowledgeBaseError(f"{path.name}: " + "; ".join(problems))
    return rules


@lru_cache(maxsize=1)
def load_running_rules() -> RunningRules:
    """The packaged running rules, checked against the packaged citations, read once."""
    folder = data_dir()
    return load_running_rules_from(folder / RUNNING_FILE, citation_ids(folder))
