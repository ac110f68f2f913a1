"""In a real browser on a phone-sized screen: the question pages and the foot map.

Every tap the runner makes is counted (a tap into a field to type counts as one), and so
is every page from the home page on: the runner must get to what matters quickly.
"""

from __future__ import annotations

from typing import Any

from test_browser_flows import PHONE, _shoot, browser, server

from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import load_questionnaire
from stridewell.levels import Level

__all__ = ["browser", "server"]  # the fixtures of the main browser flows, shared

LABELS = {
    c.value: c.label
    for q in load_questionnaire().questions
    if q.field == "locations"
    for c in q.choices
}
VIEWS = ["Sole", "Top", "Inner side", "Outer side"]


class Runner:
    """A phone, and a count of the taps and pages it took."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.taps = 0
        self.pages = 0  # pages after the home page

    def tap(self, locator: Any) -> None:
        self.taps += 1
        locator.click()

    def type(self, locator: Any, text: str) -> None:
        self.taps += 1
        locator.fill(text)

    def to_next_page(self, locator: Any) -> None:
        self.tap(locator)
        self.page.wait_for_load_state()
        self.pages += 1


def _view(page: Any, name: str) -> Any:
    return page.locator("figure.fm-view").filter(has=page.locator("figcaption", has_text=name))


def _on_screen(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_a_twisted_ankle_that_cannot_take_four_steps_gets_the_care_action_by_the_third_page(
    browser: Any, server: str
) -> None:
    runner = Runner(browser.new_page(viewport=PHONE))
    page = runner.page
    page.goto(server + "/")
    runner.to_next_page(page.get_by_role("link", name="Start an assessment"))  # page 1
    outer = _view(page, "Outer side")
    runner.tap(outer)  # a small view on a phone: the first tap makes it big
    assert "fm-big" in (outer.get_attribute("class") or "")
    runner.tap(outer.locator('.fm-region[data-region="outer_ankle"]'))
    assert page.locator("#loc-outer_ankle").is_checked()
    selected = page.locator("#fm-selected")
    assert LABELS["outer_ankle"] in selected.inner_text()
    assert _on_screen(page, selected)  # the confirmation is in sight, not below the fold
    runner.to_next_page(page.get_by_role("button", name="Next"))  # page 2
    runner.tap(page.locator('input[name="injury_event"][value="yes"]'))
    runner.tap(page.locator('input[name="can_bear_weight"][value="no"]'))
    runner.to_next_page(page.get_by_role("button", name="Next"))  # page 3
    _shoot(page, "assess-care-now")
    page.set_viewport_size(PHONE)
    care = page.locator("#care-action")
    assert runner.pages <= 3
    assert care.is_visible() and _on_screen(page, care)  # at the top, no scrolling
    expected = load_knowledge().meta.levels[Level.urgent]
    assert expected.headline in page.locator("#care-h").inner_text()
    # What to do now in the words of the warning sign behind the level: care today.
    ottawa = next(f for f in load_knowledge().red_flags if f.id == "ottawa_rules")
    assert ottawa.now is not None
    care_text = page.locator(".care-now").inner_text()
    assert ottawa.now.split(";")[0] in " ".join(care_text.split())
    assert "today" in care_text
    runner.tap(care)
    page.wait_for_url("**/assessments/**")
    assert expected.headline in page.locator("#verdict-h").inner_text()
    page.close()


def test_three_weeks_of_morning_heel_pain_reach_the_report_in_at_most_eight_taps(
    browser: Any, server: str
) -> None:
    runner = Runner(browser.new_page(viewport=PHONE))
    page = runner.page
    page.goto(server + "/")
    runner.to_next_page(page.get_by_role("link", name="Start an assessment"))
    # The sole is the view shown big at first: one tap on the heel.
    runner.tap(_view(page, "Sole").locator('.fm-region[data-region="heel_bottom"]'))
    assert page.locator("#loc-heel_bottom").is_checked()
    runner.to_next_page(page.get_by_role("button", name="Next"))
    runner.type(page.locator('input[name="duration_days"]'), "21")
    runner.to_next_page(page.get_by_role("button", name="Next"))
    assert page.locator("h1").inner_text() == load_questionnaire().sections["warning"]
    runner.to_next_page(page.get_by_role("button", name="Next"))  # every sign: not sure
    runner.tap(page.locator('input[name="pain_timing"][value="first_steps_morning"]'))
    runner.tap(page.get_by_role("button", name="See my report now"))
    page.wait_for_url("**/assessments/**")
    assert runner.taps <= 8, runner.taps
    assert page.get_by_text("Plantar fasciitis").first.is_visible()
    page.close()


def test_every_spot_of_a_big_view_on_a_phone_is_a_44_px_target_that_hits_its_own_spot(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/assess")
    for name in VIEWS:
        view = _view(page, name)
        if "fm-big" not in (view.get_attribute("class") or ""):
            view.click()
        assert "fm-big" in (view.get_attribute("class") or "")
        hits = view.locator(".fm-hit")
        assert hits.count() >= 6
        for i in range(hits.count()):
            hit = hits.nth(i)
            region = hit.evaluate("h => h.closest('.fm-region').getAttribute('data-region')")
            box = hit.bounding_box()
            assert box is not None
            assert box["width"] >= 44 and box["height"] >= 44, (name, region, box)
            hit.scroll_into_view_if_needed()
            box = hit.bounding_box()
            assert box is not None
            found = page.evaluate(
                "([x, y]) => { const e = document.elementFromPoint(x, y);"
                " const r = e && e.closest('.fm-region'); return r && r.getAttribute('data-region'); }",
                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
            )
            assert found == region, (name, region, found)
            label = hit.evaluate("h => h.closest('.fm-region').getAttribute('aria-label')")
            assert label == LABELS[region]
    page.close()


def test_back_shows_the_page_before_with_its_answers_and_the_same_page_number(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(server + "/assess")
    page.locator('.fm-region[data-region="arch"]').first.click()
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    first_count = page.locator("#progress").inner_text()
    page.locator('input[name="onset"][value="gradual"]').check()
    page.locator('input[name="duration_days"]').fill("10")
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Back").click()
    page.wait_for_load_state()
    assert page.locator("#progress").inner_text() == first_count
    assert page.locator('input[name="onset"][value="gradual"]').is_checked()
    assert page.locator('input[name="duration_days"]').input_value() == "10"
    page.get_by_role("button", name="Back").click()
    page.wait_for_load_state()
    assert page.locator("#loc-arch").is_checked()
    assert LABELS["arch"] in page.locator("#fm-selected").inner_text()
    page.close()
