"""The cited SNOMED CT mapping of the knowledge base's conditions (knowledge/data/snomed.yaml).

Validated on load: every code is a well-formed SNOMED CT concept identifier (Verhoeff check
digit, concept partition), every source is a known citation or one of the file's own
references, and no condition is mapped twice.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from stridewell.errors import KnowledgeBaseError

SNOMED_SYSTEM = "http://snomed.info/sct"
_FILE = "snomed.yaml"

# Verhoeff's dihedral-group tables, as SNOMED CT's identifier check digit uses them.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
# The partition digits (second and third from the right) of a concept id: "00" in the
# International Edition, "10" for a concept of a national extension.
_CONCEPT_PARTITIONS = ("00", "10")


def is_concept_id(code: str) -> bool:
    """True for a well-formed SNOMED CT concept id: 6 to 18 digits, no leading zero, a
    concept partition and a valid Verhoeff check digit. It does not say the concept exists."""
    if not (code.isdigit() and 6 <= len(code) <= 18 and code[0] != "0"):
        return False
    if code[-3:-1] not in _CONCEPT_PARTITIONS:
        return False
    check = 0
    for position, digit in enumerate(reversed(code)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


class Reference(BaseModel):
    """A source the mapping cites that citations.yaml does not hold yet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=5)
    publisher: str = Field(min_length=2)
    url: str = Field(pattern=r"^https://")


class SnomedMapping(BaseModel):
    """One condition's SNOMED CT concept, and how closely it matches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    condition: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: str
    term: str = Field(min_length=3)
    match: Literal["exact", "broader"]
    sources: tuple[str, ...] = Field(min_length=1)
    confirmed: bool = True

    @field_validator("code")
    @classmethod
    def _concept_id(cls, code: str) -> str:
        if not is_concept_id(code):
            raise ValueError(f"{code!r} is not a SNOMED CT concept id (check digit or partition)")
        return code


class SnomedTable(BaseModel):
    """The whole mapping file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    references: tuple[Reference, ...] = ()
    mappings: tuple[SnomedMapping, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SnomedTable:
        conditions = [m.condition for m in self.mappings]
        twice = sorted({c for c in conditions if conditions.count(c) > 1})
        if twice:
            raise ValueError(f"conditions mapped twice: {twice}")
        ids = [r.id for r in self.references]
        if len(ids) != len(set(ids)):
            raise ValueError("reference ids must be unique")
        return self

    def mapped(self, condition_id: str) -> SnomedMapping | None:
        """The mapping of a condition id, None for a cause with no clinical concept (the
        engine's ordinary training soreness)."""
        return next((m for m in self.mappings if m.condition == condition_id), None)

    def for_condition(self, condition_id: str) -> SnomedMapping:
        """The mapping of a condition id; KeyError names an unmapped one."""
        for mapping in self.mappings:
            if mapping.condition == condition_id:
                return mapping
        raise KeyError(f"no SNOMED CT mapping for condition '{condition_id}'")

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(m.code for m in self.mappings)

    def unknown_sources(self, citations: set[str]) -> list[str]:
        """Source ids that are neither citations nor the file's own references."""
        known = citations | {r.id for r in self.references}
        return sorted({s for m in self.mappings for s in m.sources} - known)


def snomed_file() -> Path:
    return Path(str(resources.files("stridewell.knowledge") / "data" / _FILE))


def load_snomed_from(path: Path) -> SnomedTable:
    """Read and validate a mapping file; KnowledgeBaseError says what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot be read: {exc}") from exc
    try:
        return SnomedTable.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise KnowledgeBaseError(f"{path.name} is invalid at {where}: {first['msg']}") from exc


@lru_cache(maxsize=1)
def load_snomed() -> SnomedTable:
    """The packaged mapping, read once per process."""
    return load_snomed_from(snomed_file())
