"""A runner's six weeks for the handover tests: the dev vignettes plus a made-up history.

The history is built, not stored: runs in the shape of an activity summary, two pairs of
shoes, a pain journal that settles, a recovery plan from the real plan engine and a few
exercise sessions. Every vignette gets the same history, so what differs is the triage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import yaml

from repo_paths import DEV_VIGNETTES
from stridewell.contract import Assessment
from stridewell.handover import HandoverSummary, build_summary
from stridewell.journal.model import ActivityType, ExerciseLog, JournalEntry
from stridewell.plan import build_plan
from stridewell.shoes import Shoe, ShoeType
from stridewell.triage.engine import assess

TODAY = date(2026, 3, 18)  # a Wednesday
ASSESSED_AT = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)
QUESTIONS = [
    "Can I keep cycling while this settles?",
    "Do I need an X-ray or a scan?",
    "When can I race again? I have a half marathon in 9 weeks.",
]


@dataclass(frozen=True)
class Run:
    """The fields of an activity summary the handover reads."""

    start_time: datetime
    sport: str
    sub_sport: str | None
    is_indoor: bool
    distance_m: float
    duration_s: float
    gear: str | None
    shoe_id: str | None = None


@cache
def _dev_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(DEV_VIGNETTES.read_text(encoding="utf-8"))
    return cases


def dev_cases() -> list[dict[str, Any]]:
    return [dict(c) for c in _dev_cases()]


def runs() -> list[Run]:
    """Ten weeks of running up to the assessment, lighter after it; one long-run spike."""
    out: list[Run] = []
    first = TODAY - timedelta(days=70)
    for n in range(71):
        day = first + timedelta(days=n)
        start = datetime(day.year, day.month, day.day, 6, 45, tzinfo=UTC)
        before = day < ASSESSED_AT.date()
        if day.weekday() in (1, 3) and before:
            km, indoor = 8.0 + (n % 3), day.weekday() == 3
            out.append(Run(start, "running", "treadmill" if indoor else None, indoor,
                           km * 1000, km * 330, None, "daily"))  # fmt: skip
        elif day.weekday() == 6 and before:
            # the long run: 14 km for weeks, then 21 km two weekends before the assessment
            km = 21.0 if (ASSESSED_AT.date() - day).days in range(7, 14) else 14.0
            out.append(Run(start, "running", "trail", False, km * 1000, km * 360, None, "trail"))
        elif day.weekday() == 5 and not before:
            out.append(Run(start, "running", None, False, 4000, 1500, None, "daily"))
        elif day.weekday() == 2:
            out.append(Run(start, "cycling", None, False, 25000, 3600, None))
    return out


def shoes() -> list[Shoe]:
    return [
        Shoe(id="daily", brand="Brooks", model="Ghost 15", type=ShoeType.neutral_cushioned,
             started=date(2025, 9, 1), is_default=True, start_km=560.0),
        Shoe(id="trail", brand="Salomon", model="Speedcross 6", nickname="mud",
             started=date(2025, 11, 1)),
    ]  # fmt: skip


def journal() -> list[JournalEntry]:
    entries = []
    for n in range(0, 15):
        day = ASSESSED_AT.date() + timedelta(days=n)
        if n % 4 == 3:
            continue  # a few days without a check-in
        pain = max(1, 6 - n // 3)
        entries.append(
            JournalEntry(
                day=day,
                pain_morning=pain,
                pain_rest=max(0, pain - 3),
                pain_after=pain - 1 if n % 7 == 5 else None,
                activity=ActivityType.walk if n % 2 else ActivityType.rest,
                activity_minutes=30 if n % 2 else None,
            )
        )
    return entries


@cache
def dev_summary(case_id: str) -> HandoverSummary:
    """The summary of a dev vignette with the made-up history, built once per process."""
    return summary_for(next(c for c in dev_cases() if c["id"] == case_id))


def summary_for(case: dict[str, Any], *, with_history: bool = True) -> HandoverSummary:
    assessment = Assessment.model_validate(case["assessment"])
    report = assess(assessment)
    entries = journal() if with_history else []
    plan = None
    logs: list[ExerciseLog] = []
    if with_history:
        plan = build_plan(report, ASSESSED_AT.date(), entries, TODAY,
                          locations=assessment.locations)  # fmt: skip
        exercise_days = [d for d in plan.days if d.status.value != "ahead"]
        for i, day in enumerate(exercise_days):
            ids = [t.exercise_id for t in day.tasks if t.exercise_id]
            if ids and i % 3 != 2:  # two days in three
                logs.append(ExerciseLog(day=day.day, exercise_id=ids[0], sets_done=3))
    return build_summary(
        assessment_id=f"a-{case['id']}",
        assessment=assessment,
        report=report,
        assessed_at=ASSESSED_AT,
        today=TODAY,
        entries=entries,
        runs=runs() if with_history else [],
        shoes=shoes() if with_history else [],
        plan=plan,
        exercise_logs=logs,
        questions=QUESTIONS if with_history else [],
    )
