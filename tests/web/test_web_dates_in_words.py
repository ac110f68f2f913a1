"""Pages show dates and times in words: "3 Dec 2026", "Wed 2 Dec", "3 Dec 2026, 09:05 UTC",
never strftime's zero-padded "03 Dec" (whose month names would follow the server's
locale). The home page shows an assessment's time in the runner's zone (the app's local
zone; UTC here)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import Clock

from stridewell.service import Stridewell
from stridewell.web.app import create_app

HEEL = {"locations": ["heel_bottom"], "pain_score": 4, "duration_days": 21}


@pytest.fixture
def service(tmp_path: Path, machine_in_utc: None) -> Iterator[Stridewell]:
    clock = Clock()
    clock.now = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)  # a Thursday
    with Stridewell(f"sqlite:///{(tmp_path / 'web.db').as_posix()}", clock=clock) as sw:
        sw.upgrade_database()
        yield sw


@pytest.fixture
def client(service: Stridewell) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as test_client:
        yield test_client


def test_home_and_report_show_the_assessment_time_without_a_leading_zero(
    service: Stridewell, client: TestClient
) -> None:
    stored = service.local().assessments.assess(HEEL)
    home = client.get("/").text
    assert "3 Dec 2026, 09:05 UTC" in home
    assert 'datetime="2026-12-03T09:05:00+00:00"' in home  # the machine value as it was
    assert "03 Dec" not in home
    report = client.get(f"/assessments/{stored.id}").text
    assert "assessed 3 Dec 2026, 09:05 UTC." in report
    assert "03 Dec" not in report


def test_the_journal_names_its_days_without_a_leading_zero(
    service: Stridewell, client: TestClient
) -> None:
    service.local().journal.log_entry({"day": "2026-12-02", "pain_morning": 3})
    page = client.get("/journal").text
    assert "Wed 2 Dec" in page
    assert "02 Dec" not in page
