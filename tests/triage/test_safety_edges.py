"""The failure patterns of issue 10, each as a rule of how the engine reads answers, and
the over-triage guards. Cases are written from the rules (contract 1.1 and its sources),
not from any blind case."""

from __future__ import annotations

from typing import Any

import pytest

from stridewell.contract import Assessment, Level
from stridewell.report import TriageReport
from stridewell.triage.engine import assess


def _report(**data: Any) -> TriageReport:
    return assess(Assessment.model_validate(data))


def _flags(report: TriageReport) -> set[str]:
    return {f.id for f in report.red_flags}


def test_an_achilles_rupture_reported_without_a_pop_is_an_emergency() -> None:
    report = _report(locations=["achilles"], onset="sudden", felt_pop=False, push_off_weak=True)
    assert "possible_achilles_rupture" in _flags(report)
    assert report.triage.level is Level.emergency


def test_a_sudden_severe_achilles_pain_with_push_off_not_tried_is_an_emergency() -> None:
    report = _report(locations=["achilles"], onset="sudden", pain_score=8)
    assert report.triage.level is Level.emergency


def test_a_swollen_joint_with_fever_and_no_redness_is_a_possible_infection() -> None:
    report = _report(
        locations=["big_toe_joint"], swelling="mild", fever_or_unwell=True, redness_warmth=False
    )
    assert "possible_infection" in _flags(report)
    assert report.triage.level is Level.emergency


def test_one_swollen_ankle_without_injury_and_the_calf_not_asked_is_a_possible_clot() -> None:
    report = _report(locations=["inner_ankle"], side="left", swelling="marked", onset="sudden")
    assert "possible_dvt" in _flags(report)
    assert report.triage.level is Level.emergency


def test_a_swollen_ankle_is_not_a_clot_when_the_calf_is_known_to_be_fine() -> None:
    report = _report(
        locations=["inner_ankle"], swelling="marked", calf_pain_swelling=False, onset="sudden"
    )
    assert "possible_dvt" not in _flags(report)


def test_a_swollen_foot_after_a_long_flight_is_a_possible_clot_even_with_a_fine_calf() -> None:
    report = _report(
        locations=["top_of_foot"], swelling="mild", recent_travel_or_immobility=True,
        calf_pain_swelling=False,
    )  # fmt: skip
    assert "possible_dvt" in _flags(report)


def test_many_lesser_signs_with_severe_pain_at_rest_are_an_emergency() -> None:
    report = _report(
        locations=["top_of_foot"], pain_score=9, pain_timing=["at_rest", "at_night"],
        numbness_tingling=True, swelling="marked", bruising=True, trend="worsening",
    )  # fmt: skip
    assert report.triage.level is Level.emergency
    assert "neurovascular_compromise" in _flags(report)


def test_lesser_warning_signs_add_up_and_the_report_says_so() -> None:
    report = _report(
        locations=["arch"], pain_timing=["at_night"], numbness_tingling=True, swelling="marked",
        pain_score=5,
    )  # fmt: skip
    assert {f.level for f in report.red_flags} == {Level.soon}
    assert report.triage.level is Level.urgent
    assert any(r.startswith("Several warning signs together") for r in report.triage.reasons)
    assert "aggregation:several_lesser_signs" in report.knowledge_base.rules_fired


def test_one_lesser_sign_with_severe_pain_at_rest_raises_the_level() -> None:
    report = _report(locations=["arch"], pain_timing=["at_rest"], pain_score=8, bruising=True)
    assert report.triage.level is Level.urgent
    assert any("severe pain at rest" in r for r in report.triage.reasons)


def test_two_lesser_signs_without_severe_rest_pain_stay_soon() -> None:
    report = _report(
        locations=["between_toes"], numbness_tingling=True, pain_timing=["at_night"],
        pain_score=4, onset="gradual",
    )  # fmt: skip
    assert report.triage.level is Level.soon


def test_a_snap_at_the_inner_ankle_with_weak_rise_is_a_possible_tendon_rupture() -> None:
    report = _report(locations=["inner_ankle"], felt_pop=True, push_off_weak=True, onset="sudden")
    assert "possible_tendon_rupture" in _flags(report)
    assert report.triage.level.rank >= Level.urgent.rank
    assert report.conditions[0].id == "posterior_tibial_tendon_rupture"


def test_a_midfoot_injury_that_bears_weight_with_sole_bruising_is_urgent() -> None:
    report = _report(
        locations=["top_of_foot"], injury_event=True, can_bear_weight=True,
        bone_tenderness=[], plantar_bruising=True,
    )  # fmt: skip
    assert "ottawa_rules" not in _flags(report)
    assert "midfoot_injury" in _flags(report)
    assert report.triage.level is Level.urgent
    assert "lisfranc_injury" in [c.id for c in report.conditions[:3]]


def test_a_red_hot_swollen_joint_without_fever_is_urgent_and_gout_is_considered() -> None:
    report = _report(
        locations=["big_toe_joint"], redness_warmth=True, swelling="marked", onset="sudden",
        injury_event=False, pain_score=9,
    )  # fmt: skip
    assert "hot_swollen_joint" in _flags(report)
    assert report.triage.level.rank >= Level.urgent.rank
    assert "gout" in [c.id for c in report.conditions[:3]]


def test_a_nail_through_the_sole_is_urgent() -> None:
    report = _report(locations=["ball_of_foot"], penetrating_injury=True)
    assert "penetrating_wound" in _flags(report)
    assert report.triage.level is Level.urgent


def test_numbness_spreading_in_both_feet_over_days_is_an_emergency() -> None:
    report = _report(locations=["toes"], side="both", numbness_tingling=True, duration_days=4)
    assert "neurological_emergency" in _flags(report)
    assert report.triage.level is Level.emergency


def test_saddle_numbness_is_an_emergency_wherever_the_foot_hurts() -> None:
    report = _report(locations=["heel_bottom"], saddle_or_bladder_symptoms=True)
    assert report.triage.level is Level.emergency


def test_numb_toes_after_a_fall_with_a_foot_that_cannot_bear_weight_are_an_emergency() -> None:
    report = _report(
        locations=["top_of_foot"], injury_event=True, can_bear_weight=False,
        numbness_tingling=True,
    )  # fmt: skip
    assert "neurovascular_compromise" in _flags(report)
    assert report.triage.level is Level.emergency


def test_sciatica_with_a_weak_foot_is_urgent_and_with_numbness_alone_is_soon() -> None:
    weak = _report(locations=["top_of_foot"], sciatica_symptoms=True, push_off_weak=True)
    numb = _report(locations=["top_of_foot"], sciatica_symptoms=True, numbness_tingling=True)
    assert {f.id: f.level for f in weak.red_flags}["nerve_root_compromise"] is Level.urgent
    assert {f.id: f.level for f in numb.red_flags}["nerve_root_compromise"] is Level.soon
    assert numb.conditions[0].id == "lumbar_radiculopathy"


def test_a_childs_painful_heel_squeeze_is_the_growing_heel_not_a_bone_stress_injury() -> None:
    report = _report(
        locations=["heel_back"], age=10, heel_squeeze_painful=True, injury_event=False,
        pain_timing=["during_run", "after_run"], onset="gradual",
    )  # fmt: skip
    assert "suspected_bone_stress_injury" not in _flags(report)
    assert report.conditions[0].id == "calcaneal_apophysitis"
    assert report.triage.level is Level.soon


def test_an_adults_painful_heel_squeeze_is_a_suspected_bone_stress_injury() -> None:
    report = _report(locations=["heel_pad"], age=34, heel_squeeze_painful=True)
    assert "suspected_bone_stress_injury" in _flags(report)
    assert report.triage.level is Level.urgent


def test_a_child_with_a_painful_hop_still_gets_the_bone_stress_flag() -> None:
    report = _report(locations=["heel_back"], age=12, hop_test_painful=True)
    assert "suspected_bone_stress_injury" in _flags(report)


def test_a_leading_rupture_puts_the_level_at_emergency() -> None:
    report = _report(locations=["achilles"], felt_pop=True, injury_event=True, onset="sudden")
    assert report.conditions[0].id == "achilles_rupture"
    assert report.triage.level is Level.emergency


def test_a_dangerous_condition_second_in_the_ranking_raises_the_level() -> None:
    # pain at the ball of the foot after a jump in mileage, hopping not tried: no warning
    # sign fires and metatarsalgia leads, but a stress fracture is likely enough to need
    # a clinician's examination
    report = _report(
        locations=["ball_of_foot"], onset="gradual", pain_score=4,
        pain_timing=["during_run"], history={"weekly_km_change_pct": 40},
    )  # fmt: skip
    assert report.red_flags == []
    assert report.conditions[0].id != "metatarsal_stress_fracture"
    assert "metatarsal_stress_fracture" in [c.id for c in report.conditions[1:3]]
    assert report.triage.level is Level.soon
    assert "danger_in_top_three:metatarsal_stress_fracture" in report.knowledge_base.rules_fired


def test_an_emergency_condition_second_in_the_ranking_needs_a_clinician_within_two_days() -> None:
    # a crush-like injury at the heel pad with marked swelling and severe pain: only lesser
    # warning signs fire and the fat pad leads, but a compartment syndrome is likely
    # enough to raise the level by the ranking alone
    report = _report(
        locations=["heel_pad"], injury_event=True, swelling="marked", pain_score=8,
    )  # fmt: skip
    assert all(f.level is Level.soon for f in report.red_flags)
    assert report.conditions[0].id != "compartment_syndrome"
    assert "compartment_syndrome" in [c.id for c in report.conditions[1:3]]
    assert report.triage.level is Level.urgent
    assert "danger_in_top_three:compartment_syndrome" in report.knowledge_base.rules_fired


def test_a_sudden_achilles_pain_without_a_pop_and_with_push_off_kept_is_urgent_not_self_care() -> (
    None
):
    # How missed ruptures present (BJGP 2015): sudden pain in speed work, no pop, the heel
    # still rises, moderate pain. Needs the squeeze test within a day or two.
    report = _report(
        locations=["achilles"], onset="sudden", injury_event=False, felt_pop=False,
        push_off_weak=False, pain_score=6, swelling="mild", can_bear_weight=True,
        pain_timing=["uphill_or_toe_off", "weight_bearing"], pain_quality=["sharp"],
    )  # fmt: skip
    flag = next(f for f in report.red_flags if f.id == "possible_achilles_rupture")
    assert flag.level is Level.urgent
    assert report.triage.level is Level.urgent


def test_a_gradual_achilles_ache_raises_no_rupture_warning() -> None:
    report = _report(
        locations=["achilles"], onset="gradual", pain_score=3, felt_pop=False,
        pain_timing=["first_steps_morning", "uphill_or_toe_off"], duration_days=20,
    )  # fmt: skip
    assert "possible_achilles_rupture" not in _flags(report)
    assert report.conditions[0].id == "achilles_tendinopathy"


@pytest.mark.parametrize(
    "data",
    [
        # ingrown toenail: sore, red nail fold in tight shoes
        {"locations": ["toes"], "pain_timing": ["with_tight_shoes"], "redness_warmth": True,
         "swelling": "mild", "onset": "gradual", "pain_score": 4},
        {"locations": ["toes"], "pain_timing": ["with_tight_shoes"], "redness_warmth": True,
         "open_wound": True, "pain_quality": ["sharp"], "pain_score": 6},
        # black toenail after a long downhill race
        {"locations": ["toes"], "bruising": True, "pain_quality": ["throbbing"],
         "history": {"longest_run_spike_pct": 40}, "pain_score": 5},
        {"locations": ["toes"], "bruising": True, "injury_event": True, "pain_score": 7,
         "can_bear_weight": True},
        # plain plantar fasciitis
        {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning", "after_rest"],
         "onset": "gradual", "duration_days": 40, "trend": "unchanged", "pain_score": 6},
        {"locations": ["heel_bottom", "arch"], "pain_timing": ["first_steps_morning"],
         "pain_score": 8, "side": "both"},
    ],
)  # fmt: skip
def test_ingrown_and_black_toenails_and_plain_plantar_fasciitis_never_reach_emergency(
    data: dict[str, Any],
) -> None:
    report = _report(**data)
    assert report.triage.level is not Level.emergency, report.triage.reasons


def test_a_plain_ingrown_toenail_is_managed_at_home() -> None:
    report = _report(
        locations=["toes"], pain_timing=["with_tight_shoes"], onset="gradual", pain_score=3,
        redness_warmth=False, open_wound=False, fever_or_unwell=False,
    )  # fmt: skip
    assert report.conditions[0].id == "ingrown_toenail"
    assert report.triage.level is Level.self_care


def test_a_black_toenail_leads_with_its_own_name() -> None:
    report = _report(locations=["toes"], bruising=True, pain_quality=["throbbing"])
    assert report.conditions[0].id == "subungual_haematoma"
    assert report.triage.level.rank <= Level.soon.rank


def test_unanswered_safety_questions_come_most_urgent_first_with_a_reason() -> None:
    report = _report(locations=["achilles"])
    fields = [q.field for q in report.unanswered_safety_questions]
    assert "felt_pop" in fields and "push_off_weak" in fields
    assert all(q.why for q in report.unanswered_safety_questions)
    assert report.to_json_dict()["unanswered_safety_questions"][0]["field"] == fields[0]
    answered = _report(locations=["achilles"], felt_pop=False, push_off_weak=False, onset="gradual")
    assert "felt_pop" not in [q.field for q in answered.unanswered_safety_questions]


def test_an_emergency_report_has_no_safety_questions_left() -> None:
    report = _report(locations=["toes"], foot_cold_pale=True)
    assert report.triage.level is Level.emergency
    assert report.unanswered_safety_questions == []


def test_a_report_says_contract_1_1() -> None:
    data = _report(locations=["arch"]).to_json_dict()
    assert (data["contract"], data["contract_minor"]) == (1, 1)


def test_rest_or_night_pain_that_keeps_getting_worse_needs_a_clinician_within_two_days() -> None:
    # an older runner's heel: aches at night and at rest, worse week by week, no test done
    report = _report(
        locations=["heel_pad", "heel_bottom"], age=67, sex="female", onset="gradual",
        duration_days=25, trend="worsening", pain_timing=["at_night", "at_rest"], pain_score=6,
    )  # fmt: skip
    assert {f.level for f in report.red_flags} == {Level.soon}
    assert report.triage.level is Level.urgent
    assert "aggregation:worsening_rest_pain" in report.knowledge_base.rules_fired


def test_shooting_night_pain_getting_worse_without_a_nerve_sign_still_needs_a_clinician_soon() -> (
    None
):
    report = _report(
        locations=["heel_bottom"], onset="gradual", duration_days=20, trend="worsening",
        pain_timing=["at_night"], pain_quality=["dull_ache", "shooting"], pain_score=5,
    )  # fmt: skip
    assert "aggregation:worsening_rest_pain" in report.knowledge_base.rules_fired
    assert report.triage.level is Level.urgent


def test_burning_night_pain_of_a_trapped_nerve_getting_worse_stays_a_booked_visit() -> None:
    report = _report(
        locations=["inner_ankle", "arch"], onset="gradual", duration_days=56, trend="worsening",
        pain_timing=["at_night"], pain_quality=["burning", "shooting"], numbness_tingling=True,
        pain_score=5,
    )  # fmt: skip
    assert "aggregation:worsening_rest_pain" not in report.knowledge_base.rules_fired
    assert report.triage.level is Level.soon


def test_both_ankles_puffy_after_a_long_flight_is_not_a_blood_clot() -> None:
    report = _report(
        side="both", locations=["inner_ankle", "outer_ankle"], swelling="mild",
        recent_travel_or_immobility=True, injury_event=False, pain_score=1, trend="improving",
        calf_pain_swelling=False,
    )  # fmt: skip
    assert "possible_dvt" not in _flags(report)
    assert report.triage.level.rank < Level.urgent.rank


def test_one_swollen_ankle_or_a_sore_calf_after_a_flight_is_still_a_possible_clot() -> None:
    one = _report(locations=["inner_ankle"], swelling="mild", recent_travel_or_immobility=True)
    assert one.triage.level is Level.emergency and "possible_dvt" in _flags(one)
    unknown_side = _report(
        locations=["outer_ankle"], swelling="mild", recent_travel_or_immobility=True
    )
    assert unknown_side.triage.level is Level.emergency  # a blank side is not "both"
    calf = _report(
        side="both", locations=["inner_ankle"], calf_pain_swelling=True,
        recent_travel_or_immobility=True,
    )  # fmt: skip
    assert calf.triage.level is Level.emergency and "possible_dvt" in _flags(calf)
    # "Clearly swollen" is swollen compared with the other foot, whichever foot hurts
    clearly = _report(
        side="both", locations=["inner_ankle"], swelling="marked", calf_pain_swelling=False,
        recent_travel_or_immobility=True,
    )  # fmt: skip
    assert clearly.triage.level is Level.emergency and "possible_dvt" in _flags(clearly)
