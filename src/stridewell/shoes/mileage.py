"""Which shoe each run was in, and the kilometres on every shoe.

A run's shoe comes from its gear: a tracked shoe's id, or a Strava gear name matched to a
shoe (`match_strava_gear`). A run without gear was in the default shoe in force on its day.
A run whose gear names no tracked shoe stays unassigned: it was some other pair, and
crediting it to the default would overstate the default's wear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from typing import TYPE_CHECKING

import numpy as np

from stridewell.load.runlog import RunLog, day_date, day_number
from stridewell.shoes.model import Shoe, default_shoe_on

if TYPE_CHECKING:
    from stridewell.activities.model import Activity

_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _names(shoe: Shoe) -> set[str]:
    # The forms a gear name takes: Strava shows the nickname when one is set, otherwise
    # "Brand Model"; runners also type both together.
    full = _norm(f"{shoe.brand} {shoe.model}")
    names = {full}
    if shoe.nickname:
        nick = _norm(shoe.nickname)
        names |= {nick, f"{nick} ({full})", f"{full} ({nick})", f"{full} {nick}"}
    return names


def match_strava_gear(
    gear_name: str | None, shoes: Sequence[Shoe], on: date | None = None
) -> Shoe | None:
    """The tracked shoe a Strava gear name refers to, or None.

    Matching ignores case and repeated spaces and takes the nickname, "Brand Model", or
    both. Two pairs of the same model are told apart by nickname; failing that, by which
    pair was in use `on` the run's day (or, without a day, which one is not retired). A
    name that still fits more than one pair is ambiguous: None, rather than a guess.
    """
    if not gear_name or not gear_name.strip():
        return None
    wanted = _norm(gear_name)
    by_nickname = [s for s in shoes if s.nickname and _norm(s.nickname) == wanted]
    found = by_nickname or [s for s in shoes if wanted in _names(s)]
    if len(found) > 1:
        found = [s for s in found if s.in_use_on(on)] if on else [s for s in found if not s.retired]
    return found[0] if len(found) == 1 else None


def shoe_for(gear: str | None, day: date, shoes: Sequence[Shoe]) -> Shoe | None:
    """The shoe of a run with `gear` on `day` (see the module notes)."""
    if gear is None or not gear.strip():
        return default_shoe_on(shoes, day)
    for shoe in shoes:
        if shoe.id == gear:
            return shoe
    return match_strava_gear(gear, shoes, on=day)


def assign_shoes(log: RunLog, shoes: Sequence[Shoe]) -> RunLog:
    """`log` with each run's shoe resolved to a tracked shoe id (``shoe_ids`` = the shoes'
    ids, in order); the log's shoe values may be shoe ids, gear names or None."""
    ids = tuple(s.id for s in shoes)
    if len(set(ids)) != len(ids):
        raise ValueError("shoe ids must be unique")
    codes = np.full(len(log), -1, np.int32)
    cache: dict[tuple[int, int], int] = {}
    runs = np.flatnonzero(log.is_run)
    for row, code, day in zip(
        runs.tolist(), log.shoe[runs].tolist(), log.day[runs].tolist(), strict=True
    ):
        # Runs share a handful of (gear, day) pairs at most per day: resolve each once.
        key = (code, day)
        found = cache.get(key)
        if found is None:
            gear = None if code < 0 else log.shoe_ids[code]
            shoe = shoe_for(gear, day_date(day), shoes)
            found = cache[key] = -1 if shoe is None else ids.index(shoe.id)
        codes[row] = found
    return RunLog(
        day=log.day,
        distance_km=log.distance_km,
        duration_s=log.duration_s,
        is_run=log.is_run,
        treadmill=log.treadmill,
        shoe=codes,
        shoe_ids=ids,
        runner=log.runner,
        n_runners=log.n_runners,
        order=log.order,
    )


@dataclass(frozen=True)
class Mileage:
    """Kilometres per tracked shoe (``start_km`` included) and the resolved log.

    ``km`` and ``runs`` have every tracked shoe, used or not; ``first_run`` and
    ``last_run`` only the shoes with runs. ``unassigned_km`` is running distance whose gear
    named no tracked shoe (or that had no gear and no default shoe on its day).
    """

    km: dict[str, float]
    runs: dict[str, int]
    first_run: dict[str, date]
    last_run: dict[str, date]
    unassigned_km: float
    log: RunLog


def mileage(
    shoes: Sequence[Shoe], source: Iterable[Activity] | RunLog, tz: tzinfo = UTC
) -> Mileage:
    """Kilometres on each shoe from running activities (or a `RunLog`).

    `tz` sets the local day of each activity, which decides the default shoe in force.
    """
    log = source if isinstance(source, RunLog) else RunLog.from_activities(source, tz)
    log = assign_shoes(log, shoes)
    runs = log.is_run
    n = len(log.shoe_ids)
    tracked = runs & (log.shoe >= 0)
    km = np.bincount(log.shoe[tracked], weights=log.distance_km[tracked], minlength=n)
    count = np.bincount(log.shoe[tracked], minlength=n)
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    for i, shoe in enumerate(shoes):
        days = log.day[tracked & (log.shoe == i)]
        if days.shape[0]:
            first[shoe.id] = day_date(int(days.min()))
            last[shoe.id] = day_date(int(days.max()))
    return Mileage(
        km={s.id: float(km[i]) + s.start_km for i, s in enumerate(shoes)},
        runs={s.id: int(count[i]) for i, s in enumerate(shoes)},
        first_run=first,
        last_run=last,
        unassigned_km=float(log.distance_km[runs & (log.shoe < 0)].sum()),
        log=log,
    )


def km_between(mileage: Mileage, first: date, last: date) -> dict[str, float]:
    """Running km per tracked shoe from `first` to `last` inclusive (used shoes only)."""
    log = mileage.log
    rows = (
        log.is_run
        & (log.shoe >= 0)
        & (log.day >= day_number(first))
        & (log.day <= day_number(last))
    )
    km = np.bincount(log.shoe[rows], weights=log.distance_km[rows], minlength=len(log.shoe_ids))
    return {log.shoe_ids[i]: float(km[i]) for i in range(km.shape[0]) if km[i] > 0}
