"""How the plan answers the journal: holds, step backs, referrals, and the runner's report."""

from __future__ import annotations

import random

import pytest
from plan_journals import (
    START,
    follow,
    on,
    plantar_fasciitis,
    report,
    run_day,
    run_days,
    steady,
    walk_day,
)

from stridewell.contract import Level, Region
from stridewell.errors import InvalidInput
from stridewell.journal.model import CheckIn, JournalEntry
from stridewell.plan.engine import build_plan
from stridewell.plan.model import DayStatus, Phase, Plan, PlanDay, TaskKind

PF = plantar_fasciitis()


def rules_on(plan_days: list[PlanDay]) -> dict[int, str]:
    return {d.day_number: d.rule.id for d in plan_days}


def test_next_morning_pain_two_points_up_steps_back() -> None:
    def sore_morning(n: int, day: PlanDay) -> list[JournalEntry]:
        if n == 10 and day.run_minutes():
            return [run_day(n, day.run_minutes() or 0, during=3)]
        if n == 11:
            return [walk_day(n, 2)]  # the morning after: 0 -> 2
        return steady(n, day)

    plan, _ = follow(PF, sore_morning, days=14)
    assert plan.days[11].rule.id == "step_back.pain_returned"
    assert "next morning 2/10 (before: 0)" in plan.days[11].rule.detail
    assert plan.days[11].phase is Phase.mobilise


def test_a_morning_one_point_worse_repeats_the_same_step() -> None:
    def slightly_sore(n: int, day: PlanDay) -> list[JournalEntry]:
        if n == 11:
            return [walk_day(n, 1)]
        return steady(n, day)

    plan, _ = follow(PF, slightly_sore, days=12)
    assert plan.days[11].rule.id == "hold.not_settled"
    assert run_days(plan)[12] == run_days(plan)[10] == 11


def test_a_missing_morning_log_holds_the_step_instead_of_guessing() -> None:
    def forgetful(n: int, day: PlanDay) -> list[JournalEntry]:
        return [] if n == 11 else steady(n, day)

    plan, _ = follow(PF, forgetful, days=12)
    assert plan.days[11].rule.id == "hold.no_data"
    assert run_days(plan)[12] == 11


def test_a_run_cut_short_with_pain_steps_back() -> None:
    def cut_short(n: int, day: PlanDay) -> list[JournalEntry]:
        if n == 10:
            return [run_day(n, 4, during=4)]  # 4 of 11 minutes, pain 4: stopped for pain
        return steady(n, day)

    plan, _ = follow(PF, cut_short, days=12)
    assert plan.days[11].rule.id == "step_back.pain_returned"
    assert "cut short" in plan.days[11].rule.detail


def test_a_skipped_run_comes_again_at_the_same_step() -> None:
    def skips(n: int, day: PlanDay) -> list[JournalEntry]:
        return [walk_day(n, 0)] if n == 10 else steady(n, day)

    plan, _ = follow(PF, skips, days=12)
    assert plan.days[11].rule.id == "hold.not_done"
    assert run_days(plan)[12] == 11


def test_thirty_days_without_running_start_again_with_the_test_jog() -> None:
    def stops_running(n: int, day: PlanDay) -> list[JournalEntry]:
        return steady(n, day) if n <= 10 else [walk_day(n, 0)]

    plan, _ = follow(PF, stops_running, days=45)
    resets = [d for d in plan.days if d.rule.id == "reset.no_recent_run"]
    assert resets and resets[0].is_test_jog()
    assert (resets[0].day - on(10)).days > 30


def test_morning_pain_creeping_up_over_the_week_steps_back() -> None:
    def creeping(n: int, day: PlanDay) -> list[JournalEntry]:
        if n < 10:
            return steady(n, day)
        morning = (n - 9) // 2
        minutes = day.run_minutes()
        if minutes:
            return [run_day(n, minutes, during=2, morning=morning)]
        return [walk_day(n, morning)]

    plan, _ = follow(PF, creeping, days=16)
    assert "step_back.pain_rising" in rules_on(plan.days).values()


def test_pain_at_rest_after_the_first_week_refers() -> None:
    def rest_pain(n: int, day: PlanDay) -> list[JournalEntry]:
        return steady(n, day) if n < 8 else [walk_day(n, 2, rest=2)]

    plan, _ = follow(PF, rest_pain, days=12)
    assert plan.referral is not None and plan.referral.rule == "refer.rest_pain"
    assert plan.referral.since == on(9)
    assert plan.phase is Phase.see_clinician


def test_three_step_backs_refer_to_a_clinician() -> None:
    def always_hurts(n: int, day: PlanDay) -> list[JournalEntry]:
        minutes = day.run_minutes()
        if minutes and n > 8:
            return [run_day(n, minutes, during=7)]
        return steady(n, day)

    plan, _ = follow(PF, always_hurts, days=28)
    assert plan.referral is not None and plan.referral.rule == "refer.repeated_setbacks"
    assert [d.phase for d in plan.days if d.day >= plan.referral.since] == [Phase.see_clinician] * (
        28 - (plan.referral.since - START).days
    )


def test_not_pain_free_after_three_weeks_refers_even_while_improving() -> None:
    def slow(n: int, day: PlanDay) -> list[JournalEntry]:
        return [walk_day(n, max(8 - n // 3, 2), rest=1)]

    plan, _ = follow(PF, slow, days=22)
    assert plan.referral is not None and plan.referral.rule == "refer.slow_recovery"
    assert plan.referral.since == on(21)


def test_a_soon_report_keeps_the_plan_with_a_standing_booking_task() -> None:
    soon = report(locations=["heel_bottom"], pain_timing=["first_steps_morning"], pain_score=7)
    assert soon.triage.level is Level.soon
    plan, _ = follow(soon, steady, days=20)
    assert run_days(plan)  # self-care and the way back go on
    assert plan.referral is not None and plan.referral.rule == "refer.book_soon"
    assert plan.referral.level is Level.soon and plan.referral.since == START
    for day in plan.days:
        assert any(t.kind is TaskKind.see_clinician for t in day.tasks), day.day_number


def test_a_warning_sign_the_report_already_gave_does_not_stop_the_plan_again() -> None:
    numb = report(
        locations=["heel_bottom"], pain_timing=["first_steps_morning"], numbness_tingling=True
    )
    assert "nerve_symptoms" in {f.id for f in numb.red_flags}

    def still_numb(n: int, day: PlanDay) -> list[JournalEntry]:
        [entry] = steady(n, day)
        return [entry.model_copy(update={"checkin": CheckIn(numbness_tingling=True)})]

    plan, _ = follow(numb, still_numb, days=12)
    assert plan.referral is not None and plan.referral.rule == "refer.book_soon"
    assert Phase.see_clinician not in {d.phase for d in plan.days}


def test_an_urgent_report_starts_with_see_clinician_and_safe_advice_only() -> None:
    urgent = report(locations=["inner_midfoot"], bone_tenderness=["navicular"])
    assert urgent.triage.level is Level.urgent
    plan = build_plan(urgent, START, [], on(1))
    first = plan.days[0]
    assert first.phase is Phase.see_clinician and first.rule.id == "refer.triage_level"
    assert first.tasks[0].kind is TaskKind.see_clinician
    kinds = {t.kind for d in plan.days for t in d.tasks}
    assert not kinds & {TaskKind.run, TaskKind.test_jog, TaskKind.strength, TaskKind.exercise}


def test_a_new_emergency_sign_while_waiting_to_be_seen_raises_the_referral() -> None:
    urgent = report(locations=["heel_bottom"], heel_squeeze_painful=True)

    def clot(n: int, day: PlanDay) -> list[JournalEntry]:
        if n == 3:
            return [walk_day(n, 3, checkin=CheckIn(calf_pain_swelling=True))]
        return steady(n, day)

    plan, _ = follow(urgent, clot, days=5)
    assert plan.referral is not None
    assert plan.referral.level is Level.emergency and plan.referral.rule == "refer.red_flag"
    assert plan.referral.since == START  # self-care stopped on day 1, not day 3
    assert "today" not in plan.days[1].tasks[0].text
    assert "today" in plan.days[2].tasks[0].text
    assert any("blood clot" in r for r in plan.referral.reasons)


def test_insertional_achilles_never_gets_calf_stretches_and_always_the_caution() -> None:
    insertional = report(
        locations=["heel_back"], pain_timing=["first_steps_morning"], tendon_thickening=True
    )
    assert insertional.conditions[0].id == "insertional_achilles_tendinopathy"
    plan, _ = follow(insertional, steady, days=21, horizon_days=14)
    exercises = {t.exercise_id for d in plan.days for t in d.tasks}
    assert not exercises & {"calf_stretch", "soleus_stretch"}
    assert "insertional_heel_drops" in exercises
    for day in plan.days:
        assert any(t.kind is TaskKind.caution and "step" in t.text for t in day.tasks)


def test_a_sore_forefoot_drops_toe_walks_from_the_warm_up() -> None:
    def warm_up(locations: list[Region]) -> set[str | None]:
        plan, _ = follow(PF, steady, days=10, locations=locations)
        return {t.exercise_id for t in plan.days[9].tasks if t.kind is TaskKind.warm_up}

    assert "toe_walks" in warm_up([Region.heel_bottom])
    assert "toe_walks" not in warm_up([Region.ball_of_foot])


def test_the_same_inputs_give_the_same_plan_whatever_the_entry_order() -> None:
    _, entries = follow(PF, steady, days=20)
    doubled = entries + [JournalEntry(day=e.day, pain_rest=0) for e in entries[::3]]
    first = build_plan(PF, START, doubled, on(20))
    shuffled = doubled[:]
    random.Random(7).shuffle(shuffled)
    again = build_plan(PF, START, shuffled, on(20))
    assert first == again
    assert first.model_dump_json() == again.model_dump_json()


def test_days_ahead_are_laid_out_as_if_every_check_passes() -> None:
    _, entries = follow(PF, steady, days=9)
    plan = build_plan(PF, START, entries, on(9), horizon_days=14)
    assert plan.days[-1].day == on(23)
    assert [d.status for d in plan.days[7:10]] == [DayStatus.past, DayStatus.today, DayStatus.ahead]
    # Day 10 judges the test jog of day 8 on the journal (the morning of day 9 is known);
    # day 12 would judge day 10's run, which has not happened yet.
    assert plan.days[9].rule.id == "progress.pain_settled"
    assert plan.days[11].rule.id == "progress.expected"
    assert plan.phase is Phase.test_jog
    early = build_plan(PF, START, entries[:5], on(5), horizon_days=14)
    assert early.days[7].is_test_jog() and early.days[7].rule.id == "progress.expected"


def test_every_run_day_has_a_warm_up_and_a_cool_down_and_other_days_strength() -> None:
    plan, _ = follow(PF, steady, days=28)
    for day in plan.days:
        kinds = {t.kind for t in day.tasks}
        if day.run_minutes():
            assert {TaskKind.warm_up, TaskKind.cool_down} <= kinds
        elif day.phase in (Phase.return_to_run, Phase.continuous_running):
            assert TaskKind.strength in kinds


@pytest.mark.parametrize("horizon", [-1, 400])
def test_an_impossible_horizon_is_refused(horizon: int) -> None:
    with pytest.raises(InvalidInput):
        build_plan(PF, START, [], on(1), horizon_days=horizon)


def test_a_plan_survives_a_json_round_trip() -> None:
    plan, _ = follow(PF, steady, days=12, horizon_days=7)
    assert Plan.model_validate_json(plan.model_dump_json()) == plan
