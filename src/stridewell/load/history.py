"""The triage contract's `History` fields, filled from a runner's recorded activities.

`triage_history` returns only the fields the data supports; a field it cannot support is
left out (the contract reads a missing field as "not known", never as "no"). Windows end
on `today`, the day the runner assesses their pain; activities after it are ignored.

- ``weekly_km_change_pct``: running km of the last 2 weeks (today and the 13 days before)
  against the 2 weeks before those (days 14-27 back), in per cent. Needs a record that
  starts by the first of those 28 days and has some activity in the last 2 weeks; days
  between the last activity and today count as rest, because runners in pain stop running
  and that is exactly the drop-off the triage should see. Left out when the earlier 2 weeks
  hold no running.
- ``longest_run_spike_pct``: the largest single-run spike (see `load.spikes`) of the last
  14 days; left out when no run of those days had a run in the 30 days before it.
- ``shoe_km``: the shoe with the most running km in the last 4 weeks, and its total km in
  the log (plus the km it had before tracking, ``start_km``, when the shoe is given).
- ``recent_treadmill``: True when the treadmill share of running km in the last 4 weeks is
  at least 20 percentage points above that of the 8 weeks before; needs running in the
  last 4 weeks and a record that covers all 12 weeks.
- ``new_shoes``: True when a shoe run in during the last 3 weeks is new: started in those
  weeks by the runner's own record (``started``), or first seen in the log in those weeks
  after earlier runs in other tracked shoes (a shoe whose first run is also the first run
  on record could be older than the record). False when every shoe of those weeks is known
  to be older.

Percentages are clamped to the contract's range (-100 to 1000) and rounded to 0.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

import numpy as np

from stridewell.load.notes import shoes_in_window, until
from stridewell.load.runlog import RunLog, day_number
from stridewell.load.series import runner_bounds
from stridewell.load.spikes import run_spikes

RECENT_DAYS = 14
TREADMILL_RECENT_DAYS = 28
TREADMILL_BEFORE_DAYS = 56
TREADMILL_MARGIN = 0.20
NEW_SHOE_DAYS = 21
SHOE_DAYS = 28
PCT_RANGE = (-100.0, 1000.0)
SHOE_KM_MAX = 10000.0


class ShoeInfo(Protocol):
    """What the history needs of a tracked shoe (`stridewell.shoes.Shoe` has it)."""

    @property
    def id(self) -> str: ...

    @property
    def started(self) -> date | None: ...

    @property
    def start_km(self) -> float: ...


def triage_history(
    log: RunLog, today: date, shoes: Sequence[ShoeInfo] = ()
) -> dict[str, float | bool]:
    """History fields for `stridewell.contract.History`, from one runner's log.

    Shoe fields need the log's shoe ids to be tracked shoes' ids (build the log with
    `stridewell.shoes.assign_shoes`, or take `stridewell.shoes.mileage(...).log`).
    """
    if log.n_runners != 1:
        raise ValueError("triage_history takes one runner's log")
    log = until(log, today)
    out: dict[str, float | bool] = {}
    if log.is_empty:
        return out
    change = weekly_km_change_pct(log, today)
    if change is not None:
        out["weekly_km_change_pct"] = change
    spike = longest_run_spike_pct(log, today)
    if spike is not None:
        out["longest_run_spike_pct"] = spike
    by_id = {shoe.id: shoe for shoe in shoes}
    km = shoe_km(log, today, by_id)
    if km is not None:
        out["shoe_km"] = km
    treadmill = recent_treadmill(log, today)
    if treadmill is not None:
        out["recent_treadmill"] = treadmill
    new = new_shoes(log, today, by_id)
    if new is not None:
        out["new_shoes"] = new
    return out


def _span(log: RunLog) -> tuple[int, int]:
    first, last, _ = runner_bounds(log)
    return int(first[0]), int(last[0])


def _km(log: RunLog, first: int, last: int, *, treadmill: bool = False) -> float:
    rows = log.is_run & (log.day >= first) & (log.day <= last)
    if treadmill:
        rows &= log.treadmill
    return float(log.distance_km[rows].sum())


def _pct(value: float) -> float:
    return round(min(max(value, PCT_RANGE[0]), PCT_RANGE[1]), 1)


def weekly_km_change_pct(log: RunLog, today: date) -> float | None:
    t = day_number(today)
    first, last = _span(log)
    recent_from = t - RECENT_DAYS + 1
    before_from = recent_from - RECENT_DAYS
    if first > before_from or last < recent_from:
        return None
    before = _km(log, before_from, recent_from - 1)
    if before <= 0:
        return None
    return _pct((_km(log, recent_from, t) - before) / before * 100.0)


def longest_run_spike_pct(log: RunLog, today: date) -> float | None:
    spikes = run_spikes(log, today - timedelta(days=RECENT_DAYS - 1), today)
    pct = spikes.pct[~np.isnan(spikes.pct)]
    if pct.shape[0] == 0:
        return None
    return _pct(float(pct.max()))


def shoe_km(log: RunLog, today: date, shoes: dict[str, ShoeInfo]) -> float | None:
    recent = shoes_in_window(log, today, SHOE_DAYS)
    if not recent:
        return None
    top = max(recent, key=lambda shoe: (recent[shoe], _last_use(log, shoe)))
    rows = log.is_run & (log.shoe == log.shoe_ids.index(top))
    known = shoes.get(top)
    total = float(log.distance_km[rows].sum()) + (known.start_km if known else 0.0)
    return round(min(total, SHOE_KM_MAX), 1)


def _last_use(log: RunLog, shoe: str) -> int:
    days = log.day[log.is_run & (log.shoe == log.shoe_ids.index(shoe))]
    return int(days.max()) if days.shape[0] else -(10**9)


def recent_treadmill(log: RunLog, today: date) -> bool | None:
    t = day_number(today)
    recent_from = t - TREADMILL_RECENT_DAYS + 1
    before_from = recent_from - TREADMILL_BEFORE_DAYS
    first, _ = _span(log)
    recent = _km(log, recent_from, t)
    if recent <= 0 or first > before_from:
        return None
    before = _km(log, before_from, recent_from - 1)
    share_recent = _km(log, recent_from, t, treadmill=True) / recent
    share_before = (
        _km(log, before_from, recent_from - 1, treadmill=True) / before if before > 0 else 0.0
    )
    return bool(share_recent - share_before >= TREADMILL_MARGIN - 1e-12)


def new_shoes(log: RunLog, today: date, shoes: dict[str, ShoeInfo]) -> bool | None:
    t = day_number(today)
    since = t - NEW_SHOE_DAYS + 1
    runs = log.is_run & (log.distance_km > 0)
    recent = np.unique(log.shoe[runs & (log.shoe >= 0) & (log.day >= since)])
    if recent.shape[0] == 0:
        return None
    tracked = runs & (log.shoe >= 0)
    verdicts: list[bool | None] = []
    for code in recent.tolist():
        shoe_id = log.shoe_ids[code]
        known = shoes.get(shoe_id)
        started = known.started if known is not None else None
        if started is not None:
            verdicts.append(day_number(started) >= since)
            continue
        first_use = int(log.day[runs & (log.shoe == code)].min())
        if first_use < since:
            verdicts.append(False)
        elif np.any(tracked & (log.shoe != code) & (log.day < first_use)):
            verdicts.append(True)  # appeared after runs in other shoes: a new pair
        else:
            verdicts.append(None)  # nothing on record before it: it may be older
    if any(v is True for v in verdicts):
        return True
    if all(v is False for v in verdicts):
        return False
    return None
