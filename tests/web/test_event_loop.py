"""The event loop never waits on the database or an import: a real server (uvicorn in a
thread of this process) answers its health check quickly while a large upload is being
imported. A bound on a freeze (the issue measured 14 s), not a benchmark."""

from __future__ import annotations

import io
import socket
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from stridewell.service import Stridewell
from stridewell.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_fit

RUNS = 200  # about 15 MB of one-hour FIT files: seconds of decoding and storing (60 took
# under half a second by 2026-12: too short for a blocked loop to show past the bound)
# Not a speed target (benchmarks/ measure those): a blocked event loop answers health
# after the whole import, seconds later, so a generous bound still catches it on a
# machine busy with other work.
HEALTH_BOUND_S = 1.0


def _export_zip() -> bytes:
    buffer = io.BytesIO()
    first = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(RUNS):
            run = synthetic_run(i, first + timedelta(days=i), 3600)
            archive.writestr(f"activities/{i}.fit", write_fit(run))
    return buffer.getvalue()


@contextmanager
def _served(app: FastAPI) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_health_answers_within_a_fifth_of_a_second_while_a_large_import_runs(
    tmp_path: Path,
) -> None:
    upload = _export_zip()
    service = Stridewell(f"sqlite:///{(tmp_path / 'loop.db').as_posix()}")
    service.upgrade_database()
    answers: dict[str, httpx.Response] = {}
    latencies: list[float] = []
    with _served(create_app(service)) as base, httpx.Client(base_url=base) as client:

        def import_export() -> None:
            answers["import"] = httpx.post(
                f"{base}/api/v1/activities/import",
                files=[("files", ("export.zip", upload, "application/zip"))],
                headers={"Origin": base},  # same-origin, as the app's own upload page
                timeout=300,
            )

        assert client.get("/api/v1/health").status_code == 200  # warm: knowledge base loaded
        # What the machine's own load costs a health check (the suite runs beside it on
        # two cores): the bound is on top of that, so only the import can break it.
        idle = []
        for _ in range(20):
            began = time.perf_counter()
            client.get("/api/v1/health", timeout=30)
            idle.append(time.perf_counter() - began)
        importer = threading.Thread(target=import_export)
        importer.start()
        while importer.is_alive():
            began = time.perf_counter()
            health = client.get("/api/v1/health", timeout=30)
            latencies.append(time.perf_counter() - began)
            assert health.status_code == 200
            time.sleep(0.05)
        importer.join()
    service.close()
    assert answers["import"].status_code == 201, answers["import"].text
    assert answers["import"].json()["imported"] == RUNS
    slowest = sorted(latencies)[-3:]
    assert max(latencies) < HEALTH_BOUND_S + max(idle), f"slowest {slowest} s, idle {max(idle)} s"
    assert len(latencies) >= 10, "the import ended too soon to measure anything against"
