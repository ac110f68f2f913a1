"""The running plan as an iCalendar file, through the recovery plan's export helper
(`export/ics.py`): one all-day event per day with a run, strength or cross-training."""

from __future__ import annotations

from datetime import datetime

from stridewell.export.ics import CalendarDay, plan_calendar
from stridewell.running.model import RunDay, RunningPlan, SessionKind
from stridewell.running.rules import RunningRules, load_running_rules


def _title(day: RunDay, rules: RunningRules) -> str:
    if day.run is not None:
        return rules.title(day.run.kind.value, day.run.km)
    kinds = [s.kind.value for s in day.sessions] or [SessionKind.rest.value]
    return rules.title(kinds[0])


def _lines(day: RunDay) -> list[str]:
    lines = [day.run.text] if day.run is not None else []
    if day.run is not None and day.run.shoe is not None:
        lines.append(day.run.shoe.text)
        if day.run.shoe.warning:
            lines.append(day.run.shoe.warning)
    lines += [s.text for s in day.sessions]
    lines += [r.text for r in day.reasons]
    return lines


def running_calendar(
    plan: RunningPlan, plan_id: str, *, stamp: datetime, rules: RunningRules | None = None
) -> bytes:
    """RFC 5545 bytes; event UIDs are stable per plan and day, so a re-import updates."""
    rules = rules or load_running_rules()
    days = [
        CalendarDay(day.day, _title(day, rules), _lines(day))
        for day in plan.days()
        if day.run is not None or any(s.kind is not SessionKind.rest for s in day.sessions)
    ]
    return plan_calendar(f"run-{plan_id}", days, stamp=stamp, name="Stridewell running plan")
