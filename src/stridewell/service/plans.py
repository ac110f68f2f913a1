"""The recovery plan: started from a stored assessment, rebuilt from the journal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from stridewell.errors import InvalidInput, NotFound
from stridewell.service.recovery import week_start
from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from pathlib import Path

    from stridewell.export.charts import PainPoint, PhaseSpan
    from stridewell.journal.model import StoredEntry
    from stridewell.journal.trend import Trend
    from stridewell.plan.model import Plan, Task
    from stridewell.storage.records import StoredExerciseLog
    from stridewell.storage.repository import Store


class PlanMixin:
    """The recovery plan: started from a stored assessment, rebuilt from the journal."""

    if TYPE_CHECKING:  # provided by Stridewell and RecoveryMixin
        clock: Callable[[], datetime]

        @property
        def store(self) -> Store: ...

        def today(self) -> date: ...

        def _with_schema(self, action: Callable[[], Any]) -> Any: ...

        def journal(
            self, *, since: date | None = None, until: date | None = None, runner_id: str = ...
        ) -> list[StoredEntry]: ...

        def history(self, runner_id: str = ..., limit: int = ..., offset: int = ...) -> Any: ...

        def get_assessment(self, assessment_id: str, runner_id: str = ...) -> Any: ...

        def exercise_logs(
            self, *, since: date | None = None, until: date | None = None, runner_id: str = ...
        ) -> list[StoredExerciseLog]: ...

    def start_plan(
        self,
        assessment_id: str | None = None,
        *,
        start: date | None = None,
        runner_id: str = LOCAL_RUNNER_ID,
    ) -> Plan:
        """Start a recovery plan from an assessment (the latest one by default)."""
        if assessment_id is None:
            latest = self.history(runner_id=runner_id, limit=1)
            if not latest:
                raise NotFound("no assessment yet: run `stridewell assess` first")
            record = latest[0]
        else:
            record = self.get_assessment(assessment_id, runner_id)
        first_day = start or self.today()
        if first_day > self.today():
            raise InvalidInput("the plan cannot start in the future", field="start")
        self._with_schema(
            lambda: self.store.create_plan(
                runner_id=runner_id,
                assessment_id=record.id,
                start_date=first_day,
                created_at=self.clock(),
                kb_version=record.kb_version,
                report=record.report,
            )
        )
        plan = self.refresh_plan(runner_id=runner_id)
        assert plan is not None  # just created
        return plan

    def current_plan(
        self, *, today: date | None = None, runner_id: str = LOCAL_RUNNER_ID
    ) -> Plan | None:
        """The active plan as of today, rebuilt from the report and the journal."""
        stored = self._with_schema(lambda: self.store.active_plan(runner_id))
        if stored is None:
            return None
        return self._build(stored, today or self.today(), runner_id)[1]

    def plan_assessment_id(self, *, runner_id: str = LOCAL_RUNNER_ID) -> str | None:
        """The assessment the active plan was started from, if there is an active plan."""
        stored = self._with_schema(lambda: self.store.active_plan(runner_id))
        return None if stored is None or stored.assessment_id is None else str(stored.assessment_id)

    def require_plan(self, *, today: date | None = None, runner_id: str = LOCAL_RUNNER_ID) -> Plan:
        plan = self.current_plan(today=today, runner_id=runner_id)
        if plan is None:
            raise NotFound("no recovery plan yet: start one with `stridewell plan --start`")
        return plan

    def _build(self, stored: Any, today: date, runner_id: str) -> tuple[str, Plan]:
        from stridewell.contract import Region
        from stridewell.plan.engine import build_plan
        from stridewell.report import TriageReport

        entries = [s.entry for s in self.journal(since=stored.start_date, runner_id=runner_id)]
        report = TriageReport.from_json_dict(stored.report)
        locations = None
        if stored.assessment_id is not None:
            record = self._with_schema(
                lambda: self.store.get_assessment(stored.assessment_id, runner_id)
            )
            if record is not None:
                locations = [Region(r) for r in record.assessment.get("locations", [])]
        plan = build_plan(report, stored.start_date, entries, today, locations=locations)
        return stored.id, plan

    def refresh_plan(self, *, runner_id: str = LOCAL_RUNNER_ID) -> Plan | None:
        """Rebuild the active plan and store its days (called after every journal change)."""
        stored = self._with_schema(lambda: self.store.active_plan(runner_id))
        if stored is None:
            return None
        plan_id, plan = self._build(stored, self.today(), runner_id)
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
        self._with_schema(lambda: self.store.replace_plan_days(plan_id, runner_id, rows))
        return plan

    def pain_trend(self, *, runner_id: str = LOCAL_RUNNER_ID) -> Trend:
        from stridewell.journal.trend import pain_trend

        today = self.today()
        entries = self.journal(since=today - timedelta(days=27), runner_id=runner_id)
        return pain_trend([s.entry for s in entries], today)

    def plan_ics(self, *, runner_id: str = LOCAL_RUNNER_ID) -> bytes:
        """The active plan as an iCalendar file: one all-day event per day with its tasks."""
        from stridewell.export.ics import CalendarDay, plan_calendar

        stored = self._with_schema(lambda: self.store.active_plan(runner_id))
        if stored is None:
            raise NotFound("no recovery plan yet: start one with `stridewell plan --start`")
        plan_id, plan = self._build(stored, self.today(), runner_id)
        days = [
            CalendarDay(
                d.day,
                f"Stridewell day {d.day_number}: {d.phase.value.replace('_', ' ')}",
                [t.text + (f" ({t.dose})" if t.dose else "") for t in d.tasks]
                + [f"Why: {d.rule.why}"],
            )
            for d in plan.days
        ]
        return plan_calendar(plan_id, days, stamp=self.clock())

    def pain_series(
        self, *, since: date | None = None, runner_id: str = LOCAL_RUNNER_ID
    ) -> tuple[list[PainPoint], list[PhaseSpan]]:
        """Worst pain per logged day, and the active plan's phases up to today."""
        from stridewell.export.charts import PainPoint, PhaseSpan

        worst: dict[date, int] = {}
        for stored in self.journal(since=since, runner_id=runner_id):
            score = stored.entry.worst_pain()
            if score is not None:
                worst[stored.entry.day] = max(score, worst.get(stored.entry.day, 0))
        points = [PainPoint(day, value) for day, value in sorted(worst.items())]
        spans: list[PhaseSpan] = []
        plan = self.current_plan(runner_id=runner_id)
        if plan is not None:
            for d in plan.days:
                if d.day > self.today():
                    break
                if spans and spans[-1].phase == d.phase.value:
                    spans[-1] = PhaseSpan(d.phase.value, spans[-1].first, d.day)
                else:
                    spans.append(PhaseSpan(d.phase.value, d.day, d.day))
        return points, spans

    def pain_chart(
        self, path: Path, *, since: date | None = None, runner_id: str = LOCAL_RUNNER_ID
    ) -> Path:
        """Worst daily pain against days, with the plan's phases shaded."""
        from stridewell.export.charts import pain_chart

        points, spans = self.pain_series(since=since, runner_id=runner_id)
        return pain_chart(points, spans, path)

    def exercises_for(
        self, day: date | None = None, *, runner_id: str = LOCAL_RUNNER_ID
    ) -> list[tuple[Task, bool]]:
        """The day's prescribed exercises, each with whether it was logged as done."""
        when = day or self.today()
        plan = self.require_plan(runner_id=runner_id)
        plan_day = plan.day_of(when)
        if plan_day is None:
            return []
        done = {
            log.exercise_id
            for log in self.exercise_logs(since=when, until=when, runner_id=runner_id)
        }
        for stored in self.journal(since=when, until=when, runner_id=runner_id):
            done.update(stored.entry.exercises_done)
        return [(t, t.exercise_id in done) for t in plan_day.tasks if t.exercise_id]

    def adherence(
        self, *, weeks: int = 4, runner_id: str = LOCAL_RUNNER_ID
    ) -> list[dict[str, Any]]:
        """Per ISO week: exercise sessions prescribed by the plan, done, and the share."""
        plan = self.require_plan(runner_id=runner_id)
        today = self.today()
        first = max(plan.start, week_start(today) - timedelta(weeks=weeks - 1))
        logs = self.exercise_logs(since=first, until=today, runner_id=runner_id)
        done_days = {(log.day, log.exercise_id) for log in logs}
        for stored in self.journal(since=first, until=today, runner_id=runner_id):
            done_days.update((stored.entry.day, e) for e in stored.entry.exercises_done)
        by_week: dict[date, dict[str, int]] = {}
        for d in plan.days:
            if not first <= d.day <= today:
                continue
            week = by_week.setdefault(week_start(d.day), {"prescribed": 0, "done": 0})
            for task in d.tasks:
                if task.exercise_id:
                    week["prescribed"] += 1
                    week["done"] += (d.day, task.exercise_id) in done_days
        return [
            {
                "week": week.isoformat(),
                **counts,
                "adherence_pct": round(100 * counts["done"] / counts["prescribed"])
                if counts["prescribed"]
                else None,
            }
            for week, counts in sorted(by_week.items())
        ]
