"""In a real browser: a runner at the end of a recovery plan goes from Today, through the
"Back to your running" button, into the running plan and sees its first week.

Debian's Chromium driven by Playwright against `stridewell serve` on a SQLite file seeded
through the service: a recovery plan followed for 85 days up to its 30-minute run, and
eight usual weeks of imported runs before the pain (so the targets come from them).
Screenshots go to tests/browser/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from running_wiring_seed import RECOVERY_DAYS, finish_recovery

from stridewell.service import Stridewell
from stridewell.storage.repository import Store

SHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(shared_chromium: Any) -> Any:
    """The run's one Chromium (tests/conftest.py): never a second Playwright."""
    return shared_chromium


def _usual_weeks(service: Stridewell, before: date) -> None:
    """Eight usual weeks before `before`: 3 runs, 30 km, the long run of 12 km on Sunday."""
    rows = []
    monday = before - timedelta(days=before.weekday())
    for week in range(1, 9):
        for offset, km in ((1, 9.0), (3, 9.0), (6, 12.0)):
            day = monday - timedelta(days=7 * week) + timedelta(days=offset)
            start = datetime(day.year, day.month, day.day, 7).astimezone(UTC)
            rows.append({
                "source_format": "fit", "sport": "running", "is_indoor": False,
                "start_time": start, "duration_s": km * 330, "moving_time_s": km * 330,
                "distance_m": km * 1000, "source_name": f"{day}.fit",
                "fingerprint": f"running|{start:%Y-%m-%dT%H:%M}|{km}",
            })  # fmt: skip
    with Store(service.database_url) as store:
        store.activities.add_activities("local", rows)  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("running-browser")
    env = {**os.environ, "STRIDEWELL_DATA_DIR": str(data_dir)}
    env.pop("STRIDEWELL_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("stridewell")
    subprocess.run([str(exe), "db", "upgrade"], env=env, check=True, capture_output=True)
    with Stridewell(f"sqlite:///{(data_dir / 'stridewell.db').as_posix()}") as service:
        today = service.today()
        _usual_weeks(service, today - timedelta(days=RECOVERY_DAYS + 7))
        finish_recovery(service, service.local(), today)
    port = _free_port()
    process = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(error) from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, size in (("phone", {"width": 390, "height": 844}),
                        ("desktop", {"width": 1280, "height": 900})):  # fmt: skip
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)


def test_from_the_end_of_the_recovery_plan_into_the_first_running_week(
    browser: Any, server: str
) -> None:
    page = browser.new_page()
    page.goto(server + "/today")
    running = page.locator("#running")
    assert "Your recovery plan has done its job" in running.inner_text()
    _shoot(page, "running-from-today")

    running.get_by_role("button", name="Back to your running").click()
    page.wait_for_url("**/running*")
    assert page.locator("h1").inner_text() == "Back to your running"
    this_week = page.locator("#this-week")
    text = this_week.inner_text()
    assert "Week 1 (this week)" in text
    assert "up to" in text and "in 3 runs" in text  # the week's budget, with why
    assert this_week.get_by_text("Easy run of").count() >= 2
    assert page.locator("#this-week a[href$='.fit']").count() >= 2
    # The targets came from the eight usual weeks before the pain, and say so.
    assert "3 runs and 30.0 km a week" in page.locator("main").inner_text()
    _shoot(page, "running-plan")

    page.get_by_role("link", name="Running").first.click()  # the nav link
    page.wait_for_url("**/running")
    page.goto(server + "/today")
    assert "Your running this week" in page.locator("#running").inner_text()
    page.close()
