"""The plan's reasons name days in plain words ("16 Mar 2026"), never the ISO form a
machine reads ("2026-03-16"): the "why" reaches the today page, the terminal and the
calendar export."""

from __future__ import annotations

import re
from datetime import date

from plan_journals import START, follow, on, plantar_fasciitis, run_day, steady, walk_day

from stridewell.journal.model import CheckIn, JournalEntry
from stridewell.plan.model import ClinicianDecision, Plan, PlanDay
from stridewell.text import day_words

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _said(plan: Plan) -> str:
    """Every reason the plan gives: each day's detail and the referral's reasons."""
    texts = [d.rule.detail for d in plan.days]
    if plan.referral is not None:
        texts += plan.referral.reasons
    return "\n".join(texts)


def test_a_day_reads_as_day_month_and_year_in_words() -> None:
    assert day_words(date(2026, 12, 3)) == "3 Dec 2026"
    assert day_words(date(2026, 12, 3), weekday=True, year=False) == "Thu 3 Dec"
    assert day_words(date(2027, 1, 31), weekday=True) == "Sun 31 Jan 2027"


def test_a_clinicians_no_running_date_reads_as_a_plain_date_in_the_plans_reason() -> None:
    until = on(20)
    clinician = ClinicianDecision(
        condition_id="plantar_fasciitis", restriction="no_running", until=until,
        recorded_on=START, author="Dr Cora",
    )  # fmt: skip
    plan, _ = follow(plantar_fasciitis(), steady, days=22, horizon_days=7, clinician=clinician)
    held = [d for d in plan.days if d.rule.id == "clinician.no_running"]
    assert held
    for day in held:
        assert day.rule.detail == f"no running before {day_words(until)}"
    assert not ISO_DATE.search(_said(plan))


def _relapse_then_numb(n: int, day: PlanDay) -> list[JournalEntry]:
    minutes = day.run_minutes()
    if n == 10 and minutes:  # the first walk-run hurts, then the foot goes numb
        return [run_day(n, minutes, during=6)]
    if n == 12:
        return [walk_day(n, 2, checkin=CheckIn(numbness_tingling=True))]
    return steady(n, day)


def test_the_reasons_for_runs_step_backs_and_a_referral_name_days_in_words() -> None:
    plan, _ = follow(plantar_fasciitis(), steady, days=16)
    runs = [d for d in plan.days if "run on " in d.rule.detail]
    assert runs, "a judged run says which day it was"
    assert day_words(on(8)) in _said(plan)
    stopped, _ = follow(plantar_fasciitis(), _relapse_then_numb, days=14)
    assert stopped.referral is not None
    said = _said(stopped)
    assert f"since {day_words(on(12))}" in said
    assert f"reported on {day_words(on(12))}" in said
    for text in (_said(plan), said):
        assert not ISO_DATE.search(text), ISO_DATE.findall(text)
