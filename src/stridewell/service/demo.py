"""The demo runner's place in a database: whether it is there, adding it, removing it.

Demo data belongs to a runner of its own (``DEMO_RUNNER_ID``), never to a real runner:
its shoes cannot collect a real runner's imported runs, nor its assessments steer a real
runner's report. What goes into it is ``stridewell.demo``.
"""

from __future__ import annotations

from collections.abc import Callable

from stridewell.service.backend import Backend
from stridewell.service.runner import RunnerServices
from stridewell.storage.records import DEMO_RUNNER_ID, DEMO_RUNNER_NAME

__all__ = ["DEMO_RUNNER_ID", "DEMO_RUNNER_NAME", "DemoRunner"]


class DemoRunner:
    """``Stridewell.demo``: the demo runner of this database."""

    def __init__(self, backend: Backend, open_runner: Callable[[str], RunnerServices]) -> None:
        self._backend = backend
        self._open_runner = open_runner

    def exists(self) -> bool:
        return self._backend.run(lambda store: store.demo.demo_runner_exists())

    def database_is_empty(self) -> bool:
        """Nobody has used this database yet (no runner at all, demo or real)."""
        return self._backend.run(lambda store: store.demo.database_is_empty())

    def create(self) -> bool:
        """Add the (empty) demo runner unless it is there; True if this call added it."""
        now = self._backend.clock()
        return self._backend.run(lambda store: store.demo.create_demo_runner(now))

    def services(self) -> RunnerServices:
        """The demo runner's services, like any runner's."""
        return self._open_runner(DEMO_RUNNER_ID)

    def remove(self) -> bool:
        """Remove the demo runner with all its data; False if there was none."""
        now = self._backend.clock()
        return self._backend.run(lambda store: store.demo.remove_demo_runner(now))
