"""The recovery plan: phases and tasks from the triage report, adapted to the pain journal.

`build_plan(report, start, entries, today)` is pure domain code (no I/O, no clock); the
rules, doses and thresholds live in `knowledge/data/plan.yaml`.
"""

from stridewell.plan.engine import build_plan
from stridewell.plan.model import (
    DayRule,
    DayStatus,
    Phase,
    Plan,
    PlanDay,
    Referral,
    Task,
    TaskKind,
)
from stridewell.plan.rules import PlanRules, load_plan_rules

__all__ = [
    "DayRule",
    "DayStatus",
    "Phase",
    "Plan",
    "PlanDay",
    "PlanRules",
    "Referral",
    "Task",
    "TaskKind",
    "build_plan",
    "load_plan_rules",
]
