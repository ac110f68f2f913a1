"""Scripted runners for the plan tests: reports, and journals written day by day.

`follow` plays a runner who opens the plan every morning, does what today's plan says
and logs it in the evening; a script decides how the foot answers. The plan is rebuilt
each day from the journal so far, exactly as the app would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from stridewell.contract import Assessment
from stridewell.journal.model import ActivityType, CheckIn, JournalEntry
from stridewell.plan.engine import build_plan
from stridewell.plan.model import Phase, Plan, PlanDay
from stridewell.report import TriageReport
from stridewell.triage.engine import assess

START = date(2026, 3, 2)  # a Monday; nothing depends on it

# The brief's recovery: pain that fades over the first week (first steps and walking).
FADING = {1: 6, 2: 5, 3: 4, 4: 3, 5: 2, 6: 1, 7: 0}
REST_FADING = {1: 3, 2: 2, 3: 1}


def report(**answers: Any) -> TriageReport:
    return assess(Assessment(**answers))


def plantar_fasciitis() -> TriageReport:
    return report(locations=["heel_bottom"], pain_timing=["first_steps_morning"])


def on(n: int) -> date:
    """The date of plan day `n` (day 1 is the start)."""
    return START + timedelta(days=n - 1)


# What the foot does on a day: the day number and the plan's day as shown that morning.
Script = Callable[[int, PlanDay], list[JournalEntry]]


def walk_day(n: int, walking: int, rest: int = 0, **extra: Any) -> JournalEntry:
    return JournalEntry(
        day=on(n), pain_rest=rest, pain_morning=walking, activity=ActivityType.walk,
        pain_during=walking, **extra,
    )  # fmt: skip


def run_day(n: int, minutes: int, during: int, morning: int = 0, **extra: Any) -> JournalEntry:
    return JournalEntry(
        day=on(n), pain_rest=0, pain_morning=morning, activity=ActivityType.run,
        activity_minutes=minutes, pain_during=during, pain_after=during, **extra,
    )  # fmt: skip


def steady(n: int, day: PlanDay) -> list[JournalEntry]:
    """Pain fades over the first week; every run is comfortable."""
    minutes = day.run_minutes()
    if minutes:
        return [run_day(n, minutes, during=1)]
    return [walk_day(n, FADING.get(n, 0), REST_FADING.get(n, 0))]


def follow(
    report: TriageReport, script: Script, days: int, horizon_days: int = 0, **kwargs: Any
) -> tuple[Plan, list[JournalEntry]]:
    """Play `days` days of a runner following the plan; the plan as of the last day."""
    entries: list[JournalEntry] = []
    for n in range(1, days + 1):
        morning = build_plan(report, START, entries, on(n), horizon_days=0, **kwargs)
        today = morning.day_of(on(n))
        assert today is not None
        entries += script(n, today)
    plan = build_plan(report, START, entries, on(days), horizon_days=horizon_days, **kwargs)
    return plan, entries


def phases(plan: Plan) -> dict[int, Phase]:
    return {d.day_number: d.phase for d in plan.days}


def run_days(plan: Plan) -> dict[int, int]:
    return {d.day_number: m for d in plan.days if (m := d.run_minutes()) is not None}


def flag(**answers: bool) -> CheckIn:
    return CheckIn(**answers)
