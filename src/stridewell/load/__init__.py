"""Training load: pure, vectorised metrics over a runner's (or many runners') activities.

No database, no I/O, no clock: activities come in as a `RunLog`, days are local calendar
days, and "today" is always passed in.
"""

from stridewell.load.history import ShoeInfo, triage_history
from stridewell.load.kernels import ewma
from stridewell.load.metrics import LoadMetrics, load_metrics, load_metrics_many
from stridewell.load.notes import Note, warnings
from stridewell.load.runlog import RunLog, day_date, day_number
from stridewell.load.series import DailySeries, WeeklySeries, daily_matrix, daily_series, weekly
from stridewell.load.spikes import BANDS, HAZARD_RATIOS, RunSpikes, run_spikes, spike_band

__all__ = [
    "BANDS",
    "HAZARD_RATIOS",
    "DailySeries",
    "LoadMetrics",
    "Note",
    "RunLog",
    "RunSpikes",
    "ShoeInfo",
    "WeeklySeries",
    "daily_matrix",
    "daily_series",
    "day_date",
    "day_number",
    "ewma",
    "load_metrics",
    "load_metrics_many",
    "run_spikes",
    "spike_band",
    "triage_history",
    "warnings",
    "weekly",
]
