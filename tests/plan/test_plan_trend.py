"""The pain trend: direction, numbers and method, from the journal's daily scores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stridewell.journal.model import JournalEntry
from stridewell.journal.trend import TrendDirection, daily_scores, pain_trend
from stridewell.text import day_words

TODAY = date(2026, 4, 14)


def day(back: int) -> date:
    return TODAY - timedelta(days=back)


def entries(scores: dict[int, int]) -> list[JournalEntry]:
    """One check-in per day, `back` days before TODAY, with that worst pain."""
    return [JournalEntry(day=day(back), pain_morning=score) for back, score in scores.items()]


def test_falling_pain_is_improving_with_a_negative_slope() -> None:
    trend = pain_trend(entries({6: 6, 5: 5, 4: 5, 3: 4, 2: 3, 1: 3, 0: 2}), TODAY)
    assert trend.direction is TrendDirection.improving
    assert trend.slope is not None and trend.slope < -0.15
    assert trend.days_with_data == 7


def test_rising_pain_is_worsening() -> None:
    trend = pain_trend(entries({4: 1, 2: 2, 0: 4}), TODAY)
    assert trend.direction is TrendDirection.worsening
    assert trend.slope == pytest.approx(0.75)


def test_flat_pain_is_unchanged() -> None:
    trend = pain_trend(entries({6: 4, 3: 4, 0: 4}), TODAY)
    assert trend.direction is TrendDirection.unchanged
    assert trend.slope == 0


def test_two_days_are_not_enough_to_call_a_trend() -> None:
    trend = pain_trend(entries({1: 8, 0: 2}), TODAY)
    assert trend.direction is TrendDirection.not_enough_data
    assert trend.slope is None


def test_only_days_inside_the_window_count() -> None:
    # Old high scores outside the 7-day window must not make a flat week look improving.
    trend = pain_trend(entries({20: 9, 10: 9, 7: 9, 6: 3, 3: 3, 0: 3}), TODAY)
    assert [p.day for p in trend.points] == [day(6), day(3), day(0)]
    assert trend.direction is TrendDirection.unchanged


def test_entries_after_today_are_ignored() -> None:
    future = [JournalEntry(day=TODAY + timedelta(days=1), pain_rest=10)]
    trend = pain_trend(entries({2: 3, 1: 3, 0: 3}) + future, TODAY)
    assert trend.direction is TrendDirection.unchanged


def test_several_entries_a_day_count_with_the_days_worst() -> None:
    same_day = [
        JournalEntry(day=day(0), pain_rest=1),
        JournalEntry(day=day(0), pain_during=5, pain_after=2),
    ]
    assert daily_scores(same_day) == {day(0): 5}
    trend = pain_trend(entries({2: 1, 1: 1}) + same_day, TODAY)
    assert trend.points[-1].pain == 5
    assert trend.direction is TrendDirection.worsening


def test_a_slope_exactly_on_the_threshold_counts_as_a_change() -> None:
    # 3 points down over 20 days is exactly -0.15 a day; exact arithmetic keeps it there.
    trend = pain_trend(entries({20: 3, 0: 0}), TODAY, window_days=21, min_days=2)
    assert trend.slope == -0.15
    assert trend.direction is TrendDirection.improving


def test_the_morning_measure_ignores_activity_pain() -> None:
    journal = [
        JournalEntry(day=day(back), pain_morning=2, pain_during=2 + back) for back in range(5)
    ]
    assert pain_trend(journal, TODAY).direction is TrendDirection.improving
    assert pain_trend(journal, TODAY, measure="morning").direction is TrendDirection.unchanged


def test_the_result_states_its_method_and_window() -> None:
    trend = pain_trend(entries({2: 3, 1: 2, 0: 1}), TODAY)
    assert "straight line" in trend.method and "Least-squares" not in trend.method
    assert "highest" in trend.method
    for shown in (day(6), TODAY):
        assert day_words(shown) in trend.method
        assert shown.isoformat() not in trend.method
    assert (trend.window_start, trend.window_end) == (day(6), TODAY)


def test_the_trend_does_not_depend_on_entry_order() -> None:
    journal = entries({6: 5, 4: 2, 3: 4, 1: 1, 0: 3})
    assert pain_trend(journal, TODAY) == pain_trend(list(reversed(journal)), TODAY)


@pytest.mark.parametrize("kwargs", [{"window_days": 1}, {"min_days": 1}, {"threshold": 0}])
def test_nonsense_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        pain_trend([], TODAY, **kwargs)  # type: ignore[arg-type]
