"""The steps from the baseline week to the targets, and the shape of a week.

Distances here are whole hectometres (100 m), so "at most 110 %" is integer arithmetic
(`hm * 110 // 100`) and a planned run can never pass the rule by a rounding hair.

A step (`Level`) is a week's budget, its long run and its number of runs. Each step plans
at most `weekly_growth_pct` more than the one before, and its long run at most
`single_run_cap_pct` of the step before's (the long run is the week's longest run, so
this is the single-run rule carried from week to week); both stop at the targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from stridewell.running.model import Goal, Targets
from stridewell.running.rules import RunningLimits

MAX_LEVELS = 400

# Run days of a week by number of runs, as days after the long run (0 = the long run's
# day): a day off after the long run, and runs spread before days off where they fit.
RUN_OFFSETS: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 2, 4, 5),
    5: (0, 2, 3, 4, 5),
    6: (0, 2, 3, 4, 5, 6),
    7: (0, 1, 2, 3, 4, 5, 6),
}
STRENGTH_OFFSETS = (1, 3, 5, 6, 2, 4)  # preferred days for strength, first free ones win


def to_hm(km: float) -> int:
    """Kilometres to whole hectometres, rounded down (never rounds a distance up)."""
    return math.floor(km * 10 + 1e-6)


def to_hm_up(km: float) -> int:
    """Kilometres to whole hectometres, rounded up (for distances counted against a budget)."""
    return math.ceil(km * 10 - 1e-6)


def to_km(hm: int) -> float:
    return hm / 10


@dataclass(frozen=True, slots=True)
class Level:
    weekly_hm: int
    long_hm: int
    runs: int

    def easy_hm(self) -> int:
        """Each of the other runs: an equal share of the rest, never longer than the long run."""
        if self.runs <= 1:
            return 0
        return min(self.long_hm, (self.weekly_hm - self.long_hm) // (self.runs - 1))


@dataclass(frozen=True, slots=True)
class Aim:
    """What the ladder climbs to, in hectometres."""

    weekly_hm: int
    long_hm: int
    runs: int


def aim_for(targets: Targets, goal: Goal | None, lim: RunningLimits) -> Aim:
    """The targets, raised for a goal: its long run must make the goal distance a run of at
    most 110 % of it, and the week must hold the long run `goal_long_run_share_pct`."""
    weekly, long_run = to_hm(targets.weekly_km), to_hm(targets.long_run_km)
    if goal is not None:
        needed = -(-to_hm(goal.km) * 100 // lim.single_run_cap_pct)  # rounded up
        long_run = max(long_run, needed)
        weekly = max(weekly, -(-long_run * 100 // lim.goal_long_run_share_pct))
    return Aim(weekly, min(long_run, weekly), targets.runs_per_week)


def runs_for(weekly_hm: int, aim: Aim, lim: RunningLimits) -> int:
    fewest = min(lim.start_runs_per_week, aim.runs)
    by_distance = weekly_hm // max(1, to_hm(lim.km_per_run_day))
    return max(fewest, min(aim.runs, by_distance))


def levels(
    baseline_weekly_hm: int, baseline_long_hm: int, aim: Aim, lim: RunningLimits
) -> list[Level]:
    """Level 0 is the baseline week; the last level is the aim (or as near as whole
    hectometres allow growing within the bounds)."""
    # A baseline above the aim starts at the aim: every level is then at most the one
    # after it, so a step back never plans more.
    weekly = min(baseline_weekly_hm, aim.weekly_hm)
    long_run = min(baseline_long_hm, weekly, aim.long_hm)
    ladder = [Level(weekly, long_run, runs_for(weekly, aim, lim))]
    while (weekly, long_run) != (aim.weekly_hm, aim.long_hm) and len(ladder) < MAX_LEVELS:
        if weekly < aim.weekly_hm:
            weekly = min(aim.weekly_hm, weekly * (100 + lim.weekly_growth_pct) // 100)
        else:
            weekly = aim.weekly_hm
        if long_run < aim.long_hm:
            long_run = min(aim.long_hm, long_run * lim.single_run_cap_pct // 100, weekly)
        else:
            long_run = min(aim.long_hm, weekly)
        level = Level(weekly, long_run, runs_for(weekly, aim, lim))
        if level == ladder[-1]:  # too small to grow in whole hectometres
            break
        ladder.append(level)
    return ladder


def share_of_week(day: date, wants: dict[date, int], goal_days: set[date], left: int) -> int:
    """The run of `day` within what is `left` of the week's budget: a goal run takes what
    it needs first; the other runs from `day` on share the rest in proportion to their
    wanted lengths, so together they never exceed it."""
    want = wants[day]
    if day in goal_days:
        return max(0, min(want, left))
    reserved = sum(hm for d, hm in wants.items() if d in goal_days)
    others = sum(hm for d, hm in wants.items() if d not in goal_days)
    if others <= left - reserved:
        return want
    return want * max(0, left - reserved) // max(1, others)


def offset(day: date, long_run_weekday: int) -> int:
    """Days since the week's long-run day."""
    return (day.weekday() - long_run_weekday) % 7


def run_offsets(runs: int) -> tuple[int, ...]:
    return RUN_OFFSETS[max(1, min(7, runs))]


def usual_offsets(runs: int, usual: int) -> tuple[int, ...]:
    """The days of the runner's harder runs, once the targets are reached: the runs after
    the long run, furthest from it first (so no harder run comes the day before it)."""
    others = [o for o in run_offsets(runs) if o != 0]
    return tuple(sorted(others, key=lambda o: (abs(o - 3.5), o))[:usual])


def strength_offsets(runs: int, per_week: int) -> tuple[int, ...]:
    """Strength on days without running where possible, else after an easy run."""
    free = [o for o in STRENGTH_OFFSETS if o not in run_offsets(runs)]
    busy = [o for o in STRENGTH_OFFSETS if o in run_offsets(runs)]
    return tuple((free + busy)[:per_week])
