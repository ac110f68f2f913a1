"""What every runner-bound service holds: the database, the clock and where files go.

The storage layer (and so SQLAlchemy) is only imported when something is read or
written, which keeps `stridewell assess --json` quick to start.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, cast

from stridewell.service.zones import MACHINE_ZONE, stored_zone
from stridewell.storage.errors import DatabaseNotInitialised

if TYPE_CHECKING:
    from stridewell.storage.repository import Store

Clock = Callable[[], datetime]
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


def local_day(clock: Clock) -> date:
    """Today's date by ``clock`` in the machine's time zone (work bound to no runner)."""
    return clock().astimezone(MACHINE_ZONE).date()


class ReadScope(Protocol):
    """The reads of one request sharing one database session (see ``shared_reads``)."""

    @property
    def opened(self) -> bool: ...

    def close(self) -> None: ...


class Backend:
    """One database and one clock, shared by every service of one `Stridewell`."""

    def __init__(self, database_url: str, clock: Clock) -> None:
        self.database_url = database_url
        self.clock = clock
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from stridewell.storage.repository import Store

            self._store = Store(self.database_url)
        return self._store

    @property
    def store_opened(self) -> bool:
        return self._store is not None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def zone(self, runner_id: str) -> tzinfo:
        """The runner's time zone: their own, else the machine's. Kept with the runner's
        data within a web request: a new zone moves their data version (migration 0015)."""

        def read() -> str | None:
            return self.run(lambda store: store.accounts.runner_time_zone(runner_id))

        return stored_zone(self.cached(runner_id, "time zone", read))

    def today(self, runner_id: str) -> date:
        """Today's date where the runner is (in their time zone)."""
        return self.clock().astimezone(self.zone(runner_id)).date()

    def shared_reads(self) -> AbstractContextManager[ReadScope]:
        """Within it, reads share one session: one connection checkout and one
        transaction for a whole page instead of one per query; ``close()`` the scope
        (off the event loop) when the request is done."""
        from stridewell.storage.core import shared_reads

        return shared_reads()

    @contextmanager
    def page_reads(self) -> Iterator[None]:
        """Reads as a page makes them (``shared_reads``, answers kept with ``cached``),
        for work outside a page whose answers the next pages want: the plan rebuilt
        after a check-in. Within a page already, the page's scope serves."""
        from stridewell.storage.core import current_shared_reads

        if current_shared_reads() is not None:
            yield
            return
        with self.shared_reads() as scope:
            try:
                yield
            finally:
                scope.close()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per request: within ``shared_reads`` the first
        answer for ``key`` is kept until the request ends or anything is written (a page
        asks for the runner's plan several times); elsewhere computed every time."""
        from stridewell.storage.core import current_shared_reads

        scope = current_shared_reads()
        if scope is None:
            return compute()
        key = (id(self), key)
        if key in scope.memo:
            return cast(T, scope.memo[key])
        value = compute()
        scope.memo[key] = value
        return value

    def cached(
        self,
        runner_id: str,
        key: Hashable,
        compute: Callable[[], T],
        *,
        training_only: bool = False,
    ) -> T:
        """``compute()``'s answer from the runner's data, kept by this process until the
        runner's data changes (``storage.runner_cache``); within a web request only,
        elsewhere computed every time. ``key`` names everything else the answer depends
        on (the day it is worked out for, a limit). The answer is shared between
        requests: return frozen records, or copy before handing it out.
        ``training_only``: the answer is made from runs, shoes and their files alone,
        and is kept across changes of the rest (a check-in)."""
        from stridewell.storage.core import current_shared_reads

        if current_shared_reads() is None:
            return compute()
        area: Literal["all", "training"] = "training" if training_only else "all"
        return self.run(lambda store: store.cached_for_runner(runner_id, key, compute, area=area))

    def run(self, action: Callable[[Store], T]) -> T:
        """Run a storage action. A local SQLite file is set up on first use and migrated
        after an update; a shared PostgreSQL database is only migrated on request
        (`stridewell db upgrade`), since other processes may be using it."""
        try:
            return action(self.store)
        except DatabaseNotInitialised:
            if not self.database_url.startswith("sqlite"):
                raise
            self.store.upgrade()
            return action(self.store)

    def originals_dir(self, runner_id: str) -> Path:
        """Where a runner's original activity files are kept: beside a SQLite database,
        else in the data folder (``STRIDEWELL_DATA_DIR`` or the platform's)."""
        from stridewell.storage.config import default_data_dir

        if self.database_url.startswith("sqlite:///"):
            root = Path(self.database_url.removeprefix("sqlite:///")).parent
        else:
            configured = os.environ.get("STRIDEWELL_DATA_DIR", "").strip()
            root = Path(configured) if configured else default_data_dir()
        # Runner ids are ours (uuid hex or "local"), never a path from outside.
        return root / "originals" / runner_id
