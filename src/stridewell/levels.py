"""Triage levels and the contract's version: the vocabulary the contract and the report share.

Kept apart from `contract` (pydantic input models) and `report` (dataclass output) so that
each of those imports this one module instead of the other.
"""

from __future__ import annotations

from enum import StrEnum

# The assessment contract (shared/contract/assessment.md): major 1, minor 1 ("Version 1.1").
CONTRACT_VERSION = 1
CONTRACT_MINOR = 1


class Level(StrEnum):
    """Triage levels of the contract, from most to least urgent."""

    rank: int  # higher is more urgent, self_care is 0 (set on each member below)

    emergency = "emergency"
    urgent = "urgent"
    soon = "soon"
    self_care = "self_care"


_LEVEL_RANK = {Level.self_care: 0, Level.soon: 1, Level.urgent: 2, Level.emergency: 3}
# A plain attribute, not a property: the engine compares ranks many times per report.
for _level, _rank in _LEVEL_RANK.items():
    _level.rank = _rank
LEVELS_BY_RANK = sorted(Level, key=lambda lvl: lvl.rank)


def most_urgent(levels: list[Level]) -> Level:
    """The most urgent of `levels`, `self_care` for an empty list."""
    return max(levels, key=lambda lvl: lvl.rank, default=Level.self_care)


def level_of_rank(rank: int) -> Level:
    """The level with this rank, clamped to the scale."""
    return LEVELS_BY_RANK[max(0, min(rank, len(LEVELS_BY_RANK) - 1))]
