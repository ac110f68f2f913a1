"""`build_running_plan`: the running plan as of `today`, with shoes and the goal check.

For a goal (prevention mode), the plan is first laid out without the goal run to see
whether the goal day has, in its 30 days before, a run the goal distance is at most
110 % of (and a week budget that holds it). If so, the goal run is placed on its day;
if not, the plan says so and gives the earliest day that keeps to the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from stridewell.contract import Region
from stridewell.journal.model import JournalEntry
from stridewell.plan.model import DayStatus, Phase, Plan
from stridewell.plan.rules import Limits, PlanRules, load_plan_rules
from stridewell.running import ladder as lad
from stridewell.running.model import (
    DoneRun,
    Goal,
    GoalCheck,
    Mode,
    Reason,
    RunningPlan,
    SessionKind,
    Targets,
    Week,
)
from stridewell.running.planner import Planner
from stridewell.running.rules import RunningRules, load_running_rules
from stridewell.running.shoes import advise_shoes
from stridewell.running.simulation import Options, Simulation, bounds
from stridewell.shoes.model import Shoe


def build_running_plan(
    start: date,
    today: date,
    targets: Targets,
    imported: Sequence[DoneRun] = (),
    entries: Sequence[JournalEntry] = (),
    *,
    mode: Mode = Mode.back_to_running,
    goal: Goal | None = None,
    shoes: Sequence[Shoe] = (),
    shoe_km: Mapping[str, float] | None = None,
    locations: Sequence[Region] = (),
    known_flags: Sequence[str] = (),
    rules: RunningRules | None = None,
    plan_limits: Limits | None = None,
) -> RunningPlan:
    """The plan from `start` (the day after the recovery plan, or today) as of `today`.

    `imported` are runs from watch files (`runs_from_activities`); journal runs on other
    days count too. `known_flags` are warning signs the runner was already assessed with
    (not new). `shoe_km` is each pair's distance so far (`shoes.mileage(...).km`)."""
    rules = rules or load_running_rules()
    options = Options(
        mode=mode, goal=goal, locations=tuple(locations), known_flags=frozenset(known_flags)
    )
    horizon = goal.day if goal is not None else None

    def run(opts: Options) -> Simulation:
        return simulate(
            start, today, targets, imported, entries, opts, horizon=horizon, rules=rules,
            plan_limits=plan_limits,
        )  # fmt: skip

    sim = run(options)
    check = None
    if goal is not None:
        check = _check_goal(sim, goal, today, rules)
        if check.reachable:
            placed = run(replace(options, place_goal_run=True))
            if _goal_run_km(placed, goal) == lad.to_hm(goal.km):
                sim = placed
            else:  # the budget of the goal's week could not hold it after all
                check = _unreachable(goal, None, sim, rules)
    weeks = sim.weeks
    if shoes:
        weeks = _with_shoes(weeks, shoes, shoe_km or {}, today, rules)
    return RunningPlan(
        mode=mode,
        start=start,
        today=today,
        targets=targets,
        baseline_km=lad.to_km(sim.baseline_hm),
        bounds=bounds(rules),
        weeks=weeks,
        targets_week=sim.targets_week,
        goal=check,
        ending=sim.ending,
        rules_version=rules.version,
    )


def start_after_recovery(plan: Plan, rules: PlanRules | None = None) -> date | None:
    """The running plan's first day: the day after the recovery plan's first past day of
    continuous running at its target length ("the plan has done its job"); None before."""
    target = (rules or load_plan_rules()).growth.target_minutes
    for day in plan.days:
        minutes = day.run_minutes() or 0
        done = day.status is DayStatus.past
        if done and day.phase is Phase.continuous_running and minutes >= target:
            return day.day + timedelta(days=1)
    return None


def simulate(
    start: date,
    today: date,
    targets: Targets,
    imported: Sequence[DoneRun],
    entries: Sequence[JournalEntry],
    options: Options,
    *,
    horizon: date | None = None,
    rules: RunningRules | None = None,
    plan_limits: Limits | None = None,
) -> Simulation:
    """The planner's raw result (no shoes, no goal check), laid out at least to `horizon`."""
    planner = Planner(start, today, targets, imported, entries, options, rules, plan_limits)
    return planner.run(horizon)


def _with_shoes(
    weeks: list[Week],
    shoes: Sequence[Shoe],
    km: Mapping[str, float],
    today: date,
    rules: RunningRules,
) -> list[Week]:
    days = advise_shoes([d for w in weeks for d in w.days], shoes, km, today, rules)
    out, i = [], 0
    for week in weeks:
        n = len(week.days)
        out.append(week.model_copy(update={"days": days[i : i + n]}))
        i += n
    return out


def _goal_run_km(sim: Simulation, goal: Goal) -> int:
    for week in sim.weeks:
        for day in week.days:
            if day.day == goal.day and day.run and day.run.kind is SessionKind.goal_run:
                return lad.to_hm(day.run.km)
    return 0


def _fits(sim: Simulation, day: date, goal_hm: int, rules: RunningRules) -> bool:
    """A goal run on `day` keeps to the single-run rule and fits its week's budget."""
    lim = rules.limits
    budget = sim.week_budget_hm.get(day)
    if budget is None or budget < goal_hm:
        return False
    return goal_hm * 100 <= sim.longest_before(day, lim.lookback_days) * lim.single_run_cap_pct


def _check_goal(sim: Simulation, goal: Goal, today: date, rules: RunningRules) -> GoalCheck:
    lim = rules.limits
    goal_hm = lad.to_hm(goal.km)
    if sim.ending is None and _fits(sim, goal.day, goal_hm, rules):
        needed = lad.to_km(-(-goal_hm * 100 // lim.single_run_cap_pct))
        reason = Reason(
            id="goal.reachable",
            text=rules.say("goal.reachable", km=goal.km, day=goal.day, needed=needed),
            sources=rules.sources("goal.reachable"),
        )
        return GoalCheck(goal=goal, reachable=True, earliest=goal.day, reason=reason)
    earliest = None
    for day in sorted(sim.week_budget_hm):
        if day >= today and _fits(sim, day, goal_hm, rules):
            earliest = day
            break
    return _unreachable(goal, earliest, sim, rules)


def _unreachable(
    goal: Goal, earliest: date | None, sim: Simulation, rules: RunningRules
) -> GoalCheck:
    if earliest is None:
        text_id = "goal.beyond"
        text = rules.say(text_id, km=goal.km, day=goal.day, weeks=len(sim.weeks))
    else:
        text_id = "goal.unreachable"
        text = rules.say(text_id, km=goal.km, day=goal.day, earliest=earliest)
    reason = Reason(id=text_id, text=text, sources=rules.sources(text_id))
    return GoalCheck(goal=goal, reachable=False, earliest=earliest, reason=reason)
