"""Check and replace alerts with their numbers, and the rotation summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from shoes_builders import run

from stridewell.load import Note
from stridewell.shoes import RotationSummary, Shoe, Unit, alerts, mileage, rotation_summary

TODAY = date(2026, 3, 15)


def _alerts_for(shoe: Shoe, km: float, unit: Unit = "km") -> list[Note]:
    activities = [run(date(2026, 1, 1), km, shoe.id)] if km else []
    return alerts([shoe], mileage([shoe], activities), unit)


@pytest.mark.parametrize(
    ("km", "kinds"),
    [
        (499.9, []),
        (500.0, ["shoe_check"]),
        (799.9, ["shoe_check"]),
        (800.0, ["shoe_replace"]),
        (950.0, ["shoe_replace"]),
    ],
)
def test_check_at_500_and_replace_by_800(km: float, kinds: list[str]) -> None:
    shoe = Shoe(id="peg", brand="Nike", model="Pegasus 40")
    assert [n.kind for n in _alerts_for(shoe, km)] == kinds


def test_check_alert_carries_the_numbers_and_the_source() -> None:
    shoe = Shoe(id="peg", brand="Nike", model="Pegasus 40", nickname="Blue")
    (note,) = _alerts_for(shoe, 612.0)
    assert note.level == "info"
    assert note.numbers == {
        "shoe_id": "peg", "km": 612.0, "check_km": 500.0, "replace_km": 800.0,
        "unit": "km", "km_to_replace": 188.0,
    }  # fmt: skip
    assert note.text.startswith('Your Nike Pegasus 40 "Blue" has covered 612 km. Check it now')
    assert "replace it by 800 km (188 km to go)" in note.text
    assert note.sources == ("seed_brief",)


@pytest.mark.parametrize("km", [612.0, 850.0])
def test_a_coach_reads_their_runners_shoe_alerts_as_theirs_not_yours(km: float) -> None:
    shoe = Shoe(id="peg", brand="Nike", model="Pegasus 40")
    activities = [run(date(2026, 1, 1), km, shoe.id)]
    (note,) = alerts([shoe], mileage([shoe], activities), "km", "coach")
    assert note.text.startswith("Their Nike Pegasus 40 has covered")
    assert "Your" not in note.text


def test_thresholds_are_per_shoe() -> None:
    racer = Shoe(id="racer", model="Vaporfly", check_km=250.0, replace_km=400.0)
    assert [n.kind for n in _alerts_for(racer, 300.0)] == ["shoe_check"]
    (replace,) = _alerts_for(racer, 420.0)
    assert replace.kind == "shoe_replace" and replace.level == "warning"
    assert replace.numbers["replace_km"] == 400.0


def test_miles_change_the_words_not_the_numbers() -> None:
    shoe = Shoe(id="peg", model="Pegasus 40")
    (note,) = _alerts_for(shoe, 850.0, unit="mi")
    assert "has covered 528 mi, past the 497 mi by which to replace it" in note.text
    assert note.numbers["km"] == 850.0 and note.numbers["unit"] == "mi"


def test_retired_pairs_get_no_alerts_and_earlier_km_count() -> None:
    retired = Shoe(id="old", model="A", retired=date(2026, 2, 1))
    assert _alerts_for(retired, 900.0) == []
    second_hand = Shoe(id="used", model="B", start_km=480.0)
    assert [n.kind for n in _alerts_for(second_hand, 25.0)] == ["shoe_check"]


def _rotation(days_and_gear: list[tuple[int, str, float]]) -> RotationSummary:
    shoes = [Shoe(id="a", brand="Nike", model="Pegasus"), Shoe(id="b", brand="Hoka", model="Mach")]
    acts = [run(TODAY - timedelta(days=d), km, gear) for d, gear, km in days_and_gear]
    return rotation_summary(shoes, mileage(shoes, acts), TODAY)


def test_two_pairs_in_four_weeks_are_a_rotation_with_km_shares() -> None:
    summary = _rotation([(1, "a", 30.0), (5, "b", 10.0), (27, "a", 20.0), (28, "b", 99.0)])
    assert summary.in_rotation
    assert summary.total_km == 60.0  # the run 28 days ago is outside the 4 weeks
    assert [(p.shoe_id, p.km, p.share) for p in summary.pairs] == [
        ("a", 50.0, 50 / 60),
        ("b", 10.0, 10 / 60),
    ]
    assert summary.note is not None and summary.note.level == "favourable"
    assert summary.note.sources == ("shoe_rotation_2015",)
    assert "Nike Pegasus 83 %, Hoka Mach 17 %" in summary.note.text


def test_a_single_pair_gets_a_pointer_not_praise() -> None:
    summary = _rotation([(1, "a", 10.0), (40, "b", 10.0)])
    assert not summary.in_rotation
    assert summary.note is not None and summary.note.level == "info"
    assert "second pair" in summary.note.text


def test_no_recent_runs_give_no_rotation_note() -> None:
    summary = _rotation([(60, "a", 10.0)])
    assert summary.pairs == () and summary.note is None
