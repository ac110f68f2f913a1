"""Import jobs on the web and the API: the upload form's script submits a job and follows
it; the job's page and the API list every file by the name the runner gave it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import hidden_fields

from repo_paths import ACTIVITY_FILES
from stridewell.service import Stridewell
from stridewell.web.app import create_app

FENIX_RUN = ACTIVITY_FILES / "fit" / "activity-small-fenix2-run.fit"
SETTINGS_FIT = ACTIVITY_FILES / "fit" / "Settings.fit"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}") as service:
        service.upgrade_database()
        with TestClient(create_app(service)) as test_client:
            yield test_client


def _files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", ("Sunday long run.fit", FENIX_RUN.read_bytes(), "application/octet-stream")),
        ("files", ("settings.fit", SETTINGS_FIT.read_bytes(), "application/octet-stream")),
    ]


def test_the_upload_script_gets_a_job_to_follow_and_its_page_lists_each_file(
    client: TestClient,
) -> None:
    token = hidden_fields(client.get("/training").text)["csrf_token"]
    answer = client.post(
        "/imports",
        data={"csrf_token": token},
        files=_files(),
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 202, answer.text
    job = answer.json()

    status = client.get(job["status"]).json()
    assert status["finished"] and status["status"] == "done"
    page = client.get(job["page"]).text
    assert "Sunday long run.fit" in page and "Imported" in page
    assert "settings.fit" in page and "Not imported" in page
    assert "upload-0" not in page


def test_without_script_the_form_leads_to_the_jobs_page(client: TestClient) -> None:
    token = hidden_fields(client.get("/training").text)["csrf_token"]
    answer = client.post(
        "/imports", data={"csrf_token": token}, files=_files(), follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/imports/")


def test_the_api_answers_with_the_job_and_its_report_file_by_file(client: TestClient) -> None:
    client.get("/training")  # the CSRF cookie, which the header repeats
    answer = client.post(
        "/api/v1/imports", files=_files(), headers={"x-csrf-token": client.cookies["sw_csrf"]}
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert [(f["name"], f["result"], f["runs"]) for f in body["files"]] == [
        ("Sunday long run.fit", "imported", 1),
        ("settings.fit", "skipped", 0),
    ]
    assert client.get(f"/api/v1/imports/{body['id']}").json() == body
    assert client.get("/api/v1/imports/" + "0" * 32).status_code == 404
    names = [a["source_name"] for a in client.get("/api/v1/activities").json()]
    assert names == ["Sunday long run.fit"]


def test_an_import_without_files_is_refused_with_a_plain_reason(client: TestClient) -> None:
    token = hidden_fields(client.get("/training").text)["csrf_token"]
    answer = client.post("/imports", data={"csrf_token": token}, files=[("other", ("x", b"", "x"))])
    assert answer.status_code in (400, 422)


def test_the_training_form_without_jobs_keeps_the_uploaded_names_too(client: TestClient) -> None:
    token = hidden_fields(client.get("/training").text)["csrf_token"]
    page = client.post("/training/import", data={"csrf_token": token}, files=_files())
    assert page.status_code == 200, page.text
    names = [a["source_name"] for a in client.get("/api/v1/activities").json()]
    assert names == ["Sunday long run.fit"]  # the tester saw "upload-17.gpx" here
    assert "settings.fit" in page.text and "upload-1" not in page.text
