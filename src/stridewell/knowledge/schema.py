"""Pydantic schema of the knowledge-base files in `knowledge/data/`.

Everything that reaches a runner (names, findings, advice, exercises) lives in these
files and names its sources; the schema checks that every reference resolves.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from stridewell.contract import Level, Region
from stridewell.knowledge.rules import Rule, parse_rule

_ID = r"^[a-z][a-z0-9_]*$"

RuleField = Annotated[Any, BeforeValidator(parse_rule)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Strict):
    id: str = Field(pattern=_ID)
    title: str
    authors: str
    year: int = Field(ge=1900, le=2100)
    published_in: str
    kind: Literal[
        "guideline", "clinical_rule", "systematic_review", "review", "study", "consensus", "brief"
    ]
    url: str | None = None
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    supports: str = Field(min_length=10, description="what Stridewell takes from it")


class Finding(_Strict):
    id: str = Field(pattern=_ID)
    when: RuleField
    weight: float = Field(ge=-10, le=10)
    text: str = Field(min_length=3)
    sources: list[str] = Field(default_factory=list)

    @property
    def rule(self) -> Rule:
        return self.when  # type: ignore[no-any-return]


class Condition(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    summary: str
    prior: float = Field(ge=-5, le=5, description="log-odds before any finding (prevalence)")
    regions: dict[Region, float] = Field(min_length=1)
    off_site_penalty: float = Field(default=-4.0, le=0)
    findings: list[Finding]
    level_floor: Level | None = Field(
        default=None, description="minimum level when this is the leading cause"
    )
    floor_reason: str | None = None
    self_care: list[str] = Field(default_factory=list)
    shoe_features: list[str] = Field(default_factory=list)
    exercises: list[str] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _floor_needs_reason(self) -> Condition:
        if self.level_floor is not None and not self.floor_reason:
            raise ValueError(f"{self.id}: level_floor needs a floor_reason")
        ids = [f.id for f in self.findings]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: finding ids must be unique")
        return self


class RedFlag(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    level: Level
    when: RuleField
    advice: str
    sources: list[str] = Field(min_length=1)

    @property
    def rule(self) -> Rule:
        return self.when  # type: ignore[no-any-return]


class Exercise(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    how: str
    dose: str
    purpose: str
    cautions: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)


class AdviceText(_Strict):
    id: str = Field(pattern=_ID)
    text: str
    sources: list[str] = Field(min_length=1)


class ShoeFeature(_Strict):
    id: str = Field(pattern=_ID)
    pain_type: str
    features: str
    shoe_style: str
    sources: list[str] = Field(min_length=1)


class Prevention(_Strict):
    id: str = Field(pattern=_ID)
    text: str
    when: RuleField | None = None
    sources: list[str] = Field(min_length=1)

    @property
    def rule(self) -> Rule | None:
        rule: Rule | None = self.when
        return rule


class LevelText(_Strict):
    headline: str
    action: str


class Soreness(_Strict):
    """The 'probably ordinary training soreness' verdict and its conditions."""

    when: RuleField
    max_leading_likelihood: float = Field(ge=0, le=1)
    text: str
    what_would_change: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)

    @property
    def rule(self) -> Rule:
        return self.when  # type: ignore[no-any-return]


class Meta(_Strict):
    version: str = Field(pattern=r"^\d{4}\.\d{2}\.\d+$")
    disclaimer: str
    levels: dict[Level, LevelText]
    soreness: Soreness
    no_flag_reason: str
    sources: list[str] = Field(min_length=1)


class KnowledgeBase(_Strict):
    meta: Meta
    citations: list[Citation]
    conditions: list[Condition]
    red_flags: list[RedFlag]
    exercises: list[Exercise]
    self_care: list[AdviceText]
    shoe_features: list[ShoeFeature]
    prevention: list[Prevention]

    @property
    def version(self) -> str:
        return self.meta.version

    def citation_ids_used(self) -> set[str]:
        used: set[str] = set(self.meta.sources) | set(self.meta.soreness.sources)
        for cond in self.conditions:
            used.update(cond.sources)
            for finding in cond.findings:
                used.update(finding.sources)
        for group in (
            self.red_flags,
            self.exercises,
            self.self_care,
            self.shoe_features,
            self.prevention,
        ):
            for item in group:
                used.update(item.sources)
        return used

    @model_validator(mode="after")
    def _references_resolve(self) -> KnowledgeBase:
        problems: list[str] = []
        for kind, items in (
            ("citation", self.citations),
            ("condition", self.conditions),
            ("red flag", self.red_flags),
            ("exercise", self.exercises),
            ("self-care advice", self.self_care),
            ("shoe feature", self.shoe_features),
            ("prevention advice", self.prevention),
        ):
            ids = [item.id for item in items]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                problems.append(f"duplicate {kind} ids: {dupes}")
        citations = {c.id for c in self.citations}
        missing = sorted(self.citation_ids_used() - citations)
        if missing:
            problems.append(f"unknown citations: {missing}")
        exercises = {e.id for e in self.exercises}
        advice = {a.id for a in self.self_care}
        shoes = {s.id for s in self.shoe_features}
        for cond in self.conditions:
            problems += _unknown(cond.id, "exercise", cond.exercises, exercises)
            problems += _unknown(
                cond.id, "self-care advice", cond.self_care + cond.cautions, advice
            )
            problems += _unknown(cond.id, "shoe feature", cond.shoe_features, shoes)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _unknown(owner: str, kind: str, wanted: list[str], known: set[str]) -> list[str]:
    missing = [w for w in wanted if w not in known]
    return [f"{owner}: unknown {kind} {missing}"] if missing else []


def plain_words(text: str) -> str:
    """Collapse the whitespace of a folded YAML paragraph."""
    return re.sub(r"\s+", " ", text).strip()
