"""Scripted runners over three to four weeks, checking the phase of every day.

Phases are written one letter a day: P protect, M mobilise, T test jog, R return to
run (walk-run), C continuous running, S see a clinician.
"""

from __future__ import annotations

from plan_journals import (
    FADING,
    follow,
    plantar_fasciitis,
    report,
    run_day,
    run_days,
    steady,
    walk_day,
)

from stridewell.contract import Level
from stridewell.journal.model import CheckIn, JournalEntry
from stridewell.plan.model import Phase, Plan, PlanDay, TaskKind

CODES = {
    Phase.protect: "P",
    Phase.mobilise: "M",
    Phase.test_jog: "T",
    Phase.return_to_run: "R",
    Phase.continuous_running: "C",
    Phase.see_clinician: "S",
}


def letters(plan: Plan) -> str:
    return "".join(CODES[d.phase] for d in plan.days)


def test_steady_improvement_reaches_continuous_running() -> None:
    plan, _ = follow(plantar_fasciitis(), steady, days=28)
    assert letters(plan) == "PPPMMMMTTRRRRRRRRRCCCCCCCCCC"
    # Runs on days 1, 3 and 5 of each plan week; walk-run steps grow a minute a run,
    # continuous runs once a week.
    assert run_days(plan) == {
        8: 10, 10: 11, 12: 12, 15: 13, 17: 14, 19: 15, 22: 16, 24: 16, 26: 16,
    }  # fmt: skip
    assert plan.referral is None
    assert plan.days[7].rule.id == "progress.test_jog"
    assert plan.days[9].rule.id == "progress.pain_settled"
    assert plan.days[23].rule.id == "progress.same_week"


def _relapse_in_week_two(n: int, day: PlanDay) -> list[JournalEntry]:
    minutes = day.run_minutes()
    if n == 10 and minutes:  # the first walk-run hurts
        return [run_day(n, minutes, during=6, morning=0)]
    if n in (11, 12, 13):  # and settles over three days
        return [walk_day(n, {11: 3, 12: 2, 13: 1}[n])]
    return steady(n, day)


def test_a_relapse_in_week_two_steps_back_and_recovers() -> None:
    plan, _ = follow(plantar_fasciitis(), _relapse_in_week_two, days=28)
    assert letters(plan) == "PPPMMMMTTRRMMMTTRRRRRRRRRCCC"
    step_back = plan.days[11]
    assert step_back.rule.id == "step_back.pain_returned"
    assert "pain during 6/10" in step_back.rule.detail
    assert not any(d.run_minutes() for d in plan.days[11:14])  # "not yet": no running
    # One step lower than the walk-run that hurt is the pain-free test again.
    assert plan.days[14].is_test_jog()
    assert plan.referral is None


def _plateau(n: int, day: PlanDay) -> list[JournalEntry]:
    return [walk_day(n, {1: 5, 2: 5, 3: 4}.get(n, 4))]


def test_a_plateau_at_day_twelve_sends_the_runner_to_a_clinician() -> None:
    plan, _ = follow(plantar_fasciitis(), _plateau, days=20)
    assert letters(plan) == "PPPMMMMMMMMSSSSSSSSS"
    assert plan.referral is not None
    assert plan.referral.rule == "refer.not_improving"
    assert plan.referral.since == plan.days[11].day
    assert "unchanged" in plan.referral.reasons[0]
    assert {"podiatrist", "physiotherapist", "sports doctor"} <= set(plan.referral.clinicians)
    assert plan.days[11].tasks[0].kind is TaskKind.see_clinician


def _numb_on_day_five(n: int, day: PlanDay) -> list[JournalEntry]:
    if n == 5:
        return [walk_day(n, FADING[n], checkin=CheckIn(numbness_tingling=True))]
    return steady(n, day)


def test_a_red_flag_answered_on_day_five_stops_self_care_at_once() -> None:
    plan, _ = follow(plantar_fasciitis(), _numb_on_day_five, days=21)
    assert letters(plan) == "PPPM" + "S" * 17
    assert plan.referral is not None
    assert plan.referral.rule == "refer.red_flag"
    assert plan.referral.since == plan.days[4].day
    assert any("Nerve symptoms" in r for r in plan.referral.reasons)
    assert run_days(plan) == {}


def test_an_emergency_sign_in_a_check_in_asks_for_care_today() -> None:
    def calf(n: int, day: PlanDay) -> list[JournalEntry]:
        if n == 9:
            return [walk_day(n, 0, checkin=CheckIn(calf_pain_swelling=True))]
        return steady(n, day)

    plan, _ = follow(plantar_fasciitis(), calf, days=12)
    assert letters(plan) == "PPPMMMMTSSSS"
    assert plan.referral is not None and plan.referral.level is Level.emergency
    today = plan.days[8]
    assert today.tasks[0].kind is TaskKind.see_clinician
    assert "today" in today.tasks[0].text
    assert not any(t.kind in (TaskKind.cross_training, TaskKind.mobility) for t in today.tasks)


def test_a_suspected_bone_stress_injury_never_schedules_a_run() -> None:
    bone = report(locations=["heel_bottom"], heel_squeeze_painful=True)
    assert bone.triage.level is Level.urgent
    plan, _ = follow(bone, steady, days=28, horizon_days=14)
    assert set(letters(plan)) == {"S"}
    assert run_days(plan) == {}
    assert plan.referral is not None and plan.referral.rule == "refer.triage_level"


def test_a_leading_stress_fracture_sends_the_runner_to_a_clinician_from_day_one() -> None:
    bone = report(
        locations=["heel_pad"],
        pain_timing=["weight_bearing", "worsens_with_activity"],
        history={"low_energy_risk": True, "previous_stress_fracture": True},
    )
    assert bone.conditions[0].id == "calcaneal_stress_fracture"
    # No bone red flag fired, but a leading stress fracture sets its own minimum level
    # (contract 1.1): a clinician within one to two days, so the plan refers at once.
    assert bone.triage.level is Level.urgent
    plan, _ = follow(bone, steady, days=28, horizon_days=14)
    assert letters(plan) == "S" * 42
    assert run_days(plan) == {}
    assert plan.referral is not None and plan.referral.rule == "refer.triage_level"
    first = plan.days[0]
    assert any(t.kind is TaskKind.see_clinician for t in first.tasks)
    assert any("bone stress" in t.text.lower() for t in first.tasks)
