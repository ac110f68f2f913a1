"""What the journal says, day by day: the signals the plan engine reacts to. Pure.

Several check-ins a day are folded into one day (the highest score of each kind, the
minutes of all runs), so the order of entries never changes a plan. Days after `today`
have no journal yet: questions about them answer "not known yet", and the engine lays
those days out as if every check passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from stridewell.contract import Assessment, Region
from stridewell.journal.model import ActivityType, CheckIn, JournalEntry
from stridewell.journal.trend import TrendDirection, daily_scores, pain_trend
from stridewell.knowledge.rules import facts_of
from stridewell.plan.rules import Limits
from stridewell.text import day_words
from stridewell.triage.scoring import CompiledKnowledge, RedFlagHit

_CHECKIN_FIELDS = tuple(CheckIn.model_fields)


def _highest(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


@dataclass(frozen=True, slots=True)
class JournalDay:
    day: date
    rest: int | None
    morning: int | None
    walking: int | None  # pain during a walk (the check-in's activity was walking)
    run_logged: bool
    run_minutes: int
    run_during: int | None
    entries: tuple[JournalEntry, ...]


def fold_days(entries: Iterable[JournalEntry], start: date, today: date) -> dict[date, JournalDay]:
    """The journal from `start` to `today`, one folded record per day with check-ins."""
    by_day: dict[date, list[JournalEntry]] = {}
    for entry in entries:
        if start <= entry.day <= today:
            by_day.setdefault(entry.day, []).append(entry)
    days = {}
    for day, group in by_day.items():
        runs = [e for e in group if e.activity is ActivityType.run]
        walks = [e for e in group if e.activity is ActivityType.walk]
        days[day] = JournalDay(
            day=day,
            rest=_highest(e.pain_rest for e in group),
            morning=_highest(e.pain_morning for e in group),
            walking=_highest(e.pain_during for e in walks),
            run_logged=bool(runs),
            run_minutes=sum(e.activity_minutes or 0 for e in runs),
            run_during=_highest(e.pain_during for e in runs),
            entries=tuple(group),
        )
    return days


class Outcome(StrEnum):
    advance = "advance"
    hold = "hold"
    step_back = "step_back"
    no_data = "no_data"
    not_done = "not_done"


@dataclass(frozen=True, slots=True)
class RunVerdict:
    outcome: Outcome
    projected: bool  # decided without the journal (the days are still ahead)
    detail: str


class Signals:
    """Questions the engine asks of the journal, answered only from days up to `today`."""

    def __init__(
        self, entries: Sequence[JournalEntry], start: date, today: date, limits: Limits
    ) -> None:
        self.start, self.today, self.limits = start, today, limits
        self.entries = [e for e in entries if start <= e.day <= today]
        self.days = fold_days(self.entries, start, today)

    def known(self, day: date) -> bool:
        return day <= self.today

    def _scored_before(self, before: date) -> list[JournalDay]:
        return sorted(
            (
                d
                for d in self.days.values()
                if d.day < before and (d.rest, d.morning, d.walking) != (None, None, None)
            ),
            key=lambda d: d.day,
        )

    def ready(self, before: date) -> tuple[bool, str]:
        """Pain gone at rest and (nearly) gone when walking, on the latest days logged."""
        lim = self.limits
        recent = self._scored_before(before)[-lim.ready_days :]
        window_start = before - timedelta(days=lim.ready_days + 1)
        if len(recent) < lim.ready_days or recent[0].day < window_start:
            return False, f"needs {lim.ready_days} recent days with pain scores in the journal"
        for d in recent:
            walking = _highest([d.morning, d.walking])
            if d.rest is None or d.rest > lim.ready_rest_max:
                return False, f"{day_words(d.day)}: pain at rest {_show(d.rest)}"
            if walking is None or walking > lim.ready_walking_max:
                return False, f"{day_words(d.day)}: first steps or walking {_show(walking)}"
        return True, "; ".join(
            f"{day_words(d.day)}: rest {d.rest}, walking {_highest([d.morning, d.walking])}"
            for d in recent
        )

    def _baseline_morning(self, run_day: date) -> int:
        # The morning before the run is the baseline; without one, the most recent of the
        # three days before; without any, 0 (so any morning pain after a run counts as new).
        for back in range(4):
            d = self.days.get(run_day - timedelta(days=back))
            if d is not None and d.morning is not None:
                return d.morning
        return 0

    def run_verdict(self, run_day: date, planned: int, test: bool) -> RunVerdict:
        """How a scheduled run went, on the pain-monitoring model (Silbernagel 2007)."""
        lim = self.limits
        if not self.known(run_day):
            return RunVerdict(Outcome.advance, True, "")
        d = self.days.get(run_day)
        if d is None or not d.run_logged:
            if run_day == self.today:  # today's run may still happen
                return RunVerdict(Outcome.advance, True, "")
            return RunVerdict(Outcome.not_done, False, f"no run logged on {day_words(run_day)}")
        during = d.run_during
        limit = lim.test_jog_pain_max if test else lim.acceptable_pain_during
        parts = [
            f"run on {day_words(run_day)}: {d.run_minutes} of {planned} min,"
            f" pain during {_show(during)}"
        ]
        stopped = d.run_minutes < planned and during is not None and during >= lim.stopped_pain_min
        if stopped:
            parts.append("cut short with pain")
        if (during is not None and during > lim.acceptable_pain_during) or stopped:
            return RunVerdict(Outcome.step_back, False, "; ".join(parts))
        next_day = run_day + timedelta(days=1)
        if not self.known(next_day):
            ok = during is None or during <= limit
            return RunVerdict(Outcome.advance if ok else Outcome.hold, True, "; ".join(parts))
        following = self.days.get(next_day)
        morning = following.morning if following is not None else None
        baseline = self._baseline_morning(run_day)
        parts.append(f"next morning {_show(morning)} (before: {baseline})")
        detail = "; ".join(parts)
        if morning is not None and morning - baseline >= lim.morning_rise_step_back:
            return RunVerdict(Outcome.step_back, False, detail)
        if during is None or morning is None:
            return RunVerdict(Outcome.no_data, False, detail)
        if during <= limit and morning <= baseline:
            return RunVerdict(Outcome.advance, False, detail)
        return RunVerdict(Outcome.hold, False, detail)

    def pain_rising(self, before: date) -> str | None:
        """Morning pain creeping up over the last week (the model's week-to-week check)."""
        last = before - timedelta(days=1)
        if not self.known(last):
            return None
        lim = self.limits
        trend = pain_trend(
            self.entries, last, lim.trend_window_days, measure="morning",
            threshold=lim.trend_threshold, min_days=lim.trend_min_days,
        )  # fmt: skip
        if trend.direction is not TrendDirection.worsening:
            return None
        # A slope alone is too jumpy at the bottom of the scale (0 to 1 is not a relapse):
        # the latest morning must also be clearly above the week's lowest.
        low = min(p.pain for p in trend.points)
        latest = trend.points[-1].pain
        if latest - low < lim.morning_rise_step_back:
            return None
        return f"morning pain slope {trend.slope:+} points a day, from {low} to {latest}"

    def rest_pain_persisting(self, on: date) -> str | None:
        lim = self.limits
        first = self.start + timedelta(days=lim.rest_pain_from_day - 1)
        rests = sorted((d.day, d.rest) for d in self.days.values() if d.rest is not None)
        recent = [(day, r) for day, r in rests if day <= on][-lim.rest_pain_days :]
        if len(recent) < lim.rest_pain_days or recent[0][0] < first:
            return None
        if all(r >= lim.rest_pain_min for _, r in recent):
            return "pain at rest " + ", ".join(f"{r}/10 on {day_words(day)}" for day, r in recent)
        return None

    def not_improving(self, on: date) -> str | None:
        """No improvement: the trend is not falling and the pain is not clearly lower than
        on the first days. Too few days logged cannot show either, so it does not refer
        (the slow-recovery rule catches a journal left empty)."""
        lim = self.limits
        upto = [e for e in self.entries if e.day <= on]
        scores = daily_scores(upto)
        if len(scores) < 2 * lim.trend_min_days:
            return None
        trend = pain_trend(
            upto, on, lim.trend_window_days, threshold=lim.trend_threshold,
            min_days=lim.trend_min_days,
        )  # fmt: skip
        if trend.direction is TrendDirection.improving:
            return None
        ordered = [scores[d] for d in sorted(scores)]
        early = sum(ordered[: lim.trend_min_days]) / lim.trend_min_days
        recent = sum(ordered[-lim.trend_min_days :]) / lim.trend_min_days
        if recent <= lim.recovered_pain_max or early - recent >= lim.improvement_min_drop:
            return None
        return (
            f"pain trend {trend.direction.value} (slope {trend.slope} points a day); average "
            f"worst pain {early:.1f} on the first days logged, {recent:.1f} on the latest"
        )

    def checkin_red_flags(
        self, on: date, ck: CompiledKnowledge, locations: Sequence[Region]
    ) -> list[RedFlagHit]:
        """Red flags of the knowledge base that fire on a check-in of this day.

        Each check-in is judged on its own, as a small assessment: its warning-sign answers
        and swelling, at the report's locations (the red-flag rules need a location)."""
        d = self.days.get(on)
        if d is None:
            return []
        hits: dict[str, RedFlagHit] = {}
        for entry in d.entries:
            answers = {f: getattr(entry.checkin, f) for f in _CHECKIN_FIELDS}
            answers = {k: v for k, v in answers.items() if v is not None}
            if entry.swelling is not None:
                answers["swelling"] = entry.swelling
            if not answers:
                continue
            facts = facts_of(Assessment(locations=list(locations), **answers))
            for hit in ck.red_flag_hits(facts):
                hits.setdefault(hit.flag.id, hit)
        order = {f.model.id: i for i, f in enumerate(ck.red_flags)}
        return sorted(hits.values(), key=lambda h: (-h.flag.level.rank, order[h.flag.id]))


def _show(value: int | None) -> str:
    return "not logged" if value is None else f"{value}/10"
