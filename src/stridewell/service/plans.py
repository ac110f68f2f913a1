"""The recovery plan of one runner: started from a stored assessment, rebuilt from the
journal, shown as days of tasks, a calendar, a pain chart and exercise adherence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from stridewell.errors import InvalidInput, NotFound
from stridewell.service.assessments import AssessmentService
from stridewell.service.backend import Backend
from stridewell.service.journal import JournalService, week_start
from stridewell.service.views import AdherenceWeek

if TYPE_CHECKING:
    from stridewell.export.charts import PainPoint, PhaseSpan
    from stridewell.plan.model import Plan, Task
    from stridewell.storage.records import StoredPlan

# A plan started further back than this is refused (finding 6 of issue 11).
MAX_PLAN_AGE_DAYS = 366
NO_PLAN = "no recovery plan yet: start one with `stridewell plan --start`"


def episode_start(first_day: date, assessed_at: datetime | None, tz: tzinfo) -> datetime:
    """When a plan's episode began: the start of its first day (in the runner's zone
    ``tz``), or the assessment it came from if that was earlier. A clinician's note counts
    for a plan only if it was recorded from then on; a word on an earlier pain does not
    steer a new plan."""
    began = datetime.combine(first_day, time.min, tzinfo=tz)
    return began if assessed_at is None else min(began, assessed_at)


class PlanService:
    """One runner's recovery plan."""

    def __init__(
        self,
        backend: Backend,
        runner_id: str,
        *,
        assessments: AssessmentService,
        journal: JournalService,
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._assessments = assessments
        self._journal = journal

    def start(self, assessment_id: str | None = None, *, start: date | None = None) -> Plan:
        """Start a recovery plan from an assessment (the latest one by default)."""
        # The date first: a bad one is the same answer with or without an assessment.
        backend, runner_id = self._backend, self.runner_id
        today = backend.today(runner_id)
        first_day = start or today
        if first_day > today:
            raise InvalidInput("the plan cannot start in the future", field="start")
        if first_day < today - timedelta(days=MAX_PLAN_AGE_DAYS):
            # Every view walks the plan's days from its start: bounded, so is that walk.
            raise InvalidInput("the plan cannot start more than a year ago", field="start")
        if assessment_id is None:
            latest = self._assessments.history(limit=1)
            if not latest:
                raise NotFound("no assessment yet: run `stridewell assess` first")
            record = latest[0]
        else:
            record = self._assessments.get(assessment_id)
        backend.run(
            lambda store: store.plans.create_plan(
                runner_id=runner_id,
                assessment_id=record.id,
                start_date=first_day,
                created_at=backend.clock(),
                kb_version=record.kb_version,
                report=record.report,
            )
        )
        plan = self.refresh()
        assert plan is not None  # just created
        return plan

    def _active(self) -> StoredPlan | None:
        runner_id = self.runner_id
        return self._backend.cached(  # asked several times a page, and by every page
            runner_id,
            "active plan",
            lambda: self._backend.run(lambda store: store.plans.active_plan(runner_id)),
        )

    def current(self, *, today: date | None = None) -> Plan | None:
        """The active plan as of today, rebuilt from the report and the journal."""
        stored = self._active()
        if stored is None:
            return None
        day = today or self._backend.today(self.runner_id)
        # Built from the report, the journal and the clinician's word: kept until any of
        # them changes, or the day or the time zone does (the days of check-ins and of
        # the episode's start are local days).
        key = ("plan", stored.id, day, self._backend.zone(self.runner_id))
        return self._backend.cached(self.runner_id, key, lambda: self._build(stored, day))

    def assessment_id(self) -> str | None:
        """The assessment the active plan was started from, if there is an active plan."""
        stored = self._active()
        return None if stored is None else stored.assessment_id

    def episode_start(self) -> datetime | None:
        """When the active plan's episode began (see `episode_start`), if there is one."""
        stored = self._active()
        if stored is None:
            return None
        assessed_at = None
        if stored.assessment_id is not None:
            assessment_id, runner_id = stored.assessment_id, self.runner_id
            record = self._backend.run(
                lambda store: store.assessments.get_assessment(assessment_id, runner_id)
            )
            assessed_at = None if record is None else record.created_at
        return episode_start(stored.start_date, assessed_at, self._backend.zone(self.runner_id))

    def require(self, *, today: date | None = None) -> Plan:
        plan = self.current(today=today)
        if plan is None:
            raise NotFound(NO_PLAN)
        return plan

    def _build(self, stored: StoredPlan, today: date) -> Plan:
        from stridewell.contract import Region
        from stridewell.plan.engine import build_plan
        from stridewell.report import TriageReport

        entries = [s.entry for s in self._journal.entries(since=stored.start_date)]
        report = TriageReport.from_json_dict(stored.report)
        locations = None
        assessed_at = None
        duration = None
        if stored.assessment_id is not None:
            assessment_id, runner_id = stored.assessment_id, self.runner_id
            record = self._backend.run(
                lambda store: store.assessments.get_assessment(assessment_id, runner_id)
            )
            if record is not None:
                assessed_at = record.created_at
                regions = record.assessment.get("locations", [])
                locations = [Region(r) for r in regions] if isinstance(regions, list) else None
                duration = record.assessment.get("duration_days")
        from stridewell.service.clinician import latest_decision

        since = episode_start(stored.start_date, assessed_at, self._backend.zone(self.runner_id))
        clinician = latest_decision(self._backend, self.runner_id, since=since)
        return build_plan(
            report, stored.start_date, entries, today, locations=locations, clinician=clinician,
            duration_days=duration if isinstance(duration, int) else None,
        )  # fmt: skip

    def refresh(self) -> Plan | None:
        """Rebuild the active plan and store its days (called after every journal change).
        The rebuilt plan is kept for the pages that follow (the runner's Today, next)."""
        with self._backend.page_reads():
            stored = self._active()
            plan = None if stored is None else self.current()
        # Written after the reads are given back: the write takes a connection of its own.
        if stored is None or plan is None:
            return None
        rows = [
            {
                "day": d.day,
                "day_number": d.day_number,
                "phase": d.phase.value,
                "rule_id": d.rule.id,
                "data": d.model_dump(mode="json"),
            }
            for d in plan.days
        ]
        plan_id, runner_id = stored.id, self.runner_id
        self._backend.run(lambda store: store.plans.replace_plan_days(plan_id, runner_id, rows))
        return plan

    def ics(self) -> bytes:
        """The active plan as an iCalendar file: one all-day event per day with its tasks."""
        from stridewell.export.ics import plan_calendar, recovery_days

        stored = self._active()
        if stored is None:
            raise NotFound(NO_PLAN)
        plan = self._build(stored, self._backend.today(self.runner_id))
        days = recovery_days(plan)  # in the vocabulary's words, the running rule first
        return plan_calendar(stored.id, days, stamp=self._backend.clock())

    def pain_series(self, *, since: date | None = None) -> tuple[list[PainPoint], list[PhaseSpan]]:
        """Worst pain per logged day, and the active plan's phases up to today."""
        today = self._backend.today(self.runner_id)
        points, spans = self._backend.cached(
            self.runner_id, ("pain series", since, today), lambda: self._pain_series(since, today)
        )
        return list(points), list(spans)

    def _pain_series(
        self, since: date | None, today: date
    ) -> tuple[list[PainPoint], list[PhaseSpan]]:
        from stridewell.export.charts import PainPoint, PhaseSpan

        worst: dict[date, int] = {}
        for stored in self._journal.entries(since=since):
            score = stored.entry.worst_pain()
            if score is not None:
                worst[stored.entry.day] = max(score, worst.get(stored.entry.day, 0))
        points = [PainPoint(day, value) for day, value in sorted(worst.items())]
        spans: list[PhaseSpan] = []
        plan = self.current(today=today)
        if plan is not None:
            for d in plan.days:
                if d.day > today:
                    break
                if spans and spans[-1].phase == d.phase.value:
                    spans[-1] = PhaseSpan(d.phase.value, spans[-1].first, d.day)
                else:
                    spans.append(PhaseSpan(d.phase.value, d.day, d.day))
        return points, spans

    def pain_chart(self, path: Path, *, since: date | None = None) -> Path:
        """Worst daily pain against days, with the plan's phases shaded."""
        from stridewell.export.charts import pain_chart

        points, spans = self.pain_series(since=since)
        return pain_chart(points, spans, path)

    def exercises_for(self, day: date | None = None) -> list[tuple[Task, bool]]:
        """The day's prescribed exercises, each with whether it was logged as done."""
        when = day or self._backend.today(self.runner_id)
        plan_day = self.require().day_of(when)
        if plan_day is None:
            return []
        done = {log.exercise_id for log in self._journal.exercise_logs(since=when, until=when)}
        for stored in self._journal.entries(since=when, until=when):
            done.update(stored.entry.exercises_done)
        return [(t, t.exercise_id in done) for t in plan_day.tasks if t.exercise_id]

    def adherence(self, *, weeks: int = 4) -> list[AdherenceWeek]:
        """Per ISO week: exercise sessions prescribed by the plan, done, and the share."""
        plan = self.require()
        today = self._backend.today(self.runner_id)
        first = max(plan.start, week_start(today) - timedelta(weeks=weeks - 1))
        logs = self._journal.exercise_logs(since=first, until=today)
        done_days = {(log.day, log.exercise_id) for log in logs}
        for stored in self._journal.entries(since=first, until=today):
            done_days.update((stored.entry.day, e) for e in stored.entry.exercises_done)
        by_week: dict[date, tuple[int, int]] = {}
        for d in plan.days:
            if not first <= d.day <= today:
                continue
            prescribed, done = by_week.get(week_start(d.day), (0, 0))
            for task in d.tasks:
                if task.exercise_id:
                    prescribed += 1
                    done += (d.day, task.exercise_id) in done_days
            by_week[week_start(d.day)] = (prescribed, done)
        return [
            {
                "week": week.isoformat(),
                "prescribed": prescribed,
                "done": done,
                "adherence_pct": round(100 * done / prescribed) if prescribed else None,
            }
            for week, (prescribed, done) in sorted(by_week.items())
        ]
