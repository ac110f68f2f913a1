"""Time zones: a runner's own (an IANA name such as "Europe/London"), or the machine's.

A runner's today, the day a run or a pain entry falls on and the times their pages show
are all in their zone. A runner without one has the machine's zone: the one person of a
local install, whose computer is where they are.
"""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from stridewell.errors import InvalidInput


class _MachineZone(tzinfo):
    """The machine's local time, with its summer and winter offsets (``astimezone()``
    with no argument, as a tzinfo): a fixed offset taken today would put last summer's
    runs an hour off in winter."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return _local(dt).utcoffset() or timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return _local(dt).tzname()

    def fromutc(self, dt: datetime) -> datetime:
        local = dt.replace(tzinfo=UTC).astimezone()
        wall = local.replace(tzinfo=None)
        # The second of two equal wall times (clocks going back) is the later fold.
        later = wall.astimezone().utcoffset() != local.utcoffset()
        return wall.replace(tzinfo=self, fold=1 if later else 0)

    def __repr__(self) -> str:
        return "MachineZone()"


def _local(dt: datetime | None) -> datetime:
    """``dt``'s wall time as the machine's local time, with that moment's offset."""
    wall = datetime.now() if dt is None else dt.replace(tzinfo=None)
    return wall.astimezone()


MACHINE_ZONE: tzinfo = _MachineZone()


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone of that name; InvalidInput naming the value for any other text."""
    cleaned = name.strip() if isinstance(name, str) else ""
    # Only names from the zone database: ZoneInfo would also read "../x" or "posixrules".
    if cleaned not in _known_zones():
        raise InvalidInput(
            f"'{name}' is not a time zone we know: choose one such as Europe/London",
            field="time_zone",
        )
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(f"the time zone '{name}' cannot be read", field="time_zone") from None


def stored_zone(name: str | None) -> tzinfo:
    """A runner's zone from its stored name: the machine's when unset, and when the
    name no longer loads (an older zone database), so that their pages still open."""
    if name is None:
        return MACHINE_ZONE
    try:
        return zone_named(name)
    except InvalidInput:
        return MACHINE_ZONE


# Files of the zone database that name no place: the machine's own link and a placeholder.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name the machine knows, sorted (for the settings page's list)."""
    return tuple(sorted(available_timezones() - NOT_PLACES))


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zone_names())


def machine_zone_name() -> str:
    """The machine's zone as its abbreviation now ("CET"), to name it to people."""
    return time.strftime("%Z") or "UTC"
