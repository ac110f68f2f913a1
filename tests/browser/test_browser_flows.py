"""The main flows in a real browser: Debian's Chromium driven by Playwright against a real
server process (uvicorn via `stridewell serve`) on a fresh SQLite database.

Screenshots of each page at phone and desktop width go to tests/browser/screenshots/
(git-ignored) for a person to look at. Without Chromium or Playwright the tests skip with
a message, except under CI, where they must run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import serve, wait_for_import

from repo_paths import ACTIVITY_FILES

SHOTS = Path(__file__).parent / "screenshots"
GPX = ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Pages of the assessment answered by clicking, in whatever order the questionnaire asks.
CLICKS = {
    "onset": "gradual",
    "injury_event": "no",
    "pain_timing": "first_steps_morning",
    "pain_quality": "stabbing",
    "can_bear_weight": "yes",
}
TYPED = {"duration_days": "21", "pain_score": "5"}
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    """The run's one Chromium (tests/browser/conftest.py), under the name the flows use."""
    return chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory.mktemp("browser-data"), [])


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A multi-user server where Alice shares with Cora (a coach) and Bob shares with nobody."""
    from stridewell.service import Stridewell

    data_dir = tmp_path_factory.mktemp("club-data")
    with Stridewell(f"sqlite:///{(data_dir / 'stridewell.db').as_posix()}") as service:
        service.upgrade_database()
        alice = service.accounts.register("alice@example.org", PASSWORD, "Alice Runner")
        bob = service.accounts.register("bob@example.org", PASSWORD, "Bob Runner")
        cora = service.accounts.register("cora@example.org", PASSWORD, "Cora Coach", role="coach")
        as_alice = service.for_runner(alice.runner_id)
        as_alice.assessments.assess({"locations": ["heel_bottom"], "pain_score": 4})
        service.for_runner(bob.runner_id).assessments.assess({"locations": ["arch"]})
        service.for_runner(cora.runner_id).sharing.accept_invite(as_alice.sharing.invite_coach())
    yield from serve(data_dir, ["--multi-user"])


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _answer_assessment(page: Any) -> None:
    """Click through the question pages; unasked or unknown questions stay 'not sure'."""
    for _ in range(15):
        if "/assessments/" in page.url:
            return
        for field, value in CLICKS.items():
            box = page.locator(f'input[name="{field}"][value="{value}"]')
            if box.count():
                box.first.check()
        for field, value in TYPED.items():
            box = page.locator(f'input[name="{field}"]')
            if box.count():
                box.first.fill(value)
        page.get_by_role("button", name="Next").click()
        page.wait_for_load_state()
    raise AssertionError("the questionnaire did not end")


def test_a_runner_assesses_heel_pain_on_the_foot_map_and_follows_the_plan(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + "/assess")
    _shoot(page, "assess-map")
    heel = page.locator('.fm-region[data-region="heel_bottom"]').first
    heel.click()
    assert page.locator("#loc-heel_bottom").is_checked()  # the map drives the checkbox
    page.locator('input[name="side"][value="left"]').check()
    page.get_by_role("button", name="Next").click()
    _answer_assessment(page)
    assert "/assessments/" in page.url
    heading = page.locator("#verdict-h").inner_text()
    assert heading  # the level, first, in plain words
    assert page.get_by_text("Plantar fasciitis").first.is_visible()
    _shoot(page, "report")

    page.get_by_role("button", name="Start my recovery plan").click()
    page.wait_for_url("**/today")
    _shoot(page, "today")
    counts = []
    today = date.today()
    for back, pain in ((2, 6), (1, 4), (0, 2)):
        page.goto(server + "/today")
        page.fill("#checkin-day", (today - timedelta(days=back)).isoformat())
        page.evaluate("window.stillThisPage = true")
        page.get_by_role("button", name=f"Pain {pain} of 10").click()
        # htmx swaps the check-in section in place; it then lists what was saved.
        page.wait_for_selector(f'#checkin .saved:has-text("{pain}/10")')
        assert page.evaluate("window.stillThisPage === true")  # a partial update, no reload
        page.goto(server + "/journal")
        counts.append(page.locator(".sw-pain-point").count())
    assert counts == [1, 2, 3]  # the chart changes with every day logged
    values = page.locator(".sw-pain-point").evaluate_all(
        "els => els.map(e => e.getAttribute('data-pain'))"
    )
    assert values == ["6", "4", "2"]
    _shoot(page, "journal")
    page.close()


def test_a_runner_uploads_an_activity_and_sees_it_in_the_load_chart(
    browser: Any, server: str, tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
    from synthetic import synthetic_run, write_gpx

    # A one-hour run yesterday, written as a watch would: it lands in this week's bar
    # (or last week's on a Monday).
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    run_file = tmp_path / "yesterday.gpx"
    run_file.write_bytes(write_gpx(synthetic_run(7, started)))
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + "/training")
    before = _km_per_bar(page)
    assert sum(before) == 0
    page.set_input_files("#files", [str(run_file), str(GPX)])
    page.get_by_role("button", name="Import").click()
    wait_for_import(page)  # the import job's page, once the job is done
    assert "2 runs added" in page.locator("#import-report").inner_text()  # none set aside
    page.goto(server + "/training")
    after = _km_per_bar(page)
    assert after and sum(after) > 5  # the run shows as distance in its week
    _shoot(page, "training")
    page.goto(server + "/shoes")
    _shoot(page, "shoes")
    page.goto(server + "/")
    _shoot(page, "home")
    page.close()


def _km_per_bar(page: Any) -> list[float]:
    values = page.locator("#load-chart .sw-bar").evaluate_all(
        "els => els.map(e => e.getAttribute('data-km'))"
    )
    return [float(v) for v in values]


def test_a_coach_signs_in_and_sees_the_shared_runner_but_not_another(
    browser: Any, club: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(club + "/coach")
    assert "/login" in page.url  # signed out: to the sign-in page first
    _shoot(page, "login")
    page.fill("#email", "cora@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/coach")
    table = page.locator("#runners").inner_text()
    assert "Alice Runner" in table and "Bob Runner" not in table
    _shoot(page, "coach")
    page.get_by_role("link", name="Alice Runner").click()
    page.wait_for_load_state()
    assert "read-only" in page.locator("h1").inner_text()
    page.close()
