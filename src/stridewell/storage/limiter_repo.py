"""Counters of attempts per key and window, shared by every server process.

A counter is one row per key, incremented in one ``INSERT .. ON CONFLICT DO UPDATE ..
RETURNING`` statement: the database serialises the writers of one key, so twelve
parallel attempts against a limit of five read the counts 1..12 and exactly five of
them are let through, whatever process or thread they come from. A row whose window has
ended starts over at 1 on its next attempt, and ``forget_expired`` deletes the rows no
longer needed, so the table holds only what its windows still count.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, case, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from stridewell.storage.checks import require_aware, require_filled
from stridewell.storage.core import Repository
from stridewell.storage.db import UTCDateTime
from stridewell.storage.limits import LIMITER_KEY_LENGTH
from stridewell.storage.models import LimiterCounterRow


class LimiterRepository(Repository):
    """Attempt counters (``Store.limiter``)."""

    def hit(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one attempt for ``key`` and return the attempts in its window so far,
        this one included (1 for the first attempt of a new window)."""
        require_filled(key, LIMITER_KEY_LENGTH, "key")
        now = require_aware(now, "now")
        ends = now + window
        row = cast(Table, LimiterCounterRow.__table__)
        with self._write_session() as session:
            dialect = session.get_bind().dialect.name
            insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
            fresh = insert(row).values(key=key, window_started_at=now, expires_at=ends, attempts=1)
            # Typed literals: stored exactly as the column stores its values.
            at, until = literal(now, UTCDateTime()), literal(ends, UTCDateTime())
            ended = row.c.expires_at <= at
            statement = fresh.on_conflict_do_update(
                index_elements=[row.c.key],
                set_={
                    "attempts": case((ended, 1), else_=row.c.attempts + 1),
                    "window_started_at": case((ended, at), else_=row.c.window_started_at),
                    "expires_at": case((ended, until), else_=row.c.expires_at),
                },
            ).returning(row.c.attempts)
            count = session.execute(statement).scalar_one()
        return int(count)

    def refund(self, key: str) -> None:
        """Take one attempt back (a sign-in that turned out right)."""
        with self._write_session() as session:
            session.execute(
                update(LimiterCounterRow)
                .where(LimiterCounterRow.key == key, LimiterCounterRow.attempts > 0)
                .values(attempts=LimiterCounterRow.attempts - 1)
            )

    def clear(self, key: str) -> None:
        """Forget the key's attempts."""
        with self._write_session() as session:
            session.execute(delete(LimiterCounterRow).where(LimiterCounterRow.key == key))

    def retry_after(self, key: str, now: datetime) -> int:
        """Seconds until the key's window ends (0 if it has none)."""
        now = require_aware(now, "now")
        with self._read_session() as session:
            row = session.get(LimiterCounterRow, key)
        if row is None or row.expires_at <= now:
            return 0
        return max(1, int((row.expires_at - now).total_seconds()) + 1)

    def forget_expired(self, now: datetime) -> int:
        """Delete the counters whose window has ended; returns how many there were."""
        now = require_aware(now, "now")
        with self._write_session() as session:
            result = session.execute(
                delete(LimiterCounterRow).where(LimiterCounterRow.expires_at <= now)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def ping(self) -> None:
        """One trivial query: raises ``DatabaseError`` when the database does not answer."""
        with self._read_session() as session:
            session.execute(select(literal(1)))

    def count(self) -> int:
        """How many counters are kept (for tests and the operator)."""
        with self._read_session() as session:
            return int(session.scalar(select(func.count()).select_from(LimiterCounterRow)) or 0)
