"""The pain gate: how each run went, judged by the recovery plan's own rules.

Nothing is re-implemented here: the recovery plan's `Signals` (plan/signals.py) judges a
run on the pain-monitoring model with the thresholds of plan.yaml, spots morning pain
creeping up, pain at rest coming back, and warning signs in a check-in. This module only
feeds it the runs imported from a watch (as journal runs without scores, so a run counts
as done even if it was never typed in) and maps its verdicts to the running plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from stridewell.contract import Region
from stridewell.journal.model import ActivityType, JournalEntry
from stridewell.knowledge.loader import load_knowledge
from stridewell.plan.rules import Limits, load_plan_rules
from stridewell.plan.signals import Outcome, Signals
from stridewell.running.model import DoneRun
from stridewell.triage.engine import compiled

# How far back the journal is read before the plan's first day: the morning before the
# first run and the week of morning pain behind the first judgement.
JOURNAL_LEAD_DAYS = 14
MAX_JOURNAL_MINUTES = 600


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    projected: bool
    detail: str


@dataclass(frozen=True, slots=True)
class WarningSigns:
    day: date
    names: tuple[str, ...]


class PainGate:
    """The recovery plan's checks over the journal (plus imported runs), up to `today`."""

    def __init__(
        self,
        entries: Sequence[JournalEntry],
        runs: Sequence[DoneRun],
        start: date,
        today: date,
        *,
        locations: Sequence[Region],
        known_flags: frozenset[str] = frozenset(),
        limits: Limits | None = None,
        no_scores_is_fine: bool = False,
    ) -> None:
        self.limits = limits or load_plan_rules().limits
        self.today = today
        self.locations = list(locations)
        self.known_flags = set(known_flags)
        # A runner without pain who logs nothing after a run has reported no pain.
        self.no_scores_is_fine = no_scores_is_fine
        logged = {e.day for e in entries if e.activity is ActivityType.run}
        imported = [
            JournalEntry(
                day=r.day,
                activity=ActivityType.run,
                activity_minutes=min(MAX_JOURNAL_MINUTES, max(1, round(r.minutes))),
            )
            for r in runs
            if r.day not in logged and r.source == "import"
        ]
        self.signals = Signals(
            [*entries, *imported], start - timedelta(days=JOURNAL_LEAD_DAYS), today, self.limits
        )
        self._ck = compiled(load_knowledge())

    def known(self, day: date) -> bool:
        return day <= self.today

    def judge(self, run_day: date, planned_minutes: int) -> Verdict:
        """How the run planned on `run_day` went (advance, hold, step back...)."""
        verdict = self.signals.run_verdict(run_day, planned_minutes, test=False)
        outcome = verdict.outcome
        if outcome is Outcome.no_data and self.no_scores_is_fine:
            outcome = Outcome.advance
        return Verdict(outcome, verdict.projected, verdict.detail)

    def pain_rising(self, before: date) -> str | None:
        return self.signals.pain_rising(before)

    def rest_pain(self, on: date) -> str | None:
        return self.signals.rest_pain_persisting(on)

    def new_warning_signs(self, on: date) -> WarningSigns | None:
        """Warning signs in the check-ins of `on` that the runner had not reported before."""
        if not self.known(on):
            return None
        # Without an assessed place (prevention mode) there is no right place to judge a
        # check-in at: each region is tried on its own, and a sign found at any counts.
        places = [self.locations] if self.locations else [[region] for region in Region]
        found = {
            h.flag.id: h
            for where in places
            for h in self.signals.checkin_red_flags(on, self._ck, where)
        }
        ranked = sorted(found.values(), key=lambda h: -h.flag.level.rank)
        hits = [h for h in ranked if h.flag.id not in self.known_flags]
        if not hits:
            return None
        self.known_flags.update(h.flag.id for h in hits)
        return WarningSigns(on, tuple(h.flag.name for h in hits))
