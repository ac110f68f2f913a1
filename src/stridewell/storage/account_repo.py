"""Multi-user accounts: logins, signed-in sessions, sharing with coaches, and deletion.

Each account is one runner (``runners`` row plus an ``accounts`` row, created together).
Passwords arrive already hashed, and session and invite tokens as the hex SHA-256 of the
token: the raw secrets never reach the database, and no error message echoes an email,
a password hash or a token hash. A runner shares their data with a coach by an invite
(``create_share``) that one coach account accepts once; revoking it ends the coach's view.
Deleting a runner removes everything of theirs through ``ON DELETE CASCADE``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, cast
from uuid import uuid4

from sqlalchemy import CursorResult, Row, bindparam, delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from stridewell.storage.checks import require_aware, require_filled, require_text
from stridewell.storage.core import Repository, ensure_runner_exists
from stridewell.storage.errors import EmailTaken, UnknownRunner
from stridewell.storage.limits import (
    EMAIL_LENGTH,
    RUNNER_NAME_LENGTH,
    TIME_ZONE_LENGTH,
)
from stridewell.storage.models import (
    AccountRow,
    ApiTokenRow,
    LoginSessionRow,
    RunnerRow,
    RunnerVersionRow,
    ShareRow,
)
from stridewell.storage.records import (
    ACCOUNT_ROLES,
    ROLE_COACH,
    StoredAccount,
    StoredRunner,
    StoredShare,
)
from stridewell.text import normal_email

# Lower-case hex SHA-256 only: "AB.." and "ab.." would be two hashes of one token, and
# anything else (a raw token, say) must not be stored by mistake.
_TOKEN_HASH = re.compile(r"[0-9a-f]{64}")

_Coach = aliased(RunnerRow, name="coach")

_ACCOUNTS = select(AccountRow, RunnerRow.name).join(RunnerRow, RunnerRow.id == AccountRow.runner_id)
_SIGNED_IN = (
    select(
        AccountRow, RunnerRow.name, RunnerVersionRow.data_version, RunnerVersionRow.training_version
    )
    .join(RunnerRow, RunnerRow.id == AccountRow.runner_id)
    .outerjoin(RunnerVersionRow, RunnerVersionRow.runner_id == AccountRow.runner_id)
    .join(LoginSessionRow, LoginSessionRow.runner_id == AccountRow.runner_id)
    .where(
        LoginSessionRow.token_hash == bindparam("token_hash"),
        LoginSessionRow.expires_at > bindparam("now"),
    )
)
_SHARES = (
    select(ShareRow, RunnerRow.name, _Coach.name)
    .join(RunnerRow, RunnerRow.id == ShareRow.runner_id)
    .outerjoin(_Coach, _Coach.id == ShareRow.coach_id)
)


class AccountRepository(Repository):
    """Accounts, sessions, shares and deleting runners (``Store.accounts``)."""

    # -- accounts -----------------------------------------------------------------------

    def create_account(
        self,
        *,
        email: str,
        name: str,
        role: str,
        password_hash: str,
        created_at: datetime,
        time_zone: str | None = None,
    ) -> StoredAccount:
        """A new runner called ``name`` with a login, in one transaction.

        ``email`` is stored in ``text.normal_email``'s form; ``role`` is one of
        ``ACCOUNT_ROLES``. Raises ``EmailTaken`` if an account has that email (in any
        case, also when two sign-ups race), TypeError/ValueError for unstorable values.
        ``time_zone`` is the runner's zone name, already checked against the zone database
        (None: the machine's)."""
        email = _normal_email(email)
        require_filled(name, RUNNER_NAME_LENGTH, "name")
        _check_role(role)
        _check_password_hash(password_hash)
        created_at = require_aware(created_at, "created_at")
        if time_zone is not None:
            require_filled(time_zone, TIME_ZONE_LENGTH, "time_zone")
        record = StoredAccount(
            runner_id=uuid4().hex,
            email=email,
            name=name,
            role=role,
            password_hash=password_hash,
            created_at=created_at,
            password_changed_at=created_at,
        )
        with self._write_session() as session:
            if session.scalar(select(exists().where(AccountRow.email == email))):
                raise EmailTaken()
            session.add(
                RunnerRow(
                    id=record.runner_id, name=name, created_at=created_at, time_zone=time_zone
                )
            )
            # Flushed first: with no ORM relationship between them, nothing else would
            # order the runner's insert before its account's.
            session.flush()
            session.add(
                AccountRow(
                    runner_id=record.runner_id,
                    email=email,
                    password_hash=password_hash,
                    role=role,
                    created_at=created_at,
                    password_changed_at=created_at,
                )
            )
            try:
                session.flush()
            except IntegrityError as error:
                # Another sign-up with this email committed after the check above (on
                # PostgreSQL; SQLite's writers take turns). `from None`: the driver's
                # message quotes the email.
                if _violates(error, "accounts", "email"):
                    raise EmailTaken() from None
                raise
        return record

    def account_by_email(self, email: str) -> StoredAccount | None:
        """The account with this email (compared in ``text.normal_email``'s one form)."""
        query = _ACCOUNTS.where(AccountRow.email == normal_email(require_text(email, "email")))
        with self._read_session() as session:
            return _to_account(session.execute(query).one_or_none())

    def account_by_runner(self, runner_id: str) -> StoredAccount | None:
        """The runner's account; None if there is none (e.g. the local runner)."""
        query = _ACCOUNTS.where(AccountRow.runner_id == runner_id)
        with self._read_session() as session:
            return _to_account(session.execute(query).one_or_none())

    def set_password(self, runner_id: str, password_hash: str, changed_at: datetime) -> None:
        """Replace the password hash and sign the runner out everywhere (every session
        deleted, every API token revoked), in one transaction: after a leak, changing the
        password locks out whoever holds a copy of either. Raises ``UnknownRunner`` if
        there is no account."""
        _check_password_hash(password_hash)
        changed_at = require_aware(changed_at, "changed_at")
        with self._write_session() as session:
            result = session.execute(
                update(AccountRow)
                .where(AccountRow.runner_id == runner_id)
                .values(password_hash=password_hash, password_changed_at=changed_at)
            )
            if _rowcount(result) != 1:
                raise UnknownRunner(runner_id)
            session.execute(delete(LoginSessionRow).where(LoginSessionRow.runner_id == runner_id))
            session.execute(
                update(ApiTokenRow)
                .where(ApiTokenRow.runner_id == runner_id, ApiTokenRow.revoked_at.is_(None))
                .values(revoked_at=changed_at)
            )

    # -- sessions -----------------------------------------------------------------------

    def create_session(
        self, runner_id: str, token_hash: str, created_at: datetime, expires_at: datetime
    ) -> None:
        """Record a signed-in session, valid while ``now < expires_at``.

        ``token_hash`` is the lower-case hex SHA-256 of the cookie's token. Raises
        ``UnknownRunner`` unless the runner has an account, ValueError for a malformed
        hash or an ``expires_at`` not after ``created_at``.
        """
        _check_token_hash(token_hash, "token_hash")
        created_at = require_aware(created_at, "created_at")
        expires_at = require_aware(expires_at, "expires_at")
        if expires_at <= created_at:
            raise ValueError("expires_at must be after created_at")
        with self._write_session() as session:
            if not session.scalar(select(exists().where(AccountRow.runner_id == runner_id))):
                raise UnknownRunner(runner_id)
            session.add(
                LoginSessionRow(
                    token_hash=token_hash,
                    runner_id=runner_id,
                    created_at=created_at,
                    expires_at=expires_at,
                )
            )

    def session_runner(self, token_hash: str, now: datetime) -> str | None:
        """The runner signed in by this session, or None if it is unknown or expired."""
        now = require_aware(now, "now")
        query = select(LoginSessionRow.runner_id).where(
            LoginSessionRow.token_hash == token_hash, LoginSessionRow.expires_at > now
        )
        with self._read_session() as session:
            return session.scalar(query)

    def session_account(self, token_hash: str, now: datetime) -> StoredAccount | None:
        """The account signed in by this session, or None if it is unknown or expired:
        ``session_runner`` and ``account_by_runner`` in one query (every page asks)."""
        now = require_aware(now, "now")
        with self._read_session() as session:
            bound = {"token_hash": token_hash, "now": now}
            found = session.execute(_SIGNED_IN, bound).one_or_none()
        if found is None:
            return None
        row, name, data_version, training_version = found
        # The page that follows asks for the runner's data versions first (to find its
        # kept answers): read here, in the same statement, they cost no query of their own.
        if data_version is not None and training_version is not None:
            self._core.remember_versions(row.runner_id, (data_version, training_version))
        return _to_account((row, name))

    def delete_session(self, token_hash: str) -> None:
        """Sign one session out (nothing happens if it is unknown)."""
        with self._write_session() as session:
            session.execute(delete(LoginSessionRow).where(LoginSessionRow.token_hash == token_hash))

    def delete_sessions(self, runner_id: str) -> None:
        """Sign the runner out everywhere."""
        with self._write_session() as session:
            session.execute(delete(LoginSessionRow).where(LoginSessionRow.runner_id == runner_id))

    def purge_expired_sessions(self, now: datetime) -> int:
        """Delete every session expired at ``now``; returns how many there were."""
        now = require_aware(now, "now")
        with self._write_session() as session:
            result = session.execute(
                delete(LoginSessionRow).where(LoginSessionRow.expires_at <= now)
            )
            return _rowcount(result)

    # -- shares -------------------------------------------------------------------------

    def create_share(self, runner_id: str, invite_hash: str, created_at: datetime) -> StoredShare:
        """A pending invite from the runner, known by the lower-case hex SHA-256 of its
        token. Raises ``UnknownRunner``, ValueError for a malformed or reused hash."""
        _check_token_hash(invite_hash, "invite_hash")
        created_at = require_aware(created_at, "created_at")
        row = ShareRow(
            id=uuid4().hex,
            runner_id=runner_id,
            invite_hash=invite_hash,
            coach_id=None,
            created_at=created_at,
            accepted_at=None,
            revoked_at=None,
        )
        with self._write_session() as session:
            runner_name = session.scalar(select(RunnerRow.name).where(RunnerRow.id == runner_id))
            if runner_name is None:
                raise UnknownRunner(runner_id)
            session.add(row)
            try:
                session.flush()
            except IntegrityError as error:
                if _violates(error, "shares", "invite_hash"):
                    raise ValueError("invite_hash is already in use") from None
                raise
            return _share_record(row, runner_name, None)

    def accept_share(self, invite_hash: str, coach_id: str, now: datetime) -> StoredShare | None:
        """The coach accepts the invite; returns the now active share.

        None if the invite is unknown or revoked, if ``coach_id`` is not a coach's
        account or is the sharing runner, or if another coach accepted it already. The
        coach who accepted it gets the share back unchanged. Two coaches accepting at
        once: one gets the share, the other None.
        """
        now = require_aware(now, "now")
        with self._write_session() as session:
            # Locked, so that a concurrent acceptance waits and then sees this one.
            row = session.scalars(
                select(ShareRow)
                .where(ShareRow.invite_hash == invite_hash)
                .with_for_update(key_share=True)
            ).one_or_none()
            if row is None or row.revoked_at is not None or row.runner_id == coach_id:
                return None
            role = session.scalar(select(AccountRow.role).where(AccountRow.runner_id == coach_id))
            if role != ROLE_COACH:
                return None
            if row.accepted_at is not None:
                return _share_in(session, row.id) if row.coach_id == coach_id else None
            row.coach_id = coach_id
            row.accepted_at = now
            session.flush()
            return _share_in(session, row.id)

    def revoke_share(self, share_id: str, runner_id: str, now: datetime) -> bool:
        """The runner withdraws a share, pending or accepted: its coach can no longer
        view their data and the invite can no longer be accepted. True if the share is
        the runner's (revoking again keeps the first ``revoked_at``), else False."""
        now = require_aware(now, "now")
        mine = (ShareRow.id == share_id, ShareRow.runner_id == runner_id)
        with self._write_session() as session:
            result = session.execute(
                update(ShareRow).where(*mine, ShareRow.revoked_at.is_(None)).values(revoked_at=now)
            )
            if _rowcount(result) == 1:
                return True
            return bool(session.scalar(select(exists().where(*mine))))

    def shares_of_runner(self, runner_id: str) -> list[StoredShare]:
        """The runner's shares, newest first: pending, accepted and revoked ones."""
        query = _SHARES.where(ShareRow.runner_id == runner_id).order_by(
            ShareRow.created_at.desc(), ShareRow.id.desc()
        )
        with self._read_session() as session:
            return [_share_record(*row) for row in session.execute(query)]

    def runners_shared_with(self, coach_id: str) -> list[StoredShare]:
        """The coach's active shares by runner name, one per runner (a runner whose two
        invites the coach accepted appears once, with the earlier acceptance)."""
        query = _SHARES.where(ShareRow.coach_id == coach_id, *_active()).order_by(
            RunnerRow.name, ShareRow.runner_id, ShareRow.accepted_at, ShareRow.id
        )
        shares: dict[str, StoredShare] = {}
        with self._read_session() as session:
            for row in session.execute(query):
                share = _share_record(*row)
                shares.setdefault(share.runner_id, share)
        return list(shares.values())

    def coach_can_view(self, coach_id: str, runner_id: str) -> bool:
        """Whether the coach holds an active share of the runner's data."""
        query = select(
            exists().where(
                ShareRow.coach_id == coach_id, ShareRow.runner_id == runner_id, *_active()
            )
        )
        with self._read_session() as session:
            return bool(session.scalar(query))

    # -- runners ------------------------------------------------------------------------

    def runner(self, runner_id: str) -> StoredRunner | None:
        """The runner's name and time zone; None if there is no such runner (yet)."""
        query = select(RunnerRow.name, RunnerRow.time_zone).where(RunnerRow.id == runner_id)
        with self._read_session() as session:
            found = session.execute(query).one_or_none()
        return None if found is None else StoredRunner(runner_id, found[0], found[1])

    def runner_time_zone(self, runner_id: str) -> str | None:
        """The runner's IANA time zone name; None when unset (or no such runner yet)."""
        query = select(RunnerRow.time_zone).where(RunnerRow.id == runner_id)
        with self._read_session() as session:
            return session.scalar(query)

    def set_runner_time_zone(self, runner_id: str, time_zone: str | None) -> None:
        """Store the runner's time zone name (None: the machine's own). The local runner is
        made on first use; raises ``UnknownRunner`` for another unknown runner. The name is
        the caller's to check against the zone database."""
        if time_zone is not None:
            require_filled(time_zone, TIME_ZONE_LENGTH, "time_zone")
        with self._write_session() as session:
            ensure_runner_exists(session, runner_id)
            session.execute(
                update(RunnerRow).where(RunnerRow.id == runner_id).values(time_zone=time_zone)
            )

    def delete_runner(self, runner_id: str) -> bool:
        """Delete the runner and everything of theirs: assessments, journal, plans,
        exercise logs, activities, shoes, imported files, account, sessions, and shares
        both as the runner and as the coach. False if there was no such runner."""
        with self._write_session() as session:
            result = session.execute(delete(RunnerRow).where(RunnerRow.id == runner_id))
            return _rowcount(result) == 1


def _active() -> tuple[Any, ...]:
    return (ShareRow.accepted_at.is_not(None), ShareRow.revoked_at.is_(None))


def _share_in(session: Session, share_id: str) -> StoredShare:
    return _share_record(*session.execute(_SHARES.where(ShareRow.id == share_id)).one())


def _share_record(row: ShareRow, runner_name: str, coach_name: str | None) -> StoredShare:
    return StoredShare(
        id=row.id,
        runner_id=row.runner_id,
        runner_name=runner_name,
        coach_id=row.coach_id,
        coach_name=coach_name,
        created_at=row.created_at,
        accepted_at=row.accepted_at,
        revoked_at=row.revoked_at,
    )


def _to_account(
    found: Row[AccountRow, str] | tuple[AccountRow, str] | None,
) -> StoredAccount | None:
    if found is None:
        return None
    row, name = found
    return StoredAccount(
        runner_id=row.runner_id,
        email=row.email,
        name=name,
        role=row.role,
        password_hash=row.password_hash,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
    )


def _normal_email(email: str) -> str:
    # The messages leave the address out: it is personal data, and errors get logged.
    normal = normal_email(require_text(email, "email"))
    if not normal:
        raise ValueError("email must not be empty")
    if len(normal) > EMAIL_LENGTH:
        raise ValueError(f"email is longer than {EMAIL_LENGTH} characters")
    return normal


def _check_role(role: str) -> None:
    if role not in ACCOUNT_ROLES:
        raise ValueError(f"role must be one of {', '.join(ACCOUNT_ROLES)}, got {role!r}")


def _check_password_hash(password_hash: str) -> None:
    if not require_text(password_hash, "password_hash"):
        raise ValueError("password_hash must not be empty")


def _check_token_hash(value: str, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not _TOKEN_HASH.fullmatch(value):
        raise ValueError(f"{name} must be a lower-case hex SHA-256 (64 characters)")


def _violates(error: IntegrityError, table: str, column: str) -> bool:
    """Whether the unique constraint on ``table.column`` failed: SQLite names the
    column, PostgreSQL the constraint."""
    message = str(error.orig)
    return f"{table}.{column}" in message or f"uq_{table}_{column}" in message


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount
