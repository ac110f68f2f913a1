"""A coach who opens a runner's invite link without an account: registering keeps the
invite, and signing in leads straight back to it (in process, multi-user)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    with Stridewell(f"sqlite:///{(tmp_path / 'invite.db').as_posix()}") as service:
        service.upgrade_database()
        yield create_app(service, multi_user=True)


def _client(app: FastAPI) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    client.get("/login")  # the CSRF cookie
    return client


def _post(client: TestClient, url: str, **data: str) -> object:
    return client.post(url, data={"csrf_token": client.cookies["sw_csrf"], **data})


def _invite_path(app: FastAPI) -> str:
    runner = _client(app)
    _post(runner, "/register", email="ann@example.org", name="Ann Runner", password=PASSWORD)
    _post(runner, "/login", email="ann@example.org", password=PASSWORD)
    page = _post(runner, "/sharing/invite")
    found = re.search(r'<code id="invite-link">[^<]*(/invite/[^<]+)</code>', page.text)  # type: ignore[attr-defined]
    assert found is not None
    return found.group(1)


def test_a_coach_registering_from_an_invite_link_keeps_the_invite(app: FastAPI) -> None:
    invite = _invite_path(app)
    coach = _client(app)
    # The link, signed out: to sign-in, with the invite as where to go next.
    to_login = coach.get(invite)
    assert to_login.status_code == 303
    login_page = coach.get(to_login.headers["location"])
    assert 'id="invite-waiting"' in login_page.text
    register_link = re.search(r'href="(/register\?next=[^"]+)" id="register-link"', login_page.text)
    assert register_link is not None
    register_page = coach.get(register_link.group(1).replace("&amp;", "&"))
    assert f'name="next" value="{invite}"' in register_page.text
    assert 'value="coach" checked' in register_page.text  # an invite is for a coach
    registered = _post(coach, "/register", email="cy@example.org", name="Cy Coach",
                       password=PASSWORD, role="coach", next=invite)  # fmt: skip
    assert registered.status_code == 303  # type: ignore[attr-defined]
    location = registered.headers["location"]  # type: ignore[attr-defined]
    assert parse_qs(urlsplit(location).query)["next"] == [invite]
    login_page = coach.get(location)
    assert f'name="next" value="{invite}"' in login_page.text
    signed_in = _post(coach, "/login", email="cy@example.org", password=PASSWORD, next=invite)
    assert signed_in.headers["location"] == invite  # type: ignore[attr-defined]
    assert coach.get(invite).status_code == 200
    accepted = _post(coach, invite)
    assert accepted.headers["location"] == "/coach"  # type: ignore[attr-defined]
    assert "Ann Runner" in coach.get("/coach").text


def test_a_next_elsewhere_is_never_carried_through_registration(app: FastAPI) -> None:
    visitor = _client(app)
    page = visitor.get("/register?next=https://evil.example/")
    assert 'name="next" value="/"' in page.text
    done = _post(visitor, "/register", email="e@example.org", name="E", password=PASSWORD,
                 next="//evil.example/")  # fmt: skip
    assert done.headers["location"] == "/login?registered=1"  # type: ignore[attr-defined]


def test_sign_in_and_registration_fields_are_styled_like_the_rest(app: FastAPI) -> None:
    css = _client(app).get("/static/app.css").text
    for kind in ("email", "password", "text"):
        assert f"input[type={kind}]" in css
    for url in ("/login", "/register"):
        assert 'class="auth-card"' in _client(app).get(url).text
