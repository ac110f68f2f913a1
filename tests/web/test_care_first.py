"""Emergency and urgent reports lead with care, not with a home plan (review 12, A2): the
main action is "Find care" with the emergency number as a `tel:` link, the recovery plan
comes after it, and the emergency page straight after the questions names the number and
the care links too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import hidden_fields

COLD_FOOT = {"locations": ["toes"], "foot_cold_pale": True, "pain_score": 7}
STRESS = {
    "locations": ["top_of_foot"], "bone_tenderness": ["metatarsal_shaft"],
    "hop_test_painful": True, "pain_score": 6, "duration_days": 10, "onset": "gradual",
}  # fmt: skip
HEEL = {"locations": ["heel_bottom"], "pain_score": 4, "duration_days": 21}


def _card(client: TestClient, answers: dict[str, Any]) -> str:
    stored = client.app.state.service.local().assessments.assess(answers)  # type: ignore[attr-defined]
    page = client.get(f"/assessments/{stored.id}").text
    return page[page.index('class="verdict summary-card') : page.index("</section>")]


def _primary(card: str) -> list[str]:
    return re.findall(r'<a class="button primary[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', card)


@pytest.mark.parametrize("answers", [COLD_FOOT, STRESS], ids=["emergency", "urgent"])
def test_an_emergency_or_urgent_card_leads_with_care_and_puts_the_plan_after_it(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]
) -> None:
    monkeypatch.setenv("STRIDEWELL_COUNTRY", "GB")
    card = _card(client, answers)
    primary = _primary(card)
    assert primary, card
    assert primary[0] == ("#care", "Find care")
    assert 'href="tel:999"' in card
    assert card.index("Find care") < card.index("Start my recovery plan")
    assert 'class="button primary">Start my recovery plan' not in card


def test_a_self_care_card_still_offers_the_plan_first(client: TestClient) -> None:
    card = _card(client, HEEL)
    assert 'class="button primary">Start my recovery plan' in card
    assert card.index("Start my recovery plan") < card.index("Find care")


def test_the_emergency_number_under_find_care_is_a_call_link(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIDEWELL_COUNTRY", "US")
    stored = client.app.state.service.local().assessments.assess(HEEL)  # type: ignore[attr-defined]
    page = client.get(f"/assessments/{stored.id}").text
    care = page[page.index('id="care"') :]
    assert re.search(r'<a class="emergency-number" href="tel:911">911</a>', care), care[:600]


def test_the_emergency_page_after_the_questions_names_the_number_and_the_care_links(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIDEWELL_COUNTRY", "US")
    page = client.get("/assess")
    for _ in range(20):
        fields = hidden_fields(page.text)
        if "page_fields" not in fields:
            break
        data: dict[str, Any] = dict(fields)
        for name in filter(None, fields["page_fields"].split(",")):
            if name == "locations":
                data[name] = ["toes"]
            elif name == "foot_cold_pale":
                data[name] = "yes"
        page = client.post("/assess", data=data, follow_redirects=False)
        assert page.status_code == 200, page.status_code
    text = page.text
    assert 'id="emergency-h"' in text
    assert 'href="tel:911"' in text
    assert "apma.org" in text  # a care link for the country
