"""Ordinary training soreness gets a few easy days, not a week off (review 12, A3): the
report's running rule, the plan's first days and the self-care list all say the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from stridewell.knowledge.vocabulary import vocabulary
from stridewell.levels import Level
from stridewell.plan.engine import build_plan
from stridewell.plan.model import Phase
from stridewell.plan.running_rule import running_rule_for_plan, running_rule_for_report
from stridewell.service import Stridewell
from stridewell.triage.engine import SORENESS_ID
from stridewell.web.report_view import report_view

SORE_ARCHES = {
    "side": "both", "age": 32, "pain_score": 2, "locations": ["arch"], "onset": "gradual",
    "duration_days": 2, "trend": "improving", "pain_timing": ["after_run"],
    "pain_quality": ["dull_ache"], "history": {"new_shoes": True},
}  # fmt: skip
HEEL_THREE_WEEKS = {
    "age": 46, "pain_score": 6, "locations": ["heel_bottom"], "onset": "gradual",
    "duration_days": 21, "trend": "unchanged",
    "pain_timing": ["first_steps_morning", "after_rest", "eases_with_warmup"],
    "pain_quality": ["sharp"],
}  # fmt: skip
START = date(2026, 11, 2)


def _triage(data: dict[str, Any]) -> Any:
    return Stridewell().triage(data)


def test_a_soreness_report_asks_for_a_few_easy_days_not_a_week_off() -> None:
    report = _triage(SORE_ARCHES)
    assert report.conditions[0].id == SORENESS_ID
    assert report.triage.level is Level.self_care
    rule = running_rule_for_report(report)
    assert rule == vocabulary().data.soreness_running
    assert "first week" not in rule and "three days" in rule and "gradually" in rule


def test_other_self_care_reports_keep_the_week_without_running() -> None:
    report = _triage(dict(HEEL_THREE_WEEKS, pain_score=3, trend="improving"))
    assert report.conditions[0].id != SORENESS_ID
    assert "first week" in running_rule_for_report(report)


def test_the_soreness_plan_eases_three_days_then_lets_the_pain_free_test_decide() -> None:
    report = _triage(SORE_ARCHES)
    plan = build_plan(report, START, [], START, duration_days=2)
    assert running_rule_for_plan(plan) == running_rule_for_report(report)
    assert [d.phase for d in plan.days[:3]] == [Phase.protect] * 3
    assert all(d.run_minutes() is None for d in plan.days[:3])
    assert plan.days[3].phase is not Phase.protect  # day 4: the way back may start
    assert plan.days[4].phase is Phase.test_jog  # the first run day after the easy days
    assert plan.days[4].run_minutes() is not None


def test_the_soreness_self_care_leaves_out_the_long_term_measures() -> None:
    report = _triage(SORE_ARCHES)
    shown = " ".join(report_view(report, SORE_ARCHES).self_care).lower()
    for long_term in ("night splint", "taping", "cold pack"):
        assert long_term not in shown, long_term
