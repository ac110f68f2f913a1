"""The assessment contract, version 1.1 (shared/contract/assessment.md) as pydantic models.

The input side (`Assessment`) accepts exactly the fields of the contract and rejects
unknown ones. The output side (`TriageReport`) carries the contract's fields plus
Stridewell's extensions (knowledge-base version, rules fired, advice with sources).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)

from stridewell.levels import CONTRACT_MINOR, CONTRACT_VERSION, Level, most_urgent

# The report side lives in `stridewell.report` (plain dataclasses: built for every
# assessment, and fast to build matters); re-exported here as part of the contract.
from stridewell.report import (
    AdviceItem,
    KnowledgeRef,
    RankedCondition,
    RedFlagHit,
    SafetyQuestion,
    SourceRef,
    Triage,
    TriageReport,
)


def _integral_float_to_int(value: Any) -> Any:
    # JSON Schema counts 46.0 as an integer; booleans and strings stay errors.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[StrictInt, BeforeValidator(_integral_float_to_int)]


class Side(StrEnum):
    left = "left"
    right = "right"
    both = "both"


class Sex(StrEnum):
    female = "female"
    male = "male"
    other = "other"


class Region(StrEnum):
    heel_bottom = "heel_bottom"
    heel_pad = "heel_pad"
    heel_back = "heel_back"
    achilles = "achilles"
    arch = "arch"
    inner_midfoot = "inner_midfoot"
    inner_ankle = "inner_ankle"
    outer_ankle = "outer_ankle"
    outer_midfoot = "outer_midfoot"
    top_of_foot = "top_of_foot"
    ball_of_foot = "ball_of_foot"
    big_toe_ball = "big_toe_ball"
    big_toe_joint = "big_toe_joint"
    between_toes = "between_toes"
    toes = "toes"


class Onset(StrEnum):
    sudden = "sudden"
    gradual = "gradual"


class Trend(StrEnum):
    improving = "improving"
    unchanged = "unchanged"
    worsening = "worsening"


class Timing(StrEnum):
    first_steps_morning = "first_steps_morning"
    after_rest = "after_rest"
    during_run = "during_run"
    after_run = "after_run"
    eases_with_warmup = "eases_with_warmup"
    worsens_with_activity = "worsens_with_activity"
    at_rest = "at_rest"
    at_night = "at_night"
    with_tight_shoes = "with_tight_shoes"
    barefoot_hard_floor = "barefoot_hard_floor"
    weight_bearing = "weight_bearing"
    uphill_or_toe_off = "uphill_or_toe_off"


class Quality(StrEnum):
    sharp = "sharp"
    dull_ache = "dull_ache"
    burning = "burning"
    throbbing = "throbbing"
    stabbing = "stabbing"
    pinpoint = "pinpoint"
    shooting = "shooting"
    stiffness = "stiffness"


class Swelling(StrEnum):
    none = "none"
    mild = "mild"
    marked = "marked"


class BonePoint(StrEnum):
    navicular = "navicular"
    fifth_metatarsal_base = "fifth_metatarsal_base"
    metatarsal_shaft = "metatarsal_shaft"
    calcaneus = "calcaneus"
    medial_malleolus = "medial_malleolus"
    lateral_malleolus = "lateral_malleolus"
    sesamoid = "sesamoid"
    tarsometatarsal = "tarsometatarsal"  # contract 1.1: base of the 2nd metatarsal (Lisfranc)


class Surface(StrEnum):
    road = "road"
    trail = "trail"
    treadmill = "treadmill"
    track = "track"
    mixed = "mixed"


class ArchType(StrEnum):
    flat = "flat"
    normal = "normal"
    high = "high"


_STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _no_null(value: Any) -> Any:
    # The JSON Schema has no nulls: an unknown answer is left out, never sent as null.
    if value is None:
        raise ValueError("null is not allowed; leave the field out when it is not known")
    return value


class History(BaseModel):
    model_config = _STRICT

    weekly_km_change_pct: float | None = Field(default=None, strict=True, ge=-100, le=1000)
    longest_run_spike_pct: float | None = Field(default=None, strict=True, ge=-100, le=1000)
    new_shoes: StrictBool | None = None
    shoe_km: float | None = Field(default=None, strict=True, ge=0, le=10000)
    surface: Surface | None = None
    recent_treadmill: StrictBool | None = None
    arch_type: ArchType | None = None
    overpronation: StrictBool | None = None
    calf_tightness: StrictBool | None = None
    tight_laces: StrictBool | None = None
    previous_stress_fracture: StrictBool | None = None
    low_energy_risk: StrictBool | None = None

    _reject_null = field_validator("*", mode="before")(_no_null)


class Assessment(BaseModel):
    """What a runner tells Stridewell. A missing field means 'not known', never 'no'."""

    model_config = _STRICT

    side: Side | None = None
    age: JsonInt | None = Field(default=None, ge=5, le=110)
    sex: Sex | None = None
    pain_score: JsonInt | None = Field(default=None, ge=0, le=10)
    locations: list[Region] = Field(min_length=1)
    onset: Onset | None = None
    injury_event: StrictBool | None = None
    felt_pop: StrictBool | None = None
    duration_days: JsonInt | None = Field(default=None, ge=0)
    trend: Trend | None = None
    pain_timing: list[Timing] | None = None
    pain_quality: list[Quality] | None = None
    numbness_tingling: StrictBool | None = None
    swelling: Swelling | None = None
    bruising: StrictBool | None = None
    redness_warmth: StrictBool | None = None
    fever_or_unwell: StrictBool | None = None
    open_wound: StrictBool | None = None
    deformity: StrictBool | None = None
    foot_cold_pale: StrictBool | None = None
    calf_pain_swelling: StrictBool | None = None
    can_bear_weight: StrictBool | None = None
    bone_tenderness: list[BonePoint] | None = None
    hop_test_painful: StrictBool | None = None
    heel_squeeze_painful: StrictBool | None = None
    forefoot_squeeze_click: StrictBool | None = None
    relief_removing_shoe: StrictBool | None = None
    tendon_thickening: StrictBool | None = None
    push_off_weak: StrictBool | None = None
    diabetes: StrictBool | None = None
    # contract 1.1
    penetrating_injury: StrictBool | None = None
    recent_travel_or_immobility: StrictBool | None = None
    sciatica_symptoms: StrictBool | None = None
    saddle_or_bladder_symptoms: StrictBool | None = None
    plantar_bruising: StrictBool | None = None
    steroid_injection: StrictBool | None = None
    previous_episode: StrictBool | None = None
    history: History | None = None

    _reject_null = field_validator("*", mode="before")(_no_null)

    @field_validator("locations", "pain_timing", "pain_quality", "bone_tenderness")
    @classmethod
    def _items_unique(cls, value: list[Any] | None) -> list[Any] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("items must be unique")
        return value

    def to_json_dict(self) -> dict[str, Any]:
        """The assessment as the contract's JSON object, without unknown (missing) fields."""
        return self.model_dump(mode="json", exclude_none=True)


__all__ = [
    "CONTRACT_MINOR",
    "CONTRACT_VERSION",
    "AdviceItem",
    "ArchType",
    "Assessment",
    "BonePoint",
    "History",
    "KnowledgeRef",
    "Level",
    "Onset",
    "Quality",
    "RankedCondition",
    "RedFlagHit",
    "Region",
    "SafetyQuestion",
    "Sex",
    "Side",
    "SourceRef",
    "Surface",
    "Swelling",
    "Timing",
    "Trend",
    "Triage",
    "TriageReport",
    "most_urgent",
]
