"""iCalendar export of a plan (the recovery plan, the running plan): one all-day event per
plan day.

Built with the maintained `icalendar` library. Event UIDs are stable (plan id + date), so
importing an updated plan again updates the days in a calendar app instead of adding
copies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

if TYPE_CHECKING:
    from stridewell.plan.model import Plan


def product_id(product: str) -> str:
    """The calendar's PRODID (RFC 5545 3.7.3): who made it, and which of its calendars."""
    return f"-//Stridewell//{product}//EN"


@dataclass(frozen=True)
class CalendarDay:
    day: date
    title: str
    lines: list[str] = field(default_factory=list)


def plan_calendar(
    plan_id: str,
    days: Iterable[CalendarDay],
    *,
    stamp: datetime,
    name: str = "Stridewell plan",
    product: str | None = None,
) -> bytes:
    """The plan as an RFC 5545 calendar (bytes, CRLF line endings), named `name`; its
    product id names `product` (the calendar's name unless given)."""
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware")
    calendar = Calendar()
    calendar.add("prodid", product_id(product or name))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in days:
        event = Event()
        event.add("uid", f"{plan_id}-{item.day.isoformat()}@stridewell")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.title)
        event.add("description", "\n".join(f"- {line}" for line in item.lines))
        event.add("transp", "TRANSPARENT")  # a plan day does not block the calendar
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def recovery_days(plan: Plan) -> list[CalendarDay]:
    """The recovery plan's days as calendar events, in the vocabulary's words: the day's
    phase in the title (on a day between runs, what the day is), the plan's one running
    rule first, then the tasks and the why."""
    from stridewell.knowledge.vocabulary import vocabulary
    from stridewell.plan.model import RUNNING_PHASES
    from stridewell.plan.running_rule import running_rule_for_plan

    words = vocabulary()
    running = f"Running: {running_rule_for_plan(plan)}"
    days = []
    for d in plan.days:
        rule = words.rule(d.rule.id)
        title = words.phase(d.phase.value).label
        if d.phase in RUNNING_PHASES and d.run_minutes() is None:
            title = rule.label  # a day between runs is not titled as a run
        days.append(
            CalendarDay(
                d.day,
                f"Stridewell day {d.day_number}: {title}",
                [running]
                + [t.text + (f" ({t.dose})" if t.dose else "") for t in d.tasks]
                + [f"Why: {rule.label}. {d.rule.why}"],
            )
        )
    return days
