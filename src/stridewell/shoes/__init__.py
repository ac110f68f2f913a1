"""Shoes: the runner's pairs, their mileage, alerts, rotation and shoe advice (pure code)."""

from stridewell.shoes.advice import ShoeAdvice, shoe_advice_for, style_types
from stridewell.shoes.alerts import RotationPair, RotationSummary, alerts, rotation_summary
from stridewell.shoes.mileage import (
    Mileage,
    assign_shoes,
    km_between,
    match_strava_gear,
    mileage,
    shoe_for,
)
from stridewell.shoes.model import (
    KM_PER_MILE,
    Shoe,
    ShoeType,
    Unit,
    default_shoe_on,
    edit,
    format_distance,
    from_unit,
    retire,
    to_unit,
)

__all__ = [
    "KM_PER_MILE",
    "Mileage",
    "RotationPair",
    "RotationSummary",
    "Shoe",
    "ShoeAdvice",
    "ShoeType",
    "Unit",
    "alerts",
    "assign_shoes",
    "default_shoe_on",
    "edit",
    "format_distance",
    "from_unit",
    "km_between",
    "match_strava_gear",
    "mileage",
    "retire",
    "rotation_summary",
    "shoe_advice_for",
    "shoe_for",
    "style_types",
    "to_unit",
]
