"""Locust users for the load test (benchmarks/load/run.py starts them headless).

Runners sign in once, then read pages and check in; uploaders sign in as their own
accounts and upload Strava-export zips in a loop. Bounded by the runner script (users,
time) and aimed at 127.0.0.1 only.

Environment: ``LOAD_RUNNERS`` (how many seeded runner accounts), ``LOAD_ZIPS``
(comma-separated zip paths), ``LOAD_PACE`` (requests per second per user, 0 for as fast
as possible), ``LOAD_LOG`` (a file where each acknowledged check-in and import is
written, one JSON line each, for the after-run checks).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
import time
from datetime import date
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, between, constant, constant_throughput, events, task

PASSWORD = "load-test-password-1"
RUNNERS = int(os.environ.get("LOAD_RUNNERS", "20"))
ZIPS = [p for p in os.environ.get("LOAD_ZIPS", "").split(",") if p]
PACE = float(os.environ.get("LOAD_PACE", "0"))
# Import jobs (answered 202 with the job, then followed) where the tree has them, else the
# import inside the request.
UPLOAD_PATH = os.environ.get("LOAD_UPLOAD_PATH", "/api/v1/activities/import")
LOG = os.environ.get("LOAD_LOG", "")
SESSIONS: dict[str, str] = (
    json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text())
    if os.environ.get("LOAD_SESSIONS")
    else {}
)
_numbers = itertools.count()
_addresses = itertools.count(1)
_runners = itertools.count()
_log_lock = threading.Lock()
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_ASSESSMENT = re.compile(r'"id"\s*:\s*"([0-9a-f]{32})"')


@events.test_start.add_listener
def _reset_after_warm_up(environment: object, **_: object) -> None:
    """Sign-ins (deliberately slow password hashing) happen in the first seconds: the
    figures count from ``LOAD_WARMUP`` seconds on."""
    warm_up = float(os.environ.get("LOAD_WARMUP", "0"))
    runner = getattr(environment, "runner", None)
    if warm_up > 0 and runner is not None:
        import gevent

        gevent.spawn_later(warm_up, runner.stats.reset_all)


def record(kind: str, **fields: object) -> None:
    if not LOG:
        return
    with _log_lock, open(LOG, "a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": kind, "at": time.time(), **fields}) + "\n")


def _wait() -> Any:
    return constant_throughput(PACE) if PACE > 0 else constant(0)


class SignedIn(FastHttpUser):
    """A user signed in with a session the seed made (sign-ins are a task of their own:
    the password hash is slow on purpose, and every user signing in at the start would
    measure nothing but that)."""

    abstract = True
    email = ""

    def on_start(self) -> None:
        number = next(_addresses)
        self.origin = {"Origin": self.host.rstrip("/")}
        # Behind the (trusted) proxy each user is its own address, as people are.
        self.address = {
            "X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        }
        token = SESSIONS.get(self.email)
        if token:
            self.client.cookiejar.set_cookie(_cookie("sw_session", token))
        else:
            self.sign_in()
        page = self.client.get("/account", name="account page")
        found = _CSRF.search(page.text or "")
        self.csrf = found.group(1) if found else ""

    def sign_in(self) -> None:
        page = self.client.get("/login", name="sign-in page", headers=self.address)
        found = _CSRF.search(page.text or "")
        with self.client.post(
            "/login",
            data={"email": self.email, "password": PASSWORD, "next": "/",
                  "csrf_token": found.group(1) if found else ""},
            headers={**self.origin, **self.address},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 303:
                response.success()
            else:
                response.failure(f"sign in: {response.status_code}")


def runs_added(body: dict[str, Any]) -> int | None:
    """Runs an import stored: a job's per-file report, or the older in-request report."""
    files = body.get("files")
    if isinstance(files, list):
        return sum(int(f.get("runs", 0)) for f in files)
    imported = body.get("imported")
    return imported if isinstance(imported, int) else None


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                  None, False, None, None, {})  # fmt: skip


class Runner(SignedIn):
    """A runner: today's plan, the training page, the report, the journal, check-ins."""

    weight = 10
    wait_time = _wait()

    def on_start(self) -> None:
        number = next(_runners) % RUNNERS
        self.email = f"runner{number:03d}@load.test"
        super().on_start()
        listed = self.client.get("/api/v1/assessments?limit=1", name="assessments (API)")
        found = _ASSESSMENT.search(listed.text or "")
        self.report = f"/assessments/{found.group(1)}" if found else "/"

    @task(4)
    def today(self) -> None:
        self.client.get("/today", name="/today")

    @task(3)
    def training(self) -> None:
        self.client.get("/training", name="/training")

    @task(3)
    def report(self) -> None:
        self.client.get(self.report, name="/assessments/{id} (report)")

    @task(2)
    def journal(self) -> None:
        self.client.get("/journal", name="/journal")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(1)
    def sign_in_again(self) -> None:
        """A runner signing in on another device (a new session, the old one stays):
        paced runs only, one request in 256. A session lasts weeks, so a runner reads
        hundreds of pages per sign-in; each sign-in is tens of milliseconds of Argon2
        in four threads, by design. (Until 2026-11-30 this was one request in 64.)"""
        if PACE > 0 and next(_numbers) % 16 == 0:  # not a page
            self.sign_in()

    @task(1)
    def check_in(self) -> None:
        pain = next(_numbers) % 11
        with self.client.post(
            "/checkin",
            data={"pain": str(pain), "moment": "pain_during", "csrf_token": self.csrf},
            headers=self.origin,
            name="check-in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 303:
                response.success()
                record("checkin", email=self.email, pain=pain, day=date.today().isoformat())
            else:
                response.failure(f"check-in: {response.status_code}")


class Uploader(SignedIn):
    """Uploads a Strava-export zip, waits for it to be imported, and the next one."""

    fixed_count = int(os.environ.get("LOAD_UPLOADERS", "0"))
    wait_time = between(0.5, 1.0)
    _ids = itertools.count()

    def on_start(self) -> None:
        number = int(os.environ.get("LOAD_UPLOADER_FIRST", "0")) + next(Uploader._ids)
        self.email = f"uploader{number:03d}@load.test"
        self.zips = itertools.cycle(ZIPS[number % max(len(ZIPS), 1) :] + ZIPS)
        super().on_start()

    @task
    def upload(self) -> None:
        if not ZIPS:
            return
        path = Path(next(self.zips))
        began = time.perf_counter()
        with self.client.post(
            UPLOAD_PATH,
            files={"files": (path.name, path.read_bytes(), "application/zip")},
            headers={**self.origin, "X-CSRF-Token": self.csrf},
            name="upload (Strava zip)",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201, 202):
                response.failure(f"upload: {response.status_code} {response.text[:200]}")
                return
            body = response.json()
            response.success()
        job = body.get("job_id") or body.get("id") if isinstance(body, dict) else None
        if response.status_code == 202 and job:
            body = self._wait_for(str(job), response.headers.get("location"))
        if body is not None:
            seconds = time.perf_counter() - began
            runs = runs_added(body)
            record("import", email=self.email, zip=path.name, seconds=seconds, runs=runs,
                   report=body)  # fmt: skip
            events.request.fire(
                request_type="IMPORT", name="import completed", response_time=seconds * 1000,
                response_length=0, exception=None, context={},
            )  # fmt: skip

    def _wait_for(self, job: str, location: str | None) -> dict[str, object] | None:
        url = urlsplit(location).path if location else f"/api/v1/imports/{job}"
        for _ in range(600):
            polled = self.client.get(url, name="import status")
            state = polled.json() if polled.status_code == 200 else {}
            if state.get("status") == "done":
                return dict(state)
            if state.get("status") == "failed":
                events.request.fire(
                    request_type="IMPORT", name="import completed", response_time=0,
                    response_length=0, exception=RuntimeError(str(state)), context={},
                )  # fmt: skip
                return None
            time.sleep(0.5)
        return None
