"""Accounts for the multi-user mode: passwords, sessions, coach sharing, your data.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's second
recommended setting). Session and invite tokens are random; only their SHA-256 is
stored, so a copy of the database lets nobody sign in or accept an invite.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import shutil
import zipfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from stridewell.errors import InvalidInput, NotFound, Unauthorized
from stridewell.storage.records import LOCAL_RUNNER_ID

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from stridewell.storage.records import StoredAccount, StoredShare
    from stridewell.storage.repository import Store

SESSION_DAYS = 14
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
ROLES = ("runner", "coach")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id


# Checked when the email is unknown, so that a wrong email costs as long as a wrong
# password and the timing does not tell which accounts exist.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher().hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH


class AccountsMixin:
    """Registration, sign-in, sessions, sharing with coaches, export and deletion."""

    if TYPE_CHECKING:  # provided by Stridewell and the other mixins

        @property
        def store(self) -> Store: ...
        def clock(self) -> datetime: ...
        def today(self) -> date: ...
        def _with_schema(self, action: Any) -> Any: ...
        def history(self, runner_id: str = ..., limit: int = ..., offset: int = ...) -> Any: ...
        def pain_trend(self, *, runner_id: str = ...) -> Any: ...
        def training_load(self, *, weeks: int = ..., runner_id: str = ...) -> Any: ...
        def shoes(self, *, unit: str = ..., runner_id: str = ...) -> Any: ...
        def journal(self, *, runner_id: str = ...) -> Any: ...
        def activities(self, *, limit: int | None = ..., runner_id: str = ...) -> Any: ...
        def originals_dir(self, runner_id: str) -> Path: ...

    # -- accounts and sessions ----------------------------------------------------------

    def register(self, email: str, password: str, name: str, role: str = "runner") -> StoredAccount:
        email = email.strip().lower()
        if not EMAIL.match(email) or len(email) > 254:
            raise InvalidInput("enter a valid email address", field="email")
        _check_password(password)
        name = name.strip()
        if not 1 <= len(name) <= 120:
            raise InvalidInput("enter a name of 1 to 120 characters", field="name")
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}", field="role")
        hashed = _hasher().hash(password)
        account: StoredAccount = self._with_schema(
            lambda: self.store.create_account(
                email=email, name=name, role=role, password_hash=hashed, created_at=self.clock()
            )
        )
        return account

    def authenticate(self, email: str, password: str) -> StoredAccount:
        """The account for these credentials, or Unauthorized (never saying which was wrong)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        found: StoredAccount | None = self._with_schema(
            lambda: self.store.account_by_email(email.strip().lower())
        )
        hasher = _hasher()
        try:
            hasher.verify(found.password_hash if found else _dummy_hash(), password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            raise Unauthorized("wrong email or password") from None
        if found is None:
            raise Unauthorized("wrong email or password")
        # No rehash-on-login: storing a new hash ends every session (see set_password), and
        # signing in on one device must not sign the runner out on the others.
        return found

    def start_session(self, runner_id: str) -> str:
        """A new session token for the cookie (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self._with_schema(
            lambda: self.store.create_session(
                runner_id, token_hash(token), now, now + timedelta(days=SESSION_DAYS)
            )
        )
        return token

    def session_runner(self, token: str) -> str | None:
        if not token or len(token) > 200:
            return None
        runner: str | None = self._with_schema(
            lambda: self.store.session_runner(token_hash(token), self.clock())
        )
        return runner

    def end_session(self, token: str) -> None:
        self._with_schema(lambda: self.store.delete_session(token_hash(token)))

    def account(self, runner_id: str) -> StoredAccount | None:
        found: StoredAccount | None = self._with_schema(
            lambda: self.store.account_by_runner(runner_id)
        )
        return found

    def change_password(self, runner_id: str, current: str, new: str) -> str:
        """Change the password; every session ends. Returns a fresh session token."""
        found = self.account(runner_id)
        if found is None:
            raise NotFound("no account")
        self.authenticate(found.email, current)
        _check_password(new)
        hashed = _hasher().hash(new)
        self._with_schema(lambda: self.store.set_password(runner_id, hashed, self.clock()))
        return self.start_session(runner_id)

    def delete_account(self, runner_id: str, password: str) -> None:
        """Delete the account and everything stored for it (after the password again)."""
        found = self.account(runner_id)
        if found is None:
            raise NotFound("no account")
        self.authenticate(found.email, password)
        self._with_schema(lambda: self.store.delete_runner(runner_id))
        shutil.rmtree(self.originals_dir(runner_id), ignore_errors=True)

    # -- coach sharing --------------------------------------------------------------------

    def invite_coach(self, runner_id: str) -> str:
        """A one-time invite token; the runner sends the link to their coach."""
        token = secrets.token_urlsafe(24)
        self._with_schema(
            lambda: self.store.create_share(runner_id, token_hash(token), self.clock())
        )
        return token

    def accept_invite(self, token: str, coach_id: str) -> StoredShare:
        share: StoredShare | None = self._with_schema(
            lambda: self.store.accept_share(token_hash(token), coach_id, self.clock())
        )
        if share is None:
            raise NotFound(
                "this invite is not valid: it may have been used, withdrawn, or be meant for "
                "a coach account"
            )
        return share

    def revoke_share(self, share_id: str, runner_id: str) -> None:
        done: bool = self._with_schema(
            lambda: self.store.revoke_share(share_id, runner_id, self.clock())
        )
        if not done:
            raise NotFound("no such share")

    def shares(self, runner_id: str) -> list[StoredShare]:
        found: list[StoredShare] = self._with_schema(lambda: self.store.shares_of_runner(runner_id))
        return found

    def require_coach_view(self, coach_id: str, runner_id: str) -> None:
        """NotFound unless the runner shares with this coach now (never says which)."""
        allowed: bool = self._with_schema(lambda: self.store.coach_can_view(coach_id, runner_id))
        if not allowed:
            raise NotFound("no runner with this id shares with you")

    def coach_dashboard(self, coach_id: str) -> list[dict[str, Any]]:
        """Each runner who shares with the coach, with the flags that need attention."""
        shares: list[StoredShare] = self._with_schema(
            lambda: self.store.runners_shared_with(coach_id)
        )
        return [{"share": s, **self.runner_flags(s.runner_id)} for s in shares]

    def runner_flags(self, runner_id: str) -> dict[str, Any]:
        latest = self.history(runner_id=runner_id, limit=1)
        report = latest[0].report if latest else None
        trend = self.pain_trend(runner_id=runner_id)
        load = self.training_load(weeks=4, runner_id=runner_id)
        shoes = self.shoes(runner_id=runner_id)
        spikes = [n for n in load["notes"] if n["kind"] == "single_run_spike"]
        return {
            "latest": latest[0] if latest else None,
            "red_flags": [f.get("name") or f["id"] for f in report["red_flags"]] if report else [],
            "not_improving": trend.direction.value in ("unchanged", "worsening"),
            "trend": trend.direction.value,
            "spikes": spikes,
            "worn_shoes": list(shoes["alerts"]),
        }

    # -- your data ------------------------------------------------------------------------

    def export_data(self, runner_id: str = LOCAL_RUNNER_ID) -> bytes:
        """Everything stored for the runner as a zip of JSON files."""
        account = self.account(runner_id)
        parts: dict[str, Any] = {
            "account.json": None
            if account is None
            else {
                "email": account.email,
                "name": account.name,
                "role": account.role,
                "created_at": account.created_at.isoformat(),
            },
            "assessments.json": [
                {
                    "id": a.id,
                    "created_at": a.created_at.isoformat(),
                    "assessment": a.assessment,
                    "report": a.report,
                }
                for a in self.history(runner_id=runner_id, limit=100_000)
            ],
            "journal.json": [
                {"id": e.id, "revision": e.revision, **e.entry.model_dump(mode="json")}
                for e in self.journal(runner_id=runner_id)
            ],
            "activities.json": [
                _activity_json(a) for a in self.activities(limit=None, runner_id=runner_id)
            ],
            "shoes.json": self.shoes(runner_id=runner_id)["shoes"],
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                archive.writestr(name, json.dumps(content, indent=2, ensure_ascii=False))
            folder = self.originals_dir(runner_id)
            if folder.is_dir():
                for original in sorted(folder.iterdir()):
                    if original.is_file() and not original.name.endswith(".part"):
                        archive.write(original, f"originals/{original.name}")
        return buffer.getvalue()


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"choose a password of at least {MIN_PASSWORD} characters", field="password"
        )


def _activity_json(a: Any) -> dict[str, Any]:
    return {
        "id": a.id,
        "sport": a.sport,
        "start_time": a.start_time.isoformat(),
        "duration_s": a.duration_s,
        "distance_m": a.distance_m,
        "source_name": a.source_name,
        "shoe_id": a.shoe_id,
    }
