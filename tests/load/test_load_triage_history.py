"""The triage contract's history filled from recorded runs, and read by the triage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from load_builders import every, log_of

from stridewell.contract import Assessment, History
from stridewell.load import RunLog, triage_history
from stridewell.triage.engine import assess

TODAY = date(2026, 3, 15)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@dataclass(frozen=True)
class _Shoe:
    id: str
    started: date | None = None
    start_km: float = 0.0


def _steady(weeks: int = 16, km: float = 8.0) -> dict[date, float]:
    """A run every other day for `weeks` weeks up to today."""
    return {day: km for day in every(ago(weeks * 7 - 1), weeks * 7, 2)}


def test_history_validates_against_the_contract() -> None:
    runs = _steady()
    runs[ago(3)] = 14.0
    history = triage_history(log_of(runs, shoe=["a"] * len(runs)), TODAY)
    model = History.model_validate(history)
    assert model.longest_run_spike_pct == pytest.approx(75.0)
    assert isinstance(history["shoe_km"], float)


def test_weekly_change_is_last_two_weeks_against_the_two_before() -> None:
    runs = {day: 5.0 for day in every(ago(27), 14)}  # days 27..14 back: 70 km
    runs.update({day: 6.0 for day in every(ago(13), 14)})  # last 14 days: 84 km
    assert triage_history(log_of(runs), TODAY)["weekly_km_change_pct"] == pytest.approx(20.0)


def test_weekly_change_needs_the_earlier_weeks_recorded() -> None:
    runs = {day: 5.0 for day in every(ago(20), 21)}  # record starts 20 days ago
    assert "weekly_km_change_pct" not in triage_history(log_of(runs), TODAY)


def test_rest_since_the_last_run_counts_when_the_record_is_recent() -> None:
    runs = {day: 5.0 for day in every(ago(27), 24)}  # stopped 4 days ago: pain
    change = triage_history(log_of(runs), TODAY)["weekly_km_change_pct"]
    assert change == pytest.approx((50.0 - 70.0) / 70.0 * 100, abs=0.05)


def test_a_stale_record_supports_no_weekly_change() -> None:
    runs = {day: 5.0 for day in every(ago(60), 40)}  # last run 21 days ago
    assert "weekly_km_change_pct" not in triage_history(log_of(runs), TODAY)


def test_spike_is_the_largest_of_the_last_14_days_and_clamped() -> None:
    runs = {ago(30): 1.0, ago(10): 12.0, ago(2): 30.0}
    # 12 km against 1 km is +1100 %, beyond the contract's 1000 % ceiling.
    assert triage_history(log_of(runs), TODAY)["longest_run_spike_pct"] == 1000.0
    runs = {ago(40): 10.0, ago(20): 10.0, ago(15): 25.0, ago(5): 11.0}
    assert triage_history(log_of(runs), TODAY)["longest_run_spike_pct"] == -56.0


def test_no_spike_field_without_a_comparable_run() -> None:
    assert "longest_run_spike_pct" not in triage_history(log_of({ago(1): 10.0}), TODAY)


def test_shoe_km_is_the_most_used_recent_pair_with_its_earlier_km() -> None:
    days = every(ago(90), 91, 2)
    shoes = ["old" if d < ago(20) else "new" for d in days]
    shoes[-1] = "old"  # one recent run in the old pair does not make it the main one
    log = log_of({d: 10.0 for d in days}, shoe=shoes)
    history = triage_history(log, TODAY, [_Shoe("new", start_km=100.0)])
    assert history["shoe_km"] == 100.0 + 10.0 * (shoes.count("new"))


def test_recent_treadmill_needs_a_20_point_rise_over_the_8_weeks_before() -> None:
    days = every(ago(83), 84, 2)
    recent = [d >= ago(27) for d in days]
    rising = log_of({d: 8.0 for d in days}, treadmill=recent)
    assert triage_history(rising, TODAY)["recent_treadmill"] is True
    steady = log_of({d: 8.0 for d in days}, treadmill=[i % 2 == 0 for i in range(len(days))])
    assert triage_history(steady, TODAY)["recent_treadmill"] is False


def _treadmill_log(before: tuple[float, float], recent: tuple[float, float]) -> RunLog:
    """Each day an outdoor and a treadmill run of the given km, before and in the last 4 weeks."""
    days, km, indoor = [], [], []
    for offset in range(83, -1, -1):
        outdoor, treadmill = before if offset >= 28 else recent
        days += [ago(offset), ago(offset)]
        km += [outdoor, treadmill]
        indoor += [False, True]
    return RunLog.from_arrays(days, km, [0.0] * len(km), treadmill=indoor)


@pytest.mark.parametrize(
    ("recent", "expected"), [((5.0, 5.0), True), ((5.5, 4.5), False), ((0.0, 3.0), True)]
)
def test_recent_treadmill_threshold_is_20_percentage_points(
    recent: tuple[float, float], expected: bool
) -> None:
    log = _treadmill_log(before=(7.0, 3.0), recent=recent)  # 30 % on the treadmill before
    assert triage_history(log, TODAY)["recent_treadmill"] is expected


def test_recent_treadmill_left_out_without_twelve_recorded_weeks() -> None:
    days = every(ago(50), 51, 2)
    log = log_of({d: 8.0 for d in days}, treadmill=[True] * len(days))
    assert "recent_treadmill" not in triage_history(log, TODAY)


def test_new_shoes_from_a_pair_first_run_in_the_last_three_weeks() -> None:
    days = every(ago(60), 61, 2)
    shoes = ["old" if d < ago(10) else "new" for d in days]
    assert triage_history(log_of({d: 8.0 for d in days}, shoe=shoes), TODAY)["new_shoes"] is True
    same = ["old"] * len(days)
    assert triage_history(log_of({d: 8.0 for d in days}, shoe=same), TODAY)["new_shoes"] is False


def test_new_shoes_unknown_when_the_pair_is_as_old_as_the_record() -> None:
    days = every(ago(10), 11, 2)
    log = log_of({d: 8.0 for d in days}, shoe=["only"] * len(days))
    assert "new_shoes" not in triage_history(log, TODAY)
    # ...unless the runner said when they started it.
    assert triage_history(log, TODAY, [_Shoe("only", started=ago(12))])["new_shoes"] is True
    assert triage_history(log, TODAY, [_Shoe("only", started=ago(200))])["new_shoes"] is False


def test_empty_log_gives_an_empty_history() -> None:
    assert triage_history(RunLog.from_arrays([], [], []), TODAY) == {}


def test_triage_names_the_spike_and_the_shoe_km_from_recorded_runs() -> None:
    days = every(ago(111), 112, 2)
    runs = {d: 10.0 for d in days}
    runs[ago(3)] = 15.0
    log = log_of(runs, shoe=["pegasus"] * len(runs))
    history = triage_history(log, TODAY, [_Shoe("pegasus", start_km=200.0)])
    assert history["shoe_km"] >= 500
    report = assess(
        Assessment(
            locations=["heel_bottom"],
            pain_timing=["first_steps_morning"],
            onset="gradual",
            history=History.model_validate(history),
        )
    )
    reasons = [r for c in report.conditions for r in c.for_]
    assert "a recent run more than 10 % longer than any in the month before" in reasons
    assert "shoes past 500 km, when cushioning starts to fade" in reasons
