"""No raw identifier reaches a runner.

Every development vignette is assessed and shown the ways a runner sees it: the web
report page, the recovery plan page it starts, the terminal report and plan, the
calendar (.ics) export and the handover summary. None of them may show a snake_case or
dotted identifier the contract or the knowledge base knows (`bone_tenderness`,
`not_enough_data`, `refer.triage_level`); each has its plain words in the vocabulary.
The report also speaks of likelihood in words, never "100 %" or "0 %".
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from icalendar import Calendar
from rich.console import Console

from repo_paths import DEV_VIGNETTES
from stridewell.cli.recovery_render import print_plan
from stridewell.cli.render import print_report
from stridewell.knowledge.vocabulary import known_identifiers
from stridewell.service import Stridewell
from stridewell.web.app import create_app

VIGNETTES: list[dict[str, Any]] = yaml.safe_load(DEV_VIGNETTES.read_text(encoding="utf-8"))
# The contract's report fields, beside the knowledge base's identifiers.
REPORT_KEYS = {
    "contract_minor", "red_flags", "unanswered_safety_questions", "self_care",
    "shoe_features", "knowledge_base", "rules_fired", "history_from_data",
}  # fmt: skip
IDENTIFIERS = known_identifiers() | REPORT_KEYS
TOKEN = re.compile(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)+")
PERCENT_LIKELIHOOD = re.compile(r"\b(?:100|0)\s?%")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    return " ".join(parser.parts)


def raw_identifiers(text: str) -> list[str]:
    return sorted({t for t in TOKEN.findall(text) if t in IDENTIFIERS})


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("raw-ids")
    service = Stridewell(f"sqlite:///{(folder / 'web.db').as_posix()}")
    service.upgrade_database()
    with TestClient(create_app(service)) as test_client:
        yield test_client
    service.close()


def _services(client: TestClient) -> Any:
    return client.app.state.service.local()  # type: ignore[attr-defined]


def _ids(case: dict[str, Any]) -> str:
    return str(case["id"])


def test_the_test_knows_the_identifiers_it_looks_for() -> None:
    # A check that cannot fail is no check: these are the ones the runner-tester saw.
    for name in ("bone_tenderness", "metatarsal_shaft", "hop_test_painful", "duration_days",
                 "refer.triage_level", "not_enough_data", "self_care"):  # fmt: skip
        assert name in IDENTIFIERS
    assert raw_identifiers("because bone_tenderness: metatarsal_shaft") == [
        "bone_tenderness",
        "metatarsal_shaft",
    ]
    assert raw_identifiers("<p>Self-care: bone tenderness</p>") == []


@pytest.mark.parametrize("case", VIGNETTES, ids=_ids)
def test_the_report_page_and_the_plan_it_starts_show_no_raw_identifier(
    client: TestClient, case: dict[str, Any]
) -> None:
    runner = _services(client)
    stored = runner.assessments.assess(case["assessment"])
    page = client.get(f"/assessments/{stored.id}")
    assert page.status_code == 200
    text = visible(page.text)
    assert "Running:" in text  # the parser sees the words (the card's running rule)
    assert raw_identifiers(text) == []
    assert not PERCENT_LIKELIHOOD.search(text)
    token = CSRF.search(page.text)
    assert token is not None
    started = client.post(
        "/plan/start",
        data={"csrf_token": token.group(1), "assessment_id": stored.id},
        follow_redirects=False,
    )
    assert started.status_code == 303
    for url in ("/today", "/journal"):
        shown = client.get(url)
        assert shown.status_code == 200
        assert raw_identifiers(visible(shown.text)) == [], url


@pytest.mark.parametrize("case", VIGNETTES, ids=_ids)
def test_the_terminal_report_and_plan_show_no_raw_identifier(
    client: TestClient, case: dict[str, Any]
) -> None:
    runner = _services(client)
    stored = runner.assessments.assess(case["assessment"])
    out = io.StringIO()
    print_report(stored.report, Console(file=out, width=100), case["assessment"])
    runner.plans.start(stored.id)
    print_plan(runner.plans.require(), console=Console(file=out, width=100))
    text = out.getvalue()
    assert raw_identifiers(text) == []
    assert not PERCENT_LIKELIHOOD.search(text)


@pytest.mark.parametrize("case", VIGNETTES, ids=_ids)
def test_the_calendar_and_the_handover_show_no_raw_identifier(
    client: TestClient, case: dict[str, Any]
) -> None:
    runner = _services(client)
    stored = runner.assessments.assess(case["assessment"])
    runner.plans.start(stored.id)
    calendar = Calendar.from_ical(runner.plans.ics())
    words = [
        f"{event.get('summary')} {event.get('description')}" for event in calendar.walk("VEVENT")
    ]
    assert words
    assert raw_identifiers(" ".join(words)) == []
    handover = visible(runner.handover.html(stored.id))
    assert raw_identifiers(handover) == []
