"""The clinician's word back: a coach or clinician account a runner shares with records a
confirmed diagnosis, a running restriction and a note; the runner's plan follows it.

What was recorded stays in the runner's history with its author, also after the runner
withdraws the share (the author then loses access, as to everything else).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from stridewell.errors import Forbidden, InvalidInput, NotFound
from stridewell.service.backend import Backend
from stridewell.text import day_words, has_unstorable

if TYPE_CHECKING:
    from stridewell.plan.model import ClinicianDecision
    from stridewell.service.runner import RunnerServices
    from stridewell.storage.clinician_records import StoredClinicianNote

OTHER = "other"
RESTRICTION_WORDS = {
    "none": "no restriction on running",
    "reduced": "reduced running",
    "no_running": "no running",
}
MAX_NOTE_CHARS = 2000
MAX_OTHER_CHARS = 200
# How far ahead "no running until" may reach: a year and a day, as the running plan allows.
MAX_UNTIL_DAYS = 366


def condition_names() -> dict[str, str]:
    """The knowledge base's conditions a clinician can confirm, id to name."""
    from stridewell.knowledge import load_knowledge

    return {c.id: c.name for c in load_knowledge().conditions}


def diagnosis_words(note: StoredClinicianNote) -> str:
    """The confirmed diagnosis in words: the knowledge base's name, or the author's text."""
    if note.condition_id is None:
        return note.condition_text or "another diagnosis"
    from stridewell.knowledge.vocabulary import vocabulary

    return vocabulary().condition(note.condition_id).label


def restriction_words(note: StoredClinicianNote) -> str:
    words = RESTRICTION_WORDS[note.restriction]
    if note.restriction == "no_running" and note.restrict_until is not None:
        return f"{words} until {day_words(note.restrict_until)}"
    return words


def decision_of(note: StoredClinicianNote, tz_day: date) -> ClinicianDecision:
    """The note as the plan engine's input (``tz_day``: the day it was recorded, local)."""
    from stridewell.plan.model import ClinicianDecision

    return ClinicianDecision(
        condition_id=note.condition_id,
        condition_text=note.condition_text,
        restriction=note.restriction,
        until=note.restrict_until,
        recorded_on=tz_day,
        author=note.author_name,
    )


def latest_decision(
    backend: Backend, runner_id: str, *, since: datetime | None = None
) -> ClinicianDecision | None:
    """The runner's latest clinician note as the plan's input, if there is one; with
    ``since`` (when the plan's episode began), only a note recorded at or after it, so a
    new pain does not follow the word on an old one."""
    note = backend.run(lambda store: store.clinician.latest_note(runner_id, since=since))
    if note is None:
        return None
    return decision_of(note, note.recorded_at.astimezone(backend.zone(runner_id)).date())


class ClinicianService:
    """For a runner: the clinician notes on them. For a coach or clinician: recording one
    on a runner who shares with them now."""

    def __init__(
        self, backend: Backend, runner_id: str, *, open_runner: Callable[[str], RunnerServices]
    ) -> None:
        self._backend = backend
        self.runner_id = runner_id
        self._open_runner = open_runner

    # -- as the runner ------------------------------------------------------------------

    def notes(self) -> list[StoredClinicianNote]:
        """Every note on this runner, newest first, each with its author's name."""
        runner_id = self.runner_id
        return self._backend.run(lambda store: store.clinician.list_notes(runner_id))

    def latest(self) -> StoredClinicianNote | None:
        """The newest note (kept until the runner's data changes; the note carries its
        author's name as it was when written)."""
        runner_id = self.runner_id
        return self._backend.cached(
            runner_id,
            "latest clinician note",
            lambda: self._backend.run(lambda store: store.clinician.latest_note(runner_id)),
        )

    # -- as the coach or clinician ------------------------------------------------------

    def record_for(
        self,
        shared_id: str,
        *,
        condition: str,
        other_text: str = "",
        restriction: str = "none",
        until: date | None = None,
        note: str = "",
    ) -> StoredClinicianNote:
        """Record a confirmed diagnosis (a condition id, or "other" with ``other_text``),
        a restriction ("none", "reduced", or "no_running" with ``until``) and a note on
        the runner ``shared_id``, who must share with this account now; their plan is
        rebuilt to follow it."""
        from stridewell.storage.clinician_records import ClinicianNoteToStore

        author_id = self.runner_id
        author = self._backend.run(lambda store: store.accounts.account_by_runner(author_id))
        if author is None or author.role != "coach":
            raise Forbidden("only a coach or clinician account can record a diagnosis")
        shared = self._open_shared(shared_id)
        for field, value in (("other_text", other_text), ("note", note)):
            # Refused here, not by the database driver (a 503 on PostgreSQL).
            if has_unstorable(value):
                raise InvalidInput(
                    "the text must not contain NUL or unpaired surrogate characters", field
                )
        condition_id, text = _checked_condition(condition, other_text)
        # Until a day of the runner's plan: their today, in their time zone.
        kind = _checked_restriction(restriction, until, shared.today())
        words = " ".join(note.split())
        if len(words) > MAX_NOTE_CHARS:
            raise InvalidInput(f"the note is longer than {MAX_NOTE_CHARS} characters", "note")
        row = ClinicianNoteToStore(
            author_id=author.runner_id,
            author_name=author.name,
            condition_id=condition_id,
            condition_text=text,
            restriction=kind,
            restrict_until=until if kind == "no_running" else None,
            note=note.strip(),
            recorded_at=self._backend.clock(),
        )
        stored = self._backend.run(lambda store: store.clinician.add_note(shared_id, row))
        shared.plans.refresh()
        return stored

    def _open_shared(self, shared_id: str) -> RunnerServices:
        coach_id = self.runner_id
        if not self._backend.run(lambda store: store.accounts.coach_can_view(coach_id, shared_id)):
            raise NotFound("no runner with this id shares with you")
        return self._open_runner(shared_id)


def _checked_condition(condition: str, other_text: str) -> tuple[str | None, str]:
    if condition == OTHER:
        text = " ".join(other_text.split())
        if not text:
            raise InvalidInput("name the diagnosis when it is not in the list", "other_text")
        if len(text) > MAX_OTHER_CHARS:
            raise InvalidInput(f"the diagnosis is longer than {MAX_OTHER_CHARS} characters",
                               "other_text")  # fmt: skip
        return None, text
    if condition not in condition_names():
        raise InvalidInput(f"unknown condition '{condition[:80]}'", "condition")
    return condition, ""


def _checked_restriction(
    restriction: str, until: date | None, today: date
) -> Literal["none", "reduced", "no_running"]:
    if restriction == "no_running":
        if until is None:
            raise InvalidInput("say until which day there should be no running", "until")
        # Bounded: the plans walk their days up to it, and a past day restricts nothing.
        if not today <= until <= today + timedelta(days=MAX_UNTIL_DAYS):
            raise InvalidInput("the day must be between today and a year from now", "until")
        return "no_running"
    if restriction == "reduced":
        return "reduced"
    if restriction == "none":
        return "none"
    raise InvalidInput("restriction must be none, reduced or no_running", "restriction")
