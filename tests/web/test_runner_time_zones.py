"""Each runner's time zone: their today, the day a run falls on and the times their pages
show are theirs, whatever the server's zone (UTC here), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from web_helpers import Clock

from stridewell.demo import demo_runs
from stridewell.errors import InvalidInput
from stridewell.service import RunnerServices, Stridewell
from stridewell.service.zones import zone_names
from stridewell.web.app import create_app

PASSWORD = "a-long-password-1"
HEEL = {"locations": ["heel_bottom"], "pain_score": 4, "duration_days": 21}
# Monday 30 Nov 2026, 12:00 UTC: already Tuesday 1 Dec, 01:00 in Auckland (NZDT, +13),
# still Monday 04:00 in Los Angeles (PST, -8).
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("machine_in_utc")


@pytest.fixture
def now(clock: Clock) -> Clock:
    clock.now = NOW
    return clock


def _runner(service: Stridewell, email: str, zone: str) -> RunnerServices:
    account = service.accounts.register(email, PASSWORD, email.split("@")[0].title())
    runner = service.for_runner(account.runner_id)
    runner.account.set_zone(zone)
    return runner


def _run_at(runner: RunnerServices, local: datetime) -> None:
    """A run starting at ``local`` (the runner's wall clock)."""
    run = demo_runs(local.date())[0]
    runner.training.add_activities([replace(run, start_time=local.astimezone(UTC))])


def test_two_runners_at_the_same_instant_each_have_their_own_today_and_run_days(
    service: Stridewell, now: Clock
) -> None:
    auckland = _runner(service, "ana@club.test", "Pacific/Auckland")
    los_angeles = _runner(service, "ben@club.test", "America/Los_Angeles")
    assert auckland.today() == date(2026, 12, 1)
    assert los_angeles.today() == date(2026, 11, 30)

    # Sunday 23:30 in Los Angeles is Monday 07:30 UTC: the run is Sunday's, last week's.
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    _run_at(los_angeles, sunday_night)
    _run_at(auckland, datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("Pacific/Auckland")))
    for runner, day in ((los_angeles, date(2026, 11, 29)), (auckland, date(2026, 11, 30))):
        [item] = runner.training.activity_list()
        assert (item.start.date(), item.start.hour, item.start.minute) == (day, 23, 30)
    weeks = los_angeles.training.load(weeks=2)["weeks"]
    assert [(w["week"], w["km"] > 0) for w in weeks] == [("2026-W48", True), ("2026-W49", False)]


def test_a_runner_without_a_zone_keeps_the_machines(service: Stridewell, now: Clock) -> None:
    runner = service.local()
    assert runner.account.runner().time_zone is None
    assert runner.today() == service.today() == date(2026, 11, 30)  # the server's, UTC


def test_an_unknown_zone_is_refused_naming_it_and_changes_nothing(
    service: Stridewell, now: Clock
) -> None:
    runner = _runner(service, "ana@club.test", "Pacific/Auckland")
    for bad in ("Mars/Olympus_Mons", "", "../etc/passwd", "posixrules"):
        with pytest.raises(InvalidInput, match="not a time zone") as error:
            runner.account.set_zone(bad)
        assert f"'{bad}'" in str(error.value) and error.value.field == "time_zone"
    assert runner.account.runner().time_zone == "Pacific/Auckland"


@pytest.fixture
def client(service: Stridewell, now: Clock) -> Iterator[TestClient]:
    """The one-person app: the local runner, no sign-in."""
    with TestClient(create_app(service), headers={"Origin": "http://testserver"}) as test:
        yield test


def _set_zone_on_the_page(client: TestClient, zone: str) -> object:
    client.get("/account")
    data = {"csrf_token": client.cookies["sw_csrf"], "time_zone": zone}
    return client.post("/account/time-zone", data=data, follow_redirects=False)


def test_the_report_and_home_pages_show_the_assessment_time_in_the_runners_zone(
    service: Stridewell, client: TestClient, now: Clock
) -> None:
    now.now = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    service.local().account.set_zone("Pacific/Auckland")
    stored = service.local().assessments.assess(HEEL)
    assert "assessed 3 Dec 2026, 22:05 NZDT." in client.get(f"/assessments/{stored.id}").text
    assert "3 Dec 2026, 22:05 NZDT" in client.get("/").text


def test_a_new_zone_shows_on_the_next_page_not_the_kept_one(
    service: Stridewell, client: TestClient, now: Clock
) -> None:
    now.now = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    stored = service.local().assessments.assess(HEEL)
    page = f"/assessments/{stored.id}"
    assert _set_zone_on_the_page(client, "Pacific/Auckland").status_code == 303  # type: ignore[attr-defined]
    assert "22:05 NZDT" in client.get(page).text  # kept for the next pages
    assert "22:05 NZDT" in client.get(page).text
    done = _set_zone_on_the_page(client, "America/Los_Angeles")
    assert done.headers["location"] == "/account?message=Time+zone+saved"  # type: ignore[attr-defined]
    assert "assessed 3 Dec 2026, 01:05 PST." in client.get(page).text
    account = client.get("/account").text
    assert "<option selected>America/Los_Angeles</option>" in account
    assert _set_zone_on_the_page(client, "").status_code == 303  # type: ignore[attr-defined]
    assert "assessed 3 Dec 2026, 09:05 UTC." in client.get(page).text


def test_the_account_page_lists_every_zone_and_offers_the_browsers_while_unset(
    client: TestClient,
) -> None:
    page = client.get("/account").text
    assert '<select id="time-zone" name="time_zone" data-unset>' in page
    assert '<option value="" selected>This computer&#39;s time zone (UTC)</option>' in page
    assert page.count("<option>") == len(zone_names())
    assert '<script src="/static/timezone.js" defer></script>' in page
    script = client.get("/static/timezone.js")
    assert script.status_code == 200
    assert "resolvedOptions().timeZone" in script.text


def test_an_unknown_zone_on_the_page_is_named_and_the_page_shown_again(
    service: Stridewell, client: TestClient
) -> None:
    refused = _set_zone_on_the_page(client, "Mars/Olympus_Mons")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "&#39;Mars/Olympus_Mons&#39; is not a time zone we know" in refused.text  # type: ignore[attr-defined]
    assert service.local().account.runner().time_zone is None


def test_the_api_shows_and_changes_the_runners_zone(client: TestClient) -> None:
    assert client.get("/api/v1/runner").json() == {"name": "Local runner", "time_zone": None}
    changed = client.patch("/api/v1/runner", json={"time_zone": "Europe/London"})
    assert changed.status_code == 200
    assert changed.json()["time_zone"] == "Europe/London"
    assert client.patch("/api/v1/runner", json={}).json()["time_zone"] == "Europe/London"
    refused = client.patch("/api/v1/runner", json={"time_zone": "Europe/Londn"})
    assert refused.status_code == 422
    assert refused.json()["error"] == {
        "message": "'Europe/Londn' is not a time zone we know: choose one such as Europe/London",
        "field": "time_zone",
    }
    assert client.get("/api/v1/runner").json()["time_zone"] == "Europe/London"
    assert client.patch("/api/v1/runner", json={"time_zone": None}).json()["time_zone"] is None


def test_a_run_on_the_training_page_is_on_the_runners_day(
    service: Stridewell, client: TestClient
) -> None:
    los_angeles = ZoneInfo("America/Los_Angeles")
    service.local().account.set_zone("America/Los_Angeles")
    _run_at(service.local(), datetime(2026, 11, 29, 23, 30, tzinfo=los_angeles))
    page = client.get("/training").text
    [shown] = re.findall(r'<td data-label="Date">([^<]*)</td>', page)
    assert "29 Nov" in shown and "23:30" in shown


def test_a_coach_sees_a_runners_assessment_time_in_the_runners_zone(
    service: Stridewell, now: Clock
) -> None:
    now.now = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    ana = _runner(service, "ana@club.test", "Pacific/Auckland")
    stored = ana.assessments.assess(HEEL)
    service.accounts.register("cy@club.test", PASSWORD, "Cy", role="coach")
    coach = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    coach.get("/login")
    signed_in = coach.post("/login", data={"email": "cy@club.test", "password": PASSWORD,
                                           "csrf_token": coach.cookies["sw_csrf"]})  # fmt: skip
    assert signed_in.status_code == 303
    cy = service.for_runner(service.accounts.account_by_email("cy@club.test").runner_id)  # type: ignore[union-attr]
    cy.account.set_zone("America/Los_Angeles")
    cy.sharing.accept_invite(ana.sharing.invite_coach())
    page = coach.get(f"/coach/runners/{ana.runner_id}/assessments/{stored.id}").text
    assert "assessed 3 Dec 2026, 22:05 NZDT." in page


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("Pacific/Auckland", "Pacific/Auckland"), ("Mars/Olympus_Mons", None), ("", None)],
)
def test_registering_keeps_the_zone_the_browser_sent_and_skips_one_it_cannot_read(
    service: Stridewell, sent: str, kept: str | None
) -> None:
    client = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    page = client.get("/register").text
    assert '<input type="hidden" name="time_zone" id="browser-time-zone" value="">' in page
    assert '<script src="/static/timezone.js" defer></script>' in page
    done = client.post("/register", data={
        "email": "ana@club.test", "name": "Ana", "password": PASSWORD, "role": "runner",
        "time_zone": sent, "csrf_token": client.cookies["sw_csrf"],
    })  # fmt: skip
    assert done.status_code == 303  # an unreadable zone never stops a registration
    account = service.accounts.account_by_email("ana@club.test")
    assert account is not None
    assert service.for_runner(account.runner_id).account.runner().time_zone == kept


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "../etc/passwd", "x" * 150])
def test_names_that_are_no_place_are_refused_by_name_on_the_page(
    service: Stridewell, client: TestClient, name: str
) -> None:
    with pytest.raises(InvalidInput):
        service.local().account.set_zone(name)
    refused = _set_zone_on_the_page(client, name)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "is not a time zone we know" in refused.text  # type: ignore[attr-defined]


def test_the_data_export_keeps_the_runners_time_zone(service: Stridewell) -> None:
    import io
    import json
    import zipfile

    account = service.accounts.register("ana@club.test", PASSWORD, "Ana")
    ana = service.for_runner(account.runner_id)
    ana.account.set_zone("Europe/Lisbon")
    with zipfile.ZipFile(io.BytesIO(ana.account.export_data())) as exported:
        assert json.loads(exported.read("account.json"))["time_zone"] == "Europe/Lisbon"
