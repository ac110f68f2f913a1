"""In Chromium at phone size (390 x 844): the report's first screen holds the level, the
running rule and the recovery plan button, whatever the level."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import PHONE, Seeded

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("which", ["heel", "stress", "emergency"])
def test_the_first_phone_screen_holds_the_level_the_running_rule_and_the_plan_button(
    browser: Any, seeded_server: Seeded, which: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{seeded_server.base}/assessments/{seeded_server.assessments[which]}")
        plan = page.locator(".summary-card .card-actions .button.primary").first
        for element in (
            page.locator("#verdict-h"),
            page.locator(".summary-card .running-rule"),
            plan,
        ):
            assert element.is_visible()
            box = element.bounding_box()
            assert box is not None
            assert box["y"] + box["height"] <= PHONE["height"], element
            assert box["x"] + box["width"] <= PHONE["width"]
        assert page.locator(".summary-card .running-rule").inner_text().startswith("Running:")
        # emergency and urgent lead with care; the plan comes after it (review 12, A2)
        expected = (
            "Find care" if which != "heel" else ("Start my recovery plan", "Open today's plan")
        )
        assert plan.inner_text() in expected
        # The details fold: the whole report is a few screens, not the nine it was.
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 4 * PHONE["height"], height
    finally:
        page.close()
