"""Running shoes: the `Shoe` model, the default shoe on a day, and km / miles display.

Distances are stored in kilometres everywhere; miles exist only at display
(`to_unit`, `format_distance`), so a runner switching units never changes the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from stridewell.text import refuse_unstorable

KM_PER_MILE = 1.609344
Unit = Literal["km", "mi"]

# The seed brief's guide: check a pair at about 500 km, replace it by about 800 km
# (300-500 miles).
CHECK_KM = 500.0
REPLACE_KM = 800.0

# Running shoes tracked from 1990 on; the latest day (today + 1, for time zones) is
# checked where the clock is known (`check_dates`).
EARLIEST_DAY = date(1990, 1, 1)
ShoeDay = Annotated[date, Field(ge=EARLIEST_DAY, le=date(2999, 12, 31))]
Text = Annotated[str, AfterValidator(refuse_unstorable)]


class ShoeType(StrEnum):
    stability = "stability"
    motion_control = "motion_control"
    neutral_cushioned = "neutral_cushioned"
    high_cushion = "high_cushion"
    other = "other"


class Shoe(BaseModel):
    """One pair of running shoes the runner tracks.

    ``start_km`` is the distance the pair had covered before Stridewell tracked it (a shoe
    bought second-hand, or runs never recorded). ``retired`` is the last day of use.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Text = Field(min_length=1, max_length=64)
    brand: Text = Field(default="", max_length=80)
    model: Text = Field(min_length=1, max_length=80)
    type: ShoeType = ShoeType.other
    nickname: Text | None = Field(default=None, max_length=80)
    started: ShoeDay | None = None
    retired: ShoeDay | None = None
    is_default: bool = False
    check_km: float = Field(default=CHECK_KM, gt=0, le=10000)
    replace_km: float = Field(default=REPLACE_KM, gt=0, le=10000)
    start_km: float = Field(default=0.0, ge=0, le=10000)

    @model_validator(mode="after")
    def _consistent(self) -> Shoe:
        if self.check_km > self.replace_km:
            raise ValueError("check_km must not be above replace_km")
        if self.started and self.retired and self.retired < self.started:
            raise ValueError("a shoe cannot be retired before it was started")
        return self

    @property
    def name(self) -> str:
        """What to call the pair: 'Brand Model', with its nickname in quotes if it has one."""
        base = f"{self.brand} {self.model}".strip()
        return f'{base} "{self.nickname}"' if self.nickname else base

    def in_use_on(self, day: date) -> bool:
        """Started on or before `day` (or no start known) and not retired before it."""
        if self.started is not None and day < self.started:
            return False
        return self.retired is None or day <= self.retired


def edit(shoe: Shoe, **changes: Any) -> Shoe:
    """A copy of `shoe` with `changes`, validated like a new shoe (model_copy is not)."""
    return Shoe.model_validate({**shoe.model_dump(), **changes})


def retire(shoe: Shoe, day: date) -> Shoe:
    """The shoe retired after its last use on `day`; a retired pair stops being the default."""
    return edit(shoe, retired=day, is_default=False)


def default_shoe_on(shoes: Sequence[Shoe], day: date) -> Shoe | None:
    """The default shoe in force on `day`: of the default pairs in use that day, the one
    started last (a runner who sets a new default keeps the old one's history intact)."""
    candidates = [s for s in shoes if s.is_default and s.in_use_on(day)]
    if not candidates:
        return None
    return max(candidates, key=lambda s: s.started or date.min)


def to_unit(km: float, unit: Unit) -> float:
    """A distance in the runner's unit."""
    return km / KM_PER_MILE if unit == "mi" else km


def from_unit(value: float, unit: Unit) -> float:
    """A distance typed in the runner's unit, in kilometres."""
    return value * KM_PER_MILE if unit == "mi" else value


def format_distance(km: float, unit: Unit = "km", digits: int = 0) -> str:
    """'612 km' or '380 mi'."""
    return f"{to_unit(km, unit):.{digits}f} {unit}"
