"""The account page's time zone list: while the runner has none set, the page selects
the browser's zone for them (nothing is saved until they press the button); without
JavaScript the list stays on the computer's zone."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import Seeded

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_an_unset_time_zone_offers_the_browsers_own(
    browser: Any, seeded_server: Seeded, javascript: bool
) -> None:
    context = browser.new_context(timezone_id="Pacific/Auckland", java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.goto(seeded_server.base + "/account")
        chosen = page.locator("#time-zone")
        hint = page.locator("#time-zone-hint")
        if javascript:
            assert chosen.input_value() == "Pacific/Auckland"
            assert hint.is_visible() and "Pacific/Auckland" in hint.inner_text()
        else:
            assert chosen.input_value() == ""  # the computer's zone, as stored
            assert not hint.is_visible()
    finally:
        context.close()


def test_registering_sends_the_browsers_zone_with_the_form(
    browser: Any, seeded_club: Seeded
) -> None:
    context = browser.new_context(timezone_id="America/Los_Angeles")
    try:
        page = context.new_page()
        page.goto(seeded_club.base + "/register")
        assert page.locator("#browser-time-zone").input_value() == "America/Los_Angeles"
    finally:
        context.close()
