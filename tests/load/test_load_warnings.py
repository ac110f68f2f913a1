"""Load warnings: the spike warns with its numbers; the ratio and weekly change inform."""

from __future__ import annotations

from datetime import date, timedelta

from load_builders import every, log_of

from stridewell.load import Note, warnings

TODAY = date(2026, 3, 15)


def _base(first: date = date(2026, 1, 5), last: date = date(2026, 3, 11)) -> dict[date, float]:
    return {day: 10.0 for day in every(first, (last - first).days + 1, 3)}


def _kinds(notes: list[Note]) -> list[str]:
    return [n.kind for n in notes]


def test_spike_warning_names_the_run_its_numbers_and_the_study() -> None:
    runs = _base()
    runs[date(2026, 3, 14)] = 14.2
    notes = warnings(log_of(runs), TODAY)
    spike = notes[0]
    assert spike.kind == "single_run_spike" and spike.level == "warning"
    assert spike.text.startswith(
        "Your run on 14 Mar 2026 was 14.2 km, 42 % longer than your longest run of the"
        " previous 30 days (10.0 km)."
    )
    assert "more than 30 % and up to 100 %" in spike.text and "1.52" in spike.text
    assert spike.numbers == {
        "date": "2026-03-14",
        "km": 14.2,
        "previous_longest_km": 10.0,
        "pct": 42.0,
        "band": "moderate",
        "hazard_ratio": 1.52,
    }
    assert spike.sources == ("single_session_spike_2025",)


def test_runs_within_ten_percent_and_older_spikes_do_not_warn() -> None:
    runs = _base()
    runs[date(2026, 3, 14)] = 11.0  # exactly 10 % longer
    runs[date(2026, 2, 20)] = 25.0  # a big spike, but 23 days ago
    assert "single_run_spike" not in _kinds(warnings(log_of(runs), TODAY, spike_days=14))


def test_each_spike_of_the_window_warns_with_its_own_band() -> None:
    runs = _base()
    runs[date(2026, 3, 12)] = 25.0  # 150 % over 10 km
    runs[date(2026, 3, 14)] = 30.0  # 20 % over 25 km
    spikes = [n for n in warnings(log_of(runs), TODAY) if n.kind == "single_run_spike"]
    assert [(n.numbers["band"], n.numbers["hazard_ratio"]) for n in spikes] == [
        ("large", 2.28),
        ("small", 1.64),
    ]


def test_ratio_and_weekly_change_are_information_never_warnings() -> None:
    runs = _base()
    runs.update({day: 20.0 for day in every(date(2026, 3, 9), 6)})  # a heavy last week
    notes = warnings(log_of(runs), TODAY)
    by_kind = {n.kind: n for n in notes}
    assert by_kind["acwr"].level == "info"
    assert by_kind["weekly_change"].level == "info"
    assert by_kind["acwr"].numbers["acwr_rolling"] > 1.5  # high, and still only information
    assert "did not predict injury" in by_kind["acwr"].text
    assert all(n.level != "warning" for n in notes if n.kind != "single_run_spike")


def test_ratio_note_says_why_there_is_no_ratio_on_a_short_record() -> None:
    runs = {day: 5.0 for day in every(date(2026, 3, 1), 14, 2)}
    acwr = next(n for n in warnings(log_of(runs), TODAY) if n.kind == "acwr")
    # 1 to 13 March, and the rest of the last run's week (14 and 15 March) as rest.
    assert acwr.numbers == {"recorded_days": 15, "needed_days": 28}
    assert "No training-load ratio yet" in acwr.text


def test_weekly_change_compares_the_last_two_fully_recorded_weeks() -> None:
    runs = {day: 5.0 for day in every(date(2026, 2, 2), 28)}  # W06-W09, 35 km each
    runs.update({day: 10.0 for day in every(date(2026, 3, 2), 7)})  # W10: 70 km
    # Wednesday of W11: the week is not over (and not recorded past Sunday 8 March).
    notes = warnings(log_of(runs), date(2026, 3, 11))
    weekly = next(n for n in notes if n.kind == "weekly_change")
    assert weekly.numbers["week"] == "2026-W10"
    assert weekly.numbers["km"] == 70.0 and weekly.numbers["previous_km"] == 35.0
    assert weekly.numbers["change_pct"] == 100.0


def test_two_pairs_in_four_weeks_count_in_favour() -> None:
    days = every(date(2026, 2, 20), 24, 2)
    log = log_of({d: 8.0 for d in days}, shoe=["a" if i % 2 else "b" for i in range(len(days))])
    rotation = next(n for n in warnings(log, TODAY) if n.kind == "shoe_rotation")
    assert rotation.level == "favourable"
    assert rotation.numbers["pairs"] == 2
    assert rotation.sources == ("shoe_rotation_2015",)


def test_one_pair_earns_no_rotation_note() -> None:
    days = every(date(2026, 2, 20), 24, 2)
    log = log_of({d: 8.0 for d in days}, shoe=["a"] * len(days))
    assert "shoe_rotation" not in _kinds(warnings(log, TODAY))


def test_runs_after_today_are_ignored() -> None:
    runs = _base()
    runs[TODAY + timedelta(days=1)] = 40.0
    assert "single_run_spike" not in _kinds(warnings(log_of(runs), TODAY))


def test_notes_serialise_to_json_dicts() -> None:
    runs = _base()
    runs[date(2026, 3, 14)] = 14.2
    data = warnings(log_of(runs), TODAY)[0].to_json_dict()
    assert set(data) == {"kind", "level", "text", "numbers", "sources"}
    assert data["sources"] == ["single_session_spike_2025"]


def test_an_empty_log_gives_only_the_missing_ratio_note() -> None:
    notes = warnings(log_of({}), TODAY)
    assert [(n.kind, n.numbers["recorded_days"]) for n in notes] == [("acwr", 0)]


def test_a_rest_week_inside_the_record_is_a_100_percent_drop() -> None:
    runs = {day: 5.0 for day in every(date(2026, 2, 2), 21)}  # W06-W08
    runs[date(2026, 3, 2)] = 5.0  # W09 (23 Feb - 1 Mar) all rest; record goes on after it
    weekly = next(n for n in warnings(log_of(runs), date(2026, 3, 4)) if n.kind == "weekly_change")
    assert weekly.numbers == {
        "week": "2026-W09",
        "km": 0.0,
        "previous_km": 35.0,
        "change_pct": -100.0,
    }
    assert "100 % less than the week before (35.0 km)" in weekly.text
