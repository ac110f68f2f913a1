"""Each calendar says which of Stridewell's plans it is, not "Recovery plan" for all."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from stridewell.export.ics import CalendarDay, plan_calendar, product_id
from stridewell.running import build_running_plan, running_calendar, typed_targets

STAMP = datetime(2026, 11, 30, 8, tzinfo=UTC)
DAYS = [CalendarDay(date(2026, 11, 30), "Rest day", ["Rest"])]


def _prodid(data: bytes) -> str:
    return str(icalendar.Calendar.from_ical(data).get("prodid"))


def test_the_product_id_names_the_calendar_or_the_product_given() -> None:
    assert _prodid(plan_calendar("p", DAYS, stamp=STAMP)) == "-//Stridewell//Stridewell plan//EN"
    named = plan_calendar("p", DAYS, stamp=STAMP, name="My plan", product="Recovery plan")
    assert _prodid(named) == product_id("Recovery plan") == "-//Stridewell//Recovery plan//EN"


def test_the_running_calendar_is_not_called_a_recovery_plan() -> None:
    start = date(2026, 11, 30)
    plan = build_running_plan(start, start, typed_targets(3, 20.0, 8.0))
    prodid = _prodid(running_calendar(plan, "p1", stamp=STAMP))
    assert "running plan" in prodid and "Recovery" not in prodid
