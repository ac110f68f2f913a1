"""`stridewell serve --workers 2` on PostgreSQL: two processes on one port, and either one
serves a runner signed in through the other, with the form token of the other's page.

Which process answers is made certain by pausing the other (SIGSTOP): a paused process
accepts no connection, so the kernel hands every new one to the process left running.
Without a reachable PostgreSQL server the test is skipped (it fails under CI).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from pg_schemas import postgres_schema_url
from stridewell.service import Stridewell

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

STRIDEWELL = Path(sys.executable).with_name("stridewell")
EMAIL, PASSWORD = "ana@example.org", "a long enough password"
WAIT_S = 120  # bounded waits for a busy machine, never a timing assert
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Browser:
    """Cookies kept across requests, a new connection for every request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, text, {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()

    def form_token(self, path: str) -> str:
        status, text, _ = self.request("GET", path)
        assert status == 200, text
        found = CSRF_FIELD.search(text)
        assert found, f"no form token on {path}"
        return found.group(1)


def worker_processes(supervisor: int) -> list[int]:
    """The app processes under uvicorn's supervisor (not multiprocessing's helpers)."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return [
        int(pid)
        for pid in children
        if b"stridewell.cli.serve" in Path(f"/proc/{pid}/cmdline").read_bytes()
        or b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        with Stridewell(url) as service:
            service.upgrade_database()
            service.accounts.register(EMAIL, PASSWORD, "Ana")
        yield url


@pytest.fixture
def two_workers(pg_url: str, tmp_path: Path) -> Iterator[tuple[int, list[int]]]:
    port = free_port()
    env = {**os.environ, "STRIDEWELL_DATABASE_URL": pg_url, "STRIDEWELL_DATA_DIR": str(tmp_path)}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(STRIDEWELL), "serve", "--multi-user", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + WAIT_S
        workers: list[int] = []
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            workers = worker_processes(server.pid)
            if len(workers) == 2 and ready(port):
                break
            time.sleep(0.2)
        assert len(workers) == 2, (tmp_path / "serve.log").read_text()
        while not all_ready(port, workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        yield port, workers
    finally:
        for pid in worker_processes(server.pid) if server.poll() is None else []:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(30)
        log.close()


def ready(port: int) -> bool:
    with contextlib.suppress(OSError):
        status, _, _ = Browser(port).request("GET", "/api/v1/health")
        return status == 200
    return False


def all_ready(port: int, workers: list[int]) -> bool:
    """Each process answers on its own (the other paused)."""
    for pid in workers:
        with only(pid, workers):
            if not ready(port):
                return False
    return True


@contextlib.contextmanager
def only(serving: int, workers: list[int]) -> Iterator[None]:
    paused = [pid for pid in workers if pid != serving]
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)


def test_either_process_serves_a_runner_signed_in_through_the_other(
    two_workers: tuple[int, list[int]],
) -> None:
    port, (first, second) = two_workers
    browser = Browser(port)
    with only(first, [first, second]):
        token = browser.form_token("/login")
        status, _, _ = browser.request(
            "POST", "/login", {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        )
        assert status == 303 and "sw_session" in browser.cookies
        page_token = browser.form_token("/account")
    with only(second, [first, second]):
        status, text, _ = browser.request("GET", "/account")
        assert status == 200 and EMAIL in text  # the session made by the first process
        # A form from the first process's page is accepted by the second.
        status, text, _ = browser.request(
            "POST", "/checkin", {"pain": "3", "moment": "pain_morning", "csrf_token": page_token}
        )
        assert status == 303, text
    with only(first, [first, second]):
        status, text, _ = browser.request("GET", "/api/v1/journal")
        assert status == 200, text
        assert [entry["pain_morning"] for entry in json.loads(text)] == [3]


def test_a_signed_out_session_is_refused_by_every_process(
    two_workers: tuple[int, list[int]],
) -> None:
    port, (first, second) = two_workers
    browser = Browser(port)
    with only(second, [first, second]):
        token = browser.form_token("/login")
        status, _, _ = browser.request(
            "POST", "/login", {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        )
        assert status == 303
        session = browser.cookies["sw_session"]
        status, _, _ = browser.request("POST", "/logout", {"csrf_token": token})
        assert status == 303
    for pid in (first, second):
        with only(pid, [first, second]):
            stale = Browser(port)
            stale.cookies["sw_session"] = session
            status, _, headers = stale.request("GET", "/account")
            assert status == 303 and headers["location"].startswith("/login")
