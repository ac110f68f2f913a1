"""Warnings and information about training load, each with the numbers behind it.

Only the single-run spike is a *warning*: it is the load measure the 2025 cohort of 5,205
runners linked to injury. The acute:chronic ratio and the weekly change are *information*:
useful to see, but in that study neither predicted injury, so they never gate anything.
Running in two or more pairs of shoes is noted in the runner's favour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np

from stridewell.load.metrics import CHRONIC_DAYS, LoadMetrics, load_metrics
from stridewell.load.runlog import RunLog, day_date, day_number
from stridewell.load.spikes import BAND_TEXT, HAZARD_RATIOS
from stridewell.text import day_words

Level = Literal["warning", "info", "favourable"]
# Who reads the notes: the runner ("your run") or their coach ("their run").
Reader = Literal["runner", "coach"]
Number = float | int | str | None

SPIKE_SOURCE = "single_session_spike_2025"
ROTATION_DAYS = 28


@dataclass(frozen=True)
class Voice:
    """The words that change with the reader."""

    subject: str  # "you" / "they"
    possessive: str  # "your" / "their"
    has_done: str  # "you have done" / "they have done"

    @staticmethod
    def of(reader: Reader) -> Voice:
        if reader == "coach":
            return Voice("they", "their", "they have done")
        return Voice("you", "your", "you have done")


def week_words(label: str) -> str:
    """'week of 9 Mar' for an ISO week label such as '2026-W11' (the label if not one)."""
    try:
        year, week = label.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return f"week {label}"
    return f"week of {day_words(monday, year=False)}"


@dataclass(frozen=True)
class Note:
    """One warning, piece of information or point in the runner's favour."""

    kind: str
    level: Level
    text: str
    numbers: dict[str, Number] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "level": self.level,
            "text": self.text,
            "numbers": dict(self.numbers),
            "sources": list(self.sources),
        }


def until(log: RunLog, day: date) -> RunLog:
    """The rows of `log` up to and including `day` (nothing after 'today' counts)."""
    keep = np.flatnonzero(log.day <= day_number(day))
    if keep.shape[0] == len(log):
        return log
    return RunLog(
        day=log.day[keep],
        distance_km=log.distance_km[keep],
        duration_s=log.duration_s[keep],
        is_run=log.is_run[keep],
        treadmill=log.treadmill[keep],
        shoe=log.shoe[keep],
        shoe_ids=log.shoe_ids,
        runner=log.runner[keep],
        n_runners=log.n_runners,
        order=log.order[keep],
    )


def warnings(
    log: RunLog,
    today: date,
    *,
    spike_days: int = 14,
    recorded_through: date | None = None,
    reader: Reader = "runner",
) -> list[Note]:
    """Load notes for one runner as of `today`: spikes of the last `spike_days` days first,
    then the ratio and weekly change as information, then shoe rotation; worded for the
    runner, or for their coach."""
    voice = Voice.of(reader)
    log = until(log, today)
    start = today - timedelta(days=max(spike_days, 35) - 1)
    metrics = load_metrics(log, start, today, recorded_through=recorded_through)
    notes = spike_notes(metrics, today, spike_days, voice)
    notes.append(ratio_note(metrics, voice))
    weekly = weekly_change_note(metrics)
    if weekly is not None:
        notes.append(weekly)
    rotation = rotation_note(log, today, voice)
    if rotation is not None:
        notes.append(rotation)
    return notes


def spike_notes(
    metrics: LoadMetrics, today: date, days: int, voice: Voice = Voice.of("runner")
) -> list[Note]:
    """A warning for every run of the last `days` days more than 10 % over its baseline."""
    s = metrics.spikes
    since = day_number(today) - days + 1
    notes = []
    for i in range(len(s)):
        band = s.band_name(i)
        if band is None or band == "up_to_10" or int(s.day[i]) < since:
            continue
        km, base, pct = float(s.km[i]), float(s.previous_longest_km[i]), float(s.pct[i])
        when = day_date(int(s.day[i])).isoformat()
        hazard = HAZARD_RATIOS[band]
        own = voice.possessive
        advice = (
            "Keep your next long runs close to what you have done recently."
            if voice.subject == "you"
            else "Their next long runs are best kept close to what they have done recently."
        )
        text = (
            f"{own.capitalize()} run on {_day_words(when)} was {km:.1f} km, {pct:.0f} % longer than"
            f" {own} longest run of the previous 30 days ({base:.1f} km). In a 2025 study of"
            f" 5,205 runners, a single run {BAND_TEXT[band]} longer than the longest of the"
            f" month before went with {hazard:.2f} times the rate of overuse injury of runs"
            f" within 10 %. {advice}"
        )
        numbers: dict[str, Number] = {
            "date": when,
            "km": round(km, 2),
            "previous_longest_km": round(base, 2),
            "pct": round(pct, 1),
            "band": band,
            "hazard_ratio": hazard,
        }
        notes.append(Note("single_run_spike", "warning", text, numbers, (SPIKE_SOURCE,)))
    return notes


def ratio_note(metrics: LoadMetrics, voice: Voice = Voice.of("runner")) -> Note:
    """The acute:chronic ratio on the last day it can be computed, as information."""
    sources = ("acwr_gabbett_2016", SPIKE_SOURCE)
    valid = np.flatnonzero(~np.isnan(metrics.acwr_rolling))
    if valid.shape[0] == 0:
        recorded = int(metrics.daily.covered.sum())
        text = (
            f"No training-load ratio yet: it compares {voice.possessive} last week with the"
            f" three weeks before, so it needs {CHRONIC_DAYS} recorded days in a row ending"
            f" on the day it is worked out. Days before {voice.possessive} first recorded"
            f" activity, or after the week of {voice.possessive} last one, are not counted as"
            " rest."
        )
        numbers: dict[str, Number] = {"recorded_days": recorded, "needed_days": CHRONIC_DAYS}
        return Note("acwr", "info", text, numbers, sources)
    i = int(valid[-1])
    when = metrics.daily.date_at(i).isoformat()
    rolling = float(metrics.acwr_rolling[i])
    ewma = _float_or_none(float(metrics.acwr_ewma[i]))
    acute, chronic = float(metrics.acute_load[i]), float(metrics.chronic_load[i])
    own = voice.possessive
    text = (
        f"{own.capitalize()} last 7 days (to {_day_words(when)}) were {rolling:.2f} times"
        f" {own} weekly average of the three weeks before ({acute:.1f} km against"
        f" {chronic:.1f} km a week). This is for information only: in a 2025 study of 5,205"
        " runners this ratio did not predict injury, while the length of single runs did."
    )
    numbers = {
        "date": when,
        "acwr_rolling": round(rolling, 3),
        "acwr_ewma": None if ewma is None else round(ewma, 3),
        "acute_km": round(acute, 2),
        "chronic_km_per_week": round(chronic, 2),
    }
    return Note("acwr", "info", text, numbers, sources)


def weekly_change_note(metrics: LoadMetrics) -> Note | None:
    """The latest week-over-week change between two fully recorded weeks, as information."""
    weeks = metrics.weeks
    valid = np.flatnonzero(~np.isnan(weeks.change_pct))
    if valid.shape[0] == 0:
        return None
    i = int(valid[-1])
    label = weeks.labels[i]
    # A change exists only after a recorded week, so week i - 1 is there.
    km, before, change = float(weeks.km[i]), float(weeks.km[i - 1]), float(weeks.change_pct[i])
    direction = "more" if change >= 0 else "less"
    text = (
        f"In the {week_words(label)}: {km:.1f} km, {abs(change):.0f} % {direction} than the"
        f" week before ({before:.1f} km). For information: studies disagree on how fast"
        " weekly distance can safely grow, and the 2025 study of 5,205 runners found no link"
        " between week-to-week change and injury."
    )
    numbers: dict[str, Number] = {
        "week": label,
        "km": round(km, 2),
        "previous_km": round(before, 2),
        "change_pct": round(change, 1),
    }
    return Note("weekly_change", "info", text, numbers, ("training_errors_2012", SPIKE_SOURCE))


def shoes_in_window(log: RunLog, today: date, days: int = ROTATION_DAYS) -> dict[str, float]:
    """Running km per shoe over the `days` days ending `today`, most used first."""
    last = day_number(today)
    keep = log.is_run & (log.shoe >= 0) & (log.day > last - days) & (log.day <= last)
    km = np.bincount(log.shoe[keep], weights=log.distance_km[keep], minlength=len(log.shoe_ids))
    used = sorted((i for i in range(km.shape[0]) if km[i] > 0), key=lambda i: -km[i])
    return {log.shoe_ids[i]: float(km[i]) for i in used}


def rotation_note(log: RunLog, today: date, voice: Voice = Voice.of("runner")) -> Note | None:
    """Two or more pairs in the last 4 weeks, noted in the runner's favour."""
    pairs = shoes_in_window(log, today)
    if len(pairs) < 2:
        return None
    text = (
        f"{voice.subject.capitalize()} ran in {len(pairs)} different pairs of shoes over the"
        f" last 4 weeks. That counts in {voice.possessive} favour: in a study of 264"
        " recreational runners, those who used"
        " more than one pair in parallel had a 39 % lower risk of injury."
    )
    numbers: dict[str, Number] = {"pairs": len(pairs), "window_days": ROTATION_DAYS}
    numbers.update({f"km:{shoe}": round(km, 2) for shoe, km in pairs.items()})
    return Note("shoe_rotation", "favourable", text, numbers, ("shoe_rotation_2015",))


def _day_words(iso_day: str) -> str:
    return day_words(date.fromisoformat(iso_day))


def _float_or_none(value: float) -> float | None:
    return None if math.isnan(value) else value
