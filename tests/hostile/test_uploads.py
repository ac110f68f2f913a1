"""Uploads: the size limit holds on the wire and on disk, chunked bodies too; upload
folders go on every way out, and a server killed mid-import leaves neither its folder
(swept at the next start) nor its decoder processes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hostile_corpus import synthetic_run, write_fit
from live_server import LiveServer, descendants

from async_support import run_coroutine_apart
from stridewell.service import Stridewell
from stridewell.web import uploads
from stridewell.web.app import create_app

MB = 1 << 20
BOUNDARY = "sw-test-boundary"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}")
    sw.upgrade_database()
    yield sw
    sw.close()


def _post_raw(
    app: Any, path: str, headers: list[tuple[bytes, bytes]], chunks: int
) -> tuple[int, int]:
    """POST a multipart body of 1 MB chunks straight into the ASGI app; the status and
    the bytes the app read before answering."""
    read = 0
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; "
            'filename="big.gpx"\r\nContent-Type: application/gpx+xml\r\n\r\n').encode()  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= chunks * MB:
            return {"type": "http.request", "body": f"\r\n--{BOUNDARY}--\r\n".encode(),
                    "more_body": False}  # fmt: skip
        body = head if read == 0 else b""
        body += b" " * (MB - len(body))
        read += len(body)
        return {"type": "http.request", "body": body, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000"),
                    (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
                    *headers],
    }  # fmt: skip
    run_coroutine_apart(lambda: app(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start"), read


@pytest.mark.parametrize("path", ["/api/v1/activities/import", "/training/import"])
def test_a_chunked_body_past_the_limit_is_refused_as_soon_as_it_crosses_it(
    service: Stridewell, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 4 * MB)
    status, read = _post_raw(create_app(service), path, [], chunks=1000)  # 1 GB offered
    assert status == 413
    assert read <= 4 * MB + uploads.MULTIPART_SLACK + MB  # before: the whole body


def test_a_declared_length_past_the_limit_is_refused_before_the_body_is_read(
    service: Stridewell,
) -> None:
    declared = [(b"content-length", str(1 << 30).encode())]
    status, read = _post_raw(create_app(service), "/api/v1/activities/import", declared, 1000)
    assert status == 413 and read == 0


def test_the_upload_writer_never_writes_past_the_limit(
    service: Stridewell, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 3 * MB)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with TestClient(create_app(service), headers={"Origin": "http://testserver"}) as client:
        answer = client.post(
            "/api/v1/activities/import",
            files=[("files", ("a.gpx", b" " * (2 * MB))), ("files", ("b.gpx", b" " * (2 * MB)))],
        )
    assert answer.status_code == 413
    assert list(tmp_path.glob(uploads.UPLOAD_PREFIX + "*")) == []


def test_upload_folders_are_removed_after_an_import_and_after_a_failure(
    service: Stridewell, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    run = write_fit(synthetic_run(2, datetime(2025, 4, 2, 7, 0, tzinfo=UTC), 120))
    with TestClient(
        create_app(service), raise_server_exceptions=False, headers={"Origin": "http://testserver"}
    ) as client:
        ok = client.post("/api/v1/activities/import", files={"files": ("r.fit", run)})
        assert ok.status_code == 201 and ok.json()["imported"] == 1
        assert list(tmp_path.glob(uploads.UPLOAD_PREFIX + "*")) == []
        service.close()  # the database goes away in the middle of the next import
        (tmp_path / "web.db").unlink()
        (tmp_path / "web.db").mkdir()
        failed = client.post("/api/v1/activities/import", files={"files": ("r2.fit", run)})
    assert failed.status_code >= 500
    assert list(tmp_path.glob(uploads.UPLOAD_PREFIX + "*")) == []


def _finished_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_sweep_removes_only_folders_whose_server_is_gone(tmp_path: Path) -> None:
    now = time.time()
    old = now - 2 * uploads.STALE_AFTER_S

    def folder(owner: int, age_from: float) -> Path:
        made = tmp_path / f"{uploads.UPLOAD_PREFIX}{owner}-x{len(list(tmp_path.iterdir()))}"
        made.mkdir()
        (made / "upload-0.fit").write_bytes(b"x")
        os.utime(made, (age_from, age_from))
        return made

    dead = _finished_pid()
    stale = folder(dead, old)
    fresh = folder(dead, now)
    ours = folder(os.getpid(), old)
    abandoned = folder(os.getpid(), now - uploads.ABANDONED_AFTER_S - 60)
    other = tmp_path / "someone-else"
    other.mkdir()
    os.utime(other, (old, old))
    assert sorted(uploads.sweep_stale_uploads(tmp_path, now)) == sorted([stale, abandoned])
    assert fresh.exists() and ours.exists() and other.exists()


def _kill_mid_import(folder: Path, runs: int) -> tuple[LiveServer, set[int], list[Path]]:
    """Upload `runs` runs, kill -9 the server once a decoder runs; (server, the decoder
    processes seen, the upload folders left behind)."""
    server = LiveServer(folder)
    start = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    data = [write_fit(synthetic_run(i, start + timedelta(days=i), 3600)) for i in range(runs)]
    files = [("files", (f"run-{i}.fit", d)) for i, d in enumerate(data)]
    workers: set[int] = set()

    def upload() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server is killed under it
            httpx.post(
                server.base + "/api/v1/activities/import",
                files=files,
                headers={"Origin": server.base},  # same-origin, as the app's own page
                timeout=60,
            )

    # Processes the server had before the upload (a fork server, say) are not decoders.
    before = set(descendants(server.process.pid)) | {server.process.pid}
    sender = threading.Thread(target=upload, daemon=True)
    sender.start()
    try:
        # Kill as soon as a decoder runs while the upload's folder is there: the pool may
        # have only one worker (it is sized to the machine).
        end = time.monotonic() + 30
        while time.monotonic() < end and not (
            workers and list(server.tmp.glob(uploads.UPLOAD_PREFIX + "*"))
        ):
            workers.update(set(descendants(server.process.pid)) - before)
            time.sleep(0.01)
        assert workers, "the import never started its decoder processes"
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
    finally:
        server.stop()
    sender.join(10)
    return server, workers, list(server.tmp.glob(uploads.UPLOAD_PREFIX + "*"))


@pytest.mark.slow
def test_a_server_killed_mid_import_leaves_no_decoders_and_its_upload_is_swept(
    tmp_path: Path,
) -> None:
    # On a busy machine the kill can land after a small import has finished: then try
    # again with a bigger one (the race is the test's, not the server's).
    for attempt, runs in enumerate((120, 300, 600)):
        server, workers, left = _kill_mid_import(tmp_path / f"killed-{attempt}", runs)
        end = time.monotonic() + 10
        while time.monotonic() < end and any(_running(p) for p in workers):
            time.sleep(0.1)
        assert not any(_running(p) for p in workers), "decoder processes outlived the server"
        if left:
            break
    assert left, "every kill came after its import: nothing to sweep"
    for folder in left:
        os.utime(folder, (time.time() - 2 * uploads.STALE_AFTER_S,) * 2)
    restarted = LiveServer(server.tmp.parent)
    restarted.stop()
    assert list(server.tmp.glob(uploads.UPLOAD_PREFIX + "*")) == []


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
