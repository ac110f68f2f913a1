"""Sharing between a runner and their coach: invites, withdrawal, the coach's dashboard,
and the only way to reach another runner's data (`runner_view`, checked every time)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from stridewell.errors import NotFound
from stridewell.service.accounts import token_hash
from stridewell.service.backend import Backend
from stridewell.service.views import CoachRow, RunnerFlags

if TYPE_CHECKING:
    from stridewell.service.runner import RunnerServices
    from stridewell.storage.records import StoredShare


class SharingService:
    """One runner's shares with coaches; for a coach, the runners who share with them."""

    def __init__(
        self, backend: Backend, runner_id: str, *, open_runner: Callable[[str], RunnerServices]
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._open_runner = open_runner

    # -- as the runner ------------------------------------------------------------------

    def invite_coach(self) -> str:
        """A one-time invite token; the runner sends the link to their coach."""
        token = secrets.token_urlsafe(24)
        runner_id, now = self.runner_id, self._backend.clock()
        self._backend.run(
            lambda store: store.accounts.create_share(runner_id, token_hash(token), now)
        )
        return token

    def revoke(self, share_id: str) -> None:
        runner_id, now = self.runner_id, self._backend.clock()
        if not self._backend.run(
            lambda store: store.accounts.revoke_share(share_id, runner_id, now)
        ):
            raise NotFound("no such share")

    def shares(self) -> list[StoredShare]:
        runner_id = self.runner_id
        return self._backend.run(lambda store: store.accounts.shares_of_runner(runner_id))

    # -- as the coach -------------------------------------------------------------------

    def accept_invite(self, token: str) -> StoredShare:
        coach_id, digest, now = self.runner_id, token_hash(token), self._backend.clock()
        share = self._backend.run(lambda store: store.accounts.accept_share(digest, coach_id, now))
        if share is None:
            raise NotFound(
                "this invite is not valid: it may have been used, withdrawn, or be meant for "
                "a coach account"
            )
        return share

    def runner_view(self, shared_id: str) -> RunnerServices:
        """The services of the runner ``shared_id`` if they share with this coach now;
        NotFound otherwise (never saying whether the runner exists)."""
        coach_id = self.runner_id
        if not self._backend.run(lambda store: store.accounts.coach_can_view(coach_id, shared_id)):
            raise NotFound("no runner with this id shares with you")
        return self._open_runner(shared_id)

    def dashboard(self) -> list[CoachRow]:
        """Each runner who shares with the coach, with the flags that need attention."""
        coach_id = self.runner_id
        shares = self._backend.run(lambda store: store.accounts.runners_shared_with(coach_id))
        return [CoachRow(share=s, **runner_flags(self._open_runner(s.runner_id))) for s in shares]


def runner_flags(runner: RunnerServices) -> RunnerFlags:
    """What a coach sees first: latest triage, red flags, pain trend, spikes, worn shoes."""
    latest = runner.assessments.history(limit=1)
    report = latest[0].report if latest else None
    trend = runner.journal.pain_trend()
    load = runner.training.load(weeks=4, reader="coach")
    red_flags = report.get("red_flags", []) if report else []
    return {
        "latest": latest[0] if latest else None,
        "red_flags": [str(f.get("name") or f["id"]) for f in red_flags if isinstance(f, dict)]
        if isinstance(red_flags, list)
        else [],
        "not_improving": trend.direction.value in ("unchanged", "worsening"),
        "trend": trend.direction.value,
        "spikes": [n for n in load["notes"] if n["kind"] == "single_run_spike"],
        "worn_shoes": list(runner.shoes.overview(reader="coach")["alerts"]),
    }
