"""Import, then assess: the report names the single-run spike and the shoe mileage."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stridewell.service import Stridewell
from stridewell.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))
from synthetic import synthetic_run, write_fit, write_gpx

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
HEEL = {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"], "onset": "gradual",
        "duration_days": 3, "pain_score": 4}  # fmt: skip


def _history(folder: Path) -> None:
    """A month of 40-minute runs every other day, then one 60-minute run three days ago."""
    folder.mkdir()
    for i in range(14):
        start = NOW - timedelta(days=31 - 2 * i, hours=10)
        (folder / f"easy-{i:02d}.fit").write_bytes(write_fit(synthetic_run(i, start, 2400)))
    long_start = NOW - timedelta(days=3, hours=10)
    long_run = synthetic_run(99, long_start, 3600)
    (folder / "long.fit").write_bytes(write_fit(long_run))
    (folder / "long-copy.gpx").write_bytes(write_gpx(long_run))  # the same run, from a phone


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{tmp_path / 't.db'}", clock=lambda: NOW)
    sw.upgrade_database()
    yield sw
    sw.close()


def test_import_skips_the_duplicate_and_a_second_import_adds_nothing(
    service: Stridewell, tmp_path: Path
) -> None:
    _history(tmp_path / "runs")
    first = service.local().training.import_paths([tmp_path / "runs"])
    assert (first.imported, len(first.duplicates), first.set_aside) == (15, 1, [])
    again = service.local().training.import_paths([tmp_path / "runs"])
    assert again.imported == 0 and len(again.duplicates) == 16


def test_assessment_reads_its_history_from_imported_runs(
    service: Stridewell, tmp_path: Path
) -> None:
    service.local().shoes.add({"brand": "Acme", "model": "Glide", "type": "neutral_cushioned",
                      "is_default": True, "start_km": 600})  # fmt: skip
    _history(tmp_path / "runs")
    service.local().training.import_paths([tmp_path / "runs"])
    report = service.assess(HEEL).report
    filled: dict[str, Any] = report.history_from_data
    assert 30 < filled["longest_run_spike_pct"] < 60  # 60 min vs 40 min, speeds vary a little
    assert filled["shoe_km"] > 700
    spike_notes = [n for n in report.training if n["kind"] == "single_run_spike"]
    assert spike_notes and "longer" in spike_notes[0]["text"]
    leading = report.conditions[0]
    assert leading.id == "plantar_fasciitis"
    assert any("10 % longer" in f for f in leading.for_)
    assert any("500 km" in f for f in leading.for_)
    prevention = {a.id: a.because for a in report.advice if a.kind == "prevention"}
    assert "longest_run_spike_pct" in prevention["single_run_spike"]
    assert "shoe_km" in prevention["shoe_replacement"]
    assert any(s.id == "single_session_spike_2025" for s in report.sources)


def test_what_the_runner_says_wins_over_the_data(service: Stridewell, tmp_path: Path) -> None:
    _history(tmp_path / "runs")
    service.local().training.import_paths([tmp_path / "runs"])
    report = service.assess({**HEEL, "history": {"longest_run_spike_pct": 0}}).report
    assert "longest_run_spike_pct" not in report.history_from_data


def test_load_and_shoes_over_the_api(service: Stridewell, tmp_path: Path) -> None:
    _history(tmp_path / "runs")
    service.local().shoes.add(
        {"brand": "Acme", "model": "Glide", "is_default": True, "start_km": 780}
    )
    service.local().training.import_paths([tmp_path / "runs"])
    with TestClient(create_app(service), headers={"Origin": "http://testserver"}) as client:
        load = client.get("/api/v1/load").json()
        assert load["weeks"] and any(n["kind"] == "single_run_spike" for n in load["notes"])
        shoes = client.get("/api/v1/shoes").json()
        assert shoes["shoes"][0]["km"] > 800
        assert any(a["level"] == "warning" for a in shoes["alerts"])
        listed = client.get("/api/v1/activities").json()
        assert len(listed) == 15


def test_shoes_can_be_edited_and_bad_edits_change_nothing(service: Stridewell) -> None:
    from stridewell.errors import InvalidInput

    shoe = service.local().shoes.add({"brand": "Acme", "model": "Glide"})
    service.local().shoes.edit(shoe.id, {"replace_km": 700, "check_km": 400, "nickname": "blue"})
    with pytest.raises(InvalidInput):
        service.local().shoes.edit(shoe.id, {"check_km": 900})
    with pytest.raises(InvalidInput, match="colour"):
        service.local().shoes.edit(shoe.id, {"colour": "red"})
    [listed] = service.local().shoes.overview()["shoes"]
    assert (listed["check_km"], listed["replace_km"], listed["nickname"]) == (400, 700, "blue")


def test_shoe_advice_follows_the_latest_assessment(service: Stridewell) -> None:
    service.assess({"locations": ["ball_of_foot"], "pain_timing": ["during_run"]})
    advice = service.local().shoes.overview()["advice"]
    assert advice and "cushion" in advice[0]["text"].lower()
