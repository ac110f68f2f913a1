"""Shoe features from the knowledge base, tied to the runner's triage report."""

from __future__ import annotations

from datetime import date

import pytest

from stridewell.contract import Assessment
from stridewell.knowledge import load_knowledge
from stridewell.shoes import Shoe, ShoeType, shoe_advice_for, style_types
from stridewell.triage.engine import assess

KB = load_knowledge()
HEEL = Assessment.model_validate(
    {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"], "onset": "gradual"}
)
SHOES = [
    Shoe(id="stab", model="Adrenaline", type=ShoeType.stability),
    Shoe(id="mc", model="Beast", type=ShoeType.motion_control, retired=date(2026, 1, 1)),
    Shoe(id="neutral", model="Pegasus", type=ShoeType.neutral_cushioned),
]


def test_heel_pain_report_brings_the_knowledge_base_features_in_report_order() -> None:
    report = assess(HEEL)
    advice = shoe_advice_for(report, SHOES)
    wanted = [a.id for a in report.advice if a.kind == "shoe_feature"]
    assert [a.id for a in advice] == wanted
    heel = advice[0]
    entry = next(f for f in KB.shoe_features if f.id == heel.id)
    assert (heel.pain_type, heel.features, heel.shoe_style) == (
        entry.pain_type,
        entry.features,
        entry.shoe_style,
    )
    assert heel.sources == tuple(entry.sources)
    assert heel.text in report.shoe_features


def test_runners_pairs_in_use_that_fit_the_style_are_named() -> None:
    advice = {a.id: a for a in shoe_advice_for(assess(HEEL), SHOES)}
    assert advice["heel_pain_shoes"].matching_shoes == ("stab",)
    # The motion-control pair fits arch pain but is retired.
    assert advice["arch_pain_shoes"].shoe_types == (ShoeType.motion_control,)
    assert advice["arch_pain_shoes"].matching_shoes == ()
    on_old_day = {a.id: a for a in shoe_advice_for(assess(HEEL), SHOES, today=date(2025, 12, 1))}
    assert on_old_day["arch_pain_shoes"].matching_shoes == ("mc",)


def test_emergency_report_has_no_shoe_advice() -> None:
    urgent = Assessment.model_validate(
        {
            "locations": ["heel_bottom"],
            "open_wound": True,
            "fever_or_unwell": True,
            "redness_warmth": True,
        }
    )
    report = assess(urgent)
    assert report.triage.level.value == "emergency"
    assert shoe_advice_for(report, SHOES) == []


@pytest.mark.parametrize(
    ("style", "types"),
    [
        ("Stability running shoe", (ShoeType.stability,)),
        ("Motion control shoe", (ShoeType.motion_control,)),
        ("Neutral cushioned shoe", (ShoeType.neutral_cushioned,)),
        ("High-cushion shoe", (ShoeType.high_cushion,)),
        ("Stable neutral or stability shoe", (ShoeType.stability, ShoeType.neutral_cushioned)),
        ("Wide-fit cushioned shoe", (ShoeType.neutral_cushioned, ShoeType.high_cushion)),
        ("Stiff-soled or rocker shoe, or a walking boot, as advised; then a cushioned trainer", ()),
        ("Racing flat", ()),
    ],
)
def test_knowledge_base_styles_map_to_shoe_types(style: str, types: tuple[ShoeType, ...]) -> None:
    assert style_types(style) == types


def test_every_knowledge_base_style_is_understood_or_deliberately_left_to_a_clinician() -> None:
    unmapped = [f.id for f in KB.shoe_features if not style_types(f.shoe_style)]
    assert unmapped == ["bone_stress_shoes"]
