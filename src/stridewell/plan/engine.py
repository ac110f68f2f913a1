"""The recovery plan engine: `build_plan(report, start, entries, today) -> Plan`. Pure.

The plan is simulated day by day from `start`: each day first checks the reasons to stop
self-care (warning signs in a check-in, pain at rest after the first week, no improvement,
too many setbacks), then takes its phase from the timeline (protect, mobilise) or, from
day 8, from the way back to running. Runs fall on fixed days of each plan week and are
judged on the pain-monitoring model (Silbernagel 2007): pain during a run up to 5/10 is
acceptable if the next morning is no worse than before it and morning pain is not
creeping up week to week. The model is for tendon and soft-tissue pain: with a possible
bone stress injury, running waits for a clinician. A clinician's word (`clinician`) wins
over the report: the confirmed condition replaces the ranking, "no running until" keeps
run days free of runs before that day, "reduced" caps each run. Days after `today` have no journal
yet and are laid out as if every check passes; the plan is rebuilt as the journal grows.

No clock, no I/O: the same report, start, journal and today always give the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from stridewell.contract import Level, Region, most_urgent
from stridewell.errors import InvalidInput
from stridewell.journal.model import JournalEntry
from stridewell.journal.trend import pain_trend
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import load_questionnaire
from stridewell.knowledge.schema import Condition, KnowledgeBase
from stridewell.plan.model import (
    ClinicianDecision,
    DayRule,
    DayStatus,
    Phase,
    Plan,
    PlanDay,
    Referral,
    Task,
)
from stridewell.plan.rules import PlanRules, load_plan_rules
from stridewell.plan.running_rule import is_soreness
from stridewell.plan.signals import Outcome, Signals
from stridewell.plan.tasks import TaskBook, avoided_exercises, main_region
from stridewell.report import TriageReport
from stridewell.text import day_words
from stridewell.triage.engine import compiled
from stridewell.triage.scoring import RedFlagHit

MAX_HORIZON_DAYS = 366
_HOLD_RULES = {Outcome.not_done: "hold.not_done", Outcome.no_data: "hold.no_data"}


def build_plan(
    report: TriageReport,
    start: date,
    entries: list[JournalEntry],
    today: date,
    horizon_days: int = 14,
    *,
    locations: Sequence[Region] | None = None,
    kb: KnowledgeBase | None = None,
    rules: PlanRules | None = None,
    clinician: ClinicianDecision | None = None,
    duration_days: int | None = None,
) -> Plan:
    """The plan from `start` through `today` plus `horizon_days` days ahead.

    `locations` are the painful regions of the assessment behind the report (the report
    does not carry them); without them, the leading condition's main region stands in.
    `clinician` is a clinician's confirmed diagnosis and running restriction, followed
    instead of the report's ranking. `duration_days` is how long the pain had lasted at
    the assessment: cold, compression and elevation come only with fresh pain.
    """
    if not 0 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"horizon_days must be 0 to {MAX_HORIZON_DAYS}", field="horizon_days")
    builder = _Builder(report, start, entries, today, horizon_days, locations, kb, rules)
    builder.acute = duration_days is not None and duration_days <= builder.lim.acute_max_days
    return builder.follow(clinician).build()


@dataclass
class _State:
    step: int = 0  # index into the ladder of runs
    pending: tuple[date, int, int] | None = None  # last run not yet judged: day, step, minutes
    scheduled: dict[date, int] = field(default_factory=dict)  # run days and minutes
    pause_until: date | None = None
    pause_rule: DayRule | None = None
    needs_ready: bool = True  # the next run waits for pain gone at rest and walking
    not_ready: str = ""  # why the last run day had no run
    stepped_back_on: date | None = None  # the last step back, until running resumes
    current: Phase | None = None  # phase of the days between runs
    step_backs: int = 0
    passed_test: bool = False
    last_advance_week: int = -1


class _Builder:
    def __init__(
        self,
        report: TriageReport,
        start: date,
        entries: list[JournalEntry],
        today: date,
        horizon_days: int,
        locations: Sequence[Region] | None,
        kb: KnowledgeBase | None,
        rules: PlanRules | None,
    ) -> None:
        self.report, self.start, self.today = report, start, today
        self.kb = kb or load_knowledge()
        self.rules = rules or load_plan_rules()
        self.lim = self.rules.limits
        self.ck = compiled(self.kb)
        self.ladder = self.rules.ladder()
        self.last_day = max(today, start) + timedelta(days=horizon_days)
        self.level = report.triage.level
        conditions = {c.id: c for c in self.kb.conditions}
        self.condition: Condition | None = next(
            (conditions[c.id] for c in report.conditions if c.id in conditions), None
        )
        self.locations = list(locations or main_region(self.condition))
        self.signals = Signals(entries, start, today, self.lim)
        avoid = avoided_exercises(self.rules, self.condition, self.locations)
        self.tasks = TaskBook(self.rules, self.kb, report, self.condition, avoid)
        self.flagged = {f.id for f in report.red_flags}  # warning signs already given
        # Ordinary training soreness at self-care: a few easy days, not a week off.
        self.soreness = is_soreness(report)
        self.state = _State()
        self.referral: Referral | None = None
        self.stopped = False  # self-care has stopped: every day is see_clinician
        self.from_report = False
        self.acute = True  # fresh pain: the first days bring cold, compression, elevation
        self.stop_hits: list[RedFlagHit] = []
        if self.level.rank >= Level.urgent.rank:
            # No self-care plan until seen: the report's safe-while-waiting advice only.
            reasons = list(report.triage.reasons)
            sources = [s for f in report.red_flags for s in f.sources]
            self._stop("refer.triage_level", self.level, reasons, sources, start)
            self.from_report = True
        elif self.level is Level.soon:
            # Book a clinician, but self-care and the plan go on meanwhile.
            self.referral = self._referral("refer.book_soon", list(report.triage.reasons))
        self.bone = self._bone_stress()
        self.clinician: ClinicianDecision | None = None

    # --- set-up -------------------------------------------------------------------------

    def follow(self, clinician: ClinicianDecision | None) -> _Builder:
        """Follow a clinician's confirmed condition (none known for "other") instead of
        the report's ranking; the restriction is applied day by day."""
        self.clinician = clinician
        if clinician is None:
            return self
        conditions = {c.id: c for c in self.kb.conditions}
        self.condition = conditions.get(clinician.condition_id or "")
        avoid = avoided_exercises(self.rules, self.condition, self.locations)
        self.tasks = TaskBook(self.rules, self.kb, self.report, self.condition, avoid)
        self.bone = self._bone_stress()
        self.soreness = False  # the clinician's diagnosis replaces "ordinary soreness"
        return self

    def _held_days(self) -> int:
        """Days of the plan the clinician held running back: the time to get ready for
        the pain-free test counts from the end of the hold."""
        c = self.clinician
        if c is None or c.restriction != "no_running" or c.until is None:
            return 0
        return max(0, (c.until - self.start).days)

    def _no_running(self, day: date) -> bool:
        c = self.clinician
        return (
            c is not None and c.restriction == "no_running" and c.until is not None
            and day < c.until
        )  # fmt: skip

    def _referral(self, rule_id: str, reasons: list[str]) -> Referral:
        """A referral that leaves self-care going (running may wait, the rest goes on)."""
        return Referral(
            level=most_urgent([self.level, Level.soon]),
            clinicians=self.rules.clinicians,
            reasons=reasons or [self.rules.rules[rule_id].why],
            rule=rule_id,
            since=self.start,
            sources=self.rules.rules[rule_id].sources,
        )

    def _bone_stress(self) -> bool:
        bone = self.rules.bone_stress
        flags = [f for f in self.report.red_flags if f.id in bone.red_flags]
        leads = self.condition is not None and self.condition.id in bone.conditions
        if not flags and not leads:
            return False
        finding = load_questionnaire().plain_finding
        names = {flag.id: flag.name for flag in self.kb.red_flags}
        reasons = [
            f"{f.name or names.get(f.id, '')}: {'; '.join(finding(b) for b in f.because)}"
            for f in flags
        ]
        if leads and self.condition is not None:
            reasons.append(f"the most likely cause is {self.condition.name}")
        if not self.stopped:
            before = self.referral.reasons if self.referral else []
            self.referral = self._referral("refer.bone_stress", before + reasons)
        return True

    # --- the simulation ------------------------------------------------------------------

    def build(self) -> Plan:
        days = []
        day = self.start
        while day <= self.last_day:
            days.append(self._day(day, (day - self.start).days + 1))
            day += timedelta(days=1)
        now = next(
            (d for d in days if d.day == self.today),
            days[0] if self.today < self.start else days[-1],
        )
        lim = self.lim
        trend = pain_trend(
            self.signals.entries, self.today, lim.trend_window_days,
            threshold=lim.trend_threshold, min_days=lim.trend_min_days,
        )  # fmt: skip
        return Plan(
            start=self.start,
            today=self.today,
            level=self.level,
            condition_id=self.condition.id if self.condition else None,
            phase=now.phase,
            referral=self.referral,
            days=days,
            kb_version=self.kb.version,
            rules_version=self.rules.version,
            trend=trend,
            clinician=self.clinician,
        )

    def _rule(self, rule_id: str, detail: str = "") -> DayRule:
        spec = self.rules.rules[rule_id]
        return DayRule(id=rule_id, why=spec.why, detail=detail, sources=spec.sources)

    def _plan_day(
        self, day: date, n: int, phase: Phase, rule: DayRule, tasks: list[Task]
    ) -> PlanDay:
        status = DayStatus.past if day < self.today else DayStatus.ahead
        if day == self.today:
            status = DayStatus.today
        return PlanDay(day=day, day_number=n, phase=phase, tasks=tasks, rule=rule, status=status)

    def _day(self, day: date, n: int) -> PlanDay:
        # Warning signs count even after self-care has stopped: a new one can make the
        # referral more urgent (a clot while waiting for a bone scan).
        if day <= self.today and not self._check_red_flags(day) and not self.stopped:
            self._check_stop(day, n)
        if self.stopped:
            return self._clinician_day(day, n)
        if self.soreness and n <= self.lim.soreness_easy_last_day:
            rule = self._rule("phase.easy_days")
            return self._plan_day(day, n, Phase.protect, rule, self.tasks.protect(acute=False))
        if self.soreness and not self.bone:
            return self._running_day(day, n)  # a few easy days only: no mobilise week
        if n <= self.lim.protect_last_day:
            rule = self._rule("phase.protect" if self.acute else "phase.settle")
            return self._plan_day(day, n, Phase.protect, rule, self.tasks.protect(acute=self.acute))
        if n <= self.lim.mobilise_last_day:
            return self._plan_day(
                day, n, Phase.mobilise, self._rule("phase.mobilise"), self.tasks.mobilise(n)
            )
        if self.bone:
            return self._clinician_day(day, n)
        return self._running_day(day, n)

    def _clinician_day(self, day: date, n: int) -> PlanDay:
        assert self.referral is not None  # stopping or bone stress always sets one
        ref = self.referral
        detail = f"since {day_words(ref.since)}: " + "; ".join(ref.reasons)
        tasks = self.tasks.see_clinician(ref.level, ref.sources, self.from_report, self.stop_hits)
        return self._plan_day(day, n, Phase.see_clinician, self._rule(ref.rule, detail), tasks)

    # --- reasons to stop self-care -------------------------------------------------------

    def _stop(
        self, rule_id: str, level: Level, reasons: list[str], sources: list[str], day: date
    ) -> None:
        spec = self.rules.rules[rule_id]
        before = self.referral
        self.referral = Referral(
            level=most_urgent([level] + ([before.level] if before else [])),
            clinicians=self.rules.clinicians,
            reasons=(before.reasons if before else []) + (reasons or [spec.why]),
            rule=rule_id,
            since=before.since if before is not None and self.stopped else day,
            sources=list(dict.fromkeys([*spec.sources, *sources])),
        )
        self.stopped = True

    def _check_red_flags(self, day: date) -> bool:
        """Stop self-care (or raise the referral) for a new warning sign in a check-in.

        A sign the report already gave, or an earlier check-in, is not new: the runner
        has already been told to book. Each new one is named in the referral."""
        hits = [
            h
            for h in self.signals.checkin_red_flags(day, self.ck, self.locations)
            if h.flag.id not in self.flagged
        ]
        if not hits:
            return False
        self.flagged.update(h.flag.id for h in hits)
        self.stop_hits += hits
        reasons = [
            f"{h.flag.name} reported on {day_words(day)}"
            + (f" ({'; '.join(h.because)})" if h.because else "")
            for h in hits
        ]
        sources = [s for h in hits for s in h.flag.sources]
        self._stop("refer.red_flag", hits[0].flag.level, reasons, sources, day)
        return True

    def _check_stop(self, day: date, n: int) -> None:
        # Not improving and slow recovery measure the way to the pain-free test; with a
        # possible bone stress injury there is no test to reach (a clinician decides).
        lim, passed = self.lim, self.state.passed_test or self.bone
        early = n >= lim.not_improving_from_day and not passed
        checks = (
            ("refer.rest_pain", True, self.signals.rest_pain_persisting),
            ("refer.not_improving", early, self.signals.not_improving),
        )
        for rule_id, applies, check in checks:
            found = check(day) if applies else None
            if found:
                self._stop(rule_id, Level.soon, [found], [], day)
                return
        if self._no_running(day):
            return  # the clinician holds running back: not being ready is expected
        if n - self._held_days() >= lim.not_ready_by_day and not passed:
            self._stop("refer.slow_recovery", Level.soon, [], [], day)
            return
        since = self.state.stepped_back_on
        if since is not None and (day - since).days >= lim.ready_again_within_days:
            detail = f"no run possible since the step back on {day_words(since)}"
            self._stop("refer.slow_recovery", Level.soon, [detail], [], day)

    # --- the way back to running ---------------------------------------------------------

    def _is_run_day(self, n: int) -> bool:
        return (n - 1) % 7 + 1 in self.lim.run_days_of_week

    def _done(self, run_day: date) -> bool:
        if run_day >= self.today:  # today's run may still happen; later ones are planned
            return True
        logged = self.signals.days.get(run_day)
        return logged is not None and logged.run_logged

    def _reference(self, day: date) -> int | None:
        """The longest run done in the lookback window before `day` (planned minutes)."""
        first = day - timedelta(days=self.lim.lookback_days)
        done = [m for d, m in self.state.scheduled.items() if first <= d < day and self._done(d)]
        return max(done) if done else None

    def _running_day(self, day: date, n: int) -> PlanDay:
        st = self.state
        if self._no_running(day):
            assert self.clinician is not None and self.clinician.until is not None
            st.pending, st.current = None, None  # nothing ran, so nothing to judge
            until = day_words(self.clinician.until)
            detail = f"no running before {until}"
            st.not_ready = f"running was held back by your clinician until {until}"
            rule = self._rule("clinician.no_running", detail)
            return self._plan_day(day, n, Phase.mobilise, rule, self.tasks.mobilise(n))
        if st.pause_until is not None:
            if day < st.pause_until:
                assert st.pause_rule is not None
                return self._plan_day(day, n, Phase.mobilise, st.pause_rule, self.tasks.pause(n))
            st.pause_until = None
        if self._is_run_day(n):
            return self._run_slot(day, n)
        if st.current is None and st.pause_rule is not None:  # stepped back, no run since
            return self._plan_day(day, n, Phase.mobilise, st.pause_rule, self.tasks.pause(n))
        if st.current is None:
            rule = self._rule("progress.not_ready", st.not_ready)
            return self._plan_day(day, n, Phase.mobilise, rule, self.tasks.mobilise(n))
        return self._plan_day(
            day, n, st.current, self._rule("progress.between_runs"), self.tasks.between_runs()
        )

    def _judge_last_run(self, day: date, n: int) -> DayRule | PlanDay | None:
        """Judge the last run; a step back returns the (pause or clinician) day itself."""
        st = self.state
        if st.pending is None:
            return None
        run_day, k, minutes = st.pending
        st.pending = None
        verdict = self.signals.run_verdict(run_day, minutes, test=k == 0)
        rising = None
        if verdict.outcome in (Outcome.advance, Outcome.hold):
            rising = self.signals.pain_rising(day)
        if verdict.outcome is Outcome.step_back or rising:
            st.step_backs += 1
            rule_id = "step_back.pain_rising" if rising else "step_back.pain_returned"
            detail = rising or verdict.detail
            if st.step_backs >= self.lim.max_step_backs:
                self._stop("refer.repeated_setbacks", Level.soon, [detail], [], day)
                return self._clinician_day(day, n)
            st.pause_until = day + timedelta(days=self.lim.step_back_days)
            st.pause_rule = self._rule(rule_id, detail)
            st.step, st.needs_ready, st.current = max(k - 1, 0), True, None
            st.stepped_back_on = day
            return self._plan_day(day, n, Phase.mobilise, st.pause_rule, self.tasks.pause(n))
        if verdict.outcome is not Outcome.advance:
            held = _HOLD_RULES.get(verdict.outcome, "hold.not_settled")
            return self._rule(held, verdict.detail)
        if k == 0:
            st.passed_test = st.passed_test or not verdict.projected
            st.needs_ready = False
        nxt = min(k + 1, len(self.ladder) - 1)
        week = (n - 1) // 7
        growing = self.ladder[k][0].phase is Phase.continuous_running
        if growing and nxt != k and week <= st.last_advance_week:
            return self._rule("progress.same_week", verdict.detail)
        if nxt != k:
            st.step, st.last_advance_week = nxt, week
        return self._rule(
            "progress.expected" if verdict.projected else "progress.pain_settled", verdict.detail
        )

    def _run_slot(self, day: date, n: int) -> PlanDay:
        st = self.state
        judged = self._judge_last_run(day, n)
        if isinstance(judged, PlanDay):
            return judged
        rule = judged
        reference = self._reference(day)
        if reference is None and st.step > 0:
            st.step, st.needs_ready = 0, True
            rule = self._rule("reset.no_recent_run")
        if st.needs_ready:
            if day - timedelta(days=1) > self.today:
                rule = rule or self._rule("progress.expected")
            else:
                ready, detail = self.signals.ready(day)
                if not ready:
                    st.current, st.pause_rule, st.not_ready = None, None, detail
                    return self._plan_day(
                        day,
                        n,
                        Phase.mobilise,
                        self._rule("progress.not_ready", detail),
                        self.tasks.mobilise(n),
                    )
                rule = rule or self._rule(
                    "progress.test_jog" if st.step == 0 else "progress.resume", detail
                )
            st.needs_ready = st.step == 0  # only passing the test lifts it at step 0
        step, minutes = self.ladder[st.step]
        if reference is not None and minutes * 100 > reference * self.lim.single_run_cap_pct:
            minutes = reference * self.lim.single_run_cap_pct // 100
            rule = self._rule(
                "load.single_run_cap", f"longest run of the last 30 days: {reference} min"
            )
        # The plan's own minutes are the reference for the single-run cap: a reduction
        # applied to its own output would shrink every run after the first.
        st.scheduled[day] = minutes
        if self.clinician is not None and self.clinician.restriction == "reduced":
            planned = minutes
            minutes = max(1, planned * self.lim.reduced_running_pct // 100)
            rule = self._rule(
                "clinician.reduced_running",
                f"{minutes} min instead of {planned} min ({self.lim.reduced_running_pct} %)",
            )
        st.pending = (day, st.step, minutes)
        st.current, st.pause_rule, st.stepped_back_on = step.phase, None, None
        rule = rule or self._rule("progress.pain_settled")
        return self._plan_day(day, n, step.phase, rule, self.tasks.run_day(step, minutes))
