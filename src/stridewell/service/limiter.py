"""Limits on password checks and registrations, counted in the database.

Every attempt is counted before any password is hashed or checked, in one atomic
statement per key (``storage.limiter_repo``): parallel attempts, in one process or in
several, cannot slip past a limit. Sign-in attempts count per account and address, per
account across every address, and per address across every account; a right password
takes its attempt back. Password change and account deletion count under the account.
Registration counts per address and over the whole server. A counter is forgotten when
its window ends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from stridewell.errors import TooManyRequests
from stridewell.service.backend import Backend
from stridewell.text import normal_email


@dataclass(frozen=True, slots=True)
class Limit:
    attempts: int
    window: timedelta


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits and their windows (documented in SECURITY.md)."""

    sign_in_per_account_and_address: Limit = Limit(5, timedelta(minutes=15))
    sign_in_per_account: Limit = Limit(20, timedelta(minutes=15))
    sign_in_per_address: Limit = Limit(30, timedelta(minutes=15))
    reauthentication_per_account: Limit = Limit(5, timedelta(minutes=15))
    registrations_per_address: Limit = Limit(5, timedelta(hours=1))
    registrations_overall: Limit = Limit(60, timedelta(hours=1))


def _account_key(email: str) -> str:
    # A hash, not the address: the counters table holds no personal data in clear.
    return hashlib.sha256(normal_email(email).encode()).hexdigest()


def _address_key(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()


class AttemptLimiter:
    """The limits of one database (every server process on it shares the counters)."""

    def __init__(self, backend: Backend, limits: Limits | None = None) -> None:
        self._backend = backend
        self.limits = limits or Limits()

    def sign_in(self, email: str, address: str) -> list[str]:
        """Count a sign-in attempt before its password is checked; TooManyRequests when
        any of its limits is spent. Returns the keys to hand to ``signed_in``."""
        account, where = _account_key(email), _address_key(address)
        keys = [
            (f"signin:acct-addr:{account}:{where}", self.limits.sign_in_per_account_and_address),
            (f"signin:acct:{account}", self.limits.sign_in_per_account),
            (f"signin:addr:{where}", self.limits.sign_in_per_address),
        ]
        self._count(keys, "too many sign-in attempts")
        return [key for key, _ in keys]

    def signed_in(self, keys: list[str]) -> None:
        """A right password: its attempt is taken back, and the account's attempts from
        this address are forgotten."""
        store = self._backend.store
        store.limiter.clear(keys[0])
        for key in keys[1:]:
            store.limiter.refund(key)

    def reauthentication(self, runner_id: str) -> None:
        """Count a password check of a signed-in runner (password change, deletion)."""
        key = f"reauth:{runner_id}"
        self._count([(key, self.limits.reauthentication_per_account)], "too many password checks")

    def registration(self, address: str) -> None:
        """Count a registration before its password is hashed."""
        keys = [
            (f"register:addr:{_address_key(address)}", self.limits.registrations_per_address),
            ("register:all", self.limits.registrations_overall),
        ]
        self._count(keys, "too many registrations")

    def forget_expired(self) -> int:
        now = self._backend.clock()
        return self._backend.run(lambda store: store.limiter.forget_expired(now))

    def _count(self, keys: list[tuple[str, Limit]], what: str) -> None:
        now = self._backend.clock()
        # Counters of ended windows go first: the table never holds more than its windows.
        # Every key counts the attempt, even when an earlier one is already spent: a
        # refused attempt must not leave room for one more elsewhere.
        store = self._backend.store
        self._backend.run(lambda s: s.limiter.forget_expired(now))
        spent = [
            key for key, limit in keys if store.limiter.hit(key, now, limit.window) > limit.attempts
        ]
        if spent:
            wait = max(store.limiter.retry_after(key, now) for key in spent)
            minutes = max((wait + 59) // 60, 1)
            raise TooManyRequests(f"{what}: try again in {minutes} minute(s)", retry_after=wait)
