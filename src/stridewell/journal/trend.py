"""The pain trend over the last days of the journal. Pure: `today` is passed in.

The method is deliberately simple and stated in every result, so a runner (or a
clinician) can check it by hand: a least-squares line through one pain score per day,
and a threshold on its slope. Arithmetic is exact (fractions), so the same journal
always gives the same direction, even for a slope that sits right on the threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stridewell.journal.model import JournalEntry
from stridewell.text import day_words

Measure = Literal["worst", "morning", "rest"]

DEFAULT_WINDOW_DAYS = 7
# 0.15 points a day is about one point over a week: less than that is within the noise
# of a 0-10 rating scale, where a change of about 2 points is what people notice.
DEFAULT_THRESHOLD = 0.15
DEFAULT_MIN_DAYS = 3

_SCORE: dict[str, Callable[[JournalEntry], int | None]] = {
    "worst": JournalEntry.worst_pain,
    "morning": lambda entry: entry.pain_morning,
    "rest": lambda entry: entry.pain_rest,
}


_MEASURE_WORDS = {
    "worst": "worst pain (the highest of rest, morning, during and after activity)",
    "morning": "pain on the first steps in the morning",
    "rest": "pain at rest",
}


class TrendDirection(StrEnum):
    improving = "improving"
    unchanged = "unchanged"
    worsening = "worsening"
    not_enough_data = "not_enough_data"


class DailyPain(BaseModel):
    """One day's score: the highest of that day's check-ins."""

    model_config = ConfigDict(frozen=True)

    day: date
    pain: int = Field(ge=0, le=10)


class Trend(BaseModel):
    """Which way pain is going, with the numbers and the method behind it."""

    model_config = ConfigDict(frozen=True)

    direction: TrendDirection
    slope: float | None = Field(description="points per day; None without enough data")
    threshold: float = Field(gt=0, description="points per day that count as a change")
    measure: Measure
    window_start: date
    window_end: date
    days_with_data: int = Field(ge=0)
    min_days: int = Field(ge=2)
    points: list[DailyPain]
    method: str


def daily_scores(entries: Iterable[JournalEntry], measure: Measure = "worst") -> dict[date, int]:
    """One score per day: several check-ins a day count with the day's highest score."""
    score = _SCORE[measure]
    days: dict[date, int] = {}
    for entry in entries:
        value = score(entry)
        if value is not None and value > days.get(entry.day, -1):
            days[entry.day] = value
    return days


def pain_trend(
    entries: list[JournalEntry],
    today: date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    measure: Measure = "worst",
    threshold: float = DEFAULT_THRESHOLD,
    min_days: int = DEFAULT_MIN_DAYS,
) -> Trend:
    """The trend of one daily pain score over the `window_days` days ending `today`."""
    if window_days < 2:
        raise ValueError("window_days must be at least 2")
    if min_days < 2:
        raise ValueError("min_days must be at least 2: a line needs two points")
    if threshold <= 0:
        raise ValueError("threshold must be positive")
    start = today - timedelta(days=window_days - 1)
    scores = daily_scores((e for e in entries if start <= e.day <= today), measure)
    points = [DailyPain(day=d, pain=scores[d]) for d in sorted(scores)]
    method = (
        f"Worked out from your daily {_MEASURE_WORDS[measure]} over the {window_days} days "
        f"{day_words(start)} to {day_words(today)}: a straight line drawn through one score "
        f"a day (the day's highest when you logged more than one). Getting better when it "
        f"falls by {threshold} points a day or more, getting worse when it rises by "
        f"{threshold} or more, otherwise about the same; it needs at least {min_days} days "
        f"with a score."
    )
    slope: Fraction | None = None
    if len(points) >= min_days:
        slope = _least_squares_slope([((p.day - start).days, p.pain) for p in points])
    return Trend(
        direction=_direction(slope, Fraction(str(threshold))),
        slope=None if slope is None else round(float(slope), 3),
        threshold=threshold,
        measure=measure,
        window_start=start,
        window_end=today,
        days_with_data=len(points),
        min_days=min_days,
        points=points,
        method=method,
    )


def _least_squares_slope(xy: list[tuple[int, int]]) -> Fraction:
    n = len(xy)
    sx = sum(x for x, _ in xy)
    sy = sum(y for _, y in xy)
    sxx = sum(x * x for x, _ in xy)
    sxy = sum(x * y for x, y in xy)
    # Days are distinct, so with two or more of them the denominator is positive.
    return Fraction(n * sxy - sx * sy, n * sxx - sx * sx)


def _direction(slope: Fraction | None, threshold: Fraction) -> TrendDirection:
    if slope is None:
        return TrendDirection.not_enough_data
    if slope <= -threshold:
        return TrendDirection.improving
    if slope >= threshold:
        return TrendDirection.worsening
    return TrendDirection.unchanged
