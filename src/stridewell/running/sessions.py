"""The words of each session, from running.yaml: runs, strength, cross-training, rest."""

from __future__ import annotations

from stridewell.running import ladder as lad
from stridewell.running.model import PlannedRun, Session, SessionKind
from stridewell.running.rules import RunningRules

_RUN_TEXTS = {
    SessionKind.easy_run: "session.easy_run",
    SessionKind.walk_run: "session.walk_run",
    SessionKind.long_run: "session.long_run",
    SessionKind.usual_run: "session.usual_run",
    SessionKind.goal_run: "session.goal_run",
}


class SessionBook:
    def __init__(self, rules: RunningRules) -> None:
        self.rules = rules
        self.lim = rules.limits

    def _session(self, kind: SessionKind) -> Session:
        text_id = f"session.{kind.value}"
        return Session(kind=kind, text=self.rules.say(text_id), sources=self.rules.sources(text_id))

    def run(self, kind: SessionKind, km: float, minutes: int, *, walk_run: bool) -> PlannedRun:
        if walk_run:
            kind = SessionKind.walk_run
        text_id = _RUN_TEXTS[kind]
        run_interval = self.lim.restart_run_interval if walk_run else None
        walk_interval = self.lim.restart_walk_interval if walk_run else None
        text = self.rules.say(text_id, km=km, minutes=minutes, run=run_interval, walk=walk_interval)
        return PlannedRun(
            kind=kind,
            km=km,
            minutes=minutes,
            run_interval=run_interval,
            walk_interval=walk_interval,
            text=text,
            sources=self.rules.sources(text_id),
        )

    def extras(self, offset: int, runs: int, *, has_run: bool, easy_only: bool) -> list[Session]:
        """What else the day holds: strength on its days; on days without a run, one
        cross-training day a week while the plan is still building up, rest otherwise."""
        strength = lad.strength_offsets(runs, self.lim.strength_per_week)
        sessions = []
        if offset in strength:
            sessions.append(self._session(SessionKind.strength))
        if has_run:
            return sessions
        free = [o for o in range(1, 7) if o not in lad.run_offsets(runs) and o not in strength]
        if easy_only and free and offset == free[0]:
            sessions.append(self._session(SessionKind.cross_training))
        elif not sessions:
            sessions.append(self._session(SessionKind.rest))
        return sessions
