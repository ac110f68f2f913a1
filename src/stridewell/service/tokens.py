"""API tokens for scripts: `Authorization: Bearer <token>` on any /api request.

A token is random (``sw_`` and 43 URL-safe characters), shown once when it is made and
stored only as its SHA-256, so a copy of the database reveals none. It belongs to one
runner, reaches only that runner's data, and works until it is revoked or the account's
password changes. It cannot make or revoke tokens (web.security_tokens). A request that
carries one needs no CSRF proof: the browser never adds it on its own, so another site
cannot make a browser send it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stridewell.errors import InvalidInput, NotFound
from stridewell.service.backend import Backend
from stridewell.text import has_unstorable

if TYPE_CHECKING:
    from stridewell.storage.token_repo import StoredApiToken

TOKEN_PREFIX = "sw_"
MAX_NAME = 80
# A presented token longer than this is no token of ours: refused before hashing.
MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made: ``secret`` is shown once and never again."""

    token: StoredApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def runner_of_token(backend: Backend, secret: str) -> str | None:
    """The runner a presented token belongs to, or None (unknown, revoked, malformed)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    digest, now = _digest(secret), backend.clock()
    return backend.run(lambda store: store.tokens.runner_for(digest, now))


class TokenService:
    """One runner's API tokens."""

    def __init__(self, backend: Backend, runner_id: str) -> None:
        self._backend = backend
        self.runner_id = runner_id

    def create(self, name: str = "script") -> NewToken:
        name = name.strip()
        if not 1 <= len(name) <= MAX_NAME or has_unstorable(name):
            raise InvalidInput(f"name the token in 1 to {MAX_NAME} characters", field="name")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        digest, runner_id, now = _digest(secret), self.runner_id, self._backend.clock()
        stored = self._backend.run(lambda store: store.tokens.create(runner_id, name, digest, now))
        return NewToken(token=stored, secret=secret)

    def list(self) -> list[StoredApiToken]:
        runner_id = self.runner_id
        return self._backend.run(lambda store: store.tokens.of_runner(runner_id))

    def revoke(self, token_id: str) -> None:
        """Revoke one of the runner's tokens (NotFound for any other id)."""
        runner_id, now = self.runner_id, self._backend.clock()
        if len(token_id) > 64 or not self._backend.run(
            lambda store: store.tokens.revoke(runner_id, token_id, now)
        ):
            raise NotFound("no such token")
