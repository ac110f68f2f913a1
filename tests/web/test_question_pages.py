"""The question pages in process: one topic a page, Back keeps answers, an honest page
count, questions only when the answers so far make them relevant, "not sure" kept as not
known, training numbers from imported runs filled in for the runner to confirm, and from
the emergency page a way back to the answer that led there, that answer cleared."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from web_helpers import hidden_fields

from stridewell.errors import KnowledgeBaseError
from stridewell.knowledge.questions import (
    load_questionnaire,
    load_questionnaire_from,
    questions_file,
)
from stridewell.levels import Level
from stridewell.service import Stridewell
from stridewell.web.app import create_app
from stridewell.web.forms import BEFORE, RECENT, page_answers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_fit

HEEL = {
    "locations": ["heel_bottom"],
    "onset": "gradual",
    "injury_event": "no",
    "can_bear_weight": "yes",
    "duration_days": "21",
    "pain_timing": ["first_steps_morning"],
}
ANKLE = {**HEEL, "locations": ["outer_ankle"], "onset": "sudden", "injury_event": "yes"}
NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
PROGRESS = re.compile(r'id="progress">Page (\d+) of (\d+)')


@dataclass
class Shown:
    """One question page as the browser gets it."""

    section: str
    fields: list[str]
    number: int
    total: int
    hidden: dict[str, str]
    text: str

    @property
    def answers(self) -> dict[str, Any]:
        carried: dict[str, Any] = json.loads(self.hidden["answers"])
        return carried


def shown(page: str) -> Shown:
    fields = hidden_fields(page)
    found = PROGRESS.search(page)
    assert found, "no page count"
    return Shown(
        section=fields["section"],
        fields=[f for f in fields["page_fields"].split(",") if f],
        number=int(found.group(1)),
        total=int(found.group(2)),
        hidden=fields,
        text=page,
    )


def post(client: TestClient, page: Shown, wanted: dict[str, Any], go: str = "next") -> Any:
    data: dict[str, Any] = {**page.hidden, "go": go}
    for name in page.fields:
        if name in wanted:
            value = wanted[name]
            data[name] = value if isinstance(value, list) else str(value)
    return client.post("/assess", data=data, follow_redirects=False)


def walk(client: TestClient, wanted: dict[str, Any], until: str | None = None) -> list[Shown]:
    """Answer page after page from ``wanted`` (the rest not sure) up to ``until`` or the end."""
    pages = [shown(client.get("/assess").text)]
    for _ in range(20):
        if pages[-1].section == until:
            return pages
        response = post(client, pages[-1], wanted)
        if response.status_code == 303:
            return pages
        assert response.status_code == 200, response.text
        pages.append(shown(response.text))
    raise AssertionError("the questionnaire did not end")


def test_every_page_is_one_section_that_never_comes_back_and_counts_up_by_one(
    client: TestClient,
) -> None:
    for wanted in (HEEL, ANKLE):
        pages = walk(client, wanted)
        sections = [p.section for p in pages]
        assert len(sections) == len(set(sections))  # no page twice
        assert [p.number for p in pages] == list(range(1, len(pages) + 1))
        for page in pages:
            own = {q.field for q in load_questionnaire().questions if q.section == page.section}
            assert set(page.fields) <= own
            assert len(page.fields) <= 9
        # nothing answered later added a page here: the last total is the pages walked
        assert pages[-1].total == len(pages)
        assert all(p.total >= p.number for p in pages)


def test_the_total_shrinks_when_a_changed_answer_makes_a_page_irrelevant(
    client: TestClient,
) -> None:
    midfoot = {**ANKLE, "locations": ["top_of_foot"]}
    injured = walk(client, midfoot, until="warning")
    assert [p.section for p in injured] == ["where", "start", "warning"]
    with_injury = injured[-1].total
    back = shown(post(client, injured[-1], {}, go="back").text)
    assert (back.section, back.number) == ("start", 2)
    assert back.answers["injury_event"] is True
    after = shown(post(client, back, {**midfoot, "injury_event": "no", "onset": "gradual"}).text)
    assert (after.section, after.number) == ("warning", 3)  # the same step, not counted twice
    assert after.total < with_injury  # "the moment it started" no longer applies


def test_back_shows_the_page_before_with_its_answers_and_keeps_this_pages_answers(
    client: TestClient,
) -> None:
    pages = walk(client, HEEL, until="warning")
    warning = pages[-1]
    back = post(client, warning, {"deformity": "no", "fever_or_unwell": "yes"}, go="back")
    assert back.status_code == 200
    start = shown(back.text)
    assert start.section == "start" and start.number == 2
    assert re.search(r'name="onset" value="gradual"\s+checked', start.text)
    assert re.search(r'name="duration_days"[^>]*value="21"', start.text)
    # what the page left by Back held is kept, and shown again on the way forward
    assert start.answers["deformity"] is False and start.answers["fever_or_unwell"] is True
    again = shown(post(client, start, HEEL).text)
    assert again.section == "warning"
    assert re.search(r'name="deformity" value="no"\s+checked', again.text)
    assert 'id="back"' in again.text and 'id="back"' not in pages[0].text


def test_questions_are_asked_only_when_the_answers_so_far_make_them_relevant(
    client: TestClient,
) -> None:
    heel = [f for p in walk(client, HEEL) for f in p.fields]
    ankle = [f for p in walk(client, ANKLE) for f in p.fields]
    cannot_walk = [f for p in walk(client, {**HEEL, "can_bear_weight": "no"}) for f in p.fields]
    assert "felt_pop" not in heel and "felt_pop" in ankle  # a pop only after an incident
    assert "plantar_bruising" in ankle and "plantar_bruising" not in heel
    assert "heel_squeeze_painful" in heel and "heel_squeeze_painful" not in ankle
    assert "hop_test_painful" in heel and "hop_test_painful" not in cannot_walk
    assert "push_off_weak" not in heel  # an Achilles test, for Achilles pain


def test_a_question_that_hangs_on_an_answer_on_its_own_page_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(questions_file().read_text(encoding="utf-8"))
    pop = next(q for q in raw["questions"] if q["id"] == "felt_pop")
    pop["section"] = "start"  # injury_event is asked on that page
    raw["questions"].remove(pop)
    raw["questions"].insert(4, pop)  # after the injury question
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="own section"):
        load_questionnaire_from(path)


def test_not_sure_and_no_answer_are_kept_as_not_known_never_as_no(
    app: tuple[TestClient, Stridewell],
) -> None:
    client, service = app
    warning = walk(client, HEEL, until="warning")[-1]
    assert warning.text.count('value="not_sure"') == len(warning.fields)  # each one explicit
    assert 'id="safety-note"' in warning.text
    nxt = shown(post(client, warning, {"deformity": "not_sure", "foot_cold_pale": "no"}).text)
    assert nxt.answers["deformity"] is None
    assert nxt.answers["redness_warmth"] is None  # left empty: not known
    assert nxt.answers["foot_cold_pale"] is False
    response = post(client, nxt, {}, go="finish")
    assert response.status_code == 303
    record = client.get(response.headers["location"])
    assert record.status_code == 200
    assessment_id = response.headers["location"].rsplit("/", 1)[1]
    stored = service.local().assessments.get(assessment_id).assessment
    assert "deformity" not in stored and "redness_warmth" not in stored
    assert stored["foot_cold_pale"] is False


def test_a_not_sure_tick_on_a_multiple_choice_is_not_known() -> None:
    timing = next(q for q in load_questionnaire().questions if q.field == "pain_timing")
    answers, errors = page_answers([timing], {}, {"pain_timing": ["not_sure"]})
    assert errors == {} and answers == {"pain_timing": None}
    answers, _ = page_answers([timing], {}, {"pain_timing": ["__none__"]})
    assert answers == {"pain_timing": []}


def test_the_report_can_be_asked_for_early_only_after_the_warning_signs(
    client: TestClient,
) -> None:
    start = walk(client, HEEL, until="start")[-1]
    assert "See my report now" not in start.text
    early = post(client, start, HEEL, go="finish")
    assert early.status_code == 200 and shown(early.text).section == "warning"
    assert "See my report now" in early.text


def test_an_urgent_answer_puts_what_to_do_and_a_way_to_it_on_the_next_page(
    client: TestClient,
) -> None:
    start = walk(client, {**ANKLE, "can_bear_weight": "no"}, until="start")[-1]
    page = post(client, start, {**ANKLE, "can_bear_weight": "no"})
    assert page.status_code == 200
    assert page.text.index('id="care-action"') < page.text.index('id="progress"')
    assert "See a clinician within one to two days" in page.text
    done = post(client, shown(page.text), {}, go="finish")
    assert done.status_code == 303 and done.headers["location"].startswith("/assessments/")


def test_an_urgent_answer_never_ends_the_questions_before_one_that_could_make_it_an_emergency(
    client: TestClient,
) -> None:
    # A sudden Achilles pain is "within one to two days" from the first page, but weak
    # push-off (asked later) would make it a rupture to be seen today.
    achilles = {**HEEL, "locations": ["achilles"], "onset": "sudden", "injury_event": "no"}
    start = walk(client, achilles, until="start")[-1]
    page = shown(post(client, start, achilles).text)
    assert "See a clinician within one to two days" in page.text
    if "push_off_weak" not in page.fields:
        assert 'id="care-action"' not in page.text and 'id="care-wait"' in page.text
        refused = post(client, page, {}, go="finish")  # a hand-made finish goes on instead
        assert refused.status_code == 200
        page = shown(refused.text)
        for _ in range(10):
            if "push_off_weak" in page.fields:
                break
            page = shown(post(client, page, {}).text)
    assert "push_off_weak" in page.fields
    assert 'id="care-action"' in page.text  # shown with the question, it may end here
    rupture = post(client, page, {"push_off_weak": "yes"}, go="finish")
    assert rupture.status_code == 200 and "emergency" in rupture.text.lower()


def test_without_imported_runs_a_change_is_asked_as_two_distances() -> None:
    weekly = next(q for q in load_questionnaire().questions if q.id == "weekly_km_change_pct")
    field = weekly.field
    form = {f"{field}{RECENT}": "30", f"{field}{BEFORE}": "20"}
    assert page_answers([weekly], form, {}) == ({field: 50.0}, {})
    empty = {f"{field}{RECENT}": "30", f"{field}{BEFORE}": ""}
    assert page_answers([weekly], empty, {}) == ({field: None}, {})
    _, errors = page_answers([weekly], {f"{field}{RECENT}": "-3", f"{field}{BEFORE}": "5"}, {})
    assert field in errors


def test_the_running_page_asks_for_two_distances_when_nothing_is_imported(
    client: TestClient,
) -> None:
    running = walk(client, HEEL, until="running")[-1]
    assert f'name="history.weekly_km_change_pct{RECENT}"' in running.text
    assert "About how many km did you run in the last two weeks?" in running.text
    # page_fields name the question; its two amounts come in beside it
    data = {
        **running.hidden,
        f"history.weekly_km_change_pct{RECENT}": "45",
        f"history.weekly_km_change_pct{BEFORE}": "30",
    }
    response = client.post("/assess", data=data)
    assert shown(response.text).answers["history.weekly_km_change_pct"] == 50.0


def _app(tmp_path: Path, *, runs: bool) -> Iterator[tuple[TestClient, Stridewell]]:
    service = Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}", clock=lambda: NOW)
    service.upgrade_database()
    if runs:  # five runs in the last two weeks, three in the two weeks before
        folder = tmp_path / "runs"
        folder.mkdir()
        for i, days in enumerate([27, 21, 17, 12, 9, 6, 4, 2]):
            start = NOW - timedelta(days=days, hours=8)
            (folder / f"run-{i}.fit").write_bytes(write_fit(synthetic_run(i, start, 2400)))
        service.local().training.import_paths([folder])
    with TestClient(create_app(service)) as test_client:
        yield test_client, service
    service.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[TestClient, Stridewell]]:
    yield from _app(tmp_path, runs=False)


@pytest.fixture
def runs_client(tmp_path: Path) -> Iterator[tuple[TestClient, Stridewell]]:
    yield from _app(tmp_path, runs=True)


def test_training_numbers_from_imported_runs_are_filled_in_for_the_runner_to_confirm(
    runs_client: tuple[TestClient, Stridewell],
) -> None:
    client, service = runs_client
    from_data, _ = service.local().training.history_from_data()
    change = from_data["weekly_km_change_pct"]
    assert isinstance(change, float) and change > 0
    running = walk(client, HEEL, until="running")[-1]
    assert f'name="history.weekly_km_change_pct{RECENT}"' not in running.text
    assert re.search(rf'name="history.weekly_km_change_pct"[^>]*value="{change:g}"', running.text)
    runs = service.local().training.activities(limit=None)
    recent = sum(r.distance_m for r in runs if r.start_time > NOW - timedelta(days=13, hours=18))
    before = sum(r.distance_m for r in runs) - recent
    sentence = (
        f"Your imported runs show {recent / 1000:.1f} km in the last two weeks against "
        f"{before / 1000:.1f} km in the two weeks before: a change of {change:+g}%."
    )
    assert sentence in running.text
    # confirmed as shown: the number is the runner's answer
    confirmed = shown(post(client, running, {"history.weekly_km_change_pct": f"{change:g}"}).text)
    assert confirmed.answers["history.weekly_km_change_pct"] == change


def _emergency_page(client: TestClient, answers: dict[str, Any]) -> tuple[Shown, Any]:
    """The warning-signs page of a heel-pain walk, and the page its ``answers`` lead to."""
    warning = walk(client, HEEL, until="warning")[-1]
    return warning, post(client, warning, answers)


def _change_last(client: TestClient, emergency: Any) -> Shown:
    data = {**hidden_fields(emergency.text), "go": "change"}
    response = client.post("/assess", data=data, follow_redirects=False)
    assert response.status_code == 200, response.text
    return shown(response.text)


def test_the_emergency_page_offers_to_change_the_last_answer_and_shows_its_page_as_answered(
    app: tuple[TestClient, Stridewell],
) -> None:
    client, service = app
    warning, emergency = _emergency_page(client, {"deformity": "no", "foot_cold_pale": "yes"})
    assert 'id="emergency-h"' in emergency.text
    button = r'<button type="submit"[^>]*id="change-answer"[^>]*>Change my last answer<'
    assert re.search(button, emergency.text)
    stored = len(service.local().assessments.history())
    again = _change_last(client, emergency)
    assert (again.section, again.number, again.total) == (warning.section, 3, warning.total)
    # Nothing is cleared for the runner: a blank would count as "not sure" and could hide
    # the emergency without the runner taking the answer back.
    assert again.answers["foot_cold_pale"] is True
    assert re.search(r'name="foot_cold_pale" value="yes"\s+checked', again.text)
    assert re.search(r'name="deformity" value="no"\s+checked', again.text)
    note = again.text[again.text.index('id="went-back"') :][:400]
    assert "Is the foot cold, pale or bluish" in note and "makes this an emergency" in note
    assert 'id="back"' in again.text  # and Back still goes to the page before
    assert len(service.local().assessments.history()) == stored  # going back saves nothing


def test_after_changing_a_red_flag_yes_to_no_the_questionnaire_goes_on_and_is_no_emergency(
    app: tuple[TestClient, Stridewell],
) -> None:
    client, service = app
    _, emergency = _emergency_page(client, {"foot_cold_pale": "yes"})
    again = _change_last(client, emergency)
    following = post(client, again, {"foot_cold_pale": "no"})
    assert following.status_code == 200 and 'id="emergency-h"' not in following.text
    nxt = shown(following.text)
    assert nxt.section == "timing" and nxt.number == 4
    assert nxt.answers["foot_cold_pale"] is False
    done = post(client, nxt, {}, go="finish")
    assert done.status_code == 303
    record = service.local().assessments.get(done.headers["location"].rsplit("/", 1)[1])
    assert record.level != Level.emergency.value
    assert record.assessment["foot_cold_pale"] is False


def test_changing_one_of_two_emergency_answers_keeps_the_other_and_the_emergency(
    client: TestClient,
) -> None:
    answers = {"calf_pain_swelling": "yes", "foot_cold_pale": "yes", "penetrating_injury": "yes"}
    _, emergency = _emergency_page(client, answers)
    again = _change_last(client, emergency)
    assert again.section == "warning"
    assert again.answers["calf_pain_swelling"] is True and again.answers["foot_cold_pale"] is True
    assert again.answers["onset"] == "gradual"  # earlier pages untouched
    assert "together they make this an emergency" in again.text
    # The calf was a mistake, the cold foot was not: still an emergency.
    corrected = {**answers, "calf_pain_swelling": "no"}
    assert 'id="emergency-h"' in post(client, again, corrected).text


def test_the_emergency_page_still_shows_the_care_action_before_anything_else(
    client: TestClient,
) -> None:
    _, emergency = _emergency_page(client, {"foot_cold_pale": "yes"})
    main = emergency.text[emergency.text.index("<main") :]
    order = [main.index(f'id="{name}"') for name in ("emergency-h", "call-emergency", "care")]
    change = main.index('id="change-answer"')
    assert order == sorted(order) and change > max(order)
    assert change > main.index('id="full-report"')  # after the report link, too
    button = re.search(r'<button[^>]*id="change-answer"[^>]*>', main)
    assert button and "primary" not in button.group(0)  # visibly the lesser action
    assert 'class="button primary" id="call-emergency"' in main
