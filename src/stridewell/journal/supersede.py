"""A check-in for a moment already logged replaces the earlier score. Pure.

A moment is one of the day's four pain questions (at rest, first steps in the morning,
during activity, after activity). Tapping "morning: 3" and then "morning: 4" for the same
day means the runner corrected themselves, not that the foot hurt twice: the journal and
the plan must see 4 only. Nothing is overwritten, though: the earlier entry gets a new
revision carrying the new score, and its history keeps the old one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stridewell.journal.model import JournalEntry

PAIN_MOMENTS = ("pain_rest", "pain_morning", "pain_during", "pain_after")
# What an activity is made of: a new activity comes with its own minutes (or none).
_ACTIVITY_FIELDS = ("activity", "activity_minutes")


def moments_of(entry: JournalEntry) -> frozenset[str]:
    """The pain questions the entry answers."""
    return frozenset(m for m in PAIN_MOMENTS if getattr(entry, m) is not None)


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One of the day's entries as it stands (its latest revision)."""

    id: str
    entry: JournalEntry


@dataclass(frozen=True, slots=True)
class Supersession:
    """What a new check-in does to its day: ``revise`` holds new revisions of earlier
    entries, the first of them the check-in itself when ``add`` is None."""

    add: JournalEntry | None
    revise: tuple[DayEntry, ...]


def supersede(new: JournalEntry, day_entries: Sequence[DayEntry]) -> Supersession:
    """Where the new check-in goes among the day's entries (oldest first).

    No earlier entry answers any of its moments: it is a new entry. Otherwise the newest
    such entry gets a revision with the check-in merged in (`merge`: what it says wins,
    what it leaves out, like another moment, stays), and any older entry that
    also answered those moments gets a revision without them, so each moment of a day
    has one score.
    """
    moments = moments_of(new)
    overlapping = [
        d for d in day_entries if d.entry.day == new.day and moments_of(d.entry) & moments
    ]
    if not overlapping:
        return Supersession(add=new, revise=())
    *older, newest = overlapping
    merged = DayEntry(newest.id, merge(newest.entry, new))
    cleared = tuple(
        DayEntry(d.id, d.entry.model_copy(update=dict.fromkeys(moments & moments_of(d.entry))))
        for d in older
    )
    return Supersession(add=None, revise=(merged, *cleared))


def merge(earlier: JournalEntry, new: JournalEntry) -> JournalEntry:
    """The earlier entry with what the new check-in says laid over it, checked again.

    Scores, swelling and an activity (with its minutes) are replaced; warning signs and
    exercises done are added to; a different note is kept below the earlier one.
    """
    data = earlier.model_dump(mode="json")
    said = new.model_dump(mode="json", exclude_defaults=True)
    if "activity" in said:
        for name in _ACTIVITY_FIELDS:
            data[name] = said.get(name)
    for name, value in said.items():
        if name == "checkin":
            data["checkin"] = {**data["checkin"], **value}
        elif name == "exercises_done":
            data[name] = list(dict.fromkeys([*data[name], *value]))
        elif name not in _ACTIVITY_FIELDS:
            data[name] = value
    if new.notes and earlier.notes and new.notes != earlier.notes:
        data["notes"] = f"{earlier.notes}\n{new.notes}"
    return JournalEntry.model_validate(data)
