"""The demo runner: a runner of its own for made-up data (``Store.demo``).

Demo data never lives with a real runner: a demo shoe would collect the runner's imported
runs, and demo assessments would steer the runner's reports. It belongs to one runner,
marked ``is_demo``, that has no account and goes, with everything it holds, in one delete.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from stridewell.storage.checks import require_aware
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.models import RunnerRow
from stridewell.storage.records import DEMO_RUNNER_ID, DEMO_RUNNER_NAME, LOCAL_RUNNER_ID


class DemoRepository(Repository):
    """Create, find and remove the demo runner."""

    def database_is_empty(self) -> bool:
        """True while the database holds no runner at all: nobody has used it yet."""
        with self._read_session() as session:
            return not session.scalar(select(exists().where(RunnerRow.id.is_not(None))))

    def demo_runner_exists(self) -> bool:
        with self._read_session() as session:
            return bool(session.scalar(select(exists().where(_is_the_demo_runner()))))

    def create_demo_runner(self, now: datetime) -> bool:
        """Create the demo runner unless it exists; True if this call created it."""
        now = require_aware(now, "now")
        with self._write_session() as session:
            dialect = session.get_bind().dialect.name
            insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
            # "Insert unless present" in one statement: two processes cannot collide.
            result = session.execute(
                insert(RunnerRow)
                .values(id=DEMO_RUNNER_ID, name=DEMO_RUNNER_NAME, created_at=now, is_demo=True)
                .on_conflict_do_nothing(index_elements=[RunnerRow.id])
                .returning(RunnerRow.id)
            )
            return result.first() is not None

    def remove_demo_runner(self, now: datetime) -> bool:
        """Delete the demo runner and all it holds; False if there was none.

        The local runner is created in the same transaction (if missing): the database is
        then no longer empty, so `make run` does not bring the demo back.
        """
        now = require_aware(now, "now")
        with self._write_session() as session:
            ensure_runner_exists(session, LOCAL_RUNNER_ID, now=now)
            # Its assessments, journal, plans, shoes and the rest go with it (ON DELETE
            # CASCADE); only a runner marked as the demo can match.
            result = session.execute(delete(RunnerRow).where(_is_the_demo_runner()))
            return bool(getattr(result, "rowcount", 0))


def _is_the_demo_runner() -> ColumnElement[bool]:
    return (RunnerRow.id == DEMO_RUNNER_ID) & RunnerRow.is_demo.is_(True)
