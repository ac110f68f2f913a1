"""The Shoe model: validation, editing, retiring, the default shoe, km and miles."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from stridewell.shoes import (
    KM_PER_MILE,
    Shoe,
    ShoeType,
    default_shoe_on,
    edit,
    format_distance,
    from_unit,
    retire,
    to_unit,
)


def test_new_shoe_checks_at_500_and_replaces_by_800_km() -> None:
    shoe = Shoe(id="p40", brand="Nike", model="Pegasus 40")
    assert (shoe.check_km, shoe.replace_km, shoe.start_km) == (500.0, 800.0, 0.0)
    assert shoe.type is ShoeType.other
    assert shoe.name == "Nike Pegasus 40"
    assert (
        Shoe(id="x", brand="Hoka", model="Clifton 9", nickname="Blue").name
        == 'Hoka Clifton 9 "Blue"'
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"check_km": 900.0},  # check after replace
        {"started": date(2026, 3, 1), "retired": date(2026, 2, 1)},
        {"check_km": 0.0},
        {"start_km": -5.0},
        {"type": "barefoot"},
        {"colour": "red"},
        {"model": ""},
    ],
)
def test_impossible_shoes_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Shoe.model_validate({"id": "a", "model": "M", **fields})


def test_edit_revalidates_and_retire_clears_the_default() -> None:
    shoe = Shoe(id="a", model="M", is_default=True, started=date(2026, 1, 1))
    assert edit(shoe, replace_km=650.0).replace_km == 650.0
    with pytest.raises(ValidationError):
        edit(shoe, replace_km=400.0)  # below check_km
    retired = retire(shoe, date(2026, 3, 1))
    assert retired.retired == date(2026, 3, 1) and not retired.is_default
    assert shoe.retired is None  # the original is untouched


def test_in_use_from_start_through_retirement_day() -> None:
    shoe = Shoe(id="a", model="M", started=date(2026, 1, 10), retired=date(2026, 2, 10))
    assert not shoe.in_use_on(date(2026, 1, 9))
    assert shoe.in_use_on(date(2026, 1, 10)) and shoe.in_use_on(date(2026, 2, 10))
    assert not shoe.in_use_on(date(2026, 2, 11))


def test_default_shoe_in_force_is_the_latest_started_default_in_use() -> None:
    old = Shoe(
        id="old", model="A", is_default=True, started=date(2025, 6, 1), retired=date(2026, 1, 31)
    )
    new = Shoe(id="new", model="B", is_default=True, started=date(2026, 1, 15))
    spare = Shoe(id="spare", model="C", started=date(2025, 1, 1))
    shoes = [old, new, spare]
    assert default_shoe_on(shoes, date(2025, 12, 1)) == old
    assert default_shoe_on(shoes, date(2026, 1, 20)) == new  # both defaults: newest wins
    assert default_shoe_on(shoes, date(2025, 1, 5)) is None  # only the non-default pair


def test_miles_exist_only_at_display() -> None:
    assert to_unit(KM_PER_MILE * 500, "mi") == pytest.approx(500.0)
    assert from_unit(500.0, "mi") == pytest.approx(804.672)
    assert to_unit(800.0, "km") == 800.0
    assert format_distance(800.0, "mi") == "497 mi"
    assert format_distance(612.4) == "612 km"
    assert format_distance(612.44, "km", digits=1) == "612.4 km"
