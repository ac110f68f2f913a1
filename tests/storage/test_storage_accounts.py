"""Accounts, sessions and coach shares on both backends; deleting a runner; migration 0005."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from stridewell.storage import (
    EmailTaken,
    Store,
    StoredAccount,
    StoredAssessment,
    StoredShare,
    UnknownRunner,
    migrate,
)
from stridewell.storage.schema_version import HEAD_REVISION

RowCount = Callable[[str], int]
SaveAssessment = Callable[..., StoredAssessment]
MakeActivity = Callable[..., dict[str, Any]]
PausedStatement = Callable[[str], AbstractContextManager[Any]]

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
NAIVE = datetime(2026, 11, 2, 8, 0)
KATHMANDU = timezone(timedelta(hours=5, minutes=45))
HOUR = timedelta(hours=1)


def sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_up(store: Store, name: str, role: str = "runner", **overrides: Any) -> StoredAccount:
    fields = {"email": f"{name.lower()}@example.com", "name": name, "role": role}
    fields |= {"password_hash": f"argon2-hash-of-{name}", "created_at": T0}
    return store.accounts.create_account(**(fields | overrides))


@pytest.fixture
def bea(store: Store) -> StoredAccount:
    return sign_up(store, "Bea")


@pytest.fixture
def cole(store: Store) -> StoredAccount:
    return sign_up(store, "Cole", "coach")


@pytest.fixture
def dee(store: Store) -> StoredAccount:
    return sign_up(store, "Dee", "coach")


def test_account_round_trips_and_creates_its_runner(store: Store, row_count: RowCount) -> None:
    account = sign_up(
        store, "Bea Ünïcödé", email="  Bea.Runner@Example.COM ", created_at=T0.astimezone(KATHMANDU)
    )

    assert len(account.runner_id) == 32
    expected = ("bea.runner@example.com", "Bea Ünïcödé", "runner", "argon2-hash-of-Bea Ünïcödé")
    assert account == StoredAccount(account.runner_id, *expected, T0, T0)
    assert account.created_at.tzinfo == UTC
    assert store.accounts.account_by_email("BEA.runner@example.com ") == account
    assert store.accounts.account_by_runner(account.runner_id) == account
    assert (row_count("runners"), row_count("accounts")) == (1, 1)
    assert "argon2" not in repr(account)
    assert store.accounts.account_by_email("nobody@example.com") is None
    assert store.accounts.account_by_email("") is None
    assert store.accounts.account_by_runner("local") is None
    assert store.accounts.account_by_runner("0" * 32) is None


def test_duplicate_email_in_another_case_raises_email_taken(
    store: Store, bea: StoredAccount, row_count: RowCount
) -> None:
    with pytest.raises(EmailTaken, match=r"^An account with this email already exists\.$"):
        sign_up(store, "Impostor", email=" BEA@example.com")
    assert (row_count("runners"), row_count("accounts")) == (1, 1)


BAD_ACCOUNT_VALUES = [{"role": "admin"}, {"role": "Coach"}, {"name": "x" * 121}, {"name": " "}]
BAD_ACCOUNT_VALUES += [{"email": "   "}, {"email": "a" * 243 + "@example.com"}, {"email": None}]


@pytest.mark.parametrize("overrides", [*BAD_ACCOUNT_VALUES, {"password_hash": ""}])
def test_bad_account_values_are_refused_and_nothing_is_written(
    store: Store, row_count: RowCount, overrides: dict[str, Any]
) -> None:
    with pytest.raises((ValueError, TypeError)) as raised:
        sign_up(store, **({"name": "Bea"} | overrides))

    assert "example.com" not in str(raised.value)
    assert (row_count("runners"), row_count("accounts")) == (0, 0)


def test_racing_sign_ups_with_one_email_give_one_account(
    store: Store, paused_statement: PausedStatement, row_count: RowCount
) -> None:
    with paused_statement("INSERT INTO accounts") as pause, ThreadPoolExecutor(2) as pool:
        held = pool.submit(sign_up, store, "Bea")
        assert pause.reached.wait(10)
        other = pool.submit(sign_up, store, "Bea", email="BEA@example.com")
        if store.url.startswith("sqlite"):
            # Writers take turns from BEGIN: the other one waits, then finds the email.
            pause.release.set()
            winner, loser = held, other
        else:
            # The other one finds no account yet and commits; the held one, past its
            # check, then fails on the unique constraint.
            assert other.result(10).email == "bea@example.com"
            pause.release.set()
            winner, loser = other, held
        assert winner.result(10).email == "bea@example.com"
        with pytest.raises(EmailTaken):
            loser.result(10)

    assert (row_count("runners"), row_count("accounts")) == (1, 1)


def test_set_password_replaces_the_hash_and_drops_only_that_runners_sessions(
    store: Store, bea: StoredAccount, cole: StoredAccount
) -> None:
    for token, runner in (("bea-1", bea), ("bea-2", bea), ("cole", cole)):
        store.accounts.create_session(runner.runner_id, sha(token), T0, T0 + HOUR)

    store.accounts.set_password(bea.runner_id, "new-hash", T0.astimezone(KATHMANDU) + HOUR / 2)

    assert store.accounts.account_by_runner(bea.runner_id) == replace(
        bea, password_hash="new-hash", password_changed_at=T0 + HOUR / 2
    )
    signed_in = [
        store.accounts.session_runner(sha(token), T0) for token in ("bea-1", "bea-2", "cole")
    ]
    assert signed_in == [None, None, cole.runner_id]
    with pytest.raises(UnknownRunner):
        store.accounts.set_password("local", "hash", T0)
    with pytest.raises(ValueError, match="empty"):
        store.accounts.set_password(bea.runner_id, "", T0)


def test_a_session_signs_its_runner_in_until_it_expires(
    store: Store, bea: StoredAccount, direct_engine: Engine
) -> None:
    store.accounts.create_session(bea.runner_id, sha("token"), T0, T0 + HOUR)

    assert store.accounts.session_runner(sha("token"), T0) == bea.runner_id
    assert store.accounts.session_runner(sha("token"), (T0 + HOUR).astimezone(KATHMANDU)) is None
    assert store.accounts.session_runner(sha("token"), T0 + 2 * HOUR) is None
    assert store.accounts.session_runner(sha("other"), T0) is None
    assert store.accounts.session_runner("token", T0) is None
    assert store.accounts.session_runner(sha("token"), T0 + HOUR - timedelta(microseconds=1))
    with direct_engine.connect() as connection:  # the hash, never the token
        stored = connection.execute(text("SELECT token_hash FROM sessions")).scalars().all()
    assert stored == [sha("token")]


def test_sessions_are_deleted_one_by_one_all_of_a_runner_or_when_expired(
    store: Store, bea: StoredAccount, cole: StoredAccount, row_count: RowCount
) -> None:
    for token, runner, hours in (("a", bea, 1), ("b", bea, 3), ("c", cole, 1), ("d", cole, 3)):
        store.accounts.create_session(runner.runner_id, sha(token), T0, T0 + hours * HOUR)

    store.accounts.delete_session(sha("a"))
    store.accounts.delete_session(sha("unknown"))
    assert store.accounts.session_runner(sha("a"), T0) is None
    assert store.accounts.session_runner(sha("b"), T0) == bea.runner_id

    assert store.accounts.purge_expired_sessions(T0 + HOUR) == 1  # c; a is gone already
    assert store.accounts.purge_expired_sessions(T0 + HOUR) == 0
    assert store.accounts.session_runner(sha("d"), T0) == cole.runner_id

    store.accounts.delete_sessions(bea.runner_id)
    assert store.accounts.session_runner(sha("b"), T0) is None
    assert row_count("sessions") == 1


def test_bad_sessions_are_refused(store: Store, bea: StoredAccount, row_count: RowCount) -> None:
    for runner_id, token_hash, expires_in, error in [
        ("local", sha("t"), HOUR, UnknownRunner),
        ("0" * 32, sha("t"), HOUR, UnknownRunner),
        (bea.runner_id, "raw-cookie-token", HOUR, ValueError),
        (bea.runner_id, sha("t").upper(), HOUR, ValueError),
        (bea.runner_id, sha("t"), timedelta(0), ValueError),
    ]:
        with pytest.raises(error):
            store.accounts.create_session(runner_id, token_hash, T0, T0 + expires_in)

    assert row_count("sessions") == 0
    assert row_count("runners") == 1  # the local runner was not created on the way


def test_a_coach_accepts_an_invite_once_and_views_until_it_is_revoked(
    store: Store, bea: StoredAccount, cole: StoredAccount, dee: StoredAccount
) -> None:
    pending = store.accounts.create_share(bea.runner_id, sha("invite"), T0.astimezone(KATHMANDU))
    assert pending == StoredShare(pending.id, bea.runner_id, "Bea", None, None, T0, None, None)
    assert not pending.active
    assert not store.accounts.coach_can_view(cole.runner_id, bea.runner_id)

    accepted = store.accounts.accept_share(sha("invite"), cole.runner_id, T0 + HOUR)

    assert accepted == replace(
        pending, coach_id=cole.runner_id, coach_name="Cole", accepted_at=T0 + HOUR
    )
    assert accepted.active
    assert store.accounts.coach_can_view(cole.runner_id, bea.runner_id)
    assert not store.accounts.coach_can_view(bea.runner_id, cole.runner_id)
    # Twice by the same coach: the same share, unchanged; by another coach: nothing.
    assert store.accounts.accept_share(sha("invite"), cole.runner_id, T0 + 2 * HOUR) == accepted
    assert store.accounts.accept_share(sha("invite"), dee.runner_id, T0 + 2 * HOUR) is None
    assert not store.accounts.coach_can_view(dee.runner_id, bea.runner_id)
    # Only the sharing runner revokes.
    assert store.accounts.revoke_share(accepted.id, cole.runner_id, T0) is False
    assert store.accounts.revoke_share(accepted.id, "local", T0) is False
    assert store.accounts.revoke_share("0" * 32, bea.runner_id, T0) is False
    assert store.accounts.shares_of_runner(bea.runner_id) == [accepted]

    assert store.accounts.revoke_share(accepted.id, bea.runner_id, T0 + 3 * HOUR) is True

    assert not store.accounts.coach_can_view(cole.runner_id, bea.runner_id)
    assert store.accounts.runners_shared_with(cole.runner_id) == []
    assert store.accounts.accept_share(sha("invite"), cole.runner_id, T0 + 4 * HOUR) is None
    # Revoking again is fine and keeps the first time.
    assert store.accounts.revoke_share(accepted.id, bea.runner_id, T0 + 5 * HOUR) is True
    assert store.accounts.shares_of_runner(bea.runner_id) == [
        replace(accepted, revoked_at=T0 + 3 * HOUR)
    ]


def test_invites_are_refused_to_non_coaches_the_owner_and_after_revoking(
    store: Store, bea: StoredAccount, cole: StoredAccount, dee: StoredAccount, row_count: RowCount
) -> None:
    runner = sign_up(store, "Ray")
    own = store.accounts.create_share(cole.runner_id, sha("cole's"), T0)
    revoked = store.accounts.create_share(bea.runner_id, sha("revoked"), T0)
    store.accounts.create_share(bea.runner_id, sha("open"), T0)
    assert store.accounts.revoke_share(revoked.id, bea.runner_id, T0) is True

    assert store.accounts.accept_share(sha("open"), runner.runner_id, T0) is None  # not a coach
    assert store.accounts.accept_share(sha("open"), "local", T0) is None  # no account
    assert store.accounts.accept_share(sha("open"), "0" * 32, T0) is None
    assert store.accounts.accept_share(sha("cole's"), cole.runner_id, T0) is None  # the owner
    assert store.accounts.accept_share(sha("revoked"), dee.runner_id, T0) is None
    assert store.accounts.accept_share(sha("unknown"), dee.runner_id, T0) is None
    assert all(share.coach_id is None for share in store.accounts.shares_of_runner(bea.runner_id))
    assert store.accounts.shares_of_runner(cole.runner_id) == [own]
    with pytest.raises(ValueError, match="already in use"):
        store.accounts.create_share(bea.runner_id, sha("open"), T0)
    with pytest.raises(ValueError, match="SHA-256"):
        store.accounts.create_share(bea.runner_id, "raw-invite-token", T0)
    with pytest.raises(UnknownRunner):
        store.accounts.create_share("0" * 32, sha("other"), T0)
    assert row_count("shares") == 3


def test_share_lists_newest_first_and_active_ones_by_runner_name(
    store: Store, bea: StoredAccount, cole: StoredAccount, dee: StoredAccount
) -> None:
    ann, zed = sign_up(store, "Ann"), sign_up(store, "Zed")
    shares = {}
    for minute, (owner, token) in enumerate(
        [(zed, "z"), (bea, "b1"), (ann, "a"), (bea, "b2"), (bea, "b3"), (ann, "pending")]
    ):
        shares[token] = store.accounts.create_share(
            owner.runner_id, sha(token), T0 + timedelta(minutes=minute)
        )
    for minute, token in enumerate(("z", "b1", "a", "b2")):
        store.accounts.accept_share(
            sha(token), cole.runner_id, T0 + HOUR + timedelta(minutes=minute)
        )
    store.accounts.accept_share(sha("b3"), dee.runner_id, T0 + HOUR)
    store.accounts.revoke_share(shares["a"].id, ann.runner_id, T0 + 2 * HOUR)

    mine = store.accounts.shares_of_runner(bea.runner_id)
    assert [share.id for share in mine] == [shares[t].id for t in ("b3", "b2", "b1")]
    assert [share.coach_name for share in mine] == ["Dee", "Cole", "Cole"]
    # Ann's share is revoked; Bea's two accepted invites count once, the earlier one.
    coached = store.accounts.runners_shared_with(cole.runner_id)
    assert [(share.runner_name, share.id) for share in coached] == [
        ("Bea", shares["b1"].id),
        ("Zed", shares["z"].id),
    ]
    assert all(share.active and share.coach_name == "Cole" for share in coached)
    assert [share.runner_name for share in store.accounts.runners_shared_with(dee.runner_id)] == [
        "Bea"
    ]


def test_naive_datetimes_are_refused(store: Store, bea: StoredAccount) -> None:
    me = bea.runner_id
    for call in [
        lambda: sign_up(store, "Ann", created_at=NAIVE),
        lambda: store.accounts.set_password(me, "hash", NAIVE),
        lambda: store.accounts.create_session(me, sha("t"), NAIVE, T0),
        lambda: store.accounts.create_session(me, sha("t"), T0, NAIVE),
        lambda: store.accounts.session_runner(sha("t"), NAIVE),
        lambda: store.accounts.purge_expired_sessions(NAIVE),
        lambda: store.accounts.create_share(me, sha("t"), NAIVE),
        lambda: store.accounts.accept_share(sha("t"), me, NAIVE),
        lambda: store.accounts.revoke_share("0" * 32, me, NAIVE),
    ]:
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


RUNNER_TABLES = ("assessments", "journal_entries", "plans", "exercise_logs", "activities")
RUNNER_TABLES += ("shoes", "import_files", "accounts", "sessions")
DAY = date(2026, 11, 2)
PLAN = {"start_date": DAY, "created_at": T0, "kb_version": "2026.11", "report": {}}
EXERCISE_LOG = {"day": DAY, "exercise_id": "calf_raises", "sets_done": 3, "note": ""}
EXERCISE_LOG |= {"reps_or_seconds": None, "recorded_at": T0}


def owned_rows(engine: Engine, runner_id: str) -> dict[str, int]:
    """How many rows of each of ``RUNNER_TABLES`` the runner has, behind the Store's back."""
    selects = [f"SELECT '{t}', count(*) FROM {t} WHERE runner_id = :id" for t in RUNNER_TABLES]
    with engine.connect() as connection:
        return dict(connection.execute(text(" UNION ALL ".join(selects)), {"id": runner_id}).all())


def test_deleting_a_runner_removes_everything_of_theirs(
    store: Store,
    save_assessment: SaveAssessment,
    make_activity: MakeActivity,
    direct_engine: Engine,
    row_count: RowCount,
) -> None:
    bea, cole, dee = (
        sign_up(store, *who) for who in (["Bea"], ["Cole", "coach"], ["Dee", "coach"])
    )

    def fill(runner_id: str) -> None:
        assessment = save_assessment(runner_id=runner_id)
        store.journal.add_journal_entry(runner_id=runner_id, day=DAY, data={}, recorded_at=T0)
        plan = store.plans.create_plan(runner_id=runner_id, assessment_id=assessment.id, **PLAN)
        day = {"day": DAY, "day_number": 1, "phase": "p", "rule_id": "r", "data": {}}
        store.plans.replace_plan_days(plan.id, runner_id, [day])
        store.exercises.add_exercise_log(runner_id=runner_id, **EXERCISE_LOG)
        shoe = store.shoes.add_shoe(runner_id, brand="Hoka", model="Clifton", type="neutral")
        files = [{"digest": sha(runner_id), "source_name": "a.fit", "activities": 1}]
        store.activities.add_activities(runner_id, [make_activity(0, shoe_id=shoe.id)], files=files)
        store.accounts.create_session(runner_id, sha(f"session-{runner_id}"), T0, T0 + HOUR)

    # Cole is a coach with data of his own; he coaches Bea and Dee coaches him.
    fill(cole.runner_id)
    fill(bea.runner_id)
    for owner, coach in ((bea, cole), (cole, dee)):
        store.accounts.create_share(owner.runner_id, sha(owner.name), T0)
        store.accounts.accept_share(sha(owner.name), coach.runner_id, T0)
    beas_before = owned_rows(direct_engine, bea.runner_id)
    assert set(beas_before.values()) == {1}

    assert store.accounts.delete_runner(cole.runner_id) is True

    assert set(owned_rows(direct_engine, cole.runner_id).values()) == {0}
    assert owned_rows(direct_engine, bea.runner_id) == beas_before
    assert row_count("shares") == 0  # his own share, and Bea's with him as the coach
    assert (row_count("plan_days"), row_count("journal_revisions")) == (1, 1)
    assert row_count("runners") == 2
    assert store.accounts.account_by_email("cole@example.com") is None
    assert store.accounts.session_runner(sha(f"session-{cole.runner_id}"), T0) is None
    assert store.accounts.session_runner(sha(f"session-{bea.runner_id}"), T0) == bea.runner_id
    assert not store.accounts.coach_can_view(cole.runner_id, bea.runner_id)
    assert store.accounts.delete_runner(cole.runner_id) is False
    assert store.accounts.delete_runner("0" * 32) is False
    # The email is free again.
    assert sign_up(store, "Cole", "coach").email == "cole@example.com"


def test_0005_upgrades_old_data_and_downgrades_to_0004(
    database_url: str, direct_engine: Engine, row_count: RowCount
) -> None:
    migrate.upgrade_to(direct_engine, "0004")
    with direct_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO runners (id, name, created_at) VALUES ('local', 'Local', :at)"),
            {"at": T0},
        )
    with Store(database_url) as store:
        store.upgrade()
        assert store.accounts.create_share("local", sha("invite"), T0).runner_name == "Local"
        assert store.accounts.accept_share(
            sha("invite"), sign_up(store, "Cole", "coach").runner_id, T0
        )

    with direct_engine.begin() as connection:
        command.downgrade(migrate.alembic_config(connection), "0004")

    assert not {"accounts", "sessions", "shares"} & set(inspect(direct_engine).get_table_names())
    assert row_count("runners") == 2
    with Store(database_url) as store:
        store.upgrade()
        assert store.current_revision() == HEAD_REVISION
        assert store.accounts.shares_of_runner("local") == []
    with direct_engine.connect() as connection:
        assert migrate.schema_differences(connection) == []
