"""API tokens: a runner's keys for scripts, stored only as the SHA-256 of the token.

A token belongs to one runner and reaches only that runner's data; revoking it keeps
the row (so a list shows it as revoked) and makes it unusable at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import or_, select, update

from stridewell.storage.checks import require_aware, require_filled
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.limits import TOKEN_NAME_LENGTH
from stridewell.storage.models import ApiTokenRow

_TOKEN_HASH = re.compile(r"[0-9a-f]{64}")
# "Last used" is a hint for the runner, not an audit log: marked at most this often.
USE_MARK_EVERY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class StoredApiToken:
    """A token as listed: never the token itself, nor its hash."""

    id: str
    runner_id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenRepository(Repository):
    """API tokens (``Store.tokens``)."""

    def create(
        self, runner_id: str, name: str, token_hash: str, created_at: datetime
    ) -> StoredApiToken:
        """A new token of the runner (the local runner is created on first use).
        Raises ``UnknownRunner``, ValueError for a malformed hash or name."""
        require_filled(name, TOKEN_NAME_LENGTH, "name")
        if not isinstance(token_hash, str) or not _TOKEN_HASH.fullmatch(token_hash):
            raise ValueError("token_hash must be a lower-case hex SHA-256 (64 characters)")
        created_at = require_aware(created_at, "created_at")
        row = ApiTokenRow(
            id=uuid4().hex,
            runner_id=runner_id,
            name=name,
            token_hash=token_hash,
            created_at=created_at,
            last_used_at=None,
            revoked_at=None,
        )
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id, now=created_at)
            session.add(row)
            session.flush()
            return _record(row)

    def runner_for(self, token_hash: str, now: datetime) -> str | None:
        """The runner of an unrevoked token; None for any other hash. The lookup only
        reads: ``last_used_at`` is written when it is older than ``USE_MARK_EVERY``, so a
        script's requests do not each take the database's write lock."""
        now = require_aware(now, "now")
        live = (ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None))
        query = select(ApiTokenRow.id, ApiTokenRow.runner_id, ApiTokenRow.last_used_at)
        with self._read_session() as session:
            found = session.execute(query.where(*live)).one_or_none()
        if found is None:
            return None
        token_id, runner_id, last_used = found
        if last_used is None or last_used <= now - USE_MARK_EVERY:
            stale = or_(
                ApiTokenRow.last_used_at.is_(None),
                ApiTokenRow.last_used_at <= now - USE_MARK_EVERY,
            )
            with self._write_session() as session:
                session.execute(
                    update(ApiTokenRow)
                    .where(ApiTokenRow.id == token_id, stale)
                    .values(last_used_at=now)
                )
        return str(runner_id)

    def of_runner(self, runner_id: str) -> list[StoredApiToken]:
        """The runner's tokens, newest first, revoked ones included."""
        query = (
            select(ApiTokenRow)
            .where(ApiTokenRow.runner_id == runner_id)
            .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id)
        )
        with self._read_session() as session:
            return [_record(row) for row in session.scalars(query)]

    def revoke(self, runner_id: str, token_id: str, now: datetime) -> bool:
        """Revoke one of the runner's tokens; False if the runner has no such token
        (another runner's token id is not found either)."""
        now = require_aware(now, "now")
        mine = (ApiTokenRow.id == token_id, ApiTokenRow.runner_id == runner_id)
        with self._write_session() as session:
            session.execute(
                update(ApiTokenRow)
                .where(*mine, ApiTokenRow.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return session.scalar(select(ApiTokenRow.id).where(*mine)) is not None


def _record(row: ApiTokenRow) -> StoredApiToken:
    return StoredApiToken(
        id=row.id,
        runner_id=row.runner_id,
        name=row.name,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
