"""One vocabulary: the plain label and explanation of every identifier a runner could meet.

Fields, answers, warning signs, causes, plan phases, plan rules, pain trends, task kinds
and levels each have a label (a few words) and an explanation (a sentence). The words
come from `vocabulary.yaml` and from the knowledge files that already hold them (the
questionnaire's labels, the red flags' and conditions' names, the plan rules' `why`), so
each word is written once. The web pages, the CLI, the calendar export and the handover
all ask here; none of them shows an identifier.

Loaded lazily (`vocabulary()`), never on the `stridewell assess --json` path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stridewell.knowledge.loader import data_dir, load_knowledge, read_yaml, validated
from stridewell.levels import Level

if TYPE_CHECKING:
    from stridewell.knowledge.questions import Questionnaire

VOCABULARY_FILE = "vocabulary.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelWords(_Strict):
    label: str = Field(min_length=3)
    explanation: str = Field(min_length=10)
    running: str = Field(min_length=10, description="the one running rule of this level")
    now: str = Field(min_length=10, description="what to do now")


class Labelled(_Strict):
    label: str = Field(min_length=2)
    explanation: str = Field(min_length=10)


class LikelihoodBand(_Strict):
    min: float = Field(ge=0, le=1)
    words: str = Field(min_length=3)
    explanation: str = Field(min_length=10)


class NotKnown(_Strict):
    title: str
    text: str = Field(min_length=10)
    settle: str


class CorrectionWords(_Strict):
    """The words for an emergency result the runner corrected (`triage.correction`)."""

    corrected_runner: str = Field(pattern=r"\{when\}")
    corrected: str = Field(pattern=r"\{when\}")
    corrects_runner: str = Field(pattern=r"\{when\}")
    corrects: str = Field(pattern=r"\{when\}")
    changed: str = Field(min_length=3)
    change: str = Field(pattern=r"\{question\}.*\{before\}.*\{after\}")
    not_answered: str = Field(min_length=3)
    none_chosen: str = Field(min_length=3)


class VocabularyFile(_Strict):
    """`vocabulary.yaml` as written."""

    version: str = Field(pattern=r"^\d{4}\.\d{2}\.\d+$")
    sources: list[str] = Field(min_length=1)
    levels: dict[Level, LevelWords]
    bone_stress_running: str = Field(min_length=10)
    soreness_running: str = Field(min_length=10)
    not_known: NotKnown
    likelihood: list[LikelihoodBand] = Field(min_length=2)
    hide_below: float = Field(ge=0, le=1)
    no_findings_below: float = Field(ge=0, le=1)
    phases: dict[str, Labelled]
    trends: dict[str, Labelled]
    plan_rules: dict[str, str]
    task_kinds: dict[str, str]
    shoe_types: dict[str, Labelled]
    input_fields: dict[str, str]
    clinicians_joiner: str
    correction: CorrectionWords

    @model_validator(mode="after")
    def _complete(self) -> VocabularyFile:
        if set(self.levels) != set(Level):
            raise ValueError("levels: one entry for each triage level")
        mins = [band.min for band in self.likelihood]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("likelihood: bands from the highest minimum down to 0")
        if self.no_findings_below > self.hide_below:
            raise ValueError("no_findings_below must not be above hide_below")
        return self


@dataclass(frozen=True, slots=True)
class Words:
    """An identifier's label and explanation."""

    label: str
    explanation: str


class Vocabulary:
    """Every identifier's words, from `vocabulary.yaml` and the other knowledge files."""

    def __init__(self, data: VocabularyFile, questionnaire: Questionnaire) -> None:
        from stridewell.plan.rules import load_plan_rules

        self.data = data
        self.questions = questionnaire
        kb = load_knowledge()
        self.flags = {f.id: Words(f.name, f.why_ask) for f in kb.red_flags}
        self.conditions = {c.id: Words(c.name, c.summary) for c in kb.conditions}
        self.exercises = {e.id: Words(e.name, e.purpose) for e in kb.exercises}
        rules = load_plan_rules()
        self.rules = {
            rule_id: Words(data.plan_rules[rule_id], spec.why)
            for rule_id, spec in rules.rules.items()
        }
        self.clinicians = list(rules.clinicians)
        missing = sorted(set(rules.rules) - set(data.plan_rules))
        if missing:
            raise ValueError(f"vocabulary.yaml: plan_rules has no label for {missing}")

    # --- levels and the running rule ---------------------------------------------------

    def level(self, level: Level | str) -> LevelWords:
        return self.data.levels[Level(level)]

    def running_rule(
        self, level: Level | str, *, bone_stress: bool = False, soreness: bool = False
    ) -> str:
        """The one running rule: the level's, or the bone-stress rule below urgent, or the
        few easy days of ordinary training soreness at self-care."""
        level = Level(level)
        if bone_stress and level.rank < Level.urgent.rank:
            return self.data.bone_stress_running
        if soreness and level is Level.self_care:
            return self.data.soreness_running
        return self.data.levels[level].running

    # --- the assessment's fields and answers ---------------------------------------------

    def field(self, path: str) -> Words:
        """A field's short label, explained by the question that asks it."""
        return Words(self.questions.field_name(path), self.questions.prompt_for(path))

    def value(self, path: str, value: str) -> str:
        """An answer in plain words (each choice by its label)."""
        return self.questions.value_words(path, value)

    def finding(self, item: str) -> str:
        """Evidence as the engine writes it ('bone_tenderness: navicular') in plain words."""
        return self.questions.plain_finding(item)

    def question(self, path: str) -> str:
        return self.questions.prompt_for(path)

    # --- warning signs, causes, the plan -------------------------------------------------

    def flag(self, flag_id: str) -> Words:
        return self.flags.get(flag_id) or Words(_spaced(flag_id), "")

    def condition(self, condition_id: str) -> Words:
        return self.conditions.get(condition_id) or Words(_spaced(condition_id), "")

    def rule(self, rule_id: str) -> Words:
        return self.rules.get(rule_id) or Words(_spaced(rule_id), "")

    def phase(self, phase: str) -> Words:
        words = self.data.phases.get(str(phase))
        return Words(words.label, words.explanation) if words else Words(_spaced(phase), "")

    def trend(self, direction: str) -> Words:
        words = self.data.trends.get(str(direction))
        return Words(words.label, words.explanation) if words else Words(_spaced(direction), "")

    def task_kind(self, kind: str) -> str:
        return self.data.task_kinds.get(str(kind)) or _spaced(kind)

    def shoe_type(self, kind: str) -> Words:
        words = self.data.shoe_types.get(str(kind))
        return Words(words.label, words.explanation) if words else Words(_spaced(kind), "")

    def input_field(self, field: str) -> str | None:
        """A field of a form or check-in as an error names it ('Pain at rest'), or None."""
        return self.data.input_fields.get(field)

    def who_to_see(self) -> str:
        """'podiatrist, physiotherapist or sports doctor'."""
        names = self.clinicians
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + self.data.clinicians_joiner + names[-1]

    # --- likelihood ----------------------------------------------------------------------

    def likelihood(self, likelihood: float) -> LikelihoodBand:
        """The band a likelihood falls in ("most likely", "possible", "less likely")."""
        return next(b for b in self.data.likelihood if likelihood >= b.min)

    def hidden(self, likelihood: float) -> bool:
        """Shown only under "other possibilities"."""
        return likelihood < self.data.hide_below

    def without_findings(self, likelihood: float) -> bool:
        """Effectively ruled out: its findings are not listed."""
        return likelihood < self.data.no_findings_below

    @property
    def not_known(self) -> NotKnown:
        return self.data.not_known

    @property
    def correction(self) -> CorrectionWords:
        return self.data.correction


def _spaced(identifier: str) -> str:
    # The last resort for an identifier the knowledge base does not know (an old stored
    # plan, say): never shown with its underscores or dots.
    words = str(identifier).replace("history.", "").replace(".", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def load_vocabulary_file() -> VocabularyFile:
    path = data_dir() / VOCABULARY_FILE
    return validated(VocabularyFile, read_yaml(path), path)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, built once per process (and only when first asked)."""
    from stridewell.knowledge.questions import load_questionnaire

    data = load_vocabulary_file()
    cited = {c.id for c in load_knowledge().citations}
    unknown = sorted(set(data.sources) - cited)
    if unknown:
        raise ValueError(f"vocabulary.yaml cites unknown sources {unknown}")
    return Vocabulary(data, load_questionnaire())


def known_identifiers() -> frozenset[str]:
    """Every snake_case or dotted identifier of the contract and the knowledge base: none
    of them may reach a runner (tests/test_no_raw_identifiers.py)."""
    from stridewell.journal.trend import TrendDirection
    from stridewell.knowledge.rules import FIELDS
    from stridewell.plan.model import Phase, TaskKind
    from stridewell.plan.rules import load_plan_rules

    kb = load_knowledge()
    names: set[str] = set(FIELDS)
    names.update(p.removeprefix("history.") for p in FIELDS)
    for spec in FIELDS.values():
        names.update(spec.values)
    names.update(level.value for level in Level)
    names.update(p.value for p in Phase)
    names.update(k.value for k in TaskKind)
    names.update(t.value for t in TrendDirection)
    for group in (kb.conditions, kb.red_flags, kb.exercises, kb.self_care, kb.shoe_features):
        names.update(item.id for item in group)
    names.update(item.id for item in kb.prevention)
    for flag in kb.red_flags:
        names.update(p.id for p in flag.presentations)
    names.update(load_plan_rules().rules)
    return frozenset(n for n in names if "_" in n or "." in n)


__all__ = ["Vocabulary", "Words", "known_identifiers", "vocabulary"]
