"""The questionnaire as data: `knowledge/data/questions.yaml`, validated and typed.

Each question fills one assessment field. Its kind (yes/no, one choice, several choices
or a number with its range) comes from the contract models, never from the YAML, so the
questionnaire cannot drift from the contract. Loading checks that every field exists,
every option is a valid value with a plain-words label, and every `ask_if` parses and
only reads answers to earlier questions.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from stridewell.contract import Assessment, History
from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.loader import read_yaml
from stridewell.knowledge.rules import (
    FIELDS,
    Facts,
    FieldSpec,
    Rule,
    compile_rule,
    fields_used,
    parse_rule,
)

Kind = Literal["bool", "choice", "multi", "number"]

_KINDS: dict[str, Kind] = {"bool": "bool", "enum": "choice", "list": "multi", "number": "number"}
_FILE = "questions.yaml"


@dataclass(frozen=True, slots=True)
class NumberRange:
    """The bounds of a number field in the contract (None: unbounded)."""

    minimum: float | None
    maximum: float | None
    integer: bool


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


def _base_type(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is Annotated:
            annotation = get_args(annotation)[0]
        else:
            return annotation


def number_range(path: str) -> NumberRange:
    """Minimum, maximum and integer-ness of a number field, read from the contract."""
    model: type[BaseModel] = History if path.startswith("history.") else Assessment
    info = model.model_fields[path.removeprefix("history.")]
    low: float | None = None
    high: float | None = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            low = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Le):
            high = float(item.le)  # type: ignore[arg-type]
    return NumberRange(low, high, _base_type(info.annotation) is int)


class Compare(BaseModel):
    """A percentage change asked as two amounts (the web form works the change out)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=5)
    recent: str = Field(min_length=5)
    before: str = Field(min_length=5)
    unit: str = Field(min_length=1)


class Question(BaseModel):
    """One question of the questionnaire."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    section: str
    field: str
    prompt: str = Field(min_length=5)
    help: str | None = None
    ask_if: Annotated[Any, BeforeValidator(parse_rule)] = None
    options: tuple[str, ...] | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    none_label: str | None = None
    unit: str | None = None
    required: bool = False
    # Asked as "this much recently, that much before" instead of a percentage.
    compare: Compare | None = None
    # Shown with the value the runner's imported runs give ({value}, and for the weekly
    # distance {recent_km} and {before_km}), which the form then holds ready to confirm.
    confirm: str | None = None

    @model_validator(mode="after")
    def _fits_the_field(self) -> Question:
        if self.field not in FIELDS:
            raise ValueError(f"{self.id}: unknown assessment field '{self.field}'")
        spec = self.spec
        if spec.kind in ("enum", "list"):
            for value in self.options or ():
                if value not in spec.values:
                    raise ValueError(f"{self.id}: '{value}' is not a value of {self.field}")
            if self.options is not None and len(set(self.options)) != len(self.options):
                raise ValueError(f"{self.id}: options repeat a value")
            missing = sorted(v for v in self.option_values if v not in self.labels)
            if missing:
                raise ValueError(f"{self.id}: no label for {missing}")
        elif self.options or self.labels or self.none_label:
            raise ValueError(f"{self.id}: a {spec.kind} field takes no options or labels")
        if self.unit is not None and spec.kind != "number":
            raise ValueError(f"{self.id}: only a number takes a unit")
        if self.none_label is not None and spec.kind != "list":
            raise ValueError(f"{self.id}: only a multiple choice takes a none_label")
        if self.compare is not None and (spec.kind != "number" or self.unit != "%"):
            raise ValueError(f"{self.id}: only a percentage can be asked as two amounts")
        if self.confirm is not None and not self.field.startswith("history."):
            raise ValueError(f"{self.id}: only training questions are confirmed from runs")
        return self

    @property
    def spec(self) -> FieldSpec:
        return FIELDS[self.field]

    @property
    def kind(self) -> Kind:
        return _KINDS[self.spec.kind]

    @property
    def rule(self) -> Rule | None:
        rule: Rule | None = self.ask_if
        return rule

    @property
    def option_values(self) -> tuple[str, ...]:
        """The offered values, in display order (enum order unless `options` says)."""
        if self.options is not None:
            return self.options
        if self.spec.kind not in ("enum", "list"):
            return ()
        return tuple(v for v in _enum_order(self.field) if v in self.spec.values)

    @property
    def choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(v, self.labels[v]) for v in self.option_values)

    @property
    def bounds(self) -> NumberRange:
        if self.kind != "number":
            raise TypeError(f"{self.id} is not a number question")
        return number_range(self.field)


def _enum_order(path: str) -> list[str]:
    model: type[BaseModel] = History if path.startswith("history.") else Assessment
    base = _base_type(model.model_fields[path.removeprefix("history.")].annotation)
    if get_origin(base) is list:
        base = get_args(base)[0]
    return [member.value for member in base]


class Questionnaire(BaseModel):
    """Sections (in order), option labels per field, and the questions in asking order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sections: dict[str, str] = Field(min_length=1)
    safety_sections: tuple[str, ...] = ()
    labels: dict[str, dict[str, str]]
    names: dict[str, str] = Field(default_factory=dict)
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _share_labels(cls, raw: Any) -> Any:
        # Labels are written once per field; every question on that field gets them.
        if isinstance(raw, dict) and isinstance(raw.get("labels"), dict):
            labels = raw["labels"]
            raw = dict(raw)
            raw["questions"] = [
                {**q, "labels": labels.get(q.get("field"), {})} if isinstance(q, dict) else q
                for q in raw.get("questions") or []
            ]
        return raw

    @model_validator(mode="after")
    def _consistent(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids must be unique")
        for path, labels in self.labels.items():
            spec = FIELDS.get(path)
            if spec is None or spec.kind not in ("enum", "list"):
                raise ValueError(f"labels: '{path}' is not a choice field")
            if set(labels) != spec.values:
                wrong = sorted(set(labels) ^ spec.values)
                raise ValueError(f"labels of {path}: missing or unknown values {wrong}")
        unknown = sorted(set(self.names) - set(FIELDS))
        if unknown:
            raise ValueError(f"names: unknown fields {unknown}")
        unknown_safety = sorted(set(self.safety_sections) - set(self.sections))
        if unknown_safety:
            raise ValueError(f"safety_sections: unknown sections {unknown_safety}")
        asked: set[str] = set()
        seen_sections: list[str] = []
        this_section: set[str] = set()
        for question in self.questions:
            if question.section not in self.sections:
                raise ValueError(f"{question.id}: unknown section '{question.section}'")
            if not seen_sections or seen_sections[-1] != question.section:
                if question.section in seen_sections:
                    raise ValueError(f"{question.id}: section '{question.section}' is split")
                seen_sections.append(question.section)
                this_section = set()
            if question.rule is not None:
                used = fields_used(question.rule)
                later = used - asked
                if later:
                    raise ValueError(f"{question.id}: ask_if reads unasked {sorted(later)}")
                # A section is one page: a question that hung on an answer from its own
                # page would bring the page back once that answer is given.
                same_page = used & this_section
                if same_page:
                    raise ValueError(
                        f"{question.id}: ask_if reads its own section's {sorted(same_page)}"
                    )
            this_section.add(question.field)
            if (
                asked
                and any(p.startswith("history.") for p in asked)
                and (not question.field.startswith("history."))
            ):
                raise ValueError(f"{question.id}: training questions (history.*) come last")
            asked.add(question.field)
        first = self.questions[0]
        if first.field != "locations" or not first.required or first.rule is not None:
            raise ValueError("the first question must be the required, unconditional locations")
        return self

    def section_title(self, section: str) -> str:
        return self.sections[section]

    def section_order(self) -> list[str]:
        """The sections in asking order (the order their questions come in)."""
        order: list[str] = []
        for question in self.questions:
            if not order or order[-1] != question.section:
                order.append(question.section)
        return order

    def field_name(self, path: str) -> str:
        """A field's short name in plain words, for explaining findings."""
        return self.names.get(path) or path.removeprefix("history.").replace("_", " ")

    def prompt_for(self, path: str, facts: Facts | None = None) -> str:
        """The question that fills `path`, as the questionnaire asks it.

        A field asked in more than one way ("Since it was an injury: press firmly ..." or
        "Press firmly on the bones near the pain") is asked as the answers known so far
        (`facts`, as `rules.facts_of` makes them) would ask it: the first question whose
        `ask_if` holds, or that has none. Without facts, the first question of the field.
        """
        asked = [q for q in self.questions if q.field == path]
        if facts is not None:
            holds = [q for q in asked if q.rule is None or compile_rule(q.rule)(facts)]
            asked = holds or asked
        return asked[0].prompt if asked else self.field_name(path)

    def value_words(self, path: str, value: str) -> str:
        """An answer in plain words: each choice by its label, yes/no and numbers as given."""
        labels = self.labels.get(path, {})
        words = []
        for part in value.split(", "):
            # A label may explain itself after a colon ("Navicular: the bony bump ..."):
            # inside a sentence its first words are enough.
            label = labels.get(part, part.replace("_", " ")).split(": ")[0]
            words.append(label[:1].lower() + label[1:])
        return ", ".join(words)

    def plain_finding(self, item: str) -> str:
        """'bone_tenderness: navicular' (the engine's evidence) in the questionnaire's words."""
        field, sep, value = item.partition(": ")
        if not sep or field not in FIELDS:
            return item
        return f"{self.field_name(field)}: {self.value_words(field, value)}"


def questions_file() -> Path:
    return Path(str(resources.files("stridewell.knowledge") / "data" / _FILE))


def load_questionnaire_from(path: Path) -> Questionnaire:
    """Read and validate a questionnaire file; KnowledgeBaseError says what is wrong."""
    # The parsed YAML comes from the knowledge cache: parsing this file was a third of
    # the cold start of `stridewell assess --json` whenever a red flag fired.
    raw = read_yaml(path)
    try:
        return Questionnaire.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise KnowledgeBaseError(f"{path.name} is invalid at {where}: {first['msg']}") from exc


@lru_cache(maxsize=1)
def load_questionnaire() -> Questionnaire:
    """The packaged questionnaire, read once per process."""
    return load_questionnaire_from(questions_file())
