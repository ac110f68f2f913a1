"""Properties of the plan that must hold for any journal (Hypothesis).

Journals are random but runner-shaped: a check-in most days, pain mostly low, a run
logged on most of the plan's run days, and now and then a warning sign, a missing day or
a second check-in. Whatever they hold, the safety rules of the plan must stand.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from plan_journals import START, plantar_fasciitis, report

from stridewell.journal.model import ActivityType, CheckIn, JournalEntry
from stridewell.knowledge.loader import load_knowledge
from stridewell.plan.engine import build_plan
from stridewell.plan.model import Phase, Plan, TaskKind
from stridewell.plan.rules import RULE_IDS, load_plan_rules

KB = load_knowledge()
CITATIONS = {c.id for c in KB.citations}
EXERCISES = {e.id for e in KB.exercises}
RUN_DAYS_OF_WEEK = set(load_plan_rules().limits.run_days_of_week)
REPORTS = {
    "plantar_fasciitis": plantar_fasciitis(),
    "insertional": report(locations=["heel_back"], pain_timing=["first_steps_morning"], tendon_thickening=True),
    "soon": report(locations=["heel_bottom"], pain_timing=["first_steps_morning"], pain_score=8),
    "bone_soon": report(
        locations=["heel_pad"], pain_timing=["weight_bearing", "worsens_with_activity"],
        history={"low_energy_risk": True, "previous_stress_fracture": True},
    ),
    "bone_urgent": report(locations=["heel_bottom"], heel_squeeze_painful=True),
}  # fmt: skip
BONE = {"bone_soon", "bone_urgent"}
FLAGS = list(CheckIn.model_fields)
# One day of a journal: (check-ins that day, noise, run minutes, pain during a run, warning)
DAY = st.tuples(
    st.sampled_from([1, 1, 1, 1, 1, 1, 0, 2]),
    st.sampled_from([0, 0, 0, 0, 1, 1, 2, 4]),
    st.integers(3, 40),
    st.sampled_from([0, 1, 1, 2, 3, 4, 5, 6, 8]),
    st.integers(0, 40 * len(FLAGS)),
)


def _entry(n: int, pain: int, noise: int, minutes: int, during: int, warning: int) -> JournalEntry:
    day = START + timedelta(days=n - 1)
    # A warning sign now and then (about one check-in in forty); `can_bear_weight` is the
    # one answered "false" when it is the warning.
    field = FLAGS[warning] if warning < len(FLAGS) else None
    checkin = CheckIn(**{field: field != "can_bear_weight"}) if field else CheckIn()
    morning = min(pain + noise, 10)
    common: dict[str, Any] = {
        "day": day, "pain_rest": max(pain - 2, 0) if noise < 4 else noise,
        "pain_morning": morning, "checkin": checkin,
    }  # fmt: skip
    if (n - 1) % 7 + 1 in RUN_DAYS_OF_WEEK and n > 7 and minutes % 5:
        return JournalEntry(
            **common, activity=ActivityType.run, activity_minutes=minutes,
            pain_during=during, pain_after=min(during + noise, 10),
        )  # fmt: skip
    return JournalEntry(**common, activity=ActivityType.walk, pain_during=morning)


@st.composite
def journals(draw: st.DrawFn) -> tuple[str, list[JournalEntry], date, int]:
    """A runner whose pain falls from `base` to nothing by `recovered`, with noise."""
    base, recovered = draw(st.integers(2, 8)), draw(st.integers(2, 20))
    days = draw(st.lists(DAY, max_size=42))
    entries: list[JournalEntry] = []
    for n, (count, noise, minutes, during, warning) in enumerate(days, start=1):
        pain = max(base - base * n // recovered, 0)
        for k in range(count):
            entries.append(_entry(n, pain, noise if k == 0 else 0, minutes, during, warning))
    today = START + timedelta(days=len(days) + draw(st.integers(-1, 3)))
    return draw(st.sampled_from(sorted(REPORTS))), entries, today, draw(st.integers(0, 21))


def runs(plan: Plan) -> dict[date, int]:
    return {d.day: m for d in plan.days if (m := d.run_minutes()) is not None}


@settings(max_examples=150, deadline=None)
@given(journals())
def test_no_run_exceeds_110_percent_of_the_longest_run_of_the_30_days_before(
    case: tuple[str, list[JournalEntry], date, int],
) -> None:
    name, entries, today, horizon = case
    plan = build_plan(REPORTS[name], START, entries, today, horizon)
    scheduled = runs(plan)
    for day, minutes in scheduled.items():
        before = [m for d, m in scheduled.items() if day - timedelta(days=30) <= d < day]
        if before:
            assert minutes * 100 <= max(before) * 110, (day, minutes, max(before))
        else:  # only the first pain-free test may start from nothing
            assert plan.days[(day - START).days].is_test_jog(), day


@settings(max_examples=150, deadline=None)
@given(journals())
def test_phases_never_skip_the_test_jog_or_run_on_consecutive_days(
    case: tuple[str, list[JournalEntry], date, int],
) -> None:
    name, entries, today, horizon = case
    plan = build_plan(REPORTS[name], START, entries, today, horizon)
    tested = False
    for day in plan.days:
        tested = tested or day.is_test_jog()
        if day.phase in (Phase.return_to_run, Phase.continuous_running):
            assert tested, f"day {day.day_number} is {day.phase} before any test jog"
        if day.phase is Phase.test_jog:
            assert day.day_number > 7
    run_days = sorted(runs(plan))
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(run_days))


@settings(max_examples=150, deadline=None)
@given(journals())
def test_safety_holds_whatever_the_journal(case: tuple[str, list[JournalEntry], date, int]) -> None:
    name, entries, today, horizon = case
    plan = build_plan(REPORTS[name], START, entries, today, horizon)
    if name in BONE:  # the pain-monitoring model does not apply to bone
        assert runs(plan) == {}
        assert plan.referral is not None
    phases = [d.phase for d in plan.days]
    if Phase.see_clinician in phases:  # once sent to a clinician, self-care does not resume
        first = phases.index(Phase.see_clinician)
        assert set(phases[first:]) == {Phase.see_clinician}
        assert plan.referral is not None and plan.referral.reasons
    for day in plan.days:
        assert day.rule.id in RULE_IDS
        for task in day.tasks:
            assert set(task.sources) <= CITATIONS
            assert task.exercise_id is None or task.exercise_id in EXERCISES
        if day.phase is Phase.see_clinician:
            assert day.tasks[0].kind is TaskKind.see_clinician
            assert day.run_minutes() is None


@settings(max_examples=100, deadline=None)
@given(journals(), st.randoms(use_true_random=False))
def test_the_plan_is_deterministic_and_covers_start_to_the_horizon(
    case: tuple[str, list[JournalEntry], date, int], shuffler: random.Random
) -> None:
    name, entries, today, horizon = case
    plan = build_plan(REPORTS[name], START, entries, today, horizon)
    shuffled = entries[:]
    shuffler.shuffle(shuffled)
    assert build_plan(REPORTS[name], START, shuffled, today, horizon) == plan
    assert [d.day_number for d in plan.days] == list(range(1, len(plan.days) + 1))
    assert plan.days[0].day == START
    assert plan.days[-1].day == max(today, START) + timedelta(days=horizon)
    now = plan.day_of(today)
    assert now is None or plan.phase is now.phase


@settings(max_examples=100, deadline=None)
@given(journals())
def test_continuous_running_grows_at_most_ten_percent_a_week(
    case: tuple[str, list[JournalEntry], date, int],
) -> None:
    name, entries, today, horizon = case
    plan = build_plan(REPORTS[name], START, entries, today, horizon + 21)
    weeks: dict[int, list[tuple[Phase, int]]] = {}
    for day in plan.days:
        if (minutes := day.run_minutes()) is not None:
            weeks.setdefault((day.day_number - 1) // 7, []).append((day.phase, minutes))
    for week, week_runs in weeks.items():
        before = weeks.get(week - 1, [])
        if all(p is Phase.continuous_running for p, _ in before + week_runs) and len(before) == len(
            week_runs
        ):
            assert sum(m for _, m in week_runs) * 100 <= sum(m for _, m in before) * 110
