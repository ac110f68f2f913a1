"""Every red flag, one by one: it fires on its own, and a near miss does not fire it."""

from __future__ import annotations

from typing import Any

import pytest

from stridewell.contract import Assessment, Level
from stridewell.knowledge import load_knowledge
from stridewell.triage.engine import assess

# id -> (an assessment that must raise it, a near miss that must not raise it)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "possible_infection": (
        {"locations": ["top_of_foot"], "redness_warmth": True, "fever_or_unwell": True},
        {"locations": ["top_of_foot"], "redness_warmth": True, "fever_or_unwell": False},
    ),
    "possible_dvt": (
        {"locations": ["inner_ankle"], "calf_pain_swelling": True},
        {"locations": ["inner_ankle"], "calf_pain_swelling": False, "swelling": "mild"},
    ),
    "poor_circulation": (
        {"locations": ["toes"], "foot_cold_pale": True},
        {"locations": ["toes"], "foot_cold_pale": False},
    ),
    "deformity": (
        {"locations": ["outer_ankle"], "deformity": True},
        {"locations": ["outer_ankle"], "deformity": False, "swelling": "mild"},
    ),
    "possible_achilles_rupture": (
        {"locations": ["achilles"], "felt_pop": True, "push_off_weak": True},
        # a pop with push-off kept is still a possible rupture (at urgent); no pop, no flag
        {"locations": ["achilles"], "felt_pop": False, "push_off_weak": False},
    ),
    "ottawa_rules": (
        {
            "locations": ["outer_ankle"],
            "injury_event": True,
            "bone_tenderness": ["lateral_malleolus"],
        },
        {
            "locations": ["outer_ankle"],
            "injury_event": True,
            "bone_tenderness": [],
            "can_bear_weight": True,
        },
    ),
    "high_risk_stress_fracture_site": (
        {"locations": ["inner_midfoot"], "injury_event": False, "bone_tenderness": ["navicular"]},
        {
            "locations": ["inner_midfoot"],
            "injury_event": False,
            "bone_tenderness": ["metatarsal_shaft"],
        },
    ),
    "suspected_bone_stress_injury": (
        {"locations": ["heel_pad"], "injury_event": False, "heel_squeeze_painful": True},
        {"locations": ["heel_pad"], "injury_event": False, "heel_squeeze_painful": False},
    ),
    "cannot_bear_weight": (
        {"locations": ["arch"], "can_bear_weight": False},
        {"locations": ["arch"], "can_bear_weight": True},
    ),
    "diabetic_foot": (
        {"locations": ["toes"], "diabetes": True, "numbness_tingling": True},
        {"locations": ["toes"], "diabetes": True, "numbness_tingling": False, "swelling": "none"},
    ),
    "nerve_symptoms": (
        {"locations": ["between_toes"], "numbness_tingling": True},
        {"locations": ["between_toes"], "numbness_tingling": False, "pain_quality": ["sharp"]},
    ),
    "pain_at_rest": (
        {"locations": ["heel_bottom"], "pain_timing": ["at_night"]},
        {"locations": ["heel_bottom"], "pain_timing": ["after_rest"]},
    ),
    "persistent_swelling_or_bruising": (
        {"locations": ["top_of_foot"], "swelling": "marked"},
        {"locations": ["top_of_foot"], "swelling": "mild", "bruising": False},
    ),
    "not_improving": (
        {"locations": ["achilles"], "duration_days": 12, "trend": "unchanged"},
        {"locations": ["achilles"], "duration_days": 9, "trend": "unchanged"},
    ),
    "severe_or_prolonged_pain": (
        {"locations": ["ball_of_foot"], "pain_score": 7},
        {"locations": ["ball_of_foot"], "pain_score": 6, "duration_days": 7},
    ),
    "local_infection": (
        {"locations": ["toes"], "open_wound": True, "redness_warmth": True},
        {"locations": ["toes"], "open_wound": True, "redness_warmth": False},
    ),
    "penetrating_wound": (
        {"locations": ["ball_of_foot"], "penetrating_injury": True},
        {"locations": ["ball_of_foot"], "penetrating_injury": False, "open_wound": True},
    ),
    "hot_swollen_joint": (
        {"locations": ["big_toe_joint"], "redness_warmth": True, "swelling": "mild"},
        # after a stubbed toe, redness and swelling are the injury, not a hot joint
        {
            "locations": ["big_toe_joint"],
            "redness_warmth": True,
            "swelling": "mild",
            "injury_event": True,
        },
    ),
    "possible_tendon_rupture": (
        {"locations": ["inner_ankle"], "onset": "sudden", "push_off_weak": True},
        {"locations": ["inner_ankle"], "onset": "gradual", "push_off_weak": True},
    ),
    "midfoot_injury": (
        {
            "locations": ["top_of_foot"],
            "injury_event": True,
            "can_bear_weight": True,
            "plantar_bruising": True,
        },
        {
            "locations": ["top_of_foot"],
            "injury_event": True,
            "can_bear_weight": True,
            "plantar_bruising": False,
            "swelling": "mild",
            "bone_tenderness": [],
        },
    ),
    "neurovascular_compromise": (
        {
            "locations": ["toes"],
            "injury_event": True,
            "can_bear_weight": False,
            "numbness_tingling": True,
        },
        {
            "locations": ["toes"],
            "injury_event": True,
            "can_bear_weight": True,
            "numbness_tingling": True,
        },
    ),
    "neurological_emergency": (
        {"locations": ["toes"], "side": "both", "numbness_tingling": True, "duration_days": 3},
        # numbness of both feet only while running, for months: laces or nerves, not an emergency
        {
            "locations": ["toes"],
            "side": "both",
            "numbness_tingling": True,
            "duration_days": 90,
            "pain_timing": ["during_run"],
        },
    ),
    "nerve_root_compromise": (
        {"locations": ["top_of_foot"], "sciatica_symptoms": True, "push_off_weak": True},
        {"locations": ["top_of_foot"], "sciatica_symptoms": False, "push_off_weak": True},
    ),
}

KB = load_knowledge()


def _flags(data: dict[str, Any]) -> dict[str, Level]:
    report = assess(Assessment.model_validate(data))
    return {flag.id: flag.level for flag in report.red_flags}


def test_every_red_flag_of_the_knowledge_base_has_its_own_case() -> None:
    assert set(CASES) == {flag.id for flag in KB.red_flags}


def test_every_red_flag_of_contract_1_1_is_in_the_knowledge_base_at_its_level() -> None:
    contract = {
        "possible_infection": "emergency",
        "local_infection": "urgent",
        "neurovascular_compromise": "emergency",
        "neurological_emergency": "emergency",
        "nerve_root_compromise": "urgent",
        "possible_tendon_rupture": "urgent",
        "midfoot_injury": "urgent",
        "hot_swollen_joint": "urgent",
        "penetrating_wound": "urgent",
        "possible_dvt": "emergency",
        "poor_circulation": "emergency",
        "deformity": "emergency",
        "possible_achilles_rupture": "emergency",
        "ottawa_rules": "urgent",
        "high_risk_stress_fracture_site": "urgent",
        "suspected_bone_stress_injury": "urgent",
        "diabetic_foot": "urgent",
        "nerve_symptoms": "soon",
        "pain_at_rest": "soon",
        "persistent_swelling_or_bruising": "soon",
        "not_improving": "soon",
        "severe_or_prolonged_pain": "soon",
    }
    levels = {flag.id: flag.level.value for flag in KB.red_flags}
    for flag_id, level in contract.items():
        assert levels.get(flag_id) == level, flag_id


@pytest.mark.parametrize("flag_id", sorted(CASES))
def test_red_flag_fires_and_sets_at_least_its_level(flag_id: str) -> None:
    firing, _ = CASES[flag_id]
    report = assess(Assessment.model_validate(firing))
    flags = {flag.id: flag for flag in report.red_flags}
    assert flag_id in flags
    assert flags[flag_id].because, "a red flag must say which answers raised it"
    assert flags[flag_id].sources
    assert report.triage.level.rank >= flags[flag_id].level.rank


@pytest.mark.parametrize("flag_id", sorted(CASES))
def test_red_flag_near_miss_does_not_fire(flag_id: str) -> None:
    _, near_miss = CASES[flag_id]
    assert flag_id not in _flags(near_miss)


def test_achilles_pop_with_unknown_push_off_is_treated_as_a_possible_rupture() -> None:
    flags = _flags({"locations": ["heel_back"], "felt_pop": True})
    assert flags.get("possible_achilles_rupture") is Level.emergency


def test_achilles_pop_with_the_heel_still_rising_stays_a_possible_rupture_at_urgent() -> None:
    # one reassuring self-test never rules a reported pop out (AAOS 2010)
    flags = _flags({"locations": ["achilles"], "felt_pop": True, "push_off_weak": False})
    assert flags.get("possible_achilles_rupture") is Level.urgent


def test_a_pop_behind_the_outer_ankle_bone_is_a_possible_tendon_tear() -> None:
    flags = _flags({"locations": ["outer_ankle"], "felt_pop": True, "injury_event": True})
    assert flags.get("possible_tendon_rupture") is Level.urgent


def test_ottawa_rules_fire_when_unable_to_bear_weight_after_injury() -> None:
    flags = _flags({"locations": ["outer_ankle"], "injury_event": True, "can_bear_weight": False})
    assert "ottawa_rules" in flags


def test_ottawa_rules_ignore_bone_points_outside_the_rules() -> None:
    data = {
        "locations": ["ball_of_foot"],
        "injury_event": True,
        "can_bear_weight": True,
        "bone_tenderness": ["metatarsal_shaft"],
    }
    flags = _flags(data)
    assert "ottawa_rules" not in flags
    # after an injury the bone-stress rule does not apply either: it is for overuse
    assert "suspected_bone_stress_injury" not in flags


def test_bone_stress_rules_apply_when_the_injury_question_was_not_answered() -> None:
    flags = _flags({"locations": ["big_toe_ball"], "bone_tenderness": ["sesamoid"]})
    assert "high_risk_stress_fracture_site" in flags
    assert "suspected_bone_stress_injury" in flags


def test_a_red_wound_without_fever_or_diabetes_is_a_local_infection_not_an_emergency() -> None:
    flags = _flags({"locations": ["toes"], "open_wound": True, "redness_warmth": True})
    assert flags.get("local_infection") is Level.urgent
    assert "possible_infection" not in flags


def test_a_red_wound_with_diabetes_is_an_emergency() -> None:
    flags = _flags(
        {"locations": ["toes"], "open_wound": True, "redness_warmth": True, "diabetes": True}
    )
    assert flags.get("possible_infection") is Level.emergency


def test_worsening_pain_counts_as_not_improving_at_any_duration() -> None:
    assert "not_improving" in _flags(
        {"locations": ["arch"], "duration_days": 2, "trend": "worsening"}
    )


def test_a_blank_trend_is_never_read_as_not_improving_but_is_asked() -> None:
    report = assess(Assessment.model_validate({"locations": ["arch"], "duration_days": 10}))
    assert "not_improving" not in {f.id for f in report.red_flags}
    assert "trend" in {q.field for q in report.unanswered_safety_questions}
    assert "not_improving" in _flags(
        {"locations": ["arch"], "duration_days": 10, "trend": "unchanged"}
    )


def test_improving_pain_after_two_weeks_is_not_flagged_as_not_improving() -> None:
    flags = _flags({"locations": ["arch"], "duration_days": 14, "trend": "improving"})
    assert "not_improving" not in flags
    assert "severe_or_prolonged_pain" not in flags


def test_burning_pain_counts_as_a_nerve_symptom() -> None:
    assert "nerve_symptoms" in _flags({"locations": ["top_of_foot"], "pain_quality": ["burning"]})


def test_all_red_flags_together_give_an_emergency() -> None:
    everything: dict[str, Any] = {"locations": ["achilles"]}
    for firing, _ in CASES.values():
        for key, value in firing.items():
            if key != "locations":
                everything[key] = value
    everything["injury_event"] = True
    report = assess(Assessment.model_validate(everything))
    assert report.triage.level is Level.emergency
    assert report.red_flags[0].level is Level.emergency
    ranks = [flag.level.rank for flag in report.red_flags]
    assert ranks == sorted(ranks, reverse=True), "red flags are listed most urgent first"
