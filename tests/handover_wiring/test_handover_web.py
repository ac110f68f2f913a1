"""The handover and the clinician's word through the app (multi-user, in process)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewell.handover import parse_bundle
from stridewell.service import Stridewell
from stridewell.text import day_words
from stridewell.web.app import create_app

PASSWORD = "correct horse battery"
ACHILLES = {"locations": ["achilles"], "onset": "gradual", "pain_score": 4,
            "duration_days": 20, "pain_timing": ["eases_with_warmup"]}  # fmt: skip


@dataclass
class Club:
    service: Stridewell
    runner: TestClient
    coach: TestClient
    other: TestClient
    runner_id: str
    assessment_id: str
    share_id: str


def _sign_in(client: TestClient, email: str) -> None:
    client.get("/login")
    token = client.cookies["sw_csrf"]
    done = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert done.status_code == 303, done.text


def _token(client: TestClient) -> str:
    return client.cookies.get("sw_csrf") or ""


@pytest.fixture
def club(tmp_path: Path) -> Iterator[Club]:
    service = Stridewell(f"sqlite:///{(tmp_path / 'club.db').as_posix()}")
    service.upgrade_database()
    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann Runner")
    service.accounts.register("ben@example.org", PASSWORD, "Ben")
    coach = service.accounts.register("cora@example.org", PASSWORD, "Dr Cora", role="coach")
    as_ann = service.for_runner(ann.runner_id)
    result = as_ann.assessments.assess(ACHILLES)
    as_ann.plans.start(result.id, start=service.today() - timedelta(days=8))
    service.for_runner(coach.runner_id).sharing.accept_invite(as_ann.sharing.invite_coach())
    [share] = as_ann.sharing.shares()
    app = create_app(service, multi_user=True)
    clients = [TestClient(app, follow_redirects=False) for _ in range(3)]
    for client, email in zip(clients, ("ann@example.org", "cora@example.org", "ben@example.org"),
                             strict=True):  # fmt: skip
        _sign_in(client, email)
    yield Club(service, clients[0], clients[1], clients[2], ann.runner_id, str(result.id),
               share.id)  # fmt: skip
    for client in clients:
        client.close()
    service.close()


def test_the_runner_downloads_the_pdf_and_the_fhir_file_of_the_latest(
    club: Club, tmp_path: Path
) -> None:
    pdf = club.runner.get("/api/v1/assessments/latest/handover.pdf",
                          params={"question": ["When can I race?"]})  # fmt: skip
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    (tmp_path / "h.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "h.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    assert "When can I race?" in " ".join(text.split())
    fhir = club.runner.get(f"/api/v1/assessments/{club.assessment_id}/handover.fhir.json")
    assert fhir.status_code == 200
    assert fhir.headers["content-type"].startswith("application/fhir+json")
    assert json.loads(fhir.text)["resourceType"] == "Bundle"
    assert [r.value for r in parse_bundle(fhir.text).locations] == ["achilles"]
    assert club.other.get("/api/v1/assessments/latest/handover.pdf").status_code == 404
    assert club.other.get(
        f"/api/v1/assessments/{club.assessment_id}/handover.pdf"
    ).status_code == 404  # fmt: skip


def test_the_report_has_the_button_and_the_questions_page_the_form(club: Club) -> None:
    report = club.runner.get(f"/assessments/{club.assessment_id}")
    assert "Download for your clinician" in report.text
    page = club.runner.get(f"/assessments/{club.assessment_id}/handover")
    assert page.status_code == 200
    assert f'action="/api/v1/assessments/{club.assessment_id}/handover.pdf"' in page.text
    assert page.text.count('name="question"') == 3


def test_the_clinician_records_and_the_runner_sees_it_on_today_and_the_report(club: Club) -> None:
    coach_page = club.coach.get(f"/coach/runners/{club.runner_id}")
    assert f"/coach/runners/{club.runner_id}/handover.pdf" in coach_page.text
    pdf = club.coach.get(f"/coach/runners/{club.runner_id}/handover.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    form = club.coach.get(f"/coach/runners/{club.runner_id}/clinician")
    assert form.status_code == 200 and 'value="plantar_fasciitis"' in form.text
    done = club.coach.post(
        f"/coach/runners/{club.runner_id}/clinician",
        data={"csrf_token": _token(club.coach), "condition": "plantar_fasciitis",
              "restriction": "reduced", "note": "Calf stretches twice a day."},
    )  # fmt: skip
    assert done.status_code == 303, done.text
    today = club.runner.get("/today").text
    assert "Confirmed by your clinician on" in today and "Plantar fasciitis" in today
    assert "Reduced running" in today and "Dr Cora" in today
    assert "Calf stretches twice a day." in today
    report = club.runner.get(f"/assessments/{club.assessment_id}").text
    assert "Confirmed by your clinician on" in report
    plan = club.runner.get("/api/v1/plans/current").json()
    assert plan["condition_id"] == "plantar_fasciitis"
    assert plan["clinician"]["restriction"] == "reduced"
    notes = club.runner.get("/api/v1/clinician-notes").json()
    assert [(n["author_name"], n["condition_id"]) for n in notes] == [
        ("Dr Cora", "plantar_fasciitis")
    ]


def test_the_api_records_for_a_shared_runner_only(club: Club) -> None:
    url = f"/api/v1/coach/runners/{club.runner_id}/clinician-notes"
    body = {"condition": "other", "other_text": "cuboid syndrome", "restriction": "no_running",
            "until": (club.service.today() + timedelta(days=14)).isoformat()}  # fmt: skip
    made = club.coach.post(url, json=body, headers={"x-csrf-token": _token(club.coach)})
    assert made.status_code == 201, made.text
    assert made.json()["condition_text"] == "cuboid syndrome"
    refused = club.other.post(url, json=body, headers={"x-csrf-token": _token(club.other)})
    assert refused.status_code == 403
    bad = club.coach.post(url, json={**body, "until": None},
                          headers={"x-csrf-token": _token(club.coach)})  # fmt: skip
    assert bad.status_code == 422


def test_a_no_running_day_on_the_clinicians_page_reads_as_a_plain_date(club: Club) -> None:
    until = club.service.today() + timedelta(days=14)
    url = f"/api/v1/coach/runners/{club.runner_id}/clinician-notes"
    body = {"condition": "plantar_fasciitis", "restriction": "no_running",
            "until": until.isoformat()}  # fmt: skip
    made = club.coach.post(url, json=body, headers={"x-csrf-token": _token(club.coach)})
    assert made.status_code == 201, made.text
    page = club.coach.get(f"/coach/runners/{club.runner_id}/clinician").text
    assert f"no running until {day_words(until)}" in page
    assert until.isoformat() not in page


def test_after_withdrawal_the_note_stays_and_the_clinician_loses_access(club: Club) -> None:
    url = f"/coach/runners/{club.runner_id}/clinician"
    data = {"csrf_token": _token(club.coach), "condition": "plantar_fasciitis"}
    assert club.coach.post(url, data=data).status_code == 303
    club.service.for_runner(club.runner_id).sharing.revoke(club.share_id)
    assert club.coach.get(url).status_code == 404
    assert club.coach.post(url, data=data).status_code == 404
    assert club.coach.get(f"/coach/runners/{club.runner_id}/handover.pdf").status_code == 404
    assert "Dr Cora" in club.runner.get("/today").text


def test_every_handover_route_runs_off_the_event_loop() -> None:
    """PDF rendering and database reads block: the routes are plain functions, which
    FastAPI runs in its thread pool."""
    import inspect

    from fastapi.routing import APIRoute

    from stridewell.web import api_handover, pages_handover

    routes = [
        r for m in (api_handover, pages_handover) for r in m.router.routes
        if isinstance(r, APIRoute)
    ]  # fmt: skip
    assert len(routes) == 8
    assert not [r.path for r in routes if inspect.iscoroutinefunction(r.endpoint)]


def test_a_no_running_day_in_the_past_or_too_far_ahead_is_422_naming_the_day(club: Club) -> None:
    url = f"/api/v1/coach/runners/{club.runner_id}/clinician-notes"
    headers = {"x-csrf-token": _token(club.coach)}
    today = club.service.today()
    for day in ("9999-12-31", (today + timedelta(days=367)).isoformat(),
                (today - timedelta(days=1)).isoformat()):  # fmt: skip
        body = {"condition": "plantar_fasciitis", "restriction": "no_running", "until": day}
        refused = club.coach.post(url, json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == "until"
    page = club.coach.post(
        f"/coach/runners/{club.runner_id}/clinician",
        data={
            "csrf_token": _token(club.coach),
            "condition": "plantar_fasciitis",
            "restriction": "no_running",
            "until": "9999-12-31",
        },
    )
    assert page.status_code == 422
    assert club.runner.get("/api/v1/clinician-notes").json() == []
    assert club.runner.get("/today").status_code == 200
