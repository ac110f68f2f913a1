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
    zero = np.zeros((*x.shape[:-1], 1), dtype=np.float64)
    total = np.concatenate((zero, np.cumsum(x, axis=-1, dtype=np.float64)), axis=-1)
    days = x.shape[-1]
    lower = np.maximum(np.arange(1, days + 1) - width, 0)
    out: F64 = total[..., 1:] - total[..., lower]
    return out


def window_all(flags: Bools, width: int) -> Bools:
    """True where all `width` days ending on each day are set (and the window fits)."""
    counts = window_sum(flags.astype(np.float64), width)
    out: Bools = counts >= width - 0.5  # counts are small integers: exact in float64
    return out


def window_max(x: F64, width: int) -> F64:
    """Maximum over the `width` days ending on each day; zero-padded before the first day.

    Doubling (a sparse table): after k steps each cell holds the max of 2**k days, and two
    overlapping power-of-two spans cover any width. O(days x log(width)), no Python loop
    over days.
    """
    best = x.copy()
    span = 1
    while span * 2 <= width:
        best = np.maximum(best, shift(best, span))
        span *= 2
    if span < width:
        best = np.maximum(best, shift(best, width - span))
    return best


def ewma(x: F64, n: int, *, block: int = 64) -> F64:
    """Exponentially weighted moving average, lambda = 2 / (n + 1), started from zero.

    y[t] = lambda * x[t] + (1 - lambda) * y[t-1] (Williams et al. 2017), with y[-1] = 0.
    Computed block by block: inside a block of B days the recursion is a fixed B x B
    lower-triangular matrix of decay weights, so each block is one matrix product for all
    runners, and only the last value carries into the next block. Decay weights are at most
    1, so nothing overflows however long the series.
    """
    lam = 2.0 / (n + 1.0)
    days = x.shape[-1]
    flat = x.reshape(-1, days)
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


def ewma_seeded(x: F64, n: int, first: npt.NDArray[np.int64], seed: F64) -> F64:
    """EWMA per row that starts on day `first[r]` with y[first - 1] = seed[r].

    The recursion is linear, so the seeded series is the zero-started one plus the seed
    decaying from the start day: seed * (1 - lambda) ** (t - first + 1). Days before
    `first` are NaN. Rows are runners; a 1-D `x` takes 0-d `first` and `seed`.
    """
    lam = 2.0 / (n + 1.0)
    days = x.shape[-1]
    flat = x.reshape(-1, days)
    starts = np.asarray(first, np.int64).reshape(-1, 1)
    seeds = np.asarray(seed, np.float64).reshape(-1, 1)
    t = np.arange(days)[None, :]
    zeroed = np.where(t >= starts, flat, 0.0)
    lag = t - starts + 1
    decay = np.where(lag > 0, (1.0 - lam) ** np.maximum(lag, 0), 0.0)
    out = np.where(t >= starts, ewma(zeroed, n) + seeds * decay, np.nan)
    result: F64 = out.reshape(x.shape)
    return result


def ratio(numerator: F64, denominator: F64, valid: Bools) -> F64:
    """numerator / denominator where `valid` and the denominator is positive, else NaN."""
    ok = valid & (denominator > 0)
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=ok)
    return out


def monotony(load: F64, covered: Bools, width: int = 7) -> F64:
    """Foster's monotony: mean / SD of daily load over the `width` days ending each day.

    The SD is the population SD (ddof=0): the week is the whole of what is described, not a
    sample of it. Identical days (SD zero) make monotony unbounded: NaN, as for windows not
    fully recorded. The windows are taken exactly (a strided view), not from cumulative
    sums, so a constant week gives an SD of exactly zero rather than rounding noise.
    """
    padded = np.concatenate((np.zeros((*load.shape[:-1], width - 1)), load), axis=-1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=-1)
    mean = windows.mean(axis=-1)
    sd = windows.std(axis=-1)
    return ratio(mean, sd, window_all(covered, width) & (sd > _SD_EPS * (1.0 + mean)))
