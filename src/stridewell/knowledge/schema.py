"""Pydantic schema of the knowledge-base files in `knowledge/data/`.

Everything that reaches a runner (names, findings, advice, exercises) lives in these
files and names its sources; the schema checks that every reference resolves.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from stridewell.contract import Level, Region
from stridewell.knowledge.rules import AllOf, AnyOf, NotOf, Rule, parse_rule, reads_blank_as_no

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
    minimum_level: Level = Field(description="the level is never below this when it leads")
    minimum_reason: str = Field(min_length=10, description="plain words: why that minimum")
    minimum_sources: list[str] = Field(min_length=1)
    self_care: list[str] = Field(default_factory=list)
    shoe_features: list[str] = Field(default_factory=list)
    exercises: list[str] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _finding_ids_unique(self) -> Condition:
        ids = [f.id for f in self.findings]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: finding ids must be unique")
        return self


class Presentation(_Strict):
    """One way runners report a red flag: its cues, and what known answers rule it out.

    A blank answer is "not known": `cues` only hold on answers given (or on blanks where a
    cue says `is_not`), and `unless` may only read answers given, so that an unanswered
    question can never rule a presentation out.
    """

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=10, description="plain words: how a runner reports it")
    cues: RuleField
    unless: RuleField | None = None
    level: Level | None = Field(default=None, description="a milder level for this one")
    suggests: list[str] = Field(
        default_factory=list,
        description="conditions this presentation points to: ranked among the causes to weigh",
    )
    sources: list[str] = Field(min_length=1)

    @property
    def cue_rule(self) -> Rule:
        return self.cues  # type: ignore[no-any-return]

    @property
    def unless_rule(self) -> Rule | None:
        rule: Rule | None = self.unless
        return rule

    @property
    def rule(self) -> Rule:
        """Cues hold and no known answer rules it out, as one rule."""
        unless = self.unless_rule
        return self.cue_rule if unless is None else AllOf((self.cue_rule, NotOf(unless)))

    @model_validator(mode="after")
    def _rule_out_needs_an_answer(self) -> Presentation:
        unless = self.unless_rule
        if unless is not None and reads_blank_as_no(unless):
            raise ValueError(
                f"{self.id}: 'unless' must only read answers given (a blank is not a no)"
            )
        return self


class RedFlag(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    level: Level
    presentations: list[Presentation] = Field(min_length=1)
    why_ask: str = Field(min_length=10, description="plain words: why its questions matter")
    advice: str
    # What to do now, said first (on the report card and in the care box of the question
    # pages) when this sign leads the report, instead of its level's general words: an
    # ankle that cannot take four steps needs care today, not "within one to two days".
    now: str | None = None
    sources: list[str] = Field(min_length=1)
    _rule: Rule = PrivateAttr()

    def model_post_init(self, __context: Any) -> None:
        self._rule = AnyOf(tuple(p.rule for p in self.presentations))

    @property
    def rule(self) -> Rule:
        """The flag as one rule: any of its presentations."""
        return self._rule

    def level_of(self, presentation: Presentation) -> Level:
        return presentation.level or self.level

    @model_validator(mode="after")
    def _presentations_fit_the_flag(self) -> RedFlag:
        ids = [p.id for p in self.presentations]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: presentation ids must be unique")
        for p in self.presentations:
            if p.level is not None and p.level.rank > self.level.rank:
                raise ValueError(f"{self.id}.{p.id}: a presentation cannot outrank its flag")
        return self


class Exercise(_Strict):
    id: str = Field(pattern=_ID)
    name: str
    how: str
    dose: str
    # The dose on days without running, when `dose` mentions runs.
    rest_dose: str | None = Field(default=None, min_length=5)
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
    # Said instead of `action` while warning-sign questions are unanswered: a blank is
    # "not known", so the report must not claim that nothing needs a clinician.
    action_with_open_questions: str | None = None


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


class Aggregation(_Strict):
    """When lesser warning signs together make the level more urgent (contract 1.1)."""

    id: str = Field(pattern=_ID)
    signs: list[str] = Field(min_length=1, description="flag ids or 'flag.presentation'")
    min_signs: int = Field(ge=1, description="this many distinct signs fired ...")
    when: RuleField | None = Field(default=None, description="... and this holds ...")
    raise_to: Level = Field(description="... raise the level to at least this")
    reason: str = Field(min_length=10, description="plain words for triage.reasons")
    sources: list[str] = Field(min_length=1)

    @property
    def rule(self) -> Rule | None:
        rule: Rule | None = self.when
        return rule


class DangerInTopThree(_Strict):
    """A dangerous condition ranked second or third still raises the level."""

    minimum_level: Level = Field(description="conditions with this minimum level ...")
    min_likelihood: float = Field(gt=0, le=1, description="... at least this likely ...")
    raise_to: Level = Field(description="... raise the level to at least this")
    reason: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)


class SuggestedByWarningSign(_Strict):
    """How much a fired presentation adds to the conditions it points to, and in what words."""

    weight: float = Field(gt=0, le=10, description="log-odds added to each suggested condition")
    text: str = Field(min_length=5, description="plain words, followed by the warning sign")
    sources: list[str] = Field(min_length=1)


class Meta(_Strict):
    version: str = Field(pattern=r"^\d{4}\.\d{2}\.\d+$")
    disclaimer: str
    levels: dict[Level, LevelText]
    soreness: Soreness
    no_flag_reason: str
    sources: list[str] = Field(min_length=1)
    aggregation: list[Aggregation] = Field(min_length=1)
    danger_in_top_three: list[DangerInTopThree] = Field(min_length=1)
    suggested_by_warning_sign: SuggestedByWarningSign


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
        used.update(self.meta.suggested_by_warning_sign.sources)
        for agg in self.meta.aggregation:
            used.update(agg.sources)
        for danger in self.meta.danger_in_top_three:
            used.update(danger.sources)
        for cond in self.conditions:
            used.update(cond.sources)
            used.update(cond.minimum_sources)
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
        for flag in self.red_flags:
            for presentation in flag.presentations:
                used.update(presentation.sources)
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
        presentations = {f.id for f in self.red_flags} | {
            f"{f.id}.{p.id}" for f in self.red_flags for p in f.presentations
        }
        for agg in self.meta.aggregation:
            unknown_signs = sorted(set(agg.signs) - presentations)
            if unknown_signs:
                problems.append(f"aggregation {agg.id}: unknown signs {unknown_signs}")
        problems += self._suggestions_fit()
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

    def _suggestions_fit(self) -> list[str]:
        """A presentation may only point to known conditions that need no more urgency than
        it has: the suggestion ranks a cause, it must never raise the level on its own."""
        minimum = {c.id: c.minimum_level for c in self.conditions}
        problems: list[str] = []
        for flag in self.red_flags:
            for pres in flag.presentations:
                where = f"{flag.id}.{pres.id}"
                problems += _unknown(where, "condition", pres.suggests, set(minimum))
                level = flag.level_of(pres)
                for cid in pres.suggests:
                    if cid in minimum and minimum[cid].rank > level.rank:
                        problems.append(
                            f"{where}: suggests {cid}, whose minimum level"
                            f" ({minimum[cid].value}) is above the presentation's ({level.value})"
                        )
        return problems


def _unknown(owner: str, kind: str, wanted: list[str], known: set[str]) -> list[str]:
    missing = [w for w in wanted if w not in known]
    return [f"{owner}: unknown {kind} {missing}"] if missing else []


def plain_words(text: str) -> str:
    """Collapse the whitespace of a folded YAML paragraph."""
    return re.sub(r"\s+", " ", text).strip()
