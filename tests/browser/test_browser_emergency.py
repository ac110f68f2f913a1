"""In a real browser: an emergency answer on the warning-signs page goes straight to the
emergency result (contract 1.1), with a way on to the full report and, below it, a way
back to that answer's page, as answered, to change it (by keyboard too)."""

from __future__ import annotations

from typing import Any

from test_browser_flows import DESKTOP, _shoot, browser, server

__all__ = ["browser", "server"]  # the fixtures of the main browser flows, shared


def _to_the_emergency_result(page: Any, server: str) -> None:
    page.goto(server + "/assess")
    page.locator('.fm-region[data-region="toes"]').first.click()
    assert page.locator("#loc-toes").is_checked()
    for _ in range(10):
        cold = page.locator('input[name="foot_cold_pale"][value="yes"]')
        if cold.count():
            cold.first.check()  # a cold, pale foot: the emergency answer
            page.get_by_role("button", name="Next").click()
            page.wait_for_load_state()
            return
        page.get_by_role("button", name="Next").click()  # everything else: not sure
        page.wait_for_load_state()
    raise AssertionError("the warning-signs page never came")


def test_an_emergency_answer_on_the_warning_signs_page_goes_straight_to_the_emergency_result(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    _to_the_emergency_result(page, server)
    heading = page.locator("#emergency-h")
    assert heading.is_visible()
    assert heading.inner_text() == "Get medical help today"
    # no further question page: the next thing offered is the full report
    assert page.locator('button:has-text("Next")').count() == 0
    _shoot(page, "assess-emergency")
    page.locator("#full-report").click()
    page.wait_for_url("**/assessments/**")
    assert page.locator("#verdict-h").is_visible()
    assert page.get_by_text("Poor blood supply to the foot").first.is_visible()
    page.close()


def test_an_emergency_answer_given_by_mistake_can_be_changed_from_the_result_by_keyboard(
    browser: Any, server: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    _to_the_emergency_result(page, server)
    change = page.get_by_role("button", name="Change my last answer")
    assert change.is_visible()
    # below the care action: the call button comes first on the page
    call = page.locator("#call-emergency").bounding_box()
    below = change.bounding_box()
    assert call is not None and below is not None and below["y"] > call["y"]
    change.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#went-back").is_visible()  # the warning-signs page, asked again
    # as answered: nothing cleared (a blank would count as "not sure", never as "no")
    assert page.locator('input[name="foot_cold_pale"][value="yes"]:checked').count() == 1
    page.locator('input[name="foot_cold_pale"][value="no"]').first.check()
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    assert page.locator("#emergency-h").count() == 0  # the questions go on
    assert page.locator('input[name="foot_cold_pale"]').count() == 0  # on a later page
    page.close()


def test_an_urgent_answer_puts_a_banner_on_the_pages_after_it(browser: Any, server: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server + "/assess")
    page.locator('.fm-region[data-region="ball_of_foot"]').first.click()
    banners = []
    for _ in range(12):
        if "/assessments/" in page.url:
            break
        banners.append(page.locator("#urgent-banner").count())
        sharp = page.locator('input[name="penetrating_injury"][value="yes"]')
        if sharp.count():
            sharp.first.check()  # stepped on a nail: urgent
        page.get_by_role("button", name="Next").click()
        page.wait_for_load_state()
    assert "/assessments/" in page.url
    first_banner = banners.index(1)
    assert first_banner >= 1 and all(banners[first_banner:])  # every page after the answer
    page.close()
