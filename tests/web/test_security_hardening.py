"""Issue 11, each finding as its attack: the single-user mode closed to other web pages,
API tokens, registration and sign-in limits that hold, bounded input, NUL on both
databases, security headers and an honest health check."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import Clock

from stridewell.errors import NotFound
from stridewell.service import Stridewell
from stridewell.service import accounts as accounts_module
from stridewell.web.app import create_app
from stridewell.web.security import SecurityConfig

PASSWORD = "correct horse battery"
HEEL = {"locations": ["arch"]}
SAME_ORIGIN = {"Origin": "http://testserver"}


def _local(service: Stridewell, **headers: str) -> TestClient:
    return TestClient(create_app(service), headers=headers, follow_redirects=False)


# -- 1. the single-user mode closed to other web pages ---------------------------------


def test_a_cross_site_post_to_the_api_is_refused_in_single_user_mode(
    service: Stridewell,
) -> None:
    evil = _local(service, Origin="https://evil.example")
    assert evil.post("/api/v1/assessments", json=HEEL).status_code == 403
    fetch = _local(service, **{"Sec-Fetch-Site": "cross-site"})
    assert fetch.post("/api/v1/plans", json={}).status_code == 403
    bare = _local(service)  # a plain form post from another page may carry no Origin
    assert bare.post("/api/v1/assessments", json=HEEL).status_code == 403
    assert service.local().assessments.history() == []
    ours = _local(service, **SAME_ORIGIN)
    assert ours.post("/api/v1/assessments", json=HEEL).status_code == 201


def test_a_rebound_host_name_can_read_nothing(service: Stridewell) -> None:
    client = _local(service)
    page = client.get("/account/export", headers={"Host": "attacker.example:8000"})
    assert page.status_code == 400 and b"PK" not in page.content
    assert (
        client.get("/api/v1/assessments", headers={"Host": "attacker.example"}).status_code == 400
    )
    assert client.get("/account/export", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_the_allowed_hosts_are_configurable() -> None:
    config = SecurityConfig.build(
        bound_host="192.0.2.7", allowed_hosts=["stride.example.org"], env={}
    )
    assert config.host_allowed("stride.example.org")
    assert config.host_allowed("192.0.2.7:8000") and config.host_allowed("[::1]:8000")
    assert not config.host_allowed("evil.example") and not config.host_allowed("")
    env = SecurityConfig.build(env={"STRIDEWELL_ALLOWED_HOSTS": "a.example, b.example"})
    assert env.host_allowed("b.example:443") and not env.host_allowed("c.example")


def test_no_page_form_changes_anything_without_the_csrf_token(service: Stridewell) -> None:
    import re

    app = create_app(service)
    client = TestClient(app, follow_redirects=False)
    client.get("/")  # the CSRF cookie: only the form's copy of the token is missing
    posted = 0
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for entry in list(contexts()) if callable(contexts) else [route]:
            path = getattr(entry, "path", "")
            methods = set(getattr(entry, "methods", None) or ()) - {"GET", "HEAD"}
            if not methods or path.startswith("/api/"):
                continue  # the API: proved by the middleware (tested above)
            url = re.sub(r"\{\w+\}", "x", path)
            for method in methods:
                answer = client.request(method, url, data={"name": "x", "pain": "3"})
                # 404: a multi-user page, absent here; anything else must be the refusal.
                assert answer.status_code in (403, 404), f"{method} {path}: {answer.status_code}"
                posted += 1
    assert posted > 10
    assert service.local().assessments.history() == []
    assert service.local().account.tokens.list() == []


def test_an_api_token_works_from_a_script_and_stops_when_revoked(service: Stridewell) -> None:
    made = service.local().account.tokens.create("backup script")
    script = _local(service, Authorization=f"Bearer {made.secret}")
    assert script.post("/api/v1/assessments", json=HEEL).status_code == 201
    listed = script.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["backup script"] and "token" not in listed[0]
    browser = _local(service, **SAME_ORIGIN)  # revoked by the runner, not by the token
    assert browser.delete(f"/api/v1/tokens/{made.token.id}").status_code == 204
    assert script.get("/api/v1/assessments").status_code == 401
    assert (
        _local(service, Authorization="Bearer sw_made-up").get("/api/v1/tokens").status_code == 401
    )


def test_a_token_is_stored_only_as_its_hash(service: Stridewell, database_url: str) -> None:
    made = service.local().account.tokens.create()
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = [tuple(map(str, r)) for r in connection.execute(text("SELECT * FROM api_tokens"))]
    engine.dispose()
    assert rows and not any(made.secret in value for row in rows for value in row)


def test_a_token_reaches_only_its_own_runner_in_multi_user_mode(service: Stridewell) -> None:
    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann")
    bob = service.accounts.register("bob@example.org", PASSWORD, "Bob")
    service.for_runner(ann.runner_id).assessments.assess(HEEL)
    secret = service.for_runner(bob.runner_id).account.tokens.create().secret
    client = TestClient(
        create_app(service, multi_user=True), headers={"Authorization": f"Bearer {secret}"}
    )
    assert client.get("/api/v1/assessments").json() == []
    ann_token = service.for_runner(ann.runner_id).account.tokens.list()
    assert ann_token == []  # and Bob cannot revoke what is not his:
    other = service.for_runner(ann.runner_id).account.tokens.create()
    with pytest.raises(NotFound):
        service.for_runner(bob.runner_id).account.tokens.revoke(other.token.id)
    assert service.accounts.token_runner(other.secret) == ann.runner_id


def test_a_signed_in_runner_makes_a_token_from_the_api(service: Stridewell) -> None:
    service.accounts.register("ann@example.org", PASSWORD, "Ann")
    client = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    client.get("/login")
    form = {
        "email": "ann@example.org",
        "password": PASSWORD,
        "csrf_token": client.cookies["sw_csrf"],
    }
    assert client.post("/login", data=form).status_code == 303
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403  # no proof
    made = client.post("/api/v1/tokens", json={"name": "watch sync"}, headers=SAME_ORIGIN)
    assert made.status_code == 201 and made.json()["token"].startswith("sw_")
    script = TestClient(create_app(service, multi_user=True))
    answer = script.get(
        "/api/v1/tokens", headers={"Authorization": f"Bearer {made.json()['token']}"}
    )
    assert [t["name"] for t in answer.json()] == ["watch sync"]


def test_the_account_page_makes_shows_once_and_revokes_a_token(service: Stridewell) -> None:
    import re

    client = TestClient(create_app(service), follow_redirects=False)
    client.get("/account")
    form = {"name": "garmin sync", "csrf_token": client.cookies["sw_csrf"]}
    page = client.post("/account/tokens", data=form)
    secret = re.search(r'<code id="new-token">(sw_[^<]+)</code>', page.text)
    assert page.status_code == 200 and secret is not None
    assert secret.group(1) not in client.get("/account").text  # shown that once only
    assert service.accounts.token_runner(secret.group(1)) == "local"
    token_id = service.local().account.tokens.list()[0].id
    revoke = f"/account/tokens/{token_id}/revoke"
    assert client.post(revoke, data={"csrf_token": "forged-token-forged-token"}).status_code == 403
    assert client.post(revoke, data={"csrf_token": client.cookies["sw_csrf"]}).status_code == 303
    assert service.accounts.token_runner(secret.group(1)) is None


def test_the_token_commands_create_list_and_revoke(tmp_path: Path) -> None:
    from stridewell.cli.main import app

    env = {"STRIDEWELL_DATABASE_URL": f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"}
    runner = CliRunner()
    created = runner.invoke(app, ["token", "create", "--name", "nightly"], env=env)
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[0]
    listed = runner.invoke(app, ["token", "list"], env=env)
    token_id = listed.stdout.split()[0]
    assert "nightly" in listed.stdout and "active" in listed.stdout and secret not in listed.stdout
    with Stridewell(env["STRIDEWELL_DATABASE_URL"]) as sw:
        assert sw.accounts.token_runner(secret) == "local"
        assert runner.invoke(app, ["token", "revoke", token_id], env=env).exit_code == 0
        assert sw.accounts.token_runner(secret) is None
    assert runner.invoke(app, ["token", "revoke", "nope"], env=env).exit_code != 0


# -- 3. registration limited, and silent about who is registered ------------------------


def _register(client: TestClient, email: str, name: str = "Ann") -> int:
    client.get("/login")
    data = {"email": email, "name": name, "password": PASSWORD, "role": "runner",
            "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
    return client.post("/register", data=data).status_code


def test_registration_is_limited_per_address_and_overall(
    service: Stridewell, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    statuses = [_register(client, f"r{i}@example.org") for i in range(7)]
    assert statuses == [303] * 5 + [429] * 2
    from stridewell.errors import TooManyRequests
    from stridewell.service.limiter import AttemptLimiter, Limit, Limits

    tight = Limits(registrations_overall=Limit(8, timedelta(hours=1)))
    monkeypatch.setattr(
        accounts_module, "AttemptLimiter", lambda backend: AttemptLimiter(backend, tight)
    )
    # 7 counted so far; many addresses, one new registration each: the 9th overall is refused.
    service.accounts.sign_up("s1@example.org", PASSWORD, "S", "runner", "198.51.100.1")
    with pytest.raises(TooManyRequests):
        service.accounts.sign_up("s2@example.org", PASSWORD, "S", "runner", "198.51.100.2")
    assert service.accounts.account_by_email("s2@example.org") is None


def test_registering_a_taken_email_hashes_the_password_all_the_same(
    service: Stridewell, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.accounts.register("ann@example.org", PASSWORD, "Ann")
    hashed: list[str] = []
    real = accounts_module._hash
    monkeypatch.setattr(accounts_module, "_hash", lambda p: hashed.append(p) or real(p))
    for email in ("ann@example.org", "new@example.org"):
        service.accounts.sign_up(email, PASSWORD + email, "X", "runner", "192.0.2.1")
    assert len(hashed) == 2


# -- 4. a sign-in limiter that cannot be sidestepped -----------------------------------


def _sign_in(client: TestClient, email: str, password: str, **headers: str) -> int:
    client.get("/login")
    data = {"email": email, "password": password, "csrf_token": client.cookies["sw_csrf"]}
    return client.post("/login", data=data, headers=headers).status_code


@pytest.fixture
def ann(service: Stridewell) -> Stridewell:
    service.accounts.register("ann@example.org", PASSWORD, "Ann")
    return service


def test_spaces_case_and_lookalike_forms_of_an_email_share_one_limit(ann: Stridewell) -> None:
    client = TestClient(create_app(ann, multi_user=True), follow_redirects=False)
    variants = [" ann@example.org", "ANN@example.org ", "ａｎｎ@example.org", "Ann@Example.Org",
                "ann@example.org\t"]  # fmt: skip
    assert [_sign_in(client, v, "wrong password!") for v in variants] == [401] * 5
    assert _sign_in(client, "ann@example.org", PASSWORD) == 429


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_configured(ann: Stridewell) -> None:
    client = TestClient(create_app(ann, multi_user=True), follow_redirects=False)
    spoofed = [
        _sign_in(client, "ann@example.org", "wrong password!", **{"X-Forwarded-For": f"10.0.0.{i}"})
        for i in range(6)
    ]
    assert spoofed == [401] * 5 + [429]  # every try counted against the real peer


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one() -> None:
    from starlette.requests import Request

    from stridewell.web.security import client_address

    class State:
        security = SecurityConfig.build(trusted_proxies=["10.0.0.0/8"], env={})

    class App:
        state = State()

    def request(peer: str, forwarded: str) -> Request:
        scope = {"type": "http", "app": App(), "client": (peer, 1), "headers": [
            (b"x-forwarded-for", forwarded.encode())]}  # fmt: skip
        return Request(scope)

    assert client_address(request("10.0.0.2", "203.0.113.5, 10.0.0.9")) == "203.0.113.5"
    assert client_address(request("198.51.100.1", "203.0.113.5")) == "198.51.100.1"


def test_twelve_parallel_guesses_against_a_limit_of_five_check_at_most_five(
    ann: Stridewell, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = accounts_module._verify

    def counting(stored: str, password: str) -> None:
        checked.append(password)
        real(stored, password)

    monkeypatch.setattr(accounts_module, "_verify", counting)
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def guess(i: int) -> None:
        start.wait()
        try:
            ann.accounts.sign_in("ann@example.org", f"guess number {i}", "192.0.2.9")
        except Exception as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= 5
    assert sorted(outcomes) == ["TooManyRequests"] * 7 + ["Unauthorized"] * 5


def test_an_account_is_limited_across_many_addresses(ann: Stridewell) -> None:
    outcomes = []
    for i in range(22):
        try:
            ann.accounts.sign_in("ann@example.org", "wrong password!", f"198.51.100.{i}")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
    assert outcomes == ["Unauthorized"] * 20 + ["TooManyRequests"] * 2


def test_password_change_and_deletion_checks_are_limited(ann: Stridewell) -> None:
    from stridewell.errors import TooManyRequests, Unauthorized

    account = ann.accounts.account_by_email("ann@example.org")
    assert account is not None
    mine = ann.for_runner(account.runner_id).account
    for _ in range(5):
        with pytest.raises(Unauthorized):
            mine.change_password("wrong password!", "a new password!")
    with pytest.raises(TooManyRequests):
        mine.delete(PASSWORD)  # the right password, but the budget is spent
    assert ann.accounts.account_by_email("ann@example.org") is not None


def test_the_limit_holds_across_two_server_processes_and_forgets_after_its_window(
    ann: Stridewell, clock: Clock
) -> None:
    first = TestClient(create_app(ann, multi_user=True), follow_redirects=False)
    other = Stridewell(ann.database_url, clock=clock)  # another process's own engine
    second = TestClient(create_app(other, multi_user=True), follow_redirects=False)
    tries = [_sign_in(c, "ann@example.org", "wrong password!") for c in (first, second) * 3]
    assert tries == [401] * 5 + [429]
    limiter = ann.accounts.limiter
    assert ann._backend.store.limiter.count() == 3
    clock.now += timedelta(minutes=16)
    assert limiter.forget_expired() == 3 and ann._backend.store.limiter.count() == 0
    assert _sign_in(second, "ann@example.org", PASSWORD) == 303
    other.close()


# -- 6 and 7. bounded dates and offsets; NUL the same on both databases -----------------


def test_a_plan_started_in_year_one_is_refused_with_the_field_named(service: Stridewell) -> None:
    client = _local(service, **SAME_ORIGIN)
    assert client.post("/api/v1/assessments", json=HEEL).status_code == 201
    for start in ("0001-01-01", "1900-01-01"):
        answer = client.post("/api/v1/plans", json={"start": start})
        assert answer.status_code == 422 and answer.json()["error"]["field"] == "start"
    assert client.get("/").status_code == 200 and client.get("/today").status_code == 200


def test_shoe_dates_out_of_range_are_422_and_pages_keep_working(service: Stridewell) -> None:
    client = _local(service, **SAME_ORIGIN)
    for field, day in (("started", "0001-01-01"), ("retired", "1900-01-01"),
                       ("started", "2999-01-01")):  # fmt: skip
        answer = client.post("/api/v1/shoes", json={"brand": "A", "model": "B", field: day})
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["field"] == field
    assert (
        client.get("/shoes").status_code == 200 and client.get("/api/v1/shoes").status_code == 200
    )


def test_huge_offsets_and_ancient_journal_days_are_422(service: Stridewell) -> None:
    client = _local(service, **SAME_ORIGIN)
    for url in ("/api/v1/activities?offset=9223372036854775808",
                "/api/v1/assessments?offset=9223372036854775808",
                "/api/v1/journal?since=0001-01-01"):  # fmt: skip
        assert client.get(url).status_code == 422, url
    answer = client.post("/api/v1/journal", json={"day": "1900-01-01", "pain_rest": 2})
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "day"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/journal", {"day": "2026-11-29", "notes": "sore\x00heel"}, "notes"),
        ("/api/v1/shoes", {"brand": "Acme", "model": "Fly\x00er"}, "model"),
        ("/api/v1/shoes", '{"brand": "Acme", "model": "half \\ud800 pair"}', "model"),
        ("/api/v1/assessments", {**HEEL, "history": {"previous_treatment": "x\x00"}}, "history"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_the_same_on_both_databases(
    service: Stridewell, url: str, body: dict[str, object] | str, field: str
) -> None:
    client = _local(service, **SAME_ORIGIN)
    if isinstance(body, str):  # a lone surrogate, as JSON's escape (no encoder writes it raw)
        answer = client.post(url, content=body, headers={"Content-Type": "application/json"})
    else:
        answer = client.post(url, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"].startswith(field)


def test_a_registration_name_with_nul_is_refused(service: Stridewell) -> None:
    client = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    assert _register(client, "nul@example.org", name="An\x00n") == 422
    assert service.accounts.account_by_email("nul@example.org") is None


def test_an_activity_name_with_nul_in_a_strava_export_is_cleaned(service: Stridewell) -> None:
    from repo_paths import ACTIVITY_FILES

    gpx = (ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx").read_bytes()
    csv = (
        "Activity ID,Activity Name,Activity Type,Filename\n1,Morning\x00 run,Run,activities/1.gpx\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities.csv", csv)
        archive.writestr("activities/1.gpx", gpx)
    answer = _local(service, **SAME_ORIGIN).post(
        "/api/v1/activities/import", files={"files": ("export.zip", buffer.getvalue())}
    )
    if answer.status_code == 202:  # PostgreSQL: a job for a worker, run here instead
        from stridewell.jobs.imports import run_job

        run_job(service._backend, answer.json()["id"], "test-worker")
    else:
        assert answer.status_code == 201, answer.text
        assert answer.json()["imported"] == 1
    names = [a.name for a in service.local().training.activities(limit=None)]
    assert names == ["Morning run"]


# -- 8. cookies, headers, health --------------------------------------------------------


def test_the_csrf_cookie_is_secure_behind_secure_cookies(service: Stridewell) -> None:
    client = TestClient(create_app(service, secure_cookies=True))
    cookie = next(c for c in client.get("/").headers.get_list("set-cookie") if "sw_csrf=" in c)
    assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize("url", ["/", "/static/app.css", "/api/v1/health", "/nowhere", "/docs"])
def test_every_response_carries_the_security_headers(service: Stridewell, url: str) -> None:
    answer = _local(service).get(url)
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    refused = _local(service).post("/api/v1/triage", json=HEEL)
    assert refused.status_code == 403 and refused.headers["x-frame-options"] == "DENY"


def test_the_pages_need_no_inline_script_the_policy_would_block() -> None:
    import re

    from stridewell.web.app import WEB_DIR

    for template in (WEB_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        assert "javascript:" not in text, template.name
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+=\"", text), template.name


def test_health_says_503_when_the_database_is_down() -> None:
    down = Stridewell("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=1")
    answer = TestClient(create_app(down)).get("/api/v1/health")
    assert answer.status_code == 503 and answer.json()["status"] != "ok"
