"""Properties of the running plan over generated histories and journals.

Each example is a runner with random runs before the plan and since it started (some much
longer than planned), a random journal (pain during runs, first steps, at rest), random
targets and a random `today`; the two bounds and the pain gate must hold for all of them.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from running_builders import START, Runner, follow

from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.plan.rules import load_plan_rules
from stridewell.running import (
    DoneRun,
    Mode,
    RunDay,
    RunningPlan,
    build_running_plan,
    typed_targets,
)

CAP, GROWTH = 1.10, 1.10
ACCEPTABLE_PAIN = load_plan_rules().limits.acceptable_pain_during

runs_st = st.lists(
    st.tuples(st.integers(-60, 45), st.floats(0.5, 30.0).map(lambda km: round(km, 2))),
    max_size=40,
)
entries_st = st.lists(
    st.tuples(
        st.integers(-10, 45),
        st.sampled_from([None, ActivityType.walk, ActivityType.run, ActivityType.rest]),
        st.integers(0, 10),
        st.integers(0, 10),
        st.integers(0, 3),
    ),
    max_size=40,
)
targets_st = st.tuples(
    st.integers(2, 6), st.floats(15.0, 90.0), st.floats(0.15, 0.5), st.integers(0, 6)
).map(
    lambda t: typed_targets(
        t[0], round(t[1], 1), round(t[1] * t[2], 1), long_run_weekday=t[3],
        usual_runs_per_week=min(1, t[0] - 1),
    )
)  # fmt: skip


def _runner(
    raw_runs: list[tuple[int, float]],
    raw_entries: list[tuple[int, ActivityType | None, int, int, int]],
    today_offset: int,
) -> tuple[date, list[DoneRun], list[JournalEntry]]:
    today = START + timedelta(days=today_offset)
    runs = [
        DoneRun(day=START + timedelta(days=o), km=km, minutes=round(km * 6, 1))
        for o, km in raw_runs
        if START + timedelta(days=o) <= today
    ]
    entries = []
    for o, activity, during, morning, rest in raw_entries:
        day = START + timedelta(days=o)
        if day > today:
            continue
        # Journal runs only on days with an imported run, so the test knows each day's
        # distance; the journal adds the pain.
        if activity is ActivityType.run and not any(r.day == day for r in runs):
            continue
        moving = activity not in (None, ActivityType.rest)
        entries.append(
            JournalEntry(
                day=day, activity=activity, pain_during=during if moving else None,
                pain_morning=morning, pain_rest=rest,
                activity_minutes=30 if moving else None,
            )
        )  # fmt: skip
    return today, runs, entries


def _done_km(runs: list[DoneRun]) -> dict[date, float]:
    done: dict[date, float] = {}
    for run in runs:
        done[run.day] = done.get(run.day, 0.0) + run.km
    return done


def _longest_before(plan: RunningPlan, day: date, done: dict[date, float]) -> float:
    planned = {d.day: d.run.km for d in plan.days() if d.run is not None}
    longest = 0.0
    for back in range(1, 31):
        d = day - timedelta(days=back)
        if d < plan.today or (d == plan.today and d in done):
            longest = max(longest, done.get(d, 0.0))
        else:
            longest = max(longest, planned.get(d, 0.0))
    return longest


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(runs_st, entries_st, st.integers(0, 40), targets_st, st.sampled_from(list(Mode)))
def test_no_planned_run_exceeds_110_pct_of_the_longest_run_of_the_previous_30_days(
    raw_runs, raw_entries, today_offset, targets, mode
) -> None:  # type: ignore[no-untyped-def]
    today, runs, entries = _runner(raw_runs, raw_entries, today_offset)
    plan = build_running_plan(START, today, targets, runs, entries, mode=mode)
    done = _done_km(runs)
    restart_km = 30 * 60 / targets.easy_pace_s_per_km
    for day in plan.days():
        if day.run is None:
            continue
        longest = _longest_before(plan, day.day, done)
        if longest == 0:
            assert day.run.km <= restart_km, day  # nothing to compare: the restart step
        else:
            assert day.run.km <= longest * CAP + 1e-9, (day.day, day.run.km, longest)


@SETTINGS
@given(runs_st, entries_st, st.integers(0, 40), targets_st, st.sampled_from(list(Mode)))
def test_no_week_plans_more_than_10_pct_above_the_week_before(
    raw_runs, raw_entries, today_offset, targets, mode
) -> None:  # type: ignore[no-untyped-def]
    today, runs, entries = _runner(raw_runs, raw_entries, today_offset)
    plan = build_running_plan(START, today, targets, runs, entries, mode=mode)
    assert plan.weeks[0].budget_km <= plan.baseline_km * GROWTH + 1e-9
    for before, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        assert week.budget_km <= before.budget_km * GROWTH + 1e-9, (before.number, week.number)
    done = _done_km(runs)
    for week in plan.weeks:
        done_in_week = sum(done.get(d.day, 0.0) for d in week.days if d.day < today)
        ahead = sum(d.run.km for d in week.days if d.run and d.day >= today and d.day not in done)
        assert ahead <= max(0.0, week.budget_km - done_in_week) + 1e-9, week.number


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 10), min_size=36, max_size=36),
    st.integers(8, 35),
    targets_st,
)
def test_pain_above_the_threshold_never_moves_the_plan_forward(pains, days, targets) -> None:  # type: ignore[no-untyped-def]
    # A runner who does every planned run and logs its pain (drawn per day) and the
    # first steps of every morning: the plan's own runs, so each one is judged.
    def script(n: int, day: RunDay) -> tuple[float | None, int]:
        return None, pains[n - 1]

    plan, runner = follow(targets, days, script=script, runner=Runner(imported=history()))
    hurt = {
        e.day for e in runner.entries
        if e.activity is ActivityType.run and (e.pain_during or 0) > ACCEPTABLE_PAIN
    }  # fmt: skip
    for before, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        if any(d.day in hurt and d.day < plan.today for d in before.days):
            assert week.level <= before.level, (before.number, sorted(hurt))
    if plan.ending is None and any(d < plan.today for d in hurt):
        assert any(w.decision.id == "week.step_back" for w in plan.weeks)


def history() -> list[DoneRun]:
    """Three runs a week of 6 km before the plan."""
    return [
        DoneRun(day=START - timedelta(days=back), km=6.0, minutes=36.0)
        for back in range(1, 29)
        if back % 7 in (1, 3, 5)
    ]
