"""Array kernels over daily series: the last axis is days, any leading axes are runners.

Every kernel works on a 1-D series (one runner) and on a 2-D array (runners x days) in the
same NumPy calls, so ten thousand runners cost a few array passes rather than ten
thousand Python loops. Windows that reach before the first day are partial; callers mask
them with the coverage of recorded days.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

# Below this, a standard deviation is floating-point noise from identical days.
_SD_EPS = 1e-9


def shift(x: F64, by: int, fill: float = 0.0) -> F64:
    """`x` moved `by` days later along the last axis: out[t] = x[t - by]."""
    if by <= 0:
        return x.copy()
    out = np.full_like(x, fill)
    if by < x.shape[-1]:
        out[..., by:] = x[..., :-by]
    return out


def window_sum(x: F64, width: int) -> F64:
    """Sum over the `width` days ending on each day (inclusive), by cumulative sums."""
    total = np.cumsum(x, axis=-1, dtype=np.float64)
    if width >= x.shape[-1]:
        return total
    out = np.empty_like(total)
    out[..., :width] = total[..., :width]
    np.subtract(total[..., width:], total[..., :-width], out=out[..., width:])
    return out


def interval_all(covered: Bools, width: int) -> Bools:
    """True where all `width` days ending on each day are set, for masks that are one
    unbroken run of days per row, as coverage is (first to last record): a window lies
    inside the run when both of its ends do. Windows reaching before day 0 are False."""
    out = np.zeros_like(covered)
    if width <= covered.shape[-1]:
        out[..., width - 1 :] = (
            covered[..., width - 1 :] & covered[..., : covered.shape[-1] - width + 1]
        )
    return out


def window_max(x: F64, width: int) -> F64:
    """Maximum over the `width` days ending on each day (fewer days at the very start).

    Doubling (a sparse table): after k steps each cell holds the max of 2**k days, and two
    overlapping power-of-two spans cover any width. O(days x log(width)), no Python loop
    over days.
    """
    best = x.copy()
    span = 1
    while span * 2 <= width and span < x.shape[-1]:
        best[..., span:] = np.maximum(best[..., span:], best[..., :-span])
        span *= 2
    rest = width - span
    if 0 < rest < x.shape[-1]:
        best[..., rest:] = np.maximum(best[..., rest:], best[..., :-rest])
    return best


# Above this many rows, the EWMA steps through days with all runners at once; below it,
# matrix blocks (few rows, many days) avoid a Python loop over ten years of days.
_ROWS_FOR_DAY_LOOP = 64


def ewma(x: F64, n: int, *, block: int = 64) -> F64:
    """Exponentially weighted moving average, lambda = 2 / (n + 1), started from zero.

    y[t] = lambda * x[t] + (1 - lambda) * y[t-1] (Williams et al. 2017), with y[-1] = 0.
    Many runners: one loop over days, each step a vector operation across all runners.
    Few runners: block by block, where inside a block of B days the recursion is a fixed
    B x B lower-triangular matrix of decay weights, so each block is one matrix product
    and only the last value carries into the next block. Decay weights are at most 1, so
    nothing overflows however long the series.
    """
    lam = 2.0 / (n + 1.0)
    days = x.shape[-1]
    flat = x.reshape(-1, days)
    if flat.shape[0] >= _ROWS_FOR_DAY_LOOP:
        return _ewma_day_loop(flat, lam).reshape(x.shape)
    out = np.empty_like(flat, dtype=np.float64)
    j = np.arange(block)
    lag = j[:, None] - j[None, :]
    weights = np.where(lag >= 0, lam * (1.0 - lam) ** np.maximum(lag, 0), 0.0).T
    carry = (1.0 - lam) ** (j + 1.0)
    prev = np.zeros(flat.shape[0])
    for start in range(0, days, block):
        part = flat[:, start : start + block]
        width = part.shape[1]
        values = part @ weights[:width, :width] + prev[:, None] * carry[:width]
        out[:, start : start + width] = values
        prev = values[:, -1]
    return out.reshape(x.shape)


def _ewma_day_loop(flat: F64, lam: float) -> F64:
    # Days along the first axis so each step reads and writes one contiguous row.
    by_day = np.ascontiguousarray(flat.T) * lam
    keep = 1.0 - lam
    for t in range(1, by_day.shape[0]):
        row = by_day[t]
        row += keep * by_day[t - 1]
    out: F64 = by_day.T
    return out


def ewma_seeded(x: F64, n: int, first: npt.NDArray[np.int64], seed: F64) -> F64:
    """EWMA per row that starts on day `first[r]` with y[first - 1] = seed[r].

    The recursion is linear, so a start value is the same as one extra input on the first
    day: x[first] + seed * (1 - lambda) / lambda, run from zero. One element per row, not
    a decay term per day. Days before `first` are NaN; a `first` past the end leaves the
    whole row NaN. Rows are runners; a 1-D `x` takes 0-d `first` and `seed`.
    """
    lam = 2.0 / (n + 1.0)
    days = x.shape[-1]
    flat = x.reshape(-1, days)
    starts = np.asarray(first, np.int64).reshape(-1)
    seeds = np.asarray(seed, np.float64).reshape(-1)
    started = np.arange(days)[None, :] >= starts[:, None]
    inputs = np.where(started, flat, 0.0)
    rows = np.flatnonzero(starts < days)
    inputs[rows, starts[rows]] += seeds[rows] * (1.0 - lam) / lam
    out = np.where(started, ewma(inputs, n), np.nan)
    result: F64 = out.reshape(x.shape)
    return result


def ratio(numerator: F64, denominator: F64, valid: Bools) -> F64:
    """numerator / denominator where `valid` and the denominator is positive, else NaN."""
    ok = valid & (denominator > 0)
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=ok)
    return out


def monotony(load: F64, recorded: Bools, width: int = 7) -> F64:
    """Foster's monotony: mean / SD of daily load over the `width` days ending each day.

    The SD is the population SD (ddof=0): the week is the whole of what is described, not a
    sample of it. Monotony is NaN where the window is not fully `recorded`, and where the
    days are identical (SD zero: monotony unbounded). Variance comes from window sums of
    the load minus each row's mean (small sums lose less to rounding); a window with no
    day-to-day change gets an SD of exactly zero, so rounding noise never passes for spread.
    """
    days = load.shape[-1]
    centre = load.mean(axis=-1, keepdims=True) if days else np.zeros((*load.shape[:-1], 1))
    dev = load - centre
    mean_dev = window_sum(dev, width) / width
    var = np.maximum(window_sum(dev * dev, width) / width - mean_dev * mean_dev, 0.0)
    # A window without any day-to-day change: its running sum of |changes| does not move,
    # so the difference of two equal cumulative sums is exactly zero.
    steps = np.abs(np.diff(load, axis=-1, prepend=load[..., :1]))
    flat = window_sum(steps, width - 1) == 0.0 if width > 1 else np.ones(load.shape, bool)
    sd = np.where(flat, 0.0, np.sqrt(var))
    mean = mean_dev + centre
    return ratio(mean, sd, recorded & (sd > _SD_EPS * (1.0 + np.abs(mean))))
