"""Shoe alerts (check, replace) and the rotation summary, each with its numbers.

Thresholds are per shoe (``check_km``, default 500; ``replace_km``, default 800: the seed
brief's 500-800 km, 300-500 miles). Retired pairs get no alerts: they are out of use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from stridewell.load.notes import Note, Number, Reader, Voice
from stridewell.shoes.mileage import Mileage, km_between
from stridewell.shoes.model import Shoe, Unit, format_distance

ROTATION_DAYS = 28
MILEAGE_SOURCE = "seed_brief"
ROTATION_SOURCE = "shoe_rotation_2015"


def alerts(
    shoes: Sequence[Shoe], mileage: Mileage, unit: Unit = "km", reader: Reader = "runner"
) -> list[Note]:
    """A 'replace' warning for each pair in use at or past its ``replace_km``, else a
    'check' note at or past its ``check_km``. Numbers are in km whatever the display unit;
    the words speak to the runner ("Your ...") or about them to their coach ("Their ...")."""
    whose = Voice.of(reader).possessive.capitalize()
    notes = []
    for shoe in shoes:
        if shoe.retired is not None:
            continue
        km = mileage.km.get(shoe.id, shoe.start_km)
        numbers: dict[str, Number] = {
            "shoe_id": shoe.id,
            "km": round(km, 1),
            "check_km": shoe.check_km,
            "replace_km": shoe.replace_km,
            "unit": unit,
        }
        covered = format_distance(km, unit)
        if km >= shoe.replace_km:
            text = (
                f"{whose} {shoe.name} has covered {covered}, past the"
                f" {format_distance(shoe.replace_km, unit)} by which to replace it. Its foam"
                " has lost much of its cushioning even if the shoe still looks fine: time"
                " for a new pair."
            )
            notes.append(Note("shoe_replace", "warning", text, numbers, (MILEAGE_SOURCE,)))
        elif km >= shoe.check_km:
            left = shoe.replace_km - km
            numbers["km_to_replace"] = round(left, 1)
            text = (
                f"{whose} {shoe.name} has covered {covered}. Check it now: cushioning fades"
                " well before a shoe looks worn, so plan to replace it by"
                f" {format_distance(shoe.replace_km, unit)}"
                f" ({format_distance(left, unit)} to go)."
            )
            notes.append(Note("shoe_check", "info", text, numbers, (MILEAGE_SOURCE,)))
    return notes


@dataclass(frozen=True)
class RotationPair:
    shoe_id: str
    name: str
    km: float
    share: float  # of the window's running km in tracked shoes, 0..1


@dataclass(frozen=True)
class RotationSummary:
    """The pairs run in over the last ``window_days`` days ending ``today``."""

    today: date
    window_days: int
    total_km: float
    pairs: tuple[RotationPair, ...]
    note: Note | None

    @property
    def in_rotation(self) -> bool:
        """Two or more pairs used in parallel over the window."""
        return len(self.pairs) >= 2


def rotation_summary(
    shoes: Sequence[Shoe],
    mileage: Mileage,
    today: date,
    window_days: int = ROTATION_DAYS,
    unit: Unit = "km",
) -> RotationSummary:
    """Pairs in use over the last 4 weeks and each one's share of the kilometres.

    Two or more pairs earn a note in the runner's favour; a single pair, a pointer to the
    same study. No runs in tracked shoes: no note.
    """
    since = today - timedelta(days=window_days - 1)
    used = km_between(mileage, since, today)
    total = sum(used.values())
    names = {s.id: s.name for s in shoes}
    pairs = tuple(
        RotationPair(shoe_id, names.get(shoe_id, shoe_id), km, km / total)
        for shoe_id, km in sorted(used.items(), key=lambda item: -item[1])
    )
    note = _rotation_note(pairs, window_days, unit)
    return RotationSummary(today, window_days, total, pairs, note)


def _rotation_note(pairs: tuple[RotationPair, ...], days: int, unit: Unit) -> Note | None:
    if not pairs:
        return None
    span = f"{days // 7} weeks" if days % 7 == 0 and days > 7 else f"{days} days"
    numbers: dict[str, Number] = {"pairs": len(pairs), "window_days": days}
    for pair in pairs:
        numbers[f"share:{pair.shoe_id}"] = round(pair.share, 3)
    study = (
        "in a study of 264 recreational runners, those who used more than one pair in"
        " parallel had a 39 % lower risk of injury."
    )
    if len(pairs) == 1:
        only = pairs[0]
        text = (
            f"All your running of the last {span} ({format_distance(only.km, unit)}) was in"
            f" your {only.name}. A second pair to alternate with is worth considering: {study}"
        )
        return Note("shoe_rotation", "info", text, numbers, (ROTATION_SOURCE,))
    split = ", ".join(f"{p.name} {p.share * 100:.0f} %" for p in pairs)
    text = (
        f"You ran in {len(pairs)} pairs over the last {span} ({split}). That counts in your"
        f" favour: {study}"
    )
    return Note("shoe_rotation", "favourable", text, numbers, (ROTATION_SOURCE,))
