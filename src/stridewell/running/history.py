"""The runs a runner did, and their usual training (the targets), from imports and journal.

A day with an imported run takes the import's distance; a journal run on a day without an
import counts too, its minutes turned into kilometres at the runner's easy pace (the
journal has no distance). So a run that was both imported and logged counts once.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import date, timedelta, tzinfo

from stridewell.activities.model import Activity
from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.running.model import DoneRun, Reason, Targets
from stridewell.running.rules import RunningRules, load_running_rules

RUNNING_SPORTS = frozenset({"running"})


class NotEnoughHistory(ValueError):
    """Too few runs before the pain started to work out the targets: type them in."""


def runs_from_activities(activities: Iterable[Activity], tz: tzinfo) -> list[DoneRun]:
    """Runs with a distance, each on its local day in `tz` (start times are tz-aware)."""
    runs = []
    for activity in activities:
        if activity.sport not in RUNNING_SPORTS or activity.distance_m <= 0:
            continue
        if activity.start_time.tzinfo is None:
            raise ValueError("activity start times must be timezone-aware")
        runs.append(
            DoneRun(
                day=activity.start_time.astimezone(tz).date(),
                km=round(activity.distance_m / 1000.0, 3),
                minutes=round(activity.moving_time_s / 60.0, 1),
                shoe_id=activity.gear,
                source="import",
            )
        )
    return sorted(runs, key=lambda r: r.day)


def runs_from_journal(
    entries: Iterable[JournalEntry], imported: Sequence[DoneRun], pace_s_per_km: int
) -> list[DoneRun]:
    """Journal runs on days without an imported run, at the easy pace."""
    imported_days = {r.day for r in imported}
    minutes: dict[date, int] = {}
    for entry in entries:
        ran = entry.activity_minutes if entry.activity is ActivityType.run else None
        if ran and entry.day not in imported_days:
            minutes[entry.day] = minutes.get(entry.day, 0) + ran
    return [
        DoneRun(day=day, km=round(m * 60 / pace_s_per_km, 3), minutes=m, source="journal")
        for day, m in sorted(minutes.items())
    ]


def all_runs(
    imported: Sequence[DoneRun], entries: Iterable[JournalEntry], pace_s_per_km: int
) -> list[DoneRun]:
    return sorted(
        [*imported, *runs_from_journal(entries, imported, pace_s_per_km)], key=lambda r: r.day
    )


def _median_int(values: list[float]) -> int:
    return round(statistics.median(values))


def targets_from_history(
    runs: Sequence[DoneRun], onset: date, rules: RunningRules | None = None
) -> Targets:
    """The runner's usual week in the weeks before `onset` (the first day of pain).

    Method (stated to the runner): the `history_weeks` whole weeks before `onset`; the
    median week's number of runs and distance (weeks without running count, as zeros),
    the median of each running week's longest run, the weekday the longest run fell on
    most often, the median pace of all runs as the easy pace, and the median number of
    runs a week that were clearly faster than that pace."""
    rules = rules or load_running_rules()
    lim = rules.limits
    first = onset - timedelta(days=7 * lim.history_weeks)
    window = [r for r in runs if first <= r.day < onset and r.km > 0]
    if len(window) < lim.min_history_runs:
        raise NotEnoughHistory(
            f"{len(window)} runs in the {lim.history_weeks} weeks before {onset}: "
            f"at least {lim.min_history_runs} are needed"
        )
    weeks: list[list[DoneRun]] = [[] for _ in range(lim.history_weeks)]
    for run in window:
        weeks[(run.day - first).days // 7].append(run)
    paces = [r.minutes * 60 / r.km for r in window if r.minutes > 0]
    pace = round(statistics.median(paces)) if paces else lim.easy_pace_s_per_km
    faster = pace * (100 - lim.usual_pace_faster_pct) / 100
    running_weeks = [w for w in weeks if w]
    longest = [max(w, key=lambda r: r.km) for w in running_weeks]
    runs_per_week = max(1, _median_int([len(w) for w in weeks]))
    weekly = round(statistics.median([sum(r.km for r in w) for w in weeks]), 1)
    long_run = min(round(statistics.median([r.km for r in longest]), 1), weekly)
    usual = _median_int(
        [sum(1 for r in w if r.minutes > 0 and r.minutes * 60 / r.km <= faster) for w in weeks]
    )
    weekdays = [r.day.weekday() for r in longest]
    weekday = max(sorted(set(weekdays)), key=weekdays.count)
    method = Reason(
        id="targets.history",
        text=rules.say(
            "targets.history",
            weeks=lim.history_weeks,
            onset=onset,
            runs=runs_per_week,
            weekly=weekly,
            long=long_run,
            usual=usual,
        ),
        sources=rules.sources("targets.history"),
    )
    return Targets(
        runs_per_week=runs_per_week,
        weekly_km=max(weekly, 0.1),
        long_run_km=max(long_run, 0.1),
        usual_runs_per_week=min(usual, runs_per_week - 1),
        long_run_weekday=weekday,
        easy_pace_s_per_km=min(max(pace, 180), 900),
        method=method,
    )


def typed_targets(
    runs_per_week: int,
    weekly_km: float,
    long_run_km: float,
    *,
    usual_runs_per_week: int = 0,
    long_run_weekday: int | None = None,
    easy_pace_s_per_km: int | None = None,
    rules: RunningRules | None = None,
) -> Targets:
    """Targets the runner typed in (or changed)."""
    rules = rules or load_running_rules()
    lim = rules.limits
    method = Reason(
        id="targets.typed",
        text=rules.say("targets.typed", runs=runs_per_week, weekly=weekly_km, long=long_run_km),
        sources=rules.sources("targets.typed"),
    )
    return Targets(
        runs_per_week=runs_per_week,
        weekly_km=weekly_km,
        long_run_km=long_run_km,
        usual_runs_per_week=usual_runs_per_week,
        long_run_weekday=lim.long_run_weekday if long_run_weekday is None else long_run_weekday,
        easy_pace_s_per_km=easy_pace_s_per_km or lim.easy_pace_s_per_km,
        method=method,
    )
