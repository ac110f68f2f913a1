"""Accounts in the browser's terms (in process): register, invite a coach, withdraw,
export everything, delete everything."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from repo_paths import ACTIVITY_FILES
from stridewell.service import Stridewell
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"
GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'acc.db').as_posix()}")
    sw.upgrade_database()
    yield sw
    sw.close()


@pytest.fixture
def app(service: Stridewell) -> object:
    return create_app(service, multi_user=True)


def _register(app: object, email: str, name: str, role: str = "runner") -> TestClient:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    client.get("/register")
    data = {"email": email, "name": name, "password": PASSWORD, "role": role,
            "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
    done = client.post("/register", data=data)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/login?registered=1"
    signed_in = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": client.cookies["sw_csrf"]},
    )
    assert signed_in.status_code == 303, signed_in.text
    return client


def _post(client: TestClient, url: str, **data: str) -> object:
    return client.post(url, data={"csrf_token": client.cookies["sw_csrf"], **data})


def test_a_registered_runner_signs_in_with_the_email_in_any_case(app: object) -> None:
    client = _register(app, "Ann@Example.org ", "Ann")
    page = client.get("/account")
    assert page.status_code == 200 and "ann@example.org" in page.text


def test_a_taken_email_gets_the_same_answer_as_a_new_one_and_no_session(app: object) -> None:
    _register(app, "ann@example.org", "Ann")
    answers = []
    for email in ("ANN@example.org", "new@example.org"):
        other = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
        other.get("/register")
        data = {"email": email, "name": "Imposter", "password": PASSWORD + "!",
                "csrf_token": other.cookies["sw_csrf"]}  # fmt: skip
        page = other.post("/register", data=data)
        answers.append((page.status_code, page.headers.get("location"), page.text))
        assert "sw_session" not in other.cookies
    assert answers[0] == answers[1] == (303, "/login?registered=1", "")


def test_a_short_password_is_refused(app: object) -> None:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    client.get("/register")
    data = {"email": "bo@example.org", "name": "Bo", "password": "short",
            "csrf_token": client.cookies["sw_csrf"]}  # fmt: skip
    assert client.post("/register", data=data).status_code == 422


def test_an_invite_link_gives_a_coach_read_only_access_until_withdrawn(app: object) -> None:
    runner = _register(app, "ann@example.org", "Ann Runner")
    coach = _register(app, "cy@example.org", "Cy Coach", role="coach")
    page = _post(runner, "/sharing/invite")
    link = re.search(r'<code id="invite-link">[^<]*(/invite/[^<]+)</code>', page.text)  # type: ignore[attr-defined]
    assert link is not None
    assert coach.get(link.group(1)).status_code == 200
    accepted = _post(coach, link.group(1))
    assert accepted.headers["location"] == "/coach"  # type: ignore[attr-defined]
    assert "Ann Runner" in coach.get("/coach").text
    # The same link does not work twice (for anyone else).
    other = _register(app, "dee@example.org", "Dee Coach", role="coach")
    assert _post(other, link.group(1)).status_code == 404  # type: ignore[attr-defined]
    share = re.search(r'action="/sharing/([^/"]+)/revoke"', runner.get("/account").text)
    assert share is not None
    _post(runner, f"/sharing/{share.group(1)}/revoke")
    assert "Ann Runner" not in coach.get("/coach").text


def test_a_runner_cannot_accept_their_own_invite(app: object) -> None:
    runner = _register(app, "ann@example.org", "Ann")
    page = _post(runner, "/sharing/invite")
    link = re.search(r"(/invite/[\w-]+)", page.text)  # type: ignore[attr-defined]
    assert link is not None
    assert _post(runner, link.group(1)).status_code == 404  # type: ignore[attr-defined]


def test_the_export_holds_the_json_and_the_original_files(app: object) -> None:
    client = _register(app, "ann@example.org", "Ann")
    data = GPX.read_bytes()
    imported = client.post(
        "/training/import",
        data={"csrf_token": client.cookies["sw_csrf"]},
        files=[("files", ("korita.gpx", data, "application/gpx+xml"))],
    )
    assert imported.status_code == 200
    export = client.get("/account/export")
    assert export.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    names = set(archive.namelist())
    assert {"account.json", "assessments.json", "journal.json", "activities.json"} <= names
    assert len(json.loads(archive.read("activities.json"))) == 1
    original = f"originals/{hashlib.sha256(data).hexdigest()}.gpx"
    assert archive.read(original) == data


def test_deleting_the_account_removes_everything_and_signs_out(
    app: object, service: Stridewell
) -> None:
    client = _register(app, "ann@example.org", "Ann")
    client.post(
        "/training/import",
        data={"csrf_token": client.cookies["sw_csrf"]},
        files=[("files", ("m.gpx", GPX.read_bytes(), "application/gpx+xml"))],
    )
    runner = service.accounts.authenticate("ann@example.org", PASSWORD).runner_id
    assert service.for_runner(runner).training.originals_dir().is_dir()
    wrong = _post(client, "/account/delete", password="not my password")
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    done = _post(client, "/account/delete", password=PASSWORD)
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert service.accounts.account_of(runner) is None
    assert service.for_runner(runner).training.activities() == []
    assert not service.for_runner(runner).training.originals_dir().exists()
    assert client.get("/account").status_code == 303  # signed out


def _invite_link(client: TestClient, **headers: str) -> str:
    page = client.post(
        "/sharing/invite", data={"csrf_token": client.cookies["sw_csrf"]}, headers=headers
    )
    found = re.search(r'<code id="invite-link">([^<]+)</code>', page.text)
    assert found is not None, page.text
    return found.group(1)


def test_the_invite_link_is_https_behind_a_tls_proxy_with_secure_cookies(
    service: Stridewell,
) -> None:
    # Behind the proxy the app itself is reached over plain http (uvicorn believes no
    # proxy header), so only --secure-cookies says the public scheme is https.
    account = service.accounts.register("ann@example.org", PASSWORD, "Ann")
    session, csrf = service.accounts.start_session(account), "csrf-token-of-this-test-0123456789"
    client = TestClient(create_app(service, multi_user=True, secure_cookies=True))
    # Secure cookies: sent by hand, as a browser would over the proxy's https.
    cookies = {"Cookie": f"sw_session={session}; sw_csrf={csrf}"}
    page = client.post("/sharing/invite", data={"csrf_token": csrf}, headers=cookies)
    link = re.search(r'<code id="invite-link">([^<]+)</code>', page.text)
    assert link is not None, page.text
    assert link.group(1).startswith("https://testserver/invite/")


def test_an_untrusted_forwarded_proto_does_not_change_the_invite_link(app: object) -> None:
    client = _register(app, "ann@example.org", "Ann")
    link = _invite_link(client, **{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.org"})
    assert link.startswith("http://testserver/invite/")


def test_the_account_page_after_an_invite_still_shows_the_api_tokens(app: object) -> None:
    client = _register(app, "ann@example.org", "Ann")
    before = client.get("/account").text
    page = client.post("/sharing/invite", data={"csrf_token": client.cookies["sw_csrf"]})
    assert 'id="tokens-h"' in before
    assert 'id="tokens-h"' in page.text and 'id="share-h"' in page.text


def test_the_export_holds_the_clinician_notes_the_running_plan_and_token_names(
    service: Stridewell, app: object
) -> None:
    from stridewell.service.running import TargetsInput

    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann")
    cy = service.accounts.register("cy@example.org", PASSWORD, "Cy", role="coach")
    runner, coach = service.for_runner(ann.runner_id), service.for_runner(cy.runner_id)
    coach.sharing.accept_invite(runner.sharing.invite_coach())
    coach.clinician.record_for(
        ann.runner_id, condition="other", other_text="heel bruise", note="ice after runs"
    )
    runner.running.start(TargetsInput(weekly_km=30, runs_per_week=3, long_run_km=12))
    made = runner.account.tokens.create("watch sync")
    archive = zipfile.ZipFile(io.BytesIO(runner.account.export_data()))
    notes = json.loads(archive.read("clinician_notes.json"))
    assert [(n["condition_text"], n["note"], n["author_name"]) for n in notes] == [
        ("heel bruise", "ice after runs", "Cy")
    ]
    plan = json.loads(archive.read("running_plan.json"))
    assert plan["mode"] == "prevention" and plan["targets"]["weekly_km"] == 30
    tokens = json.loads(archive.read("api_tokens.json"))
    assert [t["name"] for t in tokens] == ["watch sync"]
    assert made.secret not in archive.read("api_tokens.json").decode()
    assert "exercise_logs.json" in archive.namelist()
