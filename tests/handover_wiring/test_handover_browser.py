"""In a real browser (Chromium via Playwright, a `stridewell serve --multi-user` process):
a runner shares with a clinician, the clinician confirms plantar fasciitis with reduced
running, and the runner's Today page and plan change accordingly.

Screenshots go to tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

SHOTS = Path(__file__).parents[1] / "browser" / "screenshots"
PASSWORD = "correct horse battery"
ACHILLES = {"locations": ["achilles"], "onset": "gradual", "pain_score": 4,
            "duration_days": 20, "pain_timing": ["eases_with_warmup"]}  # fmt: skip


@pytest.fixture(scope="module")
def browser(shared_chromium: Any) -> Any:
    """The run's one Chromium (tests/conftest.py): never a second Playwright."""
    return shared_chromium


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A multi-user server: Ann (a runner with a recovery plan in its second week, from an
    assessment that ranks Achilles tendinopathy first) and Dr Cora (a clinician account)."""
    from stridewell.service import Stridewell

    data_dir = tmp_path_factory.mktemp("clinic-data")
    with Stridewell(f"sqlite:///{(data_dir / 'stridewell.db').as_posix()}") as service:
        service.upgrade_database()
        ann = service.accounts.register("ann@example.org", PASSWORD, "Ann Runner")
        service.accounts.register("cora@example.org", PASSWORD, "Dr Cora", role="coach")
        as_ann = service.for_runner(ann.runner_id)
        result = as_ann.assessments.assess(ACHILLES)
        assert result.report.conditions[0].id != "plantar_fasciitis"
        as_ann.plans.start(result.id, start=service.today() - timedelta(days=8))
    port = _free_port()
    env = {**os.environ, "STRIDEWELL_DATA_DIR": str(data_dir)}
    env.pop("STRIDEWELL_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("stridewell")
    process = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--multi-user"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1).close()
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


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _run_minutes(page: Any) -> list[int]:
    ahead = page.locator("ol.ahead").inner_text()
    return [int(m) for m in re.findall(r"(\d+) min of running", ahead)]


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_clinicians_confirmed_diagnosis_and_reduced_running_change_today_and_the_plan(
    browser: Any, clinic: str
) -> None:
    runner = browser.new_context().new_page()
    _sign_in(runner, clinic, "ann@example.org")
    runner.goto(clinic + "/today")
    before = _run_minutes(runner)
    assert before, "the plan should have runs in the days ahead"
    assert runner.locator("#clinician-word").count() == 0
    # The runner shares: an invite link from the account page.
    runner.goto(clinic + "/account")
    runner.get_by_role("button", name="Create an invite link").click()
    runner.wait_for_load_state()
    link = runner.locator("#invite-link").inner_text().strip()

    clinician = browser.new_context().new_page()
    _sign_in(clinician, clinic, "cora@example.org")
    clinician.goto(link)
    clinician.get_by_role("button", name="Accept").click()
    clinician.wait_for_url("**/coach")
    clinician.get_by_role("link", name="Ann Runner").click()
    clinician.wait_for_load_state()
    clinician.get_by_role("link", name="Record your diagnosis and advice").click()
    clinician.wait_for_load_state()
    clinician.select_option("#condition", "plantar_fasciitis")
    clinician.check('input[name="restriction"][value="reduced"]')
    clinician.fill("#note", "Calf and plantar fascia stretches, twice a day.")
    clinician.get_by_role("button", name="Record").click()
    clinician.wait_for_load_state()
    assert "Plantar fasciitis" in clinician.locator("#clinician-notes").inner_text()
    _shoot(clinician, "clinician-form")

    runner.goto(clinic + "/today")
    word = runner.locator("#clinician-word").inner_text()
    assert "Confirmed by your clinician on" in word and "Plantar fasciitis" in word
    assert "Reduced running" in word and "Dr Cora" in word
    after = _run_minutes(runner)
    assert after and len(after) == len(before)
    assert all(a < b for a, b in zip(after, before, strict=True)), (before, after)
    assert "Your clinician asked you to run less" in runner.locator("ol.ahead").text_content()
    _shoot(runner, "today-after-clinician")
    runner.close()
    clinician.close()
