"""The demo in the web app, the check-in's minutes run and repeated moments, in process.

A one-person install shows the runner's own data; the demo is one click away on the home
page, shown with a banner on every page, and removed with one more click.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import Clock

from stridewell.demo import DEMO_ASSESSMENTS, add_demo
from stridewell.service import Stridewell
from stridewell.web.app import create_app

BANNER = "You are looking at demo data"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    with Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}", clock=Clock()) as sw:
        sw.upgrade_database()
        yield sw


@pytest.fixture
def client(service: Stridewell) -> Iterator[TestClient]:
    with TestClient(create_app(service), follow_redirects=False) as test_client:
        test_client.get("/")  # the CSRF cookie
        yield test_client


def _post(client: TestClient, url: str, **data: str) -> object:
    return client.post(url, data={"csrf_token": client.cookies["sw_csrf"], **data})


def test_the_home_page_offers_the_demo_but_shows_the_runners_own_data(
    service: Stridewell, client: TestClient
) -> None:
    add_demo(service, only_if_unused=True)
    home = client.get("/")
    assert 'id="demo-offer"' in home.text
    assert BANNER not in home.text
    assert "No assessments yet." in home.text  # the runner's own, empty, history


def test_looking_at_the_demo_shows_it_with_a_banner_on_every_page(
    service: Stridewell, client: TestClient
) -> None:
    add_demo(service, only_if_unused=True)
    assert _post(client, "/demo/view").status_code == 303  # type: ignore[attr-defined]
    for url in ("/", "/today", "/journal", "/shoes", "/training"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert BANNER in page.text, url
        assert 'action="/demo/remove"' in page.text, url
    home = client.get("/")
    assert home.text.count('href="/assessments/') == len(DEMO_ASSESSMENTS)
    for record in service.demo.services().assessments.history():
        if record.top_condition:  # in the report's words, never the id
            names = {c["id"]: c["name"] for c in record.report["conditions"]}
            assert html.escape(names[record.top_condition]) in home.text
            assert f"<span>{record.top_condition.replace('_', ' ')}</span>" not in home.text
    assert "Cruiser" in client.get("/shoes").text


def test_a_check_in_while_looking_at_the_demo_goes_to_the_demo(
    service: Stridewell, client: TestClient
) -> None:
    add_demo(service, only_if_unused=True)
    _post(client, "/demo/view")
    assert BANNER in client.get("/today").text
    _post(client, "/checkin", pain="2", moment="pain_after")
    assert service.local().journal.entries() == []
    assert any(e.entry.pain_after == 2 for e in service.demo.services().journal.entries())


def test_back_to_my_own_data_leaves_the_demo_in_place(
    service: Stridewell, client: TestClient
) -> None:
    add_demo(service, only_if_unused=True)
    _post(client, "/demo/view")
    assert _post(client, "/demo/leave").status_code == 303  # type: ignore[attr-defined]
    home = client.get("/")
    assert BANNER not in home.text and 'id="demo-offer"' in home.text
    assert service.demo.exists()


def test_one_click_removes_the_demo_and_everything_in_it(
    service: Stridewell, client: TestClient
) -> None:
    add_demo(service, only_if_unused=True)
    service.local().journal.log_entry({"day": service.today().isoformat(), "pain_rest": 1})
    _post(client, "/demo/view")
    answer = _post(client, "/demo/remove")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert not service.demo.exists()
    home = client.get("/")
    assert BANNER not in home.text and 'id="demo-offer"' not in home.text
    assert len(service.local().journal.entries()) == 1


def test_a_demo_removed_from_the_cli_leaves_no_banner_behind(
    service: Stridewell, client: TestClient
) -> None:
    add_demo(service, only_if_unused=True)
    _post(client, "/demo/view")
    service.demo.remove()
    page = client.get("/journal")
    assert page.status_code == 200 and BANNER not in page.text


def test_removing_the_demo_needs_the_forms_token(service: Stridewell, client: TestClient) -> None:
    add_demo(service, only_if_unused=True)
    answer = client.post("/demo/remove", data={"csrf_token": "x" * 43})
    assert answer.status_code == 403
    assert service.demo.exists()


def test_with_accounts_a_signed_in_runner_never_sees_the_demo(service: Stridewell) -> None:
    add_demo(service, only_if_unused=True)
    password = "correct horse battery"
    with TestClient(create_app(service, multi_user=True), follow_redirects=False) as client:
        client.get("/register")
        _post(client, "/register", email="ann@example.org", name="Ann", password=password)
        _post(client, "/login", email="ann@example.org", password=password)
        client.cookies.set("sw_view", "demo")  # a cookie from a one-person install
        home = client.get("/")
        assert home.status_code == 200
        assert BANNER not in home.text and 'id="demo-offer"' not in home.text
        assert "No assessments yet." in home.text
        assert _post(client, "/demo/remove").status_code == 404  # type: ignore[attr-defined]
    assert service.demo.exists()


def test_the_web_check_in_records_the_minutes_run(service: Stridewell, client: TestClient) -> None:
    answer = _post(client, "/checkin", pain="2", moment="pain_during", minutes_run="12")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    [entry] = service.local().journal.entries()
    assert (entry.entry.activity, entry.entry.activity_minutes) == ("run", 12)
    assert entry.entry.pain_during == 2
    assert "Run, 12 min" in client.get("/journal").text


def test_an_empty_minutes_field_records_no_run(service: Stridewell, client: TestClient) -> None:
    _post(client, "/checkin", pain="3", moment="pain_morning", minutes_run="")
    [entry] = service.local().journal.entries()
    assert entry.entry.activity is None and entry.entry.pain_morning == 3


def test_the_today_page_asks_for_the_minutes_run(service: Stridewell, client: TestClient) -> None:
    service.local().assessments.assess(
        {
            "age": 30,
            "pain_score": 3,
            "locations": ["heel_bottom"],
            "onset": "gradual",
            "duration_days": 5,
            "pain_timing": ["first_steps_morning"],
        }
    )
    service.local().plans.start()
    page = client.get("/today")
    assert 'name="minutes_run"' in page.text


def test_the_same_moment_tapped_twice_keeps_the_newer_score(
    service: Stridewell, client: TestClient
) -> None:
    _post(client, "/checkin", pain="7", moment="pain_morning")
    _post(client, "/checkin", pain="4", moment="pain_morning")
    [entry] = service.local().journal.entries()
    assert (entry.revision, entry.entry.pain_morning) == (2, 4)
    assert "corrected" in client.get("/journal").text


def test_the_journal_page_names_the_trends_own_window(
    service: Stridewell, client: TestClient
) -> None:
    today = service.today()
    for back, pain in ((3, 6), (2, 5), (1, 4), (0, 3)):
        day = (today - timedelta(days=back)).isoformat()
        service.local().journal.log_entry({"day": day, "pain_morning": pain})
    page = client.get("/journal").text
    window = service.local().journal.pain_trend()
    days = (window.window_end - window.window_start).days + 1
    assert f"Trend over the last {days} days" in page
    assert "four weeks" not in page
