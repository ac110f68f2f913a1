"""API tokens as a leak would test them: a token cannot make or revoke tokens, a password
change ends every token, and using a token is not a database write on every request."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from web_helpers import Clock

from stridewell.service import Stridewell
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"


def _script(service: Stridewell, secret: str, *, multi_user: bool = False) -> TestClient:
    return TestClient(
        create_app(service, multi_user=multi_user),
        headers={"Authorization": f"Bearer {secret}"},
        follow_redirects=False,
    )


def test_a_token_can_neither_make_nor_revoke_tokens_from_the_api(service: Stridewell) -> None:
    tokens = service.local().account.tokens
    leaked, other = tokens.create("leaked"), tokens.create("other")
    script = _script(service, leaked.secret)
    assert script.post("/api/v1/tokens", json={"name": "spare key"}).status_code == 403
    assert script.delete(f"/api/v1/tokens/{other.token.id}").status_code == 403
    assert script.delete(f"/api/v1/tokens/{leaked.token.id}").status_code == 403
    assert sorted(t.name for t in tokens.list() if t.revoked_at is None) == ["leaked", "other"]
    assert script.get("/api/v1/tokens").status_code == 200  # reading the list stays allowed


def test_a_token_cannot_make_or_revoke_tokens_through_the_account_form(
    service: Stridewell,
) -> None:
    tokens = service.local().account.tokens
    leaked, other = tokens.create("leaked"), tokens.create("other")
    script = _script(service, leaked.secret)
    forged = "forged-csrf-token-forged-csrf-token"
    script.cookies.set("sw_csrf", forged)
    made = script.post("/account/tokens", data={"name": "spare", "csrf_token": forged})
    assert made.status_code == 403
    revoke = script.post(f"/account/tokens/{other.token.id}/revoke", data={"csrf_token": forged})
    assert revoke.status_code == 403
    assert sorted(t.name for t in tokens.list() if t.revoked_at is None) == ["leaked", "other"]


def test_changing_the_password_revokes_every_token_of_the_runner(service: Stridewell) -> None:
    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann")
    bob = service.accounts.register("bob@example.org", PASSWORD, "Bob")
    ann_secrets = [service.for_runner(ann.runner_id).account.tokens.create().secret for _ in "ab"]
    bob_secret = service.for_runner(bob.runner_id).account.tokens.create().secret
    service.for_runner(ann.runner_id).account.change_password(PASSWORD, PASSWORD + " again")
    assert [service.accounts.token_runner(s) for s in ann_secrets] == [None, None]
    assert service.accounts.token_runner(bob_secret) == bob.runner_id
    listed = service.for_runner(ann.runner_id).account.tokens.list()
    assert all(t.revoked_at == service.for_runner(ann.runner_id).clock() for t in listed)


def test_a_token_is_marked_used_at_most_once_an_hour(service: Stridewell, clock: Clock) -> None:
    tokens = service.local().account.tokens
    made = tokens.create("sync")
    script = _script(service, made.secret)
    first_use = clock.now
    assert script.get("/api/v1/tokens").status_code == 200
    assert tokens.list()[0].last_used_at == first_use
    clock.now += timedelta(minutes=30)  # within the hour: no write, the old mark stays
    assert script.get("/api/v1/tokens").status_code == 200
    assert tokens.list()[0].last_used_at == first_use
    clock.now += timedelta(minutes=31)
    assert script.get("/api/v1/tokens").status_code == 200
    assert tokens.list()[0].last_used_at == clock.now
