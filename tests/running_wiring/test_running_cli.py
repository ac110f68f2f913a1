"""`stridewell run-plan`: start after the recovery plan, this week and next with each run's
distance, time and why, targets changed, the calendar and a run as a FIT workout file.
In process on a real SQLite file, with the machine's clock."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import fitdecode
import icalendar
import pytest
from running_wiring_seed import finish_recovery
from typer.testing import CliRunner

from stridewell.cli.main import app
from stridewell.service import Stridewell

START = ["run-plan", "--start", "--weekly-km", "40", "--runs-per-week", "4", "--long-run-km", "14"]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stridewell]:
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    monkeypatch.setenv("STRIDEWELL_DATABASE_URL", url)
    with Stridewell(url) as service:
        service.upgrade_database()
        yield service


@pytest.fixture
def recovered(database: Stridewell) -> Stridewell:
    finish_recovery(database, database.local(), database.today())
    return database


def test_before_starting_the_command_says_how_to_start(database: Stridewell) -> None:
    done = CliRunner().invoke(app, ["run-plan"])
    assert done.exit_code == 3
    assert "run-plan --start" in done.output


def test_start_shows_this_week_and_next_with_each_run_and_why(recovered: Stridewell) -> None:
    done = CliRunner().invoke(app, START)
    assert done.exit_code == 0, done.output
    out = done.output
    assert "back to running" in out and "Typed in by you" in out
    assert "Week 1 from" in out and "Week 2 from" in out and "Week 3 from" not in out
    assert "km, about" in out and "why: First week" in out
    assert "110 %" in out
    today = recovered.today()
    assert f"> {today:%a} {today.day} {today:%b}" in out  # today is marked


def test_partial_targets_are_refused_with_what_to_add(recovered: Stridewell) -> None:
    done = CliRunner().invoke(app, ["run-plan", "--start", "--weekly-km", "40"])
    assert done.exit_code == 2
    assert "--runs-per-week" in done.output


def test_targets_change_without_starting_again(recovered: Stridewell) -> None:
    CliRunner().invoke(app, START)
    done = CliRunner().invoke(
        app, ["run-plan", "--weekly-km", "25", "--runs-per-week", "3", "--long-run-km", "10"]
    )
    assert done.exit_code == 0, done.output
    assert "3 runs, 25.0 km a week" in done.output


def test_the_calendar_and_a_run_as_a_fit_workout_file(
    recovered: Stridewell, tmp_path: Path
) -> None:
    CliRunner().invoke(app, START)
    running = recovered.local().running.require()
    run_day = next(d for d in running.days() if d.run is not None)
    ics, fit = tmp_path / "run.ics", tmp_path / "run.fit"
    done = CliRunner().invoke(
        app, ["run-plan", "--ics", str(ics), "--fit", run_day.day.isoformat(), str(fit)]
    )
    assert done.exit_code == 0, done.output
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert run_day.day in {e.decoded("dtstart") for e in events}
    with fitdecode.FitReader(io.BytesIO(fit.read_bytes()), check_crc=fitdecode.CrcCheck.RAISE) as r:
        steps = [
            f for f in r if isinstance(f, fitdecode.FitDataMessage) and f.name == "workout_step"
        ]
    assert [s.get_value("wkt_step_name") for s in steps] == [
        "Warm-up walk",
        "Easy run",
        "Cool-down walk",
    ]
    missing = CliRunner().invoke(app, ["run-plan", "--fit", "2001-01-01", str(fit)])
    assert missing.exit_code == 3 and "no run planned on 1 Jan 2001" in missing.output
