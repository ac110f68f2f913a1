"""`Stridewell`: one database and one clock, and the door to each runner's services.

Everything a runner does goes through `for_runner(runner_id)` (or `local()` on a
one-person install), which returns that runner's services by area. No method below it
takes a runner id, so no call can fall back to another runner's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING

from stridewell.contract import TriageReport
from stridewell.service.accounts import Accounts
from stridewell.service.assessments import AssessmentInput, AssessmentResult, triage
from stridewell.service.backend import Backend, Clock, ReadScope, local_day, utc_now
from stridewell.service.demo import DemoRunner
from stridewell.service.runner import RunnerServices
from stridewell.storage.config import resolve_database_url
from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from stridewell.jobs.imports import ImportJobs


class Stridewell:
    """Stridewell as a library::

    with Stridewell() as sw:
        result = sw.assess({...})          # the local runner, stored
        sw.local().plans.start(result.id)  # everything else, by area
    """

    def __init__(
        self,
        database_url: str | None = None,
        *,
        clock: Clock = utc_now,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._backend = Backend(database_url or resolve_database_url(env), clock)
        self.accounts = Accounts(self._backend)
        self.demo = DemoRunner(self._backend, self.for_runner)

    @property
    def database_url(self) -> str:
        return self._backend.database_url

    @property
    def clock(self) -> Clock:
        return self._backend.clock

    def today(self) -> date:
        """Today's date in the machine's time zone, for work bound to no runner (a
        runner's own is ``for_runner(runner_id).today()``, in their zone)."""
        return local_day(self._backend.clock)

    def shared_reads(self) -> AbstractContextManager[ReadScope]:
        """Reads made within share one database session (one per web request)."""
        return self._backend.shared_reads()

    # -- runners ------------------------------------------------------------------------

    def for_runner(self, runner_id: str) -> RunnerServices:
        """The services of one runner (the signed-in one, on a server)."""
        return RunnerServices.build(self._backend, runner_id, self.for_runner)

    def import_jobs(self, runner_id: str) -> ImportJobs:
        """A runner's import jobs: queued for workers on PostgreSQL, run in process on SQLite."""
        from stridewell.jobs.imports import ImportJobs

        return ImportJobs(self._backend, runner_id)

    def local(self) -> RunnerServices:
        """The services of the local runner: the one person of a one-person install."""
        return self.for_runner(LOCAL_RUNNER_ID)

    def triage(self, data: AssessmentInput) -> TriageReport:
        """Validate and triage without storing anything (no runner, no database)."""
        return triage(data)

    def assess(self, data: AssessmentInput, *, save: bool = True) -> AssessmentResult:
        """Triage, and store for the local runner: `local().assessments.assess`."""
        return self.local().assessments.assess(data, save=save)

    # -- lifecycle ----------------------------------------------------------------------

    def upgrade_database(self) -> None:
        self._backend.store.upgrade()

    def current_revision(self) -> str | None:
        """The database's schema revision, or None if it was never set up."""
        return self._backend.store.current_revision()

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Stridewell:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
