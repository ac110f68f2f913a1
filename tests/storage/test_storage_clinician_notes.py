"""Clinician notes in the store (migration 0007), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from stridewell.storage.clinician_records import ClinicianNoteToStore
from stridewell.storage.errors import UnknownRunner
from stridewell.storage.repository import Store

WHEN = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def _runner(store: Store, email: str, name: str, role: str = "runner") -> str:
    return store.accounts.create_account(
        email=email, name=name, role=role, password_hash="x", created_at=WHEN
    ).runner_id


def _note(author_id: str, **changes: object) -> ClinicianNoteToStore:
    fields: dict[str, object] = {
        "author_id": author_id,
        "author_name": "Dr Cora Ünal",
        "condition_id": "plantar_fasciitis",
        "condition_text": "",
        "restriction": "reduced",
        "restrict_until": None,
        "note": "Seen today ✓",
        "recorded_at": WHEN,
    }
    return ClinicianNoteToStore(**(fields | changes))  # type: ignore[arg-type]


def test_notes_come_back_newest_first_with_their_author(store: Store) -> None:
    runner = _runner(store, "ann@example.org", "Ann")
    coach = _runner(store, "cora@example.org", "Cora", role="coach")
    first = store.clinician.add_note(runner, _note(coach))
    later = store.clinician.add_note(
        runner,
        _note(coach, condition_id=None, condition_text="cuboid syndrome",
              restriction="no_running", restrict_until=date(2026, 12, 14),
              recorded_at=WHEN + timedelta(days=2)),
    )  # fmt: skip
    assert store.clinician.list_notes(runner) == [later, first]
    assert store.clinician.latest_note(runner) == later
    assert later.recorded_at == WHEN + timedelta(days=2)
    assert later.recorded_at.tzinfo is not None
    assert (first.author_name, first.note) == ("Dr Cora Ünal", "Seen today ✓")
    assert store.clinician.list_notes(coach) == []


def test_a_note_outlives_its_authors_account_with_the_name(store: Store) -> None:
    runner = _runner(store, "ann@example.org", "Ann")
    coach = _runner(store, "cora@example.org", "Cora", role="coach")
    store.clinician.add_note(runner, _note(coach))
    assert store.accounts.delete_runner(coach)
    [kept] = store.clinician.list_notes(runner)
    assert kept.author_id is None and kept.author_name == "Dr Cora Ünal"
    assert store.accounts.delete_runner(runner)
    assert store.clinician.list_notes(runner) == []


def test_a_note_on_an_unknown_runner_or_with_a_bad_restriction_is_refused(store: Store) -> None:
    coach = _runner(store, "cora@example.org", "Cora", role="coach")
    with pytest.raises(UnknownRunner):
        store.clinician.add_note("nobody", _note(coach))
    with pytest.raises(ValueError):
        store.clinician.add_note(coach, _note(coach, restriction="no_running"))
    with pytest.raises(ValueError):
        store.clinician.add_note(coach, _note(coach, restriction="sometimes"))
    with pytest.raises(ValueError):
        store.clinician.add_note(coach, _note(coach, recorded_at=datetime(2026, 11, 30)))


def test_the_latest_note_since_a_moment_leaves_out_older_ones(store: Store) -> None:
    runner = _runner(store, "ann@example.org", "Ann")
    coach = _runner(store, "cora@example.org", "Cora", role="coach")
    first = store.clinician.add_note(runner, _note(coach))
    assert store.clinician.latest_note(runner, since=WHEN) == first
    in_berlin = (WHEN + timedelta(seconds=1)).astimezone(timezone(timedelta(hours=1)))
    assert store.clinician.latest_note(runner, since=in_berlin) is None
    later = store.clinician.add_note(runner, _note(coach, recorded_at=WHEN + timedelta(days=3)))
    assert store.clinician.latest_note(runner, since=in_berlin) == later
