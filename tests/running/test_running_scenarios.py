"""Runners through the running plan: back from plantar fasciitis, a run longer than
planned, a warning sign, a run that hurts, targets reached, shoes."""

from __future__ import annotations

import itertools
from datetime import timedelta

from running_builders import START, Runner, follow, on, reasons, run_days, usual_history

from stridewell.journal.model import ActivityType, CheckIn, JournalEntry
from stridewell.running import (
    DoneRun,
    Mode,
    RunDay,
    SessionKind,
    build_running_plan,
    start_after_recovery,
    targets_from_history,
    typed_targets,
)
from stridewell.shoes.model import Shoe

ONSET = START - timedelta(days=70)  # the pain started ten weeks before the plan
# A runner who used to run 40 km a week, at the end of the real recovery plan (its last
# week: 28, 28 and 30 minutes, 15.4 km at their usual pace), runs 40 km weeks again in
# the 11th week of the running plan; the recovery plan itself took 85 days.
FIRST_40_KM_WEEK_AFTER_RECOVERY = 11
RECOVERY_BASELINE_KM = 15.4
RECOVERY_DAYS = 85


def recovered_runner() -> Runner:
    """Usual 40 km weeks before the pain; then the recovery plan's last week: three easy
    30-minute runs, logged in the journal, pain-free."""
    last_week = [
        JournalEntry(day=START - timedelta(days=d), activity=ActivityType.run,
                     activity_minutes=30, pain_during=1, pain_rest=0, pain_morning=0)
        for d in (7, 5, 3)
    ]  # fmt: skip
    return Runner(imported=usual_history(ONSET), entries=last_week)


def test_a_runner_back_from_plantar_fasciitis_reaches_the_usual_40_km_weeks_in_week_10() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    assert (targets.runs_per_week, targets.weekly_km, targets.long_run_km) == (4, 40.0, 14.0)

    plan, _ = follow(targets, 7 * 12, runner=runner)

    assert plan.ending is None
    done = {w.number: round(sum(d.done_km or 0 for d in w.days), 1) for w in plan.weeks}
    first_40 = min(n for n, km in done.items() if km >= 39.5)
    assert first_40 == 10, done
    assert plan.baseline_km == 16.2  # three 30-minute runs at the usual 5:30 per km
    assert done[1] <= 16.2 * 1.1
    assert plan.targets_week == 11  # the 14 km long run one week later
    assert all(w.easy_only for w in plan.weeks if w.number < 11)


def test_easy_running_only_until_the_targets_then_the_usual_mix() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    plan = build_running_plan(START, START, targets, runner.imported, runner.entries)
    kinds_before = {d.run.kind for w in plan.weeks if w.easy_only for d in w.days if d.run}
    kinds_after = [d.run.kind for w in plan.weeks if not w.easy_only for d in w.days if d.run]
    assert SessionKind.usual_run not in kinds_before
    assert kinds_after.count(SessionKind.usual_run) == len(
        [w for w in plan.weeks if not w.easy_only]
    )


def _nine_km_runner() -> tuple[Runner, object]:
    """36 km weeks with a 12 km long run: the plan's easy runs are about 9 km."""
    history = []
    for week in range(1, 5):
        sunday = START - timedelta(days=1 + 7 * (week - 1))
        for back, km in ((5, 8.0), (3, 8.0), (2, 8.0), (0, 12.0)):
            history.append(DoneRun(day=sunday - timedelta(days=back), km=km, minutes=km * 6))
    targets = typed_targets(4, 48.0, 16.0, easy_pace_s_per_km=360)
    return Runner(imported=history), targets


def test_a_run_of_14_km_when_9_were_planned_shortens_the_next_runs_and_says_why() -> None:
    runner, targets = _nine_km_runner()
    before = build_running_plan(START, on(2), targets, runner.imported, mode=Mode.prevention)
    tuesday = before.day_of(on(2))
    assert tuesday is not None and tuesday.run is not None
    assert 8.5 <= tuesday.run.km <= 9.5

    runner.imported.append(DoneRun(day=on(2), km=14.0, minutes=84))
    after = build_running_plan(START, on(3), targets, runner.imported, mode=Mode.prevention)

    planned_before, planned_after = run_days(before), run_days(after)
    later = [d for d in planned_before if on(3) <= d < on(15)]
    assert later and all(planned_after.get(d, 0) <= planned_before[d] for d in later)
    assert sum(planned_after.get(d, 0) for d in later) < sum(planned_before[d] for d in later)
    why = reasons(after, ["day.longer_than_planned"])
    assert why and f"14.0 km where {tuesday.run.km} km were planned" in why[0]
    week2 = after.weeks[1]
    assert week2.budget_km == after.weeks[0].budget_km  # the week after does not grow
    assert week2.decision.id == "week.hold" and "much longer than planned" in week2.decision.text


def test_a_warning_sign_in_a_check_in_ends_the_plan_and_points_to_an_assessment() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    runner.entries.append(
        JournalEntry(day=on(5), pain_rest=1, checkin=CheckIn(numbness_tingling=True))
    )
    plan = build_running_plan(START, on(6), targets, runner.imported, runner.entries)

    assert plan.ending is not None
    assert plan.ending.day == on(5) and plan.ending.next_step == "assessment"
    assert "new assessment" in plan.ending.reason.text
    assert max(d.day for d in plan.days()) == on(5)
    assert not any(d.run for d in plan.days() if d.day >= on(5))


def test_a_warning_sign_the_runner_was_assessed_with_does_not_end_the_plan() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    runner.entries.append(JournalEntry(day=on(5), checkin=CheckIn(numbness_tingling=True)))
    first = build_running_plan(START, on(6), targets, runner.imported, runner.entries)
    assert first.ending is not None
    flags = ["nerve_symptoms"]
    again = build_running_plan(
        START, on(6), targets, runner.imported, runner.entries, known_flags=flags
    )
    assert again.ending is None


def _hurts_on(day_number: int, pain: int):  # type: ignore[no-untyped-def]
    def script(n: int, day: RunDay) -> tuple[float | None, int]:
        return None, pain if n == day_number else 1

    return script


def test_a_run_that_hurts_steps_the_plan_back_and_pauses_running() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    plan, _ = follow(targets, 7 * 3, script=_hurts_on(9, pain=7), runner=runner)

    week2, week3 = plan.weeks[1], plan.weeks[2]
    assert plan.day_of(on(9)) is not None and plan.day_of(on(9)).run is not None  # type: ignore[union-attr]
    assert week3.level == week2.level - 1
    assert week3.decision.id == "week.step_back"
    paused = [d for d in plan.days() if any(r.id == "day.pause" for r in d.reasons)]
    assert paused and paused[0].day == on(10) and all(d.run is None for d in paused)


def test_three_runs_that_hurt_end_the_plan_and_send_the_runner_to_a_clinician() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)

    def always_hurts(n: int, day: RunDay) -> tuple[float | None, int]:
        return None, 7

    plan, _ = follow(targets, 7 * 6, script=always_hurts, runner=runner)
    assert plan.ending is not None and plan.ending.next_step == "clinician"
    assert plan.ending.reason.id == "end.setbacks"


def _pair(shoe_id: str, replace_km: float = 800.0) -> Shoe:
    return Shoe(id=shoe_id, brand="Brand", model=f"Model {shoe_id}", replace_km=replace_km,
                check_km=min(500.0, replace_km))  # fmt: skip


def test_two_pairs_are_rotated_run_by_run() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    plan = build_running_plan(
        START, START, targets, runner.imported, runner.entries,
        shoes=[_pair("a"), _pair("b")], shoe_km={"a": 100.0, "b": 100.0},
    )  # fmt: skip
    pairs = [d.run.shoe.shoe_id for d in plan.days() if d.run and d.run.shoe]
    assert len(pairs) > 10
    assert all(x != y for x, y in itertools.pairwise(pairs))
    assert all(d.run.shoe and "alternating" in d.run.shoe.text for d in plan.days() if d.run)


def test_a_run_that_would_take_a_pair_past_its_mark_is_warned_and_goes_to_the_other_pair() -> None:
    runner = recovered_runner()
    targets = targets_from_history(runner.imported, ONSET)
    plan = build_running_plan(
        START, START, targets, runner.imported, runner.entries,
        shoes=[_pair("worn", 300.0), _pair("new")], shoe_km={"worn": 296.0, "new": 20.0},
    )  # fmt: skip
    runs = [d.run for d in plan.days() if d.run]
    assert all(r.shoe and r.shoe.shoe_id == "new" for r in runs)
    assert all(r.shoe and r.shoe.warning is None for r in runs[:5])

    alone = build_running_plan(
        START, START, targets, runner.imported, runner.entries,
        shoes=[_pair("worn", 300.0)], shoe_km={"worn": 296.0},
    )  # fmt: skip
    first = next(d.run for d in alone.days() if d.run)
    assert first.shoe is not None and first.shoe.warning is not None
    assert "past its 300 km replacement mark" in first.shoe.warning


def test_from_the_end_of_a_real_recovery_plan_to_the_usual_40_km_weeks() -> None:
    # The recovery plan's own scripted runner (tests/plan): plantar fasciitis, pain that
    # fades over the first week, every run comfortable, followed until the plan reaches
    # its 30-minute continuous run.
    from plan_journals import START as RECOVERY_START
    from plan_journals import follow as follow_recovery
    from plan_journals import plantar_fasciitis, steady

    history = usual_history(RECOVERY_START)
    recovery, journal = follow_recovery(plantar_fasciitis(), steady, days=90)
    start = start_after_recovery(recovery)
    assert start == RECOVERY_START + timedelta(days=RECOVERY_DAYS)
    targets = targets_from_history(history, RECOVERY_START)

    runner = Runner(imported=history, entries=[e for e in journal if e.day < start])
    plan, _ = follow(targets, 7 * 12, runner=runner, start=start)

    assert plan.ending is None
    done = {w.number: round(sum(d.done_km or 0 for d in w.days), 1) for w in plan.weeks}
    first_40 = min(n for n, km in done.items() if km >= 39.5)
    assert first_40 == FIRST_40_KM_WEEK_AFTER_RECOVERY, done
    assert plan.baseline_km == RECOVERY_BASELINE_KM


def test_without_pain_scores_a_runner_without_pain_moves_on_and_one_back_from_pain_holds() -> None:
    history = [DoneRun(day=START - timedelta(days=b), km=6.0, minutes=36) for b in (2, 4, 6)]
    targets = typed_targets(3, 30.0, 10.0)
    first = build_running_plan(START, START, targets, history, mode=Mode.prevention)
    done = [
        DoneRun(day=d, km=km, minutes=km * 6) for d, km in run_days(first).items() if d < on(22)
    ]

    def levels(mode: Mode) -> list[int]:
        plan = build_running_plan(START, on(22), targets, [*history, *done], mode=mode)
        return [w.level for w in plan.weeks[:4]]

    assert levels(Mode.prevention) == [1, 2, 3, 4]
    held = build_running_plan(START, on(22), targets, [*history, *done])
    assert [w.level for w in held.weeks[:4]] == [1, 1, 1, 1]
    assert "journal does not show" in held.weeks[1].decision.text
