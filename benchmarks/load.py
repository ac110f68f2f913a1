"""Training-load speed: every load metric for one runner over ten years, and for 10,000
runners with a year each, side by side with a straightforward pandas version.

Targets (issue 4): under 50 ms for ten years of one runner, under 5 s for 10,000 runners.
"All load metrics" is one `load_metrics` call: daily series and coverage, ISO weeks and
their change, rolling and EWMA acute:chronic ratios, monotony, strain and the spike of
every run. pandas is a benchmark-only dependency (`pip install pandas`); without it the
comparison column is skipped.

    .venv/bin/python benchmarks/load.py [--runners 10000] [--repeat 7] [--pandas-sample 100]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np

from stridewell.load import RunLog, load_metrics, load_metrics_many, triage_history, warnings

END = date(2026, 3, 15)


def synthetic(runners: int, days: int, seed: int = 7) -> dict[str, np.ndarray]:
    """About four runs a week per runner (5-25 km, a weekly long run), plus some rides."""
    rng = np.random.default_rng(seed)
    first = (END - date(1970, 1, 1)).days - days + 1
    per_runner = int(days * 0.62)
    runner = np.repeat(np.arange(runners), per_runner)
    day = first + rng.integers(0, days, runner.shape[0])
    km = np.round(rng.gamma(4.0, 2.5, runner.shape[0]) + 3.0, 2)
    is_run = rng.random(runner.shape[0]) < 0.9
    return {
        "runner": runner,
        "day": day,
        "km": km,
        "seconds": km * rng.uniform(270, 390, km.shape[0]),
        "is_run": is_run,
        "treadmill": is_run & (rng.random(km.shape[0]) < 0.1),
        "shoe": rng.integers(0, 3, km.shape[0]).astype(np.int32),
    }


def build(data: dict[str, np.ndarray], runners: int) -> RunLog:
    return RunLog.from_arrays(
        data["day"], data["km"], data["seconds"], is_run=data["is_run"],
        treadmill=data["treadmill"], shoe=data["shoe"], shoe_ids=("a", "b", "c"),
        runner=data["runner"], n_runners=runners,
    )  # fmt: skip


def timed(func: Callable[[], Any], repeat: int) -> float:
    """Median wall time in seconds over `repeat` runs (after one warm-up)."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pandas_metrics(pd: Any, frame: Any, start: date, end: date) -> Any:
    """The same metrics for one runner the way a pandas user would write them."""
    runs = frame[frame["is_run"]]
    index = pd.date_range(start - timedelta(days=30), end, freq="D")
    daily = runs.groupby("date")["km"].sum().reindex(index, fill_value=0.0)
    longest = runs.groupby("date")["km"].max().reindex(index, fill_value=0.0)
    acute = daily.rolling(7, min_periods=7).sum()
    chronic = daily.rolling(21, min_periods=21).sum().shift(7) / 3
    acwr = acute / chronic
    ewma_a = daily.ewm(alpha=2 / 8, adjust=False).mean()
    ewma_c = daily.ewm(alpha=2 / 29, adjust=False).mean()
    weekly = daily.resample("W-SUN").sum()
    change = weekly.pct_change() * 100
    roll = daily.rolling(7, min_periods=7)
    monotony = roll.mean() / roll.std(ddof=0)
    strain = acute * monotony
    previous = longest.rolling(30, min_periods=1).max().shift(1)
    spikes = (runs.set_index("date")["km"] / previous.reindex(runs["date"]).to_numpy() - 1) * 100
    return acwr, ewma_a / ewma_c, change, strain, spikes


def frames(pd: Any, data: dict[str, np.ndarray], runners: list[int]) -> list[Any]:
    out = []
    for r in runners:
        keep = data["runner"] == r
        out.append(
            pd.DataFrame(
                {
                    "date": pd.to_datetime(data["day"][keep].astype("datetime64[D]")),
                    "km": data["km"][keep],
                    "is_run": data["is_run"][keep],
                }
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runners", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pandas-sample", type=int, default=100, help="runners timed in pandas")
    args = parser.parse_args()
    try:
        import pandas as pd
    except ImportError:
        pd = None

    one_data = synthetic(1, 3650)
    one = build(one_data, 1)
    start = END - timedelta(days=3649)
    t_one = timed(lambda: load_metrics(one, start, END), args.repeat)
    t_notes = timed(lambda: (warnings(one, END), triage_history(one, END)), args.repeat)

    year = synthetic(args.runners, 365, seed=11)
    t_build = timed(lambda: build(year, args.runners), max(1, args.repeat // 3))
    many = build(year, args.runners)
    year_start = END - timedelta(days=364)
    t_many = timed(lambda: load_metrics_many(many, year_start, END), max(1, args.repeat // 3))

    rows = [
        ("10 years, 1 runner: all metrics", t_one, 0.050),
        ("10 years, 1 runner: warnings + triage history", t_notes, None),
        (f"{args.runners:,} runners x 1 year: RunLog.from_arrays", t_build, None),
        (f"{args.runners:,} runners x 1 year: all metrics", t_many, 5.0),
    ]
    pandas_one = pandas_many = None
    if pd is not None:
        frame = frames(pd, one_data, [0])[0]
        pandas_one = timed(lambda: pandas_metrics(pd, frame, start, END), args.repeat)
        sample = frames(pd, year, list(range(min(args.pandas_sample, args.runners))))
        per = timed(lambda: [pandas_metrics(pd, f, year_start, END) for f in sample], 1)
        pandas_many = per / len(sample) * args.runners

    print(f"rows: 10 years = {len(one):,} activities; {args.runners:,} runners = {len(many):,}")
    print(f"{'measure':52} {'stridewell':>12} {'target':>8} {'pandas':>12} {'ratio':>7}")
    for name, seconds, target in rows:
        goal = f"{target * 1000:.0f} ms" if target else ""
        other = ""
        ratio = ""
        if name.endswith("1 runner: all metrics") and pandas_one is not None:
            other, ratio = f"{pandas_one * 1000:9.1f} ms", f"{pandas_one / seconds:5.1f}x"
        if name.endswith("1 year: all metrics") and pandas_many is not None:
            other = f"{pandas_many:9.1f} s*"
            ratio = f"{pandas_many / seconds:5.0f}x"
        ok = "" if target is None else ("  ok" if seconds < target else "  MISSED")
        print(f"{name:52} {seconds * 1000:9.1f} ms {goal:>8} {other:>12} {ratio:>7}{ok}")
    if pd is None:
        print("pandas is not installed: no comparison (pip install pandas)")
    else:
        print(
            f"* pandas, one runner at a time: {args.pandas_sample} runners timed,"
            f" scaled to {args.runners:,} (pandas {pd.__version__})"
        )


if __name__ == "__main__":
    main()
