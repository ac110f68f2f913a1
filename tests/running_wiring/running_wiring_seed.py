"""A runner at the end of a recovery plan, seeded through the service and the store.

The runner is assessed (plantar fasciitis), starts a recovery plan 85 days before `today`
and follows it: pain fading over the first week, every run comfortable. The check-ins are
worked out day by day from the plan as it stood each morning (as the app would show it),
then written to the store in one go, so the plan need not be rebuilt after each one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from stridewell.contract import Region
from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.plan.engine import build_plan
from stridewell.plan.model import PlanDay
from stridewell.report import TriageReport
from stridewell.service import RunnerServices, Stridewell
from stridewell.storage.repository import Store

RECOVERY_DAYS = 85  # the steady runner's recovery plan reaches its 30-minute run on day 85
HEEL = {
    "locations": ["heel_bottom"],
    "pain_timing": ["first_steps_morning"],
    "onset": "gradual",
    "pain_score": 4,
}
FADING = {1: 6, 2: 5, 3: 4, 4: 3, 5: 2, 6: 1}


def _steady(day: PlanDay, n: int) -> JournalEntry:
    minutes = day.run_minutes()
    if minutes:
        return JournalEntry(
            day=day.day, pain_rest=0, pain_morning=0, activity=ActivityType.run,
            activity_minutes=minutes, pain_during=1, pain_after=1,
        )  # fmt: skip
    pain = FADING.get(n, 0)
    return JournalEntry(
        day=day.day, pain_rest=0, pain_morning=pain, activity=ActivityType.walk, pain_during=pain
    )


def finish_recovery(service: Stridewell, runner: RunnerServices, today: date) -> date:
    """Seed the recovery plan and its journal; returns the plan's first day."""
    first = today - timedelta(days=RECOVERY_DAYS)
    result = runner.assessments.assess(HEEL)
    assert result.id is not None  # saved
    runner.plans.start(result.id, start=first)
    report = TriageReport.from_json_dict(runner.assessments.get(result.id).report)
    entries: list[JournalEntry] = []
    for n in range(1, RECOVERY_DAYS + 1):
        day = first + timedelta(days=n - 1)
        morning = build_plan(report, first, entries, day, 0, locations=[Region.heel_bottom])
        plan_day = morning.day_of(day)
        assert plan_day is not None
        entries.append(_steady(plan_day, n))
    with Store(service.database_url) as store:
        for entry in entries:
            store.journal.add_journal_entry(
                runner_id=runner.runner_id,
                day=entry.day,
                data=entry.model_dump(mode="json"),
                recorded_at=datetime.combine(entry.day, time(20), tzinfo=UTC),
            )
    runner.plans.refresh()
    return first
