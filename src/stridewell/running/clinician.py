"""The running plan under a clinician's word: their running restriction wins over the
runner's own targets and start day, and the plan says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from stridewell.plan.model import ClinicianDecision
from stridewell.running.model import Reason, Targets
from stridewell.running.rules import RunningRules

# The furthest a clinician's "no running until" can move the start: notes are refused
# beyond a year (service/clinician.py), and one stored earlier must not push the plan's
# days past what a calendar can hold.
MAX_HOLD_DAYS = 366


@dataclass(frozen=True, slots=True)
class Restricted:
    """Where the plan starts, and why, if a clinician changed it; `reduced` is what it
    builds up to under a clinician's reduced running (the runner's own targets stay as
    they are, so the reduction is never applied twice)."""

    start: date
    reduced: Targets | None
    reason: Reason | None


def follow_clinician(
    start: date,
    targets: Targets,
    decision: ClinicianDecision | None,
    rules: RunningRules,
    *,
    reduced_pct: int,
) -> Restricted:
    """`no_running` until a day moves the start to that day; `reduced` scales the targets
    to `reduced_pct` % (the recovery plan's figure for a clinician's reduced running)."""
    if decision is None or decision.restriction == "none":
        return Restricted(start, None, None)
    if decision.restriction == "no_running":
        until = min(decision.until or start, start + timedelta(days=MAX_HOLD_DAYS))
        if until <= start:
            return Restricted(start, None, None)
        reason = _reason(rules, "clinician.no_running", author=decision.author, until=until)
        return Restricted(until, None, reason)
    weekly = max(0.1, round(targets.weekly_km * reduced_pct / 100, 1))
    long_run = min(weekly, max(0.1, round(targets.long_run_km * reduced_pct / 100, 1)))
    reason = _reason(
        rules,
        "clinician.reduced",
        author=decision.author,
        pct=reduced_pct,
        weekly=weekly,
        long=long_run,
    )
    scaled = Targets.model_validate(
        {**targets.model_dump(), "weekly_km": weekly, "long_run_km": long_run, "method": reason}
    )
    return Restricted(start, scaled, reason)


def _reason(rules: RunningRules, text_id: str, **values: object) -> Reason:
    return Reason(id=text_id, text=rules.say(text_id, **values), sources=rules.sources(text_id))
