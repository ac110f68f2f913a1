"""The one running rule a report or a plan states at its top (words in vocabulary.yaml).

The rule follows the same facts the plan engine follows: the triage level, and whether a
bone stress injury is possible (a bone-stress warning sign, or a bone-stress condition
leading), in which case running waits for a clinician whatever the level. Once the plan
has stopped self-care, running waits for a clinician too. So the report, the plan page,
the CLI and the calendar can never disagree about running.
"""

from __future__ import annotations

from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.levels import Level
from stridewell.plan.model import Phase, Plan
from stridewell.plan.rules import load_plan_rules
from stridewell.report import TriageReport
from stridewell.triage.engine import SORENESS_ID

_BONE_RULES = frozenset({"refer.bone_stress"})
EASY_DAYS_RULE = "phase.easy_days"  # the plan's first days for ordinary training soreness


def bone_stress_possible(report: TriageReport) -> bool:
    """As the plan engine decides it: a bone-stress warning sign, or a bone-stress
    condition leading the ranking."""
    bone = load_plan_rules().bone_stress
    if any(f.id in bone.red_flags for f in report.red_flags):
        return True
    known = {c.id for c in load_knowledge().conditions}
    leading = next((c.id for c in report.conditions if c.id in known), None)
    return leading in bone.conditions


def is_soreness(report: TriageReport) -> bool:
    """Ordinary training soreness leads a self-care report with no bone stress possible:
    a few easy days, not a week off."""
    return (
        report.triage.level is Level.self_care
        and bool(report.conditions)
        and report.conditions[0].id == SORENESS_ID
        and not bone_stress_possible(report)
    )


def running_rule_for_report(report: TriageReport) -> str:
    return vocabulary().running_rule(
        report.triage.level,
        bone_stress=bone_stress_possible(report),
        soreness=is_soreness(report),
    )


def running_rule_for_plan(plan: Plan) -> str:
    """The rule in force today: the report's, or "a clinician first" once self-care has
    stopped or a bone stress injury is possible."""
    words = vocabulary()
    referral = plan.referral
    stopped = plan.phase is Phase.see_clinician
    bone = referral is not None and referral.rule in _BONE_RULES
    if stopped and plan.level.rank < Level.urgent.rank:
        return words.running_rule(Level.urgent)
    soreness = any(d.rule.id == EASY_DAYS_RULE for d in plan.days)
    return words.running_rule(plan.level, bone_stress=bone, soreness=soreness and not stopped)


__all__ = [
    "EASY_DAYS_RULE",
    "bone_stress_possible",
    "is_soreness",
    "running_rule_for_plan",
    "running_rule_for_report",
]
