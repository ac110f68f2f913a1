"""The planner's inputs besides the data (`Options`), its raw result (`Simulation`), the
rule's way of counting a day's running, and the stated bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from stridewell.contract import Region
from stridewell.running.model import Bound, Ending, Goal, Mode, Week
from stridewell.running.rules import RunningRules


@dataclass(frozen=True)
class Options:
    """What the caller chooses besides the data: the mode, a goal and its placement."""

    mode: Mode = Mode.back_to_running
    goal: Goal | None = None
    place_goal_run: bool = False
    locations: tuple[Region, ...] = ()
    known_flags: frozenset[str] = frozenset()


def counted(day: date, today: date, done: Mapping[date, int], planned: Mapping[date, int]) -> int:
    """A day's running as the single-run rule counts it: what was done on days up to
    today (today's plan still counts while today's run is not in), what is planned after."""
    if day < today:
        return done.get(day, 0)
    if day == today and day in done:
        return done[day]
    return planned.get(day, 0)


@dataclass(frozen=True)
class Simulation:
    """The planner's raw result, before shoes are suggested and the goal is checked."""

    today: date
    weeks: list[Week]
    baseline_hm: int
    targets_week: int | None
    ending: Ending | None
    top_level: int
    planned_hm: dict[date, int]
    done_hm: dict[date, int]
    week_budget_hm: dict[date, int]

    def longest_before(self, day: date, lookback_days: int) -> int:
        days = (day - timedelta(days=back) for back in range(1, lookback_days + 1))
        return max(counted(d, self.today, self.done_hm, self.planned_hm) for d in days)


def bounds(rules: RunningRules) -> list[Bound]:
    lim, b = rules.limits, rules.bounds
    return [
        Bound(id="single_run", pct=lim.single_run_cap_pct, text=b.single_run.text,
              sources=list(b.single_run.sources)),
        Bound(id="weekly_growth", pct=lim.weekly_growth_pct, text=b.weekly_growth.text,
              sources=list(b.weekly_growth.sources)),
    ]  # fmt: skip
