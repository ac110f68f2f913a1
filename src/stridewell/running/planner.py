"""The running planner: week by week from the plan's first day to the targets. Pure.

The plan is simulated day by day, like the recovery plan: each day first looks for a new
warning sign (the plan ends), judges the runs before it with the recovery plan's pain
rules (plan/signals.py, through `PainGate`), decides at the start of each week whether
the week grows, holds or steps back, then lays out the day. Days after `today` have no
journal yet and are laid out as if every check passes; the plan is rebuilt every day.

Two bounds hold for every run and week (both in running.yaml, with their sources):
- single run: no run planned longer than 110 % of the longest run of the 30 days before
  it, counting runs done (days up to today) and runs planned (today on);
- weekly growth: a week's budget is at most 10 % above the week before's, and runs done
  in a week count against its budget, so a run longer than planned leaves less for the
  rest of the week, and the week after does not grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from stridewell.journal.model import JournalEntry
from stridewell.plan.model import DayStatus
from stridewell.plan.rules import Limits, load_plan_rules
from stridewell.plan.signals import Outcome
from stridewell.running import ladder as lad
from stridewell.running.gate import PainGate
from stridewell.running.history import all_runs
from stridewell.running.model import (
    DoneRun,
    Ending,
    Mode,
    PlannedRun,
    Reason,
    RunDay,
    SessionKind,
    Targets,
    Week,
)
from stridewell.running.rules import RunningRules, load_running_rules
from stridewell.running.sessions import SessionBook
from stridewell.running.simulation import Options, Simulation, counted
from stridewell.text import day_words

_HOLDS = {
    Outcome.hold: "verdict.hold_not_settled",
    Outcome.no_data: "verdict.hold_no_data",
    Outcome.not_done: "verdict.hold_not_done",
}


@dataclass
class _WeekState:
    number: int
    first: date
    level: int
    decision: Reason
    days: list[RunDay] = field(default_factory=list)
    holds: list[Reason] = field(default_factory=list)  # why the next week may not grow
    runs_planned: int = 0


class Planner:
    def __init__(
        self,
        start: date,
        today: date,
        targets: Targets,
        imported: Sequence[DoneRun],
        entries: Sequence[JournalEntry],
        options: Options,
        rules: RunningRules | None = None,
        plan_limits: Limits | None = None,
    ) -> None:
        self.start, self.today, self.targets, self.options = start, today, targets, options
        self.rules = rules or load_running_rules()
        self.lim = self.rules.limits
        self.cap = self.lim.single_run_cap_pct
        self.plan_limits = plan_limits or load_plan_rules().limits
        pace = targets.easy_pace_s_per_km
        self.pace = pace
        self.runs = all_runs(imported, entries, pace)
        self.done_hm: dict[date, int] = {}
        self.done_minutes: dict[date, float] = {}
        self.done_km: dict[date, float] = {}  # exact, for the budget (runs done round up)
        for run in self.runs:
            if run.day <= today:
                self.done_hm[run.day] = self.done_hm.get(run.day, 0) + lad.to_hm(run.km)
                self.done_km[run.day] = self.done_km.get(run.day, 0.0) + run.km
                self.done_minutes[run.day] = self.done_minutes.get(run.day, 0) + run.minutes
        self.gate = PainGate(
            entries,
            self.runs,
            start,
            today,
            locations=options.locations,
            known_flags=options.known_flags,
            limits=self.plan_limits,
            no_scores_is_fine=options.mode is Mode.prevention,
        )
        self.book = SessionBook(self.rules)
        self.restart_hm = lad.to_hm(self.lim.restart_minutes * 60 / pace)
        self.aim = lad.aim_for(targets, options.goal, self.lim)
        self.baseline_weekly, baseline_long = self._baseline()
        self.ladder = lad.levels(self.baseline_weekly, baseline_long, self.aim, self.lim)
        self.top = len(self.ladder) - 1
        self.level = min(1, self.top)
        self.planned: dict[date, int] = {}
        self.pending: list[tuple[date, int, int, _WeekState]] = []  # day, hm, minutes, week
        self.overruns: list[tuple[date, int, int]] = []  # day, done hm, planned hm
        self.pause_until: date | None = None
        self.step_backs = 0
        self.ending: Ending | None = None
        self.budgets: dict[date, int] = {}

    # --- set-up -------------------------------------------------------------------------

    def _baseline(self) -> tuple[int, int]:
        """The runner's recent week (the last 7 days, or the average week of the last 28
        if higher: a week off is not a new baseline) and the longest run of the last 30
        days; with no real run in those 30 days, the recovery plan's last step."""
        week = sum(self._done_between(self.start - timedelta(days=7), self.start))
        four_weeks = sum(self._done_between(self.start - timedelta(days=28), self.start)) // 4
        lookback = self.start - timedelta(days=self.lim.lookback_days)
        longest = max(self._done_between(lookback, self.start), default=0)
        if longest < lad.to_hm(self.lim.min_run_km):
            runs = min(self.lim.start_runs_per_week, self.aim.runs)
            return max(week, self.restart_hm * runs), self.restart_hm
        return max(week, four_weeks), longest

    def _done_between(self, first: date, before: date) -> list[int]:
        return [hm for d, hm in self.done_hm.items() if first <= d < before]

    def _counted(self, day: date) -> int:
        return counted(day, self.today, self.done_hm, self.planned)

    def reference(self, day: date) -> int:
        """The longest run of the `lookback_days` days before `day` (0: none)."""
        window = range(1, self.lim.lookback_days + 1)
        return max((self._counted(day - timedelta(days=back)) for back in window), default=0)

    def _reason(self, text_id: str, **values: object) -> Reason:
        return Reason(
            id=text_id, text=self.rules.say(text_id, **values), sources=self.rules.sources(text_id)
        )

    # --- the simulation ------------------------------------------------------------------

    def run(self, horizon: date | None = None) -> Simulation:
        weeks: list[_WeekState] = []
        targets_week: int | None = None
        at_top_ahead = 0
        last = max(self.start, self.today)
        while len(weeks) < self.lim.max_weeks and self.ending is None:
            first = self.start + timedelta(days=7 * len(weeks))
            week = self._open_week(weeks[-1] if weeks else None, first, len(weeks) + 1)
            weeks.append(week)
            for i in range(7):
                self._day(week, first + timedelta(days=i))
                if self.ending is not None:
                    break
            if week.level == self.top and targets_week is None:
                targets_week = week.number
            if week.level == self.top and first > last:
                at_top_ahead += 1
            done_with_horizon = horizon is None or first + timedelta(days=6) >= horizon
            if at_top_ahead > self.lim.weeks_after_targets and done_with_horizon:
                break
        return Simulation(
            today=self.today,
            weeks=[self._week(w) for w in weeks],
            baseline_hm=self.baseline_weekly,
            targets_week=targets_week,
            ending=self.ending,
            top_level=self.top,
            planned_hm=dict(self.planned),
            done_hm=dict(self.done_hm),
            week_budget_hm=dict(self.budgets),
        )

    def _week(self, w: _WeekState) -> Week:
        level = self.ladder[w.level]
        return Week(
            number=w.number,
            first_day=w.first,
            level=w.level,
            budget_km=lad.to_km(level.weekly_hm),
            long_run_km=lad.to_km(level.long_hm),
            runs=level.runs,
            easy_only=w.level < self.top,
            decision=w.decision,
            days=w.days,
        )

    def _open_week(self, before: _WeekState | None, first: date, number: int) -> _WeekState:
        # The last run of the week before is judged on this day (its next morning), so
        # the judging comes before the decision.
        self._judge_pending(first)
        if self.ending is not None and before is not None:
            return before
        if before is None:
            level = self.ladder[self.level]
            decision = self._reason(
                "week.start", budget=lad.to_km(level.weekly_hm), runs=level.runs,
                baseline=lad.to_km(self.baseline_weekly),
            )  # fmt: skip
        elif before.holds:
            decision = before.holds[-1]
        elif before.runs_planned == 0:
            decision = self._reason(
                "week.hold", budget=self._budget_km(), detail="no run was planned last week"
            )
        else:
            self.level = min(self.level + 1, self.top)
            decision = self._grown(first)
        return _WeekState(number, first, self.level, decision)

    def _budget_km(self) -> float:
        return lad.to_km(self.ladder[self.level].weekly_hm)

    def _grown(self, first: date) -> Reason:
        level = self.ladder[self.level]
        if self.level == self.top:
            return self._reason(
                "week.targets", budget=lad.to_km(level.weekly_hm), long=lad.to_km(level.long_hm)
            )
        text_id = "week.expected" if first > self.today + timedelta(days=1) else "week.advance"
        return self._reason(text_id, budget=lad.to_km(level.weekly_hm))

    # --- judging the runs done -------------------------------------------------------------

    def _judge_pending(self, day: date) -> None:
        for item in [p for p in self.pending if p[0] < day]:
            self.pending.remove(item)
            if self.ending is None:
                self._judge(day, *item)

    def _judge(self, day: date, run_day: date, hm: int, minutes: int, week: _WeekState) -> None:
        verdict = self.gate.judge(run_day, minutes)
        done = self.done_hm.get(run_day, 0) if run_day <= self.today else 0
        if done * 100 > hm * self.cap:
            self.overruns.append((run_day, done, hm))
            detail = f"{lad.to_km(done)} km on {day_words(run_day)}, {lad.to_km(hm)} km planned"
            week.holds.append(self._hold("verdict.hold_longer", detail))
        rising = None
        if verdict.outcome in (Outcome.advance, Outcome.hold):
            rising = self.gate.pain_rising(day)
        if verdict.outcome is Outcome.step_back or rising:
            self._step_back(day, week, rising, verdict.detail)
        elif verdict.outcome in _HOLDS:
            week.holds.append(self._hold(_HOLDS[verdict.outcome], verdict.detail))

    def _hold(self, verdict_id: str, detail: str) -> Reason:
        why = self.rules.say(verdict_id, detail=detail)
        reason = self._reason("week.hold", budget=self._budget_km(), detail=why)
        sources = list(dict.fromkeys([*reason.sources, *self.rules.sources(verdict_id)]))
        return reason.model_copy(update={"sources": sources})

    def _step_back(self, day: date, week: _WeekState, rising: str | None, detail: str) -> None:
        self.step_backs += 1
        why_id, why_detail = (
            ("verdict.pain_rising", rising) if rising else ("verdict.step_back", detail)
        )
        if self.step_backs >= self.plan_limits.max_step_backs:
            self._end(day, "clinician", "end.setbacks", count=self.step_backs, detail=why_detail)
            return
        self.level = max(0, self.level - 1)
        self.pause_until = day + timedelta(days=self.plan_limits.step_back_days)
        why = self.rules.say(why_id, detail=why_detail)
        reason = self._reason("week.step_back", budget=self._budget_km(), detail=why)
        week.holds.append(reason)

    def _end(self, on: date, next_step: str, text_id: str, **values: object) -> None:
        self.ending = Ending(day=on, reason=self._reason(text_id, **values), next_step=next_step)

    # --- one day -----------------------------------------------------------------------------

    def _status(self, day: date) -> DayStatus:
        if day < self.today:
            return DayStatus.past
        return DayStatus.today if day == self.today else DayStatus.ahead

    def _day(self, week: _WeekState, day: date) -> None:
        signs = self.gate.new_warning_signs(day)
        if signs is not None:
            self._end(day, "assessment", "end.warning_sign", day=day, signs=", ".join(signs.names))
        elif self.options.mode is Mode.back_to_running and day <= self.today:
            rest = self.gate.rest_pain(day)
            if rest:
                self._end(day, "assessment", "end.rest_pain", detail=rest)
        if self.ending is None:
            self._judge_pending(day)
        if self.ending is not None:
            week.days.append(self._stopped_day(week, day))
            return
        self.budgets[day] = self.ladder[self.level].weekly_hm
        run, reasons = self._run_for(week, day)
        if run is None and day < self.today and day in self.done_hm:
            # A run on a day without one planned is judged like any other: its pain counts.
            minutes = max(1, round(self.done_minutes[day]))
            self.pending.append((day, self.done_hm[day], minutes, week))
        offset = lad.offset(day, self.targets.long_run_weekday)
        runs = self.ladder[self.level].runs
        sessions = self.book.extras(
            offset, runs, has_run=run is not None, easy_only=self.level < self.top
        )
        done = self.done_hm.get(day) if day <= self.today else None
        week.days.append(
            RunDay(
                day=day,
                week=week.number,
                status=self._status(day),
                run=run,
                sessions=sessions,
                done_km=None if done is None else lad.to_km(done),
                reasons=reasons,
            )
        )

    def _stopped_day(self, week: _WeekState, day: date) -> RunDay:
        assert self.ending is not None
        return RunDay(
            day=day, week=week.number, status=self._status(day), run=None, sessions=[],
            done_km=None, reasons=[self.ending.reason],
        )  # fmt: skip

    def _paused(self, day: date) -> bool:
        return self.pause_until is not None and day < self.pause_until

    def _slots(self, week: _WeekState, day: date) -> list[date]:
        """The run days of the week from `day` on, at the week's current level."""
        runs = self.ladder[self.level].runs
        offsets = lad.run_offsets(runs)
        days = [day + timedelta(days=i) for i in range((week.first - day).days + 7)]
        goal = self.options.goal
        goal_day = goal.day if goal is not None and self.options.place_goal_run else None
        return [
            d
            for d in days
            if (lad.offset(d, self.targets.long_run_weekday) in offsets or d == goal_day)
            and not self._paused(d)
        ]

    def _want(self, day: date) -> tuple[int, SessionKind]:
        level = self.ladder[self.level]
        goal = self.options.goal
        if goal is not None and self.options.place_goal_run and day == goal.day:
            return lad.to_hm(goal.km), SessionKind.goal_run
        offset = lad.offset(day, self.targets.long_run_weekday)
        if offset == 0:
            return level.long_hm, SessionKind.long_run
        if self.level == self.top and offset in lad.usual_offsets(
            level.runs, self.targets.usual_runs_per_week
        ):
            return level.easy_hm(), SessionKind.usual_run
        return level.easy_hm(), SessionKind.easy_run

    def _run_for(self, week: _WeekState, day: date) -> tuple[PlannedRun | None, list[Reason]]:
        if self._paused(day):
            return None, [self._reason("day.pause")]
        slots = self._slots(week, day)
        if not slots or slots[0] != day:
            return None, []
        level = self.ladder[self.level]
        # Runs done count against the budget rounded up, so a week never plans more than
        # its budget because of rounding (the rule's reference rounds them down instead).
        days_before = [week.first + timedelta(days=i) for i in range((day - week.first).days)]
        used = sum(
            lad.to_hm_up(self.done_km[d]) if d in self.done_km and d <= self.today
            else self._counted(d)
            for d in days_before
        )  # fmt: skip
        left = level.weekly_hm - used
        wants = {d: self._want(d) for d in slots}
        want, kind = wants[day]
        goals = {d for d, (_, k) in wants.items() if k is SessionKind.goal_run}
        hm = lad.share_of_week(day, {d: hm for d, (hm, _) in wants.items()}, goals, left)
        reasons: list[Reason] = []
        recent = [o for o in self.overruns if day - timedelta(days=7) <= o[0] < day]
        if recent and hm < want:
            o_day, o_done, o_planned = recent[-1]
            reasons.append(
                self._reason("day.longer_than_planned", day=o_day, done=lad.to_km(o_done),
                             planned=lad.to_km(o_planned))
            )  # fmt: skip
        reference = self.reference(day)
        walk_run = False
        if reference == 0:
            hm, walk_run = min(hm, self.restart_hm), True
            reasons.append(self._reason("day.restart", minutes=self.lim.restart_minutes))
        elif hm * 100 > reference * self.cap:
            hm = reference * self.cap // 100
            reasons.append(self._reason("day.single_run_cap", km=lad.to_km(hm),
                                        reference=lad.to_km(reference)))  # fmt: skip
        allowed = min(want, reference * self.cap // 100 if reference else self.restart_hm)
        if hm <= 0 or (hm < allowed and hm < lad.to_hm(self.lim.min_run_km)):
            # A run the budget cut below a useful length is left out; one the single-run
            # rule keeps short is still run (it is how the rule lets the runs grow again).
            reasons.append(self._reason("day.week_used_up", budget=lad.to_km(level.weekly_hm)))
            return None, reasons
        self.planned[day] = hm
        week.runs_planned += 1
        minutes = max(1, round(hm * 100 * self.pace / 60_000))
        self.pending.append((day, hm, minutes, week))
        if walk_run:
            kind = SessionKind.walk_run
        run = self.book.run(kind, lad.to_km(hm), minutes, walk_run=walk_run)
        return run, reasons
