"""The web pages in process: assessment by form, report, plan, check-ins, uploads, shoes."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from web_helpers import hidden_fields, walk_assessment

from repo_paths import ACTIVITY_FILES

HEEL = {
    "locations": ["heel_bottom"],
    "side": "left",
    "onset": "gradual",
    "injury_event": "no",
    "duration_days": "21",
    "pain_timing": ["first_steps_morning", "after_rest"],
    "pain_quality": ["stabbing"],
    "pain_score": "5",
    "can_bear_weight": "yes",
}


def _token(client: TestClient, url: str = "/") -> str:
    return hidden_fields(client.get(url).text).get("csrf_token") or client.cookies["sw_csrf"]


def test_a_heel_assessment_by_form_gives_a_report_led_by_its_level(client: TestClient) -> None:
    report_url, asked = walk_assessment(client, HEEL)
    assert asked[0] == "locations"
    page = client.get(report_url)
    assert page.status_code == 200
    text = page.text
    verdict = text.index('class="verdict')
    assert verdict < text.index("Possible causes")  # the level comes first
    assert "Plantar fasciitis" in text
    assert "not a diagnosis" in text
    assert "Start my recovery plan" in text


def test_the_foot_map_is_required_and_says_so(client: TestClient) -> None:
    fields = hidden_fields(client.get("/assess").text)
    page = client.post("/assess", data=fields)
    assert page.status_code == 422
    assert 'role="alert"' in page.text
    assert "Where does it hurt" in page.text


def test_questions_follow_earlier_answers(client: TestClient) -> None:
    _, heel_asked = walk_assessment(client, HEEL)
    _, injury_asked = walk_assessment(
        client, {**HEEL, "locations": ["outer_ankle"], "onset": "sudden", "injury_event": "yes"}
    )
    # "Did you feel a pop?" only follows an incident.
    assert "felt_pop" in injury_asked
    assert "felt_pop" not in heel_asked


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/")
    assert client.post("/checkin", data={"pain": "3"}).status_code == 403
    assert client.post("/shoes", data={"model": "X", "csrf_token": "wrong" * 5}).status_code == 403
    assert client.post("/assess", data={"locations": "arch"}).status_code == 403


def test_the_csrf_cookie_is_http_only_and_same_site_strict(client: TestClient) -> None:
    header = client.get("/").headers["set-cookie"]
    assert "sw_csrf=" in header
    assert "HttpOnly" in header
    assert "SameSite=strict" in header or "SameSite=Strict" in header


def test_starting_the_plan_and_logging_three_days_draws_three_points(client: TestClient) -> None:
    report_url, _ = walk_assessment(client, HEEL)
    token = _token(client, report_url)
    assessment_id = report_url.rsplit("/", 1)[1]
    start = client.post(
        "/plan/start", data={"csrf_token": token, "assessment_id": assessment_id},
        follow_redirects=False,
    )  # fmt: skip
    assert start.status_code == 303 and start.headers["location"] == "/today"
    today_page = client.get("/today").text
    assert "How is your foot?" in today_page and "Why:" in today_page
    today = date.today()
    for back, pain in ((2, 6), (1, 5), (0, 3)):
        day = (today - timedelta(days=back)).isoformat()
        saved = client.post(
            "/checkin", data={"csrf_token": token, "pain": str(pain), "day": day},
            follow_redirects=False,
        )  # fmt: skip
        assert saved.status_code == 303
    journal = client.get("/journal").text
    pains = re.findall(r'data-pain="(\d+)"', journal)
    assert pains == ["6", "5", "3"]


def test_a_check_in_outside_the_scale_gets_an_html_error_page(client: TestClient) -> None:
    token = _token(client)
    page = client.post("/checkin", data={"csrf_token": token, "pain": "11"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>" in page.text


def test_an_unknown_assessment_is_a_404_page_not_json(client: TestClient) -> None:
    page = client.get("/assessments/nope")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_an_uploaded_gpx_file_shows_in_the_activity_list_and_load_chart(client: TestClient) -> None:
    token = _token(client, "/training")
    data = (ACTIVITY_FILES / "gpx" / "korita-zbevnica.gpx").read_bytes()
    page = client.post(
        "/training/import",
        data={"csrf_token": token},
        files=[("files", ("korita.gpx", data, "application/gpx+xml"))],
    )
    assert page.status_code == 200, page.text
    assert "Import report" in page.text and "1 imported" in page.text.replace("activity", "")
    assert page.text.count('class="sw-bar"') >= 1


def test_a_broken_upload_is_set_aside_with_its_name_and_reason(client: TestClient) -> None:
    token = _token(client, "/training")
    page = client.post(
        "/training/import",
        data={"csrf_token": token},
        files=[("files", ("broken.gpx", b"<gpx><trk>", "application/gpx+xml"))],
    )
    assert page.status_code == 200
    assert "broken.gpx" in page.text and "not well-formed" in page.text


def test_shoes_can_be_added_and_retired_from_the_page(client: TestClient) -> None:
    token = _token(client, "/shoes")
    added = client.post(
        "/shoes",
        data={"csrf_token": token, "brand": "Acme", "model": "Glide <3>", "start_km": "520"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get("/shoes").text
    assert "Glide &lt;3&gt;" in page and "Glide <3>" not in page
    assert "check" in page  # 520 km is past the default check mark
    shoe_id = re.search(r'action="/shoes/([^/"]+)/retire"', page)
    assert shoe_id is not None
    client.post(f"/shoes/{shoe_id.group(1)}/retire", data={"csrf_token": token})
    assert "retired" in client.get("/shoes").text


def test_tampered_carried_answers_are_dropped_not_crashed_on(client: TestClient) -> None:
    fields = hidden_fields(client.get("/assess").text)
    for carried in ('{"locations": [["x"]], "side": {"a": 1}}', "[1, 2]", "{not json", "x" * 30000):
        page = client.post(
            "/assess", data={**fields, "answers": carried, "locations": "arch", "side": "left"}
        )
        assert page.status_code == 200, carried[:40]
        assert hidden_fields(page.text)["answers"].startswith('{"locations":["arch"]')


def test_a_shoe_can_be_edited_from_the_page(client: TestClient) -> None:
    token = _token(client, "/shoes")
    missing = client.post("/shoes", data={"csrf_token": token, "model": "Glide"})
    assert missing.status_code == 422 and "brand" in missing.text
    client.post(
        "/shoes", data={"csrf_token": token, "brand": "Acme", "model": "Glide", "start_km": "450"}
    )
    page = client.get("/shoes").text
    shoe_id = re.search(r'action="/shoes/([^/"]+)/edit"', page)
    assert shoe_id is not None
    edited = client.post(
        f"/shoes/{shoe_id.group(1)}/edit",
        data={"csrf_token": token, "nickname": "Blue pair", "type": "stability",
              "check_km": "400", "replace_km": "700", "is_default": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert edited.status_code == 303
    page = client.get("/shoes").text
    assert "Blue pair" in page and "default" in page
    bad = client.post(
        f"/shoes/{shoe_id.group(1)}/edit",
        data={"csrf_token": token, "check_km": "900", "replace_km": "700"},
    )
    assert bad.status_code == 422 and "check_km" in bad.text


def test_the_report_lists_the_safety_questions_left_open_in_plain_words(
    client: TestClient,
) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    stored = service.local().assessments.assess({"locations": ["achilles"], "onset": "sudden"})
    page = client.get(f"/assessments/{stored.id}").text
    assert "Questions that could change this" in page
    assert "did you hear or feel a pop" in page
    assert "felt_pop" not in page and "push_off_weak" not in page


def test_a_report_with_nothing_left_open_has_no_safety_questions_section(
    client: TestClient,
) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    stored = service.local().assessments.assess(
        {"locations": ["outer_ankle"], "deformity": True, "injury_event": True}
    )
    assert "Questions that could change this" not in client.get(f"/assessments/{stored.id}").text
