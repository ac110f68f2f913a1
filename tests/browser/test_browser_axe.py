"""Every page of the web app, checked by axe-core in Chromium at phone (390 x 844) and
desktop (1280 x 800) size: no serious or critical accessibility violation anywhere.

A failure names the page, the screen size, the axe rule and the elements it found; all
the pages are checked before it fails, so one run lists every problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import (
    CLUB_PAGES,
    SIZES,
    Seeded,
    axe_violations,
    club_pages,
    describe,
    one_person_pages,
)

pytestmark = pytest.mark.browser


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
    found = [problems(tab, name) for name in one_person_pages(tab, seeded_server)]
    assert len(found) > 20  # every page was reached
    assert not (text := "\n".join(f for f in found if f)), text


def test_no_page_with_accounts_has_a_serious_accessibility_violation(
    browser: Any, seeded_club: Seeded
) -> None:
    found = [problems(tab, name) for name, tab in club_pages(browser, seeded_club)]
    assert len(found) == len(CLUB_PAGES)  # every page was reached
    assert not (text := "\n".join(f for f in found if f)), text
