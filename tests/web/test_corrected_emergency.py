"""An emergency result the runner corrected with "Change my last answer": the corrected
answers are stored as an assessment naming the emergency, the emergency stays, and the
history, the report pages and the coach's view mark both; a forged link is not kept."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import Clock, hidden_fields

from stridewell.service import Stridewell
from stridewell.service.records import StoredAssessment
from stridewell.service.zones import MACHINE_ZONE
from stridewell.text import time_words
from stridewell.web.app import create_app

HEEL = {
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "injury_event": "no",
    "can_bear_weight": "yes",
    "duration_days": "21",
    "pain_timing": ["first_steps_morning"],
}
NOW = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
PASSWORD = "correct horse battery"
COLD_FOOT = "Is the foot cold, pale or bluish"
RUNNER_MARK = "Emergency result; you changed an answer afterwards (see the assessment of"
OTHER_MARK = "Emergency result; the runner changed an answer afterwards (see the assessment of"


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.now = NOW
    return clock


@pytest.fixture
def service(tmp_path: Path, clock: Clock) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}", clock=clock)
    sw.upgrade_database()
    yield sw
    sw.close()


@pytest.fixture
def client(service: Stridewell) -> Iterator[TestClient]:
    with TestClient(create_app(service), follow_redirects=False) as test_client:
        yield test_client


def _send(client: TestClient, page: str, wanted: dict[str, Any], go: str = "next") -> Any:
    fields = hidden_fields(page)
    data: dict[str, Any] = {**fields, "go": go}
    for name in [f for f in fields.get("page_fields", "").split(",") if f]:
        if name in wanted:
            value = wanted[name]
            data[name] = value if isinstance(value, list) else str(value)
    return client.post("/assess", data=data)


def _to_warning_page(client: TestClient) -> str:
    page = client.get("/assess").text
    for _ in range(10):
        if 'name="foot_cold_pale"' in page:
            return page
        response = _send(client, page, HEEL)
        assert response.status_code == 200, response.text
        page = response.text
    raise AssertionError("no warning-signs page")


def _emergency(client: TestClient) -> str:
    """The emergency page after "yes" to a cold, pale foot (stored as it is shown)."""
    page = _send(client, _to_warning_page(client), {"foot_cold_pale": "yes"})
    assert 'id="emergency-h"' in page.text
    return str(page.text)


def _change_and_finish(client: TestClient, emergency: str, **form: str) -> str:
    """Change my last answer, answer "no" to the cold foot, then the report at once: the id
    of the assessment stored. ``form`` replaces hidden fields (a forged form)."""
    again = client.post("/assess", data={**hidden_fields(emergency), "go": "change"})
    assert again.status_code == 200 and 'id="went-back"' in again.text
    page = again.text
    for name, value in form.items():
        page = re.sub(
            rf'<input type="hidden" name="{name}" value="[^"]*">',
            f'<input type="hidden" name="{name}" value="{value}">',
            page,
        )
    following = _send(client, page, {"foot_cold_pale": "no"})
    assert following.status_code == 200 and 'id="emergency-h"' not in following.text
    done = _send(client, following.text, {}, go="finish")
    assert done.status_code == 303, done.text
    return str(done.headers["location"].rsplit("/", 1)[1])


def _records(service: Stridewell) -> list[StoredAssessment]:
    return service.local().assessments.history()


def _when(moment: datetime) -> str:
    return time_words(moment.astimezone(MACHINE_ZONE))


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_corrected_answers_are_stored_naming_the_emergency_which_stays(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    emergency_page = _emergency(client)
    [emergency] = _records(service)
    clock.now += timedelta(minutes=3)

    corrected_id = _change_and_finish(client, emergency_page)

    corrected, first = _records(service)
    assert corrected.id == corrected_id and first.id == emergency.id
    assert first.level == "emergency" and first.assessment["foot_cold_pale"] is True
    assert corrected.corrects_id == emergency.id and corrected.level != "emergency"
    assert (first.corrected_by_id, first.corrected_at) == (corrected.id, NOW + timedelta(minutes=3))
    assert corrected.corrected_by_id is None and first.corrects_id is None


def test_the_history_marks_the_corrected_emergency_with_the_time_of_the_correction(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    emergency_page = _emergency(client)
    clock.now += timedelta(minutes=3)
    corrected_id = _change_and_finish(client, emergency_page)
    emergency = _records(service)[1]

    home = _text(client.get("/").text)

    mark = f"{RUNNER_MARK} {_when(NOW + timedelta(minutes=3))})."
    assert mark in home
    assert home.count("changed an answer") == 2  # the emergency, and the one correcting it
    assert f'id="correction-{emergency.id}"' in client.get("/").text
    assert f'id="correction-{corrected_id}"' in client.get("/").text
    assert f"(see the assessment of {_when(NOW)}, which is kept)" in home


def test_the_report_of_the_corrected_emergency_names_the_answer_that_changed_and_links_on(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    emergency_page = _emergency(client)
    clock.now += timedelta(minutes=2)
    corrected_id = _change_and_finish(client, emergency_page)
    emergency = _records(service)[1]

    page = client.get(f"/assessments/{emergency.id}").text
    text = _text(page)

    assert f'<a href="/assessments/{corrected_id}">{RUNNER_MARK}' in html.unescape(page)
    assert re.search(rf"“{COLD_FOOT}[^”]*”: yes at first, then no\.", text)
    # the emergency report itself is kept whole: its level and its warning sign
    assert "Get medical help today" in text
    back = _text(client.get(f"/assessments/{corrected_id}").text)
    assert "You changed an answer after an emergency result" in back


def test_an_assessment_nobody_corrected_shows_no_mark(
    client: TestClient, service: Stridewell
) -> None:
    page = _send(client, _to_warning_page(client), {"foot_cold_pale": "no"})
    done = _send(client, page.text, {}, go="finish")
    assert done.status_code == 303
    [record] = _records(service)
    assert (record.corrects_id, record.corrected_by_id) == (None, None)
    for url in ("/", f"/assessments/{record.id}"):
        assert "changed an answer" not in client.get(url).text
        assert 'id="correction' not in client.get(url).text


def test_an_emergency_sent_back_unchanged_is_stored_again_without_a_link(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    emergency_page = _emergency(client)
    clock.now += timedelta(minutes=1)
    again = client.post("/assess", data={**hidden_fields(emergency_page), "go": "change"})
    repeat = _send(client, again.text, {"foot_cold_pale": "yes"})
    assert 'id="emergency-h"' in repeat.text
    second, first = _records(service)
    assert second.corrects_id is None and first.corrected_by_id is None
    # the second emergency's form now carries its own id
    assert hidden_fields(repeat.text)["corrects"] == second.id


def test_a_forged_link_to_another_runners_emergency_is_not_kept(
    client: TestClient, service: Stridewell
) -> None:
    bob = service.accounts.register("bob@example.org", PASSWORD, "Bob")
    bobs = service.for_runner(bob.runner_id).assessments
    bobs_emergency = bobs.assess({"locations": ["heel_bottom"], "foot_cold_pale": True})
    assert bobs_emergency.report.triage.level.value == "emergency"
    emergency_page = _emergency(client)

    stored = _change_and_finish(client, emergency_page, corrects=str(bobs_emergency.id))

    corrected = service.local().assessments.get(stored)
    assert corrected.corrects_id is None
    assert bobs.get(str(bobs_emergency.id)).corrected_by_id is None
    assert all(r.corrected_by_id is None for r in _records(service))
    assert "changed an answer" not in client.get("/").text


def test_a_forged_link_to_the_runners_own_non_emergency_or_older_emergency_is_not_kept(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    mine = service.local().assessments
    older = mine.assess({"locations": ["heel_bottom"], "foot_cold_pale": True})
    clock.now += timedelta(minutes=1)
    calm = mine.assess({"locations": ["heel_bottom"]})
    assert calm.report.triage.level.value != "emergency"
    clock.now += timedelta(minutes=1)
    for forged in (str(calm.id), str(older.id), "0" * 32, "not-an-id"):
        emergency_page = _emergency(client)
        stored = _change_and_finish(client, emergency_page, corrects=forged)
        assert mine.get(stored).corrects_id is None
    assert all(r.corrected_by_id is None for r in _records(service))


def test_a_correction_long_after_the_emergency_is_not_linked(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    emergency_page = _emergency(client)
    clock.now += timedelta(days=2)
    stored = _change_and_finish(client, emergency_page)
    assert service.local().assessments.get(stored).corrects_id is None


def test_the_coach_sees_the_corrected_emergency_marked_in_the_runners_view(
    service: Stridewell, clock: Clock
) -> None:
    ann = service.accounts.register("ann@example.org", PASSWORD, "Ann")
    cy = service.accounts.register("cy@example.org", PASSWORD, "Cy", role="coach")
    runner = service.for_runner(ann.runner_id)
    service.for_runner(cy.runner_id).sharing.accept_invite(runner.sharing.invite_coach())
    app = create_app(service, multi_user=True)
    ann_client, cy_client = _signed_in(app, "ann@example.org"), _signed_in(app, "cy@example.org")
    emergency_page = _emergency(ann_client)
    clock.now += timedelta(minutes=3)
    corrected_id = _change_and_finish(ann_client, emergency_page)
    emergency = runner.assessments.history()[1]

    view = cy_client.get(f"/coach/runners/{ann.runner_id}")
    assert view.status_code == 200, view.text
    assert f"{OTHER_MARK} {_when(NOW + timedelta(minutes=3))})." in _text(view.text)
    assert f'id="correction-{emergency.id}"' in view.text
    report = cy_client.get(f"/coach/runners/{ann.runner_id}/assessments/{emergency.id}").text
    link = f'<a href="/coach/runners/{ann.runner_id}/assessments/{corrected_id}">{OTHER_MARK}'
    assert link in html.unescape(report)
    assert re.search(rf"“{COLD_FOOT}[^”]*”: yes at first, then no\.", _text(report))


def _signed_in(app: object, email: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    client.get("/login")
    data = {"email": email, "password": PASSWORD, "csrf_token": client.cookies["sw_csrf"]}
    assert client.post("/login", data=data).status_code == 303
    return client


def test_the_api_names_the_correction_on_both_assessments_and_none_on_others(
    client: TestClient, service: Stridewell, clock: Clock
) -> None:
    calm = service.local().assessments.assess({"locations": ["heel_bottom"]})
    clock.now += timedelta(minutes=1)
    emergency_page = _emergency(client)
    clock.now += timedelta(minutes=1)
    corrected_id = _change_and_finish(client, emergency_page)
    emergency = _records(service)[1]

    listed = {a["id"]: a for a in client.get("/api/v1/assessments").json()}
    assert (listed[corrected_id]["corrects"], listed[corrected_id]["corrected_by"]) == (
        emergency.id,
        None,
    )
    assert listed[emergency.id]["corrected_by"] == corrected_id
    assert (listed[str(calm.id)]["corrects"], listed[str(calm.id)]["corrected_by"]) == (None, None)
    one = client.get(f"/api/v1/assessments/{emergency.id}").json()
    assert (one["corrected_by"], one["triage"]["level"]) == (corrected_id, "emergency")
