"""Request bodies as a script might send them: chunked bodies get the same NUL check as
those that declare their length, and uploads are written without holding up the loop."""

from __future__ import annotations

import asyncio
import io
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import Headers, UploadFile

from async_support import run_coroutine_apart
from stridewell.service import Stridewell
from stridewell.web.app import create_app
from stridewell.web.security import CHECKED_BODY_BYTES
from stridewell.web.uploads import write_uploads

SAME_ORIGIN = {"Origin": "http://testserver", "Content-Type": "application/json"}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'req.db').as_posix()}")
    sw.upgrade_database()
    yield sw
    sw.close()


def _chunked(body: bytes, size: int = 7) -> Iterator[bytes]:
    """The body in pieces: httpx then sends no Content-Length (Transfer-Encoding: chunked)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_chunked_json_body_with_nul_is_refused_with_the_field_named(
    service: Stridewell,
) -> None:
    client = TestClient(create_app(service))
    body = json.dumps({"day": "2026-11-01", "pain": 3, "notes": "sore\x00heel"}).encode()
    answer = client.post("/api/v1/journal", content=_chunked(body), headers=SAME_ORIGIN)
    assert answer.status_code == 422, answer.text
    # Refused at the gate, before any route: the gate's own words.
    assert answer.json()["error"] == {
        "field": "notes",
        "message": "field 'notes': text must not contain NUL or unpaired surrogates",
    }
    assert service.local().journal.entries() == []


def test_a_chunked_json_body_without_nul_still_reaches_its_route(service: Stridewell) -> None:
    client = TestClient(create_app(service))
    body = json.dumps({"locations": ["arch"]}).encode()
    answer = client.post("/api/v1/assessments", content=_chunked(body), headers=SAME_ORIGIN)
    assert answer.status_code == 201, answer.text
    assert len(service.local().assessments.history()) == 1


def test_a_chunked_json_body_past_the_checked_size_is_refused(service: Stridewell) -> None:
    client = TestClient(create_app(service))
    body = json.dumps({"locations": ["arch"], "notes": "x" * CHECKED_BODY_BYTES}).encode()
    answer = client.post(
        "/api/v1/assessments", content=_chunked(body, 64 * 1024), headers=SAME_ORIGIN
    )
    assert answer.status_code == 413
    assert service.local().assessments.history() == []


def test_a_chunked_multipart_upload_still_imports(service: Stridewell) -> None:
    from repo_paths import ACTIVITY_FILES

    gpx = (ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx").read_bytes()
    boundary = "sw-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="run.gpx"\r\n'
            f"Content-Type: application/gpx+xml\r\n\r\n"
        ).encode()
        + gpx
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Origin": "http://testserver",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    client = TestClient(create_app(service))
    answer = client.post("/api/v1/activities/import", content=_chunked(body, 4096), headers=headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["imported"] == 1


def test_writing_an_upload_leaves_the_event_loop_free(tmp_path: Path) -> None:
    # The upload's file on disk is a FIFO: opening it to write blocks until a reader
    # comes. Written on the event loop, that block stops every other task; off it, the
    # loop keeps ticking until the reader arrives half a second later.
    os.mkfifo(tmp_path / "upload-0.gpx")
    received: list[bytes] = []

    def reader() -> None:
        time.sleep(0.5)
        with (tmp_path / "upload-0.gpx").open("rb") as fifo:
            received.append(fifo.read())

    upload = UploadFile(
        io.BytesIO(b"<gpx/>"), filename="run.gpx", headers=Headers({"content-type": "x"})
    )

    async def scenario() -> int:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        await asyncio.sleep(0.02)
        start = ticks
        await write_uploads([upload], tmp_path)
        ticker.cancel()
        return ticks - start

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    ticks_while_writing = run_coroutine_apart(scenario)
    thread.join(timeout=5)
    assert received == [b"<gpx/>"]
    assert ticks_while_writing >= 10
