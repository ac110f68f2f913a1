"""Every page of the web app, checked by axe-core in Chromium at phone (390 x 844) and
desktop (1280 x 800) size: no serious or critical accessibility violation anywhere.

A failure names the page, the screen size, the axe rule and the elements it found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browser_support import SIZES, Seeded, axe_violations, describe, sign_in

pytestmark = pytest.mark.browser

Address = Callable[[Seeded], str]

# One person, no sign-in. The addresses are built from what was seeded.
SINGLE_PAGES: dict[str, Address] = {
    "home": lambda s: "/",
    "report, heel pain with its recovery plan": lambda s: f"/assessments/{s.assessments['heel']}",
    "report, possible stress fracture": lambda s: f"/assessments/{s.assessments['stress']}",
    "report, emergency": lambda s: f"/assessments/{s.assessments['emergency']}",
    "handover": lambda s: f"/assessments/{s.assessments['heel']}/handover",
    "today": lambda s: "/today",
    "journal": lambda s: "/journal",
    "training": lambda s: "/training",
    "shoes": lambda s: "/shoes",
    "running plan, during recovery": lambda s: "/running",
    "account": lambda s: "/account",
    "page not found": lambda s: "/no-such-page",
}
# Accounts: who is signed in (nobody for None), and where they look.
ALICE, BOB, CORA = "alice@example.org", "bob@example.org", "cora@example.org"
CLUB_PAGES: dict[str, tuple[str | None, Address]] = {
    "sign in": (None, lambda s: "/login"),
    "register": (None, lambda s: "/register"),
    "home, signed in": (ALICE, lambda s: "/"),
    "account, sharing with a coach": (ALICE, lambda s: "/account"),
    "running plan, prevention mode": (BOB, lambda s: "/running"),
    "coach invite": (CORA, lambda s: f"/invite/{s.invite}"),
    "coach dashboard": (CORA, lambda s: "/coach"),
    "coach, a runner": (CORA, lambda s: f"/coach/runners/{s.runners[ALICE]}"),
    "coach, a runner's report": (
        CORA,
        lambda s: f"/coach/runners/{s.runners[ALICE]}/assessments/{s.assessments['heel']}",
    ),
    "clinician's word": (CORA, lambda s: f"/coach/runners/{s.runners[ALICE]}/clinician"),
}


def problems(page: Any, where: str) -> str:
    """Serious and critical violations at both sizes, described; empty when none."""
    found = []
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        found.append(describe(f"{where} [{label}]", axe_violations(page)))
    return "\n".join(text for text in found if text)


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_no_page_of_the_one_person_app_has_a_serious_accessibility_violation(
    tab: Any, seeded_server: Seeded
) -> None:
    found = []
    for name, address in SINGLE_PAGES.items():
        url = seeded_server.base + address(seeded_server)
        response = tab.goto(url)
        assert response is not None and response.status < 500, f"{name}: {url} failed"
        found.append(problems(tab, f"{name} ({url})"))
    found += _question_pages(tab, seeded_server.base)
    found.append(_emergency_page(tab, seeded_server.base))
    found += _activity_page(tab, seeded_server.base)
    assert not (text := "\n".join(f for f in found if f)), text


def test_no_page_with_accounts_has_a_serious_accessibility_violation(
    browser: Any, seeded_club: Seeded
) -> None:
    """Signed out, as two runners and as their coach: each in its own browser context."""
    contexts = {who: browser.new_context() for who in (None, ALICE, BOB, CORA)}
    tabs = {who: context.new_page() for who, context in contexts.items()}
    for who, page in tabs.items():
        if who is not None:
            sign_in(page, seeded_club.base, who)
    found = []
    for name, (who, address) in CLUB_PAGES.items():
        page = tabs[who]
        url = seeded_club.base + address(seeded_club)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url} did not open"
        assert who is None or "/login" not in page.url, f"{name}: {who} was signed out"
        found.append(problems(page, f"{name} ({url})"))
    for context in contexts.values():
        context.close()
    assert not (text := "\n".join(f for f in found if f)), text


def _question_pages(tab: Any, base: str) -> list[str]:
    """Every question page of a heel-pain assessment, answered 'not sure' throughout."""
    tab.goto(base + "/assess")
    found = [problems(tab, "foot map")]
    tab.get_by_role("button", name="Next").click()  # nothing chosen: the page says so
    tab.wait_for_load_state()
    found.append(problems(tab, "foot map, nothing chosen"))
    tab.locator('.fm-region[data-region="heel_bottom"]').first.click()
    for number in range(2, 20):
        tab.get_by_role("button", name="Next").click()
        tab.wait_for_load_state()
        if "/assessments/" in tab.url:
            return [*found, problems(tab, "report straight after the questions")]
        heading = tab.locator("h1, h2").first.inner_text()
        found.append(problems(tab, f"question page {number} ({heading})"))
    raise AssertionError("the questionnaire did not end")


def _emergency_page(tab: Any, base: str) -> str:
    tab.goto(base + "/assess")
    tab.locator('.fm-region[data-region="toes"]').first.click()
    for _ in range(12):
        cold = tab.locator('input[name="foot_cold_pale"][value="yes"]')
        if cold.count():
            cold.first.check()  # a cold, pale foot: the emergency answer
        tab.get_by_role("button", name="Next").click()
        tab.wait_for_load_state()
        if tab.locator("#emergency-h").count():
            return problems(tab, "emergency page")
    raise AssertionError("the emergency page never came")


def _activity_page(tab: Any, base: str) -> list[str]:
    """The page of one imported run, where the training page links to one."""
    tab.goto(base + "/training")
    links = tab.locator('a[href*="/activities/"], a[href^="/training/"]')
    if not links.count():
        return []
    links.first.click()
    tab.wait_for_load_state()
    return [problems(tab, f"activity page ({tab.url})")]
