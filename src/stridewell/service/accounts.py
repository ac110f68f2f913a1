"""Accounts for the multi-user mode: registration, sign-in and sessions, and what a
signed-in runner can do with their own account (password, export, deletion).

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's second
recommended setting). Session and invite tokens are random; only their SHA-256 is
stored, so a copy of the database lets nobody sign in or accept an invite.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from stridewell.cpu_priority import lower_this_thread
from stridewell.errors import Conflict, InvalidInput, NotFound, StorageUnavailable, Unauthorized
from stridewell.service.backend import Backend
from stridewell.service.limiter import AttemptLimiter
from stridewell.service.tokens import TokenService, runner_of_token
from stridewell.service.zones import zone_named
from stridewell.text import has_unstorable, normal_email

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from stridewell.service.assessments import AssessmentService
    from stridewell.service.journal import JournalService
    from stridewell.service.shoes import ShoeService
    from stridewell.service.training import TrainingService
    from stridewell.storage.records import StoredAccount, StoredActivity, StoredRunner
    from stridewell.storage.repository import Store

SESSION_DAYS = 14
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
ROLES = ("runner", "coach")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id


# Each argon2id hash or check holds 64 MiB while it runs: at most this many at once, so
# a burst of sign-ins or registrations waits instead of exhausting memory.
HASHES_AT_ONCE = 4
# Argon2 fills both cores of a small server for a tenth of a second, on purpose. It runs on
# threads of its own at a lower priority, so that other people's pages are not held up by
# a sign-in: a sign-in takes the cores the pages leave (on a server busy to the last core
# it can take several times as long).
HASHING_NICE = 10
_hashing: ThreadPoolExecutor | None = None
_hashing_made = threading.Lock()


def _hashing_threads() -> ThreadPoolExecutor:
    global _hashing
    with _hashing_made:
        if _hashing is None:
            _hashing = ThreadPoolExecutor(
                HASHES_AT_ONCE,
                thread_name_prefix="password-hashing",
                initializer=lower_this_thread,
                initargs=(HASHING_NICE,),
            )
        return _hashing


def _forget_hashing_threads() -> None:
    # A forked child has none of its parent's threads: it makes its own pool.
    global _hashing, _hashing_made
    _hashing, _hashing_made = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_hashing_threads)


def _hash(password: str) -> str:
    return _hashing_threads().submit(lambda: _hasher().hash(password)).result()


def _verify(stored_hash: str, password: str) -> None:
    _hashing_threads().submit(lambda: _hasher().verify(stored_hash, password)).result()


# Checked when the email is unknown, so that a wrong email costs as long as a wrong
# password and the timing does not tell which accounts exist.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"choose a password of at least {MIN_PASSWORD} characters", field="password"
        )


class Accounts:
    """Who is who: registration, sign-in and sessions (not bound to a runner: these are
    how a request finds its runner)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    @property
    def limiter(self) -> AttemptLimiter:
        return AttemptLimiter(self._backend)

    def register(self, email: str, password: str, name: str, role: str = "runner") -> StoredAccount:
        """A new account (for the operator and tests: says when the email is taken)."""
        email, name = _checked_registration(email, password, name, role)
        hashed, now = _hash(password), self._backend.clock()
        return self._backend.run(
            lambda store: store.accounts.create_account(
                email=email, name=name, role=role, password_hash=hashed, created_at=now
            )
        )

    def sign_up(
        self,
        email: str,
        password: str,
        name: str,
        role: str,
        address: str,
        browser_zone: str = "",
    ) -> None:
        """Registration from the web: limited per address and overall, and the same
        answer and the same work whether or not the email already has an account (the
        password is hashed either way; nobody is signed in). InvalidInput for bad fields,
        TooManyRequests past a limit.

        ``browser_zone`` is the zone the registering browser reports: the new runner's
        days are theirs from the first page. The runner never typed it, so a name the
        zone database does not know is left out (the machine's zone, changeable on the
        account page) rather than refused."""
        email, name = _checked_registration(email, password, name, role)
        zone = _zone_or_none(browser_zone)
        self.limiter.registration(address)
        hashed, now = _hash(password), self._backend.clock()
        # A taken email gives the same answer as a new account: nothing tells them apart.
        with contextlib.suppress(Conflict):
            self._backend.run(
                lambda store: store.accounts.create_account(
                    email=email,
                    name=name,
                    role=role,
                    password_hash=hashed,
                    created_at=now,
                    time_zone=zone,
                )
            )

    def sign_in(self, email: str, password: str, address: str) -> StoredAccount:
        """``authenticate`` behind the sign-in limits: the attempt is counted before the
        password is checked (TooManyRequests past a limit, Unauthorized if wrong)."""
        limiter = self.limiter
        keys = limiter.sign_in(email, address)
        account = self.authenticate(email, password)
        limiter.signed_in(keys)
        return account

    def authenticate(self, email: str, password: str) -> StoredAccount:
        """The account for these credentials, or Unauthorized (never saying which was
        wrong). Not limited: web routes use ``sign_in``."""
        from argon2.exceptions import InvalidHashError, VerificationError

        wanted = normal_email(email)
        found = self._backend.run(lambda store: store.accounts.account_by_email(wanted))
        try:
            _verify(found.password_hash if found else _dummy_hash(), password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            raise Unauthorized("wrong email or password") from None
        if found is None:
            raise Unauthorized("wrong email or password")
        # No rehash-on-login: storing a new hash ends every session (see change_password),
        # and signing in on one device must not sign the runner out on the others.
        return found

    def start_session(self, account: StoredAccount) -> str:
        """A new session token for the cookie (only its hash is stored)."""
        return start_session(self._backend, account.runner_id)

    def session_runner(self, token: str) -> str | None:
        """The runner a session cookie names, while the session lasts."""
        if not token or len(token) > 200:
            return None
        digest, now = token_hash(token), self._backend.clock()
        return self._backend.run(lambda store: store.accounts.session_runner(digest, now))

    def signed_in(self, token: str) -> StoredAccount | None:
        """The account a session cookie signs in, while the session lasts (one query)."""
        if not token or len(token) > 200:
            return None
        digest, now = token_hash(token), self._backend.clock()
        return self._backend.run(lambda store: store.accounts.session_account(digest, now))

    def database_answers(self) -> bool:
        """Whether the database answers a trivial query now."""
        try:
            self._backend.run(lambda store: store.limiter.ping())
        except StorageUnavailable:
            return False
        return True

    def token_runner(self, secret: str) -> str | None:
        """The runner an API token belongs to (None: unknown, revoked or malformed)."""
        return runner_of_token(self._backend, secret)

    def end_session(self, token: str) -> None:
        digest = token_hash(token)
        self._backend.run(lambda store: store.accounts.delete_session(digest))

    def account_by_email(self, email: str) -> StoredAccount | None:
        wanted = normal_email(email)
        return self._backend.run(lambda store: store.accounts.account_by_email(wanted))

    def account_of(self, runner_id: str) -> StoredAccount | None:
        return self._backend.run(lambda store: store.accounts.account_by_runner(runner_id))


def start_session(backend: Backend, runner_id: str) -> str:
    token = secrets.token_urlsafe(32)
    now = backend.clock()
    expires = now + timedelta(days=SESSION_DAYS)
    backend.run(
        lambda store: store.accounts.create_session(runner_id, token_hash(token), now, expires)
    )
    return token


def _checked_registration(email: str, password: str, name: str, role: str) -> tuple[str, str]:
    email = normal_email(email)
    if not EMAIL.match(email) or len(email) > 254 or has_unstorable(email):
        raise InvalidInput("enter a valid email address", field="email")
    _check_password(password)
    name = name.strip()
    if not 1 <= len(name) <= 120 or has_unstorable(name):
        raise InvalidInput("enter a name of 1 to 120 characters", field="name")
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}", field="role")
    return email, name


class AccountService:
    """The signed-in runner's own account: password, export of everything, deletion."""

    def __init__(
        self,
        backend: Backend,
        runner_id: str,
        *,
        assessments: AssessmentService,
        journal: JournalService,
        training: TrainingService,
        shoes: ShoeService,
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._assessments = assessments
        self._journal = journal
        self._training = training
        self._shoes = shoes

    def get(self) -> StoredAccount | None:
        """The runner's account (None for the local runner of a one-person install)."""
        return Accounts(self._backend).account_of(self.runner_id)

    def runner(self) -> StoredRunner:
        """The runner's name and time zone (the local runner's before their first record)."""
        from stridewell.service.records import LOCAL_RUNNER_ID, LOCAL_RUNNER_NAME, StoredRunner

        runner_id = self.runner_id
        found = self._backend.run(lambda store: store.accounts.runner(runner_id))
        if found is not None:
            return found
        if runner_id == LOCAL_RUNNER_ID:
            return StoredRunner(LOCAL_RUNNER_ID, LOCAL_RUNNER_NAME, None)
        raise NotFound("no such runner")

    def zone(self) -> tzinfo:
        """The runner's time zone: their own, else the machine's (see ``service.zones``)."""
        return self._backend.zone(self.runner_id)

    def set_zone(self, name: str | None) -> str | None:
        """Set the runner's time zone by its IANA name ("Europe/London"), or None for the
        machine's; returns the name stored. An unknown name is InvalidInput naming it,
        and nothing changes."""
        checked = None if name is None else zone_named(name).key
        runner_id = self.runner_id
        self._backend.run(lambda store: store.accounts.set_runner_time_zone(runner_id, checked))
        return checked

    @property
    def tokens(self) -> TokenService:
        """The runner's API tokens."""
        return TokenService(self._backend, self.runner_id)

    def _require(self, password: str) -> StoredAccount:
        found = self.get()
        if found is None:
            raise NotFound("no account")
        accounts = Accounts(self._backend)
        # Counted before the check: a stolen session cannot guess the password unlimited.
        accounts.limiter.reauthentication(self.runner_id)
        return accounts.authenticate(found.email, password)

    def change_password(self, current: str, new: str) -> str:
        """Change the password; every session ends. Returns a fresh session token."""
        self._require(current)
        _check_password(new)
        hashed, runner_id, now = _hash(new), self.runner_id, self._backend.clock()
        self._backend.run(lambda store: store.accounts.set_password(runner_id, hashed, now))
        return start_session(self._backend, runner_id)

    def delete(self, password: str) -> None:
        """Delete the account and everything stored for it (after the password again)."""
        self._require(password)
        runner_id = self.runner_id
        self._backend.run(lambda store: store.accounts.delete_runner(runner_id))
        shutil.rmtree(self._backend.originals_dir(runner_id), ignore_errors=True)

    def export_data(self) -> bytes:
        """Everything stored for the runner as a zip of JSON files."""
        account, runner_id = self.get(), self.runner_id
        parts: dict[str, object] = {
            "account.json": None
            if account is None
            else {
                "email": account.email,
                "name": account.name,
                "role": account.role,
                "created_at": account.created_at.isoformat(),
                # the runner's own time zone (null: the server's)
                "time_zone": self.runner().time_zone,
            },
            "assessments.json": [
                {
                    "id": a.id,
                    "created_at": a.created_at.isoformat(),
                    "assessment": a.assessment,
                    "report": a.report,
                    # the emergency assessment this one corrects (a changed answer), if any
                    "corrects": a.corrects_id,
                }
                for a in self._assessments.history(limit=100_000)
            ],
            "journal.json": [
                {"id": e.id, "revision": e.revision, **e.entry.model_dump(mode="json")}
                for e in self._journal.entries()
            ],
            "activities.json": [_activity_json(a) for a in self._training.activities(limit=None)],
            "shoes.json": self._shoes.overview()["shoes"],
            **self._backend.run(lambda store: _stored_parts(store, runner_id)),
        }
        from stridewell.service.imports import kept_originals

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                text = json.dumps(content, indent=2, ensure_ascii=False, default=_iso)
                archive.writestr(name, text)
            # Wherever they are kept: the folder, and on PostgreSQL the database.
            for name, data in kept_originals(self._backend, self.runner_id):
                archive.writestr(f"originals/{name}", data)
        return buffer.getvalue()


def _stored_parts(store: Store, runner_id: str) -> dict[str, object]:
    """The export's files read straight from storage: the clinicians' notes about the
    runner, the running plan, the active recovery plan, the exercise logs, and the API
    tokens' names and dates (never the token nor its hash: the records hold neither)."""
    running, recovery = store.running.running_plan(runner_id), store.plans.active_plan(runner_id)
    return {
        "clinician_notes.json": [asdict(n) for n in store.clinician.list_notes(runner_id)],
        "running_plan.json": None if running is None else asdict(running),
        "recovery_plan.json": None if recovery is None else asdict(recovery),
        "exercise_logs.json": [asdict(e) for e in store.exercises.list_exercise_logs(runner_id)],
        "api_tokens.json": [asdict(t) for t in store.tokens.of_runner(runner_id)],
    }


def _iso(value: object) -> str:
    """Dates and times in the JSON files, as ISO 8601."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _activity_json(a: StoredActivity) -> dict[str, object]:
    return {
        "id": a.id,
        "sport": a.sport,
        "start_time": a.start_time.isoformat(),
        "duration_s": a.duration_s,
        "distance_m": a.distance_m,
        "source_name": a.source_name,
        "shoe_id": a.shoe_id,
    }


def _zone_or_none(name: str) -> str | None:
    """The zone database's name for ``name``; None for a blank or unknown one."""
    if not name.strip():
        return None
    try:
        return zone_named(name.strip()).key
    except InvalidInput:
        return None
