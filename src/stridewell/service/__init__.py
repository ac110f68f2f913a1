"""The Stridewell service: the one typed boundary the CLI, the web app and library users
share. `Stridewell(...).for_runner(runner_id)` gives one runner's services by area.

The names below are imported on first use (PEP 562), so that a module of this package
(`service.quick_assess`, used by `stridewell assess --json`) can be imported without
loading every service area.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stridewell.service.backend import Clock, utc_now
    from stridewell.service.core import Stridewell
    from stridewell.service.quick_assess import AssessmentResult
    from stridewell.service.runner import RunnerServices

__all__ = ["AssessmentResult", "Clock", "RunnerServices", "Stridewell", "utc_now"]

_HOMES = {
    "AssessmentResult": "stridewell.service.quick_assess",
    "Clock": "stridewell.service.backend",
    "RunnerServices": "stridewell.service.runner",
    "Stridewell": "stridewell.service.core",
    "utc_now": "stridewell.service.backend",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
