"""Runners for the running-plan tests: histories of runs, and a runner who follows the plan.

`follow` plays a runner who opens the plan each morning, does today's run (imported from
the watch and logged in the journal with its pain) and logs the first steps each morning;
a script decides how the foot answers. The plan is rebuilt each day, as the app would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.running import (
    DoneRun,
    RunDay,
    RunningPlan,
    Targets,
    build_running_plan,
)

START = date(2026, 6, 1)  # a Monday; nothing depends on it


def on(n: int) -> date:
    """Plan day `n` (day 1 is the start); n <= 0 are the days before it."""
    return START + timedelta(days=n - 1)


def usual_history(end: date, weeks: int = 8, pace_s_per_km: int = 330) -> list[DoneRun]:
    """A runner's usual weeks before `end`: 4 runs, 40 km, long run 14 km on Sunday, one
    faster run on Thursday."""
    runs = []
    first_monday = end - timedelta(days=end.weekday()) - timedelta(days=7 * weeks)
    for w in range(weeks):
        monday = first_monday + timedelta(days=7 * w)
        for offset, km, pace in ((1, 8.0, pace_s_per_km), (3, 9.0, pace_s_per_km * 0.88),
                                 (4, 9.0, pace_s_per_km), (6, 14.0, pace_s_per_km + 15)):  # fmt: skip
            day = monday + timedelta(days=offset)
            if day < end:
                runs.append(DoneRun(day=day, km=km, minutes=round(km * pace / 60, 1)))
    return runs


@dataclass
class Runner:
    """What the runner did: imported runs and journal entries, growing day by day."""

    imported: list[DoneRun] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)


# How a day goes: the day number and the plan's day as shown that morning -> the km run
# (None: as planned) and the pain during it; the morning pain is logged the next day.
Script = Callable[[int, RunDay], tuple[float | None, int]]


def comfortable(n: int, day: RunDay) -> tuple[float | None, int]:
    return None, 1


def follow(
    targets: Targets,
    days: int,
    script: Script = comfortable,
    runner: Runner | None = None,
    pace_s_per_km: int = 400,
    start: date = START,
    **kwargs: Any,
) -> tuple[RunningPlan, Runner]:
    """Play `days` days of a runner doing each day's run; the plan as of the last day."""
    runner = runner or Runner()

    def nth(n: int) -> date:
        return start + timedelta(days=n - 1)

    for n in range(1, days + 1):
        plan = build_running_plan(start, nth(n), targets, runner.imported, runner.entries, **kwargs)
        today = plan.day_of(nth(n))
        if plan.ending is not None or today is None:
            return plan, runner
        runner.entries.append(JournalEntry(day=nth(n), pain_rest=0, pain_morning=0))
        if today.run is None:
            continue
        km, pain = script(n, today)
        km = today.run.km if km is None else km
        runner.imported.append(
            DoneRun(day=nth(n), km=km, minutes=round(km * pace_s_per_km / 60, 1))
        )
        runner.entries.append(
            JournalEntry(day=nth(n), activity=ActivityType.run, pain_during=pain, pain_after=pain,
                         activity_minutes=min(600, round(km * pace_s_per_km / 60)))
        )  # fmt: skip
    plan = build_running_plan(start, nth(days), targets, runner.imported, runner.entries, **kwargs)
    return plan, runner


def run_days(plan: RunningPlan) -> dict[date, float]:
    return {d.day: d.run.km for d in plan.days() if d.run is not None}


def done_by_week(plan: RunningPlan) -> list[float]:
    return [sum(d.done_km or 0.0 for d in w.days) for w in plan.weeks]


def reasons(plan: RunningPlan, ids: Sequence[str]) -> list[str]:
    return [r.text for d in plan.days() for r in d.reasons if r.id in ids]
