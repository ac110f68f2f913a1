"""Three runners of issue 12 answer the questions on a phone (390 x 844) and see, on the
first screen of what comes back, the level, the running rule and the next step.

(a) three weeks of heel pain on the first steps each morning: a recovery plan to start;
(b) pain on the top of the foot that grows with every run (a possible metatarsal stress
    fracture): care within days, no running, the stress fracture named;
(c) a twisted ankle that cannot take four steps: told to get care as soon as the answer
    is given, and the report says so first.

Answers are given as a runner would: what they know, "no" to the warning signs that do
not apply, everything else left as the page offers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import PHONE, Seeded

from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.levels import Level

pytestmark = pytest.mark.browser

Answers = dict[str, str | list[str]]
NO_WARNING_SIGNS: Answers = {
    field: "no"
    for field in (
        "penetrating_injury",
        "deformity",
        "foot_cold_pale",
        "redness_warmth",
        "open_wound",
        "fever_or_unwell",
        "calf_pain_swelling",
        "recent_travel_or_immobility",
        "saddle_or_bladder_symptoms",
        "diabetes",
        "numbness_tingling",
        "sciatica_symptoms",
    )
}
MORNING_HEEL: Answers = {
    **NO_WARNING_SIGNS,
    "locations": ["heel_bottom"],
    "side": "left",
    "onset": "gradual",
    "injury_event": "no",
    "can_bear_weight": "yes",
    "duration_days": "21",
    "pain_timing": ["first_steps_morning", "eases_with_warmup"],
    "trend": "unchanged",
    "pain_score": "4",
    "pain_quality": ["stabbing"],
}
TOP_OF_FOOT: Answers = {
    **NO_WARNING_SIGNS,
    "locations": ["top_of_foot"],
    "side": "right",
    "onset": "gradual",
    "injury_event": "no",
    "can_bear_weight": "yes",
    "duration_days": "14",
    "pain_timing": ["during_run", "after_run", "worsens_with_activity"],
    "trend": "worsening",
    "pain_score": "6",
    "pain_quality": ["pinpoint"],
    "bone_tenderness": ["metatarsal_shaft"],
    "hop_test_painful": "yes",
}
TWISTED_ANKLE: Answers = {
    "locations": ["outer_ankle"],
    "side": "right",
    "onset": "sudden",
    "injury_event": "yes",
    "can_bear_weight": "no",
    "duration_days": "0",
}


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _headline(level: Level) -> str:
    return load_knowledge().meta.levels[level].headline


def _on_first_screen(page: Any, selector: str) -> bool:
    """Whether the element is seen, whole, without scrolling, on the phone's screen."""
    page.evaluate("window.scrollTo(0, 0)")
    element = page.locator(selector).first
    if not element.count() or not element.is_visible():
        return False
    box = element.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _give(page: Any, answers: Answers) -> None:
    """The answers this page asks for; the rest stay as the page offers them."""
    for field, value in answers.items():
        if isinstance(value, list):
            for choice in value:
                box = page.locator(f'input[name="{field}"][value="{choice}"]')
                if box.count():
                    box.first.check()
            continue
        choice = page.locator(f'input[type="radio"][name="{field}"][value="{value}"]')
        if choice.count():
            choice.first.check()
            continue
        typed = page.locator(f'input[name="{field}"]:not([type="radio"]):not([type="checkbox"])')
        if typed.count():
            typed.first.fill(value)


def _walk(page: Any, base: str, answers: Answers, *, until_care: bool = False) -> list[str]:
    """Answer page after page until the report (or, with until_care, until a page puts
    the care action at the top); returns the headings of the pages passed."""
    page.goto(base + "/assess")
    seen: list[str] = []
    for _ in range(25):
        if "/assessments/" in page.url or page.locator("#emergency-h").count():
            return seen
        if until_care and page.locator("#care-action").count():
            return seen
        seen.append(page.locator("main h1, main h2").first.inner_text())
        _give(page, answers)
        page.locator('button[name="go"][value="next"]').click()
        page.wait_for_load_state()
        refused = page.locator('form [role="alert"]')
        if refused.count():
            raise AssertionError(f"the page refused the answers: {refused.first.inner_text()}")
    raise AssertionError(f"the questionnaire did not end; pages: {seen}")


def test_a_runner_with_three_weeks_of_morning_heel_pain_sees_the_level_rule_and_plan_first(
    phone: Any, seeded_server: Seeded
) -> None:
    _walk(phone, seeded_server.base, MORNING_HEEL)
    assert "/assessments/" in phone.url
    level = phone.locator("#verdict-h").inner_text()
    assert level in (_headline(Level.self_care), _headline(Level.soon))  # no alarm
    assert phone.locator("main h1").first.inner_text() == level  # the level comes first
    rule = phone.locator(".running-rule").inner_text()
    assert rule.removeprefix("Running:").strip() in (
        vocabulary().running_rule(Level.self_care),
        vocabulary().running_rule(Level.soon),
    )
    assert "Plantar fasciitis" in phone.locator("#verdict-h ~ .cause").inner_text()
    for seen_first in ("#verdict-h", ".running-rule", 'button:has-text("Start my recovery plan")'):
        assert _on_first_screen(phone, seen_first), f"{seen_first} is below the first screen"


def test_a_runner_whose_top_of_foot_pain_grows_with_every_run_is_stopped_and_sent_to_care(
    phone: Any, seeded_server: Seeded
) -> None:
    _walk(phone, seeded_server.base, TOP_OF_FOOT)
    assert "/assessments/" in phone.url
    assert phone.locator("#verdict-h").inner_text() == _headline(Level.urgent)
    rule = phone.locator(".running-rule").inner_text()
    assert rule.removeprefix("Running:").strip() == vocabulary().running_rule(Level.urgent)
    assert "stress fracture" in phone.locator("#verdict-h ~ .cause").inner_text().lower()
    for seen_first in ("#verdict-h", ".running-rule", 'a:has-text("Find care")'):
        assert _on_first_screen(phone, seen_first), f"{seen_first} is below the first screen"


def test_a_runner_who_cannot_take_four_steps_after_a_twist_is_told_to_get_care_at_once(
    phone: Any, seeded_server: Seeded
) -> None:
    _walk(phone, seeded_server.base, TWISTED_ANKLE, until_care=True)
    care_levels = (_headline(Level.urgent), _headline(Level.emergency))
    if "/assess" in phone.url and phone.locator("#care-action").count():
        # still on the questions: the care action is at the top of the very next page
        assert phone.locator("#care-h").inner_text() in care_levels
        assert _on_first_screen(phone, "#care-h") and _on_first_screen(phone, "#care-action")
        phone.locator("#care-action").click()
        phone.wait_for_load_state()
    if phone.locator("#emergency-h").count():
        assert _on_first_screen(phone, "#emergency-h")
        return
    assert "/assessments/" in phone.url
    assert phone.locator("#verdict-h").inner_text() in care_levels
    rule = phone.locator(".running-rule").inner_text()
    assert rule.removeprefix("Running:").strip() == vocabulary().running_rule(Level.urgent)
    assert "Ottawa" in phone.locator("main").inner_text()  # the reason: an X-ray is needed
    for seen_first in ("#verdict-h", ".running-rule", 'a:has-text("Find care")'):
        assert _on_first_screen(phone, seen_first), f"{seen_first} is below the first screen"


def test_a_runner_who_cannot_take_four_steps_after_a_twist_reads_get_care_today_first(
    phone: Any, seeded_server: Seeded
) -> None:
    _walk(phone, seeded_server.base, TWISTED_ANKLE, until_care=True)
    care = phone.locator("section.care-now")
    assert _on_first_screen(phone, "section.care-now")
    assert "today" in care.inner_text().lower()
    phone.locator("#care-action").click()
    phone.wait_for_load_state()
    first_words = phone.locator("#verdict-h").inner_text() + phone.locator(".now").inner_text()
    assert "today" in first_words.lower()
