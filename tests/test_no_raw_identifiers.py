"""No raw identifier reaches a runner.

Every vignette of every file in tests/vignettes (the development set, the soreness and
other extra cases, the sparse and blind sets) is assessed and shown the ways a runner
sees it: the web report page, the recovery plan, journal, home and shoes pages, the
terminal report and plan, the calendar (.ics) export and the handover summary; a coach's
pages are read too. None of them may show a snake_case or dotted identifier the contract
or the knowledge base knows (`bone_tenderness`, `not_enough_data`, `refer.triage_level`).

Single-word identifiers (`soon`, `urgent`, `protect`, `improving`, `stability`) are also
ordinary English, so they fail where they stand as a value instead of its label: as a
whole table cell, tag or legend entry, right after a colon ("Pain trend: improving"), or
before a day ("protect 27 Nov to 29 Nov"). Each has its plain words in the vocabulary.
The report also speaks of likelihood in words, never "100 %" or "0 %", and names days
in words ("3 Dec 2026"), never in the ISO form a machine reads ("2026-12-03").
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

from repo_paths import TESTS
from stridewell.cli.recovery_render import print_plan
from stridewell.cli.render import print_report
from stridewell.demo import load_demo
from stridewell.journal.trend import TrendDirection
from stridewell.knowledge.vocabulary import known_identifiers
from stridewell.levels import Level
from stridewell.plan.model import Phase
from stridewell.service import Stridewell
from stridewell.shoes.model import ShoeType
from stridewell.web.app import create_app

VIGNETTE_FILES = sorted((TESTS / "vignettes").glob("*.yaml"))
VIGNETTES: list[dict[str, Any]] = [
    {**case, "file": path.stem}
    for path in VIGNETTE_FILES
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]
# The contract's report fields, beside the knowledge base's identifiers.
REPORT_KEYS = {
    "contract_minor", "red_flags", "unanswered_safety_questions", "self_care",
    "shoe_features", "knowledge_base", "rules_fired", "history_from_data",
}  # fmt: skip
IDENTIFIERS = known_identifiers() | REPORT_KEYS
TOKEN = re.compile(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)+")
# The values shown in place of a label: levels, plan phases, pain trends, shoe kinds ("other"
# is a plain word and its label too), also with their "_" made a space ("test jog"). Other
# ids spaced out ("ankle circles") can be the plain words themselves: TOKEN finds those.
VALUE_IDS = frozenset(
    {level.value for level in Level}
    | {phase.value for phase in Phase}
    | {trend.value for trend in TrendDirection}
    | {kind.value for kind in ShoeType if kind is not ShoeType.other}
)
SPACED_IDS = frozenset(i.replace("_", " ") for i in VALUE_IDS)
_ALTERNATIVES = "|".join(sorted((re.escape(i) for i in SPACED_IDS | VALUE_IDS), key=len)[::-1])
# "Pain trend: improving.", "Phases reached: protect (...)", "referred on: soon since ...";
# not "after a sprain: protect the ankle".
AFTER_COLON = re.compile(rf":\s+({_ALTERNATIVES})(?=\s*(?:[.,;:()]|$|since\b|\d))")
BEFORE_DAY = re.compile(rf"\b({_ALTERNATIVES}) \d{{1,2}} [A-Z][a-z]{{2}}\b")
# A likelihood as a percentage; a spike study's "30 to 100 % longer" is a distance.
PERCENT_LIKELIHOOD = re.compile(r"(?<!to )\b(?:100|0)\s?%(?!\s+longer)")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# A day as a machine writes it; a page's datetime= attributes and form values are not text.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


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
    """Snake_case or dotted identifiers, and days in the ISO form."""
    found = {t for t in TOKEN.findall(text) if t in IDENTIFIERS}
    return sorted(found | set(ISO_DATE.findall(text)))


def raw_values(page: str) -> list[str]:
    """Identifiers standing where their label should: a whole cell, tag or legend entry
    (`soon`, `neutral cushioned`), after a colon or before a day."""
    parser = _VisibleText()
    parser.feed(page)
    found = {part.strip() for part in parser.parts if part.strip() in SPACED_IDS | VALUE_IDS}
    text = " ".join(" ".join(parser.parts).split())
    found.update(AFTER_COLON.findall(text))
    found.update(BEFORE_DAY.findall(text))
    return sorted(found)


def shown_raw(page: str) -> list[str]:
    """Every raw identifier in a page: snake_case or dotted ones and single-word values."""
    return sorted(set(raw_identifiers(visible(page))) | set(raw_values(page)))


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
    return f"{case['file']}:{case['id']}"


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
    assert raw_identifiers("no running before 2026-12-03") == ["2026-12-03"]
    assert raw_identifiers("no running before 3 Dec 2026; knowledge base 2026.11.10") == []
    assert shown_raw('<time datetime="2026-12-03">3 Dec 2026</time>') == []
    # Single words: where a value stands for its label, never in an ordinary sentence.
    for value in ("soon", "urgent", "self_care", "protect", "mobilise", "improving",
                  "not_enough_data", "stability", "neutral_cushioned"):  # fmt: skip
        assert value in VALUE_IDS
    assert raw_values("<td>soon</td><td>Stability</td>") == ["soon"]
    assert raw_values("<span>neutral cushioned</span>") == ["neutral cushioned"]
    assert raw_values("<p>Pain trend: improving.</p>") == ["improving"]
    assert raw_values("<p>Phases reached: protect (relative rest)</p>") == ["protect"]
    assert raw_values("<desc>Plan phases: First days 3 Nov, mobilise 6 Nov to 8 Nov</desc>") == [
        "mobilise"
    ]
    assert raw_values("<p>Not improving <span>soon</span></p>") == ["soon"]
    assert raw_values("<p>Book a clinician soon if it is not improving. Shoe: stability.</p>") == [
        "stability"
    ]
    assert raw_values("<p>See a clinician soon if the pain is not improving.</p>") == []
    assert raw_values("<p>After a sprain: protect the ankle.</p>") == []
    assert raw_values("<p>The plan referred the runner on: soon since 30 Nov.</p>") == ["soon"]
    assert PERCENT_LIKELIHOOD.search("Plantar fasciitis 100 %")
    assert not PERCENT_LIKELIHOOD.search("a run 30 to 100 % longer")


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
    assert shown_raw(page.text) == []
    assert not PERCENT_LIKELIHOOD.search(text)
    token = CSRF.search(page.text)
    assert token is not None
    started = client.post(
        "/plan/start",
        data={"csrf_token": token.group(1), "assessment_id": stored.id},
        follow_redirects=False,
    )
    assert started.status_code == 303
    for url in ("/today", "/journal", "/"):
        shown = client.get(url)
        assert shown.status_code == 200
        assert shown_raw(shown.text) == [], url


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
    assert shown_raw(runner.handover.html(stored.id)) == []


PASSWORD = "correct horse battery"


def _signed_in(service: Stridewell, email: str) -> TestClient:
    signed = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    signed.get("/login")
    data = {"email": email, "password": PASSWORD, "csrf_token": signed.cookies["sw_csrf"]}
    assert signed.post("/login", data=data).status_code == 303
    return signed


def test_the_runners_and_the_coachs_pages_show_labels_not_values(tmp_path: Path) -> None:
    # The demo's data (assessments, a plan with check-ins, a pair past 760 km and runs) for
    # a runner who shares with a coach, plus a stability pair: every page either reads.
    service = Stridewell(f"sqlite:///{(tmp_path / 'coach.db').as_posix()}")
    service.upgrade_database()
    try:
        ann = service.accounts.register("ann@example.org", PASSWORD, "Ann Runner")
        cy = service.accounts.register("cy@example.org", PASSWORD, "Cy Coach", role="coach")
        runner = service.for_runner(ann.runner_id)
        load_demo(runner)
        runner.shoes.add({"brand": "Acme", "model": "Steady", "type": "stability"})
        service.for_runner(cy.runner_id).sharing.accept_invite(runner.sharing.invite_coach())
        with _signed_in(service, "ann@example.org") as ann_client:
            for url in ("/", "/today", "/journal", "/shoes"):
                page = ann_client.get(url)
                assert page.status_code == 200, url
                assert shown_raw(page.text) == [], url
            shoes = visible(ann_client.get("/shoes").text)
            assert "Stability" in shoes and "Neutral cushioned" in shoes
        with _signed_in(service, "cy@example.org") as coach:
            for url in ("/coach", f"/coach/runners/{ann.runner_id}"):
                page = coach.get(url)
                assert page.status_code == 200, url
                assert shown_raw(page.text) == [], url
                text = visible(page.text)
                assert "Their Demo Cruiser has covered" in text, url
                assert "Your Demo" not in text and "Red flag" not in text, url
    finally:
        service.close()
