"""Submitting an import costs little and waits for nothing: the upload is read without a
trip through the pages' thread pool per chunk, stored with its job in one transaction
(lz4 on PostgreSQL), and answered with the job's id on every upload route, also while
the runner's import is running (its transactions hold the runner's row).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import psycopg
import pytest
from fastapi.testclient import TestClient

from pg_schemas import postgres_schema_url
from repo_paths import ACTIVITY_FILES
from stridewell.jobs.queue import conninfo
from stridewell.service import Stridewell
from stridewell.storage.records import LOCAL_RUNNER_ID
from stridewell.web import upload_form
from stridewell.web.app import create_app

FENIX_RUN = ACTIVITY_FILES / "fit" / "activity-small-fenix2-run.fit"
MB = 1 << 20


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        with Stridewell(url) as service:
            service.upgrade_database()
        yield url


@pytest.fixture
def pg_client(pg_url: str) -> Iterator[TestClient]:
    """The one-person app on PostgreSQL, with no worker: a submitted job stays queued."""
    with Stridewell(pg_url) as service, TestClient(create_app(service)) as client:
        client.get("/training")  # the CSRF cookie
        yield client


def _token(client: TestClient) -> dict[str, str]:
    return {"x-csrf-token": client.cookies["sw_csrf"]}


def _fit_upload() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", ("Sunday long run.fit", FENIX_RUN.read_bytes(), "application/octet-stream"))]


def _stored_uploads(url: str) -> list[tuple[str, int]]:
    with psycopg.connect(conninfo(url)) as connection:
        rows = connection.execute(
            "SELECT i.name, i.size FROM import_job_inputs i ORDER BY i.job_id, i.position"
        ).fetchall()
    return [(str(name), int(size)) for name, size in rows]


def test_reading_an_upload_takes_no_trip_through_the_pages_thread_pool_per_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starlette's form parser wrote each 64 KB past the first MB through the pool the
    # pages queue for: ~90 trips for 6 MB, each a wait in that queue under load.
    trips: list[object] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("limiter") is not upload_form.UPLOAD_THREADS:
            trips.append(func)
        return await real(func, *args, **kwargs)

    with Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}") as service:
        service.upgrade_database()
        with TestClient(create_app(service)) as client:
            client.get("/training")
            monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
            answer = client.post(
                "/api/v1/imports",
                files=[("files", ("big.fit", b"\0" * (6 * MB), "application/octet-stream"))],
                headers=_token(client),
            )
    assert answer.status_code == 202, answer.text
    assert answer.json()["files"][0]["result"] == "skipped"
    assert len(trips) < 5, trips


@pytest.mark.postgres
def test_the_api_answers_with_the_queued_job_and_where_to_follow_it(
    pg_client: TestClient, pg_url: str
) -> None:
    answer = pg_client.post("/api/v1/imports", files=_fit_upload(), headers=_token(pg_client))
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "queued"
    assert answer.headers["location"] == f"/api/v1/imports/{body['id']}"
    assert _stored_uploads(pg_url) == [("Sunday long run.fit", FENIX_RUN.stat().st_size)]


@pytest.mark.postgres
def test_the_old_upload_form_on_postgres_queues_a_job_and_leads_to_its_page(
    pg_client: TestClient, pg_url: str
) -> None:
    token = pg_client.cookies["sw_csrf"]  # what the page's hidden field carries
    answer = pg_client.post(
        "/training/import", data={"csrf_token": token}, files=_fit_upload(), follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    page = answer.headers["location"]
    assert page.startswith("/imports/")
    assert pg_client.get(page + "/status").json()["status"] == "queued"
    assert _stored_uploads(pg_url) == [("Sunday long run.fit", FENIX_RUN.stat().st_size)]


@pytest.mark.postgres
def test_the_old_upload_form_still_needs_its_token(pg_client: TestClient, pg_url: str) -> None:
    answer = pg_client.post(
        "/training/import", data={"csrf_token": "not-the-token"}, files=_fit_upload()
    )
    assert answer.status_code == 403
    assert _stored_uploads(pg_url) == []


@pytest.mark.postgres
def test_the_deprecated_import_endpoint_on_postgres_answers_202_with_the_job(
    pg_client: TestClient, pg_url: str
) -> None:
    answer = pg_client.post(
        "/api/v1/activities/import", files=_fit_upload(), headers=_token(pg_client)
    )
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert job["status"] == "queued" and job["files"] == []
    assert answer.headers["location"] == f"/api/v1/imports/{job['id']}"
    assert pg_client.get(answer.headers["location"]).json()["id"] == job["id"]
    assert _stored_uploads(pg_url) == [("Sunday long run.fit", FENIX_RUN.stat().st_size)]
    operation = pg_client.get("/openapi.json").json()["paths"]["/api/v1/activities/import"]
    assert operation["post"]["deprecated"] is True
    assert {"201", "202"} <= set(operation["post"]["responses"])


@pytest.mark.postgres
@pytest.mark.parametrize("runner", ["local", "account"])
def test_a_submit_does_not_wait_for_an_import_holding_the_runners_row(
    pg_url: str, tmp_path: Path, runner: str
) -> None:
    # What a running import's transaction holds on the runner's row from its first stored
    # chunk to its commit: the lock of an UPDATE (the data version trigger moves it). A
    # submit may take only the key share its inserts need, which that lock does not
    # block; the local runner's "insert unless present" did wait for it.
    upload = tmp_path / "export.fit"
    upload.write_bytes(FENIX_RUN.read_bytes())
    with Stridewell(pg_url) as service:
        if runner == "local":
            runner_id = LOCAL_RUNNER_ID
        else:
            account = service.accounts.register("r@example.org", "correct horse battery", "R")
            runner_id = account.runner_id
        jobs = service.import_jobs(runner_id)
        jobs.submit([("first.fit", upload)])  # the local runner is made at its first write
        submitted: list[str] = []
        with psycopg.connect(conninfo(pg_url)) as holder:
            holder.execute("UPDATE runners SET name = name WHERE id = %s", (runner_id,))
            submitter = threading.Thread(
                target=lambda: submitted.append(jobs.submit([("export.fit", upload)]))
            )
            submitter.start()
            submitter.join(timeout=60)
            finished = not submitter.is_alive()
            holder.rollback()  # lets a blocked submit go on, so the test can end
        submitter.join(timeout=60)
        assert finished, "the submit waited for the transaction holding the runner's row"
        assert jobs.status(submitted[0]).status == "queued"


@pytest.mark.postgres
def test_uploads_are_stored_with_lz4_where_the_server_has_it(pg_url: str, tmp_path: Path) -> None:
    with psycopg.connect(conninfo(pg_url)) as connection:
        row = connection.execute(
            "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
        ).fetchone()
    if row is None or "lz4" not in row[0]:
        pytest.skip("this PostgreSQL server has no lz4")
    upload = tmp_path / "track.gpx"
    upload.write_bytes(b"<trkpt lat='51.5' lon='-0.1'><ele>12</ele></trkpt>\n" * 60_000)
    with Stridewell(pg_url) as service:
        service.import_jobs(LOCAL_RUNNER_ID).submit([("track.gpx", upload)])
    with psycopg.connect(conninfo(pg_url)) as connection:
        methods = connection.execute(
            "SELECT DISTINCT pg_column_compression(data) FROM stored_file_chunks"
        ).fetchall()
    # pglz spent 0.25 s of the server's CPU on each 7 MB export only to give up.
    assert methods == [("lz4",)]
