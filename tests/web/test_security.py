"""Security of the multi-user web app: cookies, CSRF, sign-in limits, upload limits,
sessions after a password change, and a light report page with no third-party assets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web import uploads
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'sec.db').as_posix()}")
    sw.upgrade_database()
    sw.accounts.register("ann@example.org", PASSWORD, "Ann")
    yield sw
    sw.close()


def _client(service: Stridewell, **options: bool) -> TestClient:
    return TestClient(create_app(service, multi_user=True, **options), follow_redirects=False)


def _login(client: TestClient, password: str = PASSWORD, email: str = "ann@example.org") -> int:
    client.get("/login")
    data = {"email": email, "password": password, "csrf_token": client.cookies["sw_csrf"]}
    return client.post("/login", data=data).status_code


def test_the_session_cookie_is_http_only_lax_and_secure_when_asked(service: Stridewell) -> None:
    # Over https, as behind the TLS proxy: the CSRF cookie is Secure there too.
    client = TestClient(
        create_app(service, multi_user=True, secure_cookies=True),
        base_url="https://testserver",
        follow_redirects=False,
    )
    client.get("/login")
    data = {"email": "ann@example.org", "password": PASSWORD,
            "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
    response = client.post("/login", data=data)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("sw_session="))
    assert "HttpOnly" in cookie and "Secure" in cookie
    assert re.search(r"SameSite=lax", cookie, re.IGNORECASE)
    plain = _client(service)
    plain.get("/login")
    data["csrf_token"] = plain.cookies["sw_csrf"]
    cookie = next(
        c for c in plain.post("/login", data=data).headers.get_list("set-cookie")
        if c.startswith("sw_session=")
    )  # fmt: skip
    assert "HttpOnly" in cookie and "Secure" not in cookie  # plain http on loopback


def test_sign_in_without_the_csrf_token_is_refused(service: Stridewell) -> None:
    client = _client(service)
    client.get("/login")
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "sw_session" not in client.cookies


def test_api_writes_need_the_csrf_header_when_signed_in(service: Stridewell) -> None:
    client = _client(service)
    assert _login(client) == 303
    body = {"locations": ["arch"]}
    assert client.post("/api/v1/assessments", json=body).status_code == 403
    headers = {"x-csrf-token": client.cookies["sw_csrf"]}
    assert client.post("/api/v1/assessments", json=body, headers=headers).status_code == 201


def test_wrong_passwords_are_rate_limited_even_before_the_right_one(service: Stridewell) -> None:
    client = _client(service)
    statuses = [_login(client, "wrong password!") for _ in range(5)]
    assert statuses == [401] * 5
    client.get("/login")
    data = {"email": "ann@example.org", "password": PASSWORD,
            "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
    limited = client.post("/login", data=data)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert "sw_session" not in client.cookies


def test_an_unknown_email_and_a_wrong_password_read_the_same(service: Stridewell) -> None:
    client = _client(service)
    client.get("/login")
    token = client.cookies["sw_csrf"]
    one = client.post("/login", data={"email": "nobody@example.org", "password": "x" * 12,
                                      "csrf_token": token})  # fmt: skip
    two = client.post("/login", data={"email": "ann@example.org", "password": "x" * 12,
                                      "csrf_token": token})  # fmt: skip
    assert one.status_code == two.status_code == 401
    assert "wrong email or password" in one.text and "wrong email or password" in two.text


def test_changing_the_password_ends_other_sessions(service: Stridewell) -> None:
    phone, laptop = _client(service), _client(service)
    assert _login(phone) == 303 and _login(laptop) == 303
    token = laptop.cookies["sw_csrf"]
    changed = laptop.post(
        "/account/password",
        data={"current": PASSWORD, "new": "another long password", "csrf_token": token},
    )
    assert changed.status_code == 303
    assert laptop.get("/account").status_code == 200  # this session got a fresh cookie
    assert phone.get("/account").status_code == 303  # the other one is signed out


def test_an_upload_over_the_limit_is_refused_and_imports_nothing(
    service: Stridewell, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10_000)
    client = _client(service)
    assert _login(client) == 303
    big = b"<gpx>" + b" " * 20_000 + b"</gpx>"
    response = client.post(
        "/training/import",
        data={"csrf_token": client.cookies["sw_csrf"]},
        files=[("files", ("big.gpx", big, "application/gpx+xml"))],
    )
    assert response.status_code == 413
    assert "larger than" in response.text
    runner = service.accounts.authenticate("ann@example.org", PASSWORD).runner_id
    assert service.for_runner(runner).training.activities() == []


def test_the_report_page_is_light_and_loads_nothing_from_other_hosts(
    service: Stridewell,
) -> None:
    client = _client(service)
    assert _login(client) == 303
    headers = {"x-csrf-token": client.cookies["sw_csrf"]}
    created = client.post(
        "/api/v1/assessments",
        json={"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"]},
        headers=headers,
    )
    page = client.get(f"/assessments/{created.json()['id']}")
    assert page.status_code == 200
    assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    total = len(page.content) + sum(len(client.get(a).content) for a in assets)
    assert total < 200_000


def test_signing_out_ends_the_session_on_the_server(service: Stridewell) -> None:
    client = _client(service)
    assert _login(client) == 303
    token = client.cookies["sw_session"]
    out = client.post("/logout", data={"csrf_token": client.cookies["sw_csrf"]})
    assert out.status_code == 303
    assert service.accounts.session_runner(token) is None  # a copied cookie is worthless now
    assert client.get("/account").status_code == 303


def test_after_sign_in_the_next_page_is_never_another_site(service: Stridewell) -> None:
    client = _client(service)
    client.get("/login")
    data = {"email": "ann@example.org", "password": PASSWORD, "next": "//evil.example/x",
            "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
    assert client.post("/login", data=data).headers["location"] == "/"
