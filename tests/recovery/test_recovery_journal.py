"""The pain journal through the service and the CLI, on a real SQLite database."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stridewell.errors import InvalidInput, NotFound
from stridewell.service import Stridewell

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> Any:
    sw = Stridewell(f"sqlite:///{tmp_path / 'j.db'}", clock=lambda: NOW)
    sw.upgrade_database()
    yield sw
    sw.close()


def test_a_check_in_is_stored_and_listed(service: Stridewell) -> None:
    today = service.today()
    stored = service.local().journal.log_entry({"day": today.isoformat(), "pain_morning": 4, "activity": "run",
                                "activity_minutes": 20, "pain_after": 3})  # fmt: skip
    [listed] = service.local().journal.entries()
    assert listed.id == stored.id
    assert (listed.entry.pain_morning, listed.entry.activity_minutes) == (4, 20)


def test_an_edit_keeps_the_history(service: Stridewell) -> None:
    day = service.today().isoformat()
    stored = service.local().journal.log_entry({"day": day, "pain_rest": 2})
    service.local().journal.edit_entry(
        stored.id, {"day": day, "pain_rest": 1, "notes": "typo fixed"}
    )
    history = service.local().journal.entry_history(stored.id)
    assert [h.entry.pain_rest for h in history] == [2, 1]
    assert [h.revision for h in history] == [1, 2]
    assert service.local().journal.entries()[0].entry.pain_rest == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pain_rest": 11}, "pain_rest"),
        ({"pain_morning": -1}, "pain_morning"),
        ({"activity": "swim"}, "activity"),
        ({"exercises_done": ["moonwalk"]}, "exercises_done"),
        ({"activity": "rest", "activity_minutes": 10}, "activity_minutes"),
        ({"mood": "great"}, "mood"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    service: Stridewell, data: dict[str, Any], field: str
) -> None:
    service.local().journal.log_entry({"day": service.today().isoformat(), "pain_rest": 1})
    with pytest.raises(InvalidInput) as caught:
        service.local().journal.log_entry({"day": service.today().isoformat(), **data})
    assert caught.value.field == field
    assert len(service.local().journal.entries()) == 1


def test_a_day_in_the_future_is_refused(service: Stridewell) -> None:
    tomorrow = service.today() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="future"):
        service.local().journal.log_entry({"day": tomorrow.isoformat(), "pain_rest": 1})
    assert service.local().journal.entries() == []


def test_editing_an_unknown_entry_is_not_found(service: Stridewell) -> None:
    with pytest.raises(NotFound):
        service.local().journal.edit_entry("nope", {"day": service.today().isoformat()})


def test_exercise_logs_are_validated_and_listed(service: Stridewell) -> None:
    today = service.today()
    service.local().journal.log_exercise(
        {"day": today.isoformat(), "exercise_id": "towel_scrunches", "sets_done": 3}
    )
    with pytest.raises(InvalidInput, match=r"Exercise: no exercise is called .nope."):
        service.local().journal.log_exercise(
            {"day": today.isoformat(), "exercise_id": "nope", "sets_done": 1}
        )
    assert [log.exercise_id for log in service.local().journal.exercise_logs()] == [
        "towel_scrunches"
    ]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stridewell.cli.main", *args],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_cli_log_with_flags_then_journal_shows_the_entry() -> None:
    done = _cli("log", "--rest", "2", "--morning", "4", "--activity", "run:20", "--after", "3")
    assert done.returncode == 0, done.stderr
    shown = _cli("journal")
    assert shown.returncode == 0 and "Run 20 min" in shown.stdout


def test_cli_log_refuses_a_bad_score_with_exit_2_and_saves_nothing() -> None:
    done = _cli("log", "--rest", "12")
    assert done.returncode == 2 and "Pain at rest: must be 10 or less" in done.stderr
    assert "No check-ins yet" in _cli("journal").stdout


def test_cli_log_refuses_a_future_day() -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    done = _cli("log", "--rest", "1", "--day", future)
    assert done.returncode == 2 and "future" in done.stderr
    assert json.dumps(done.stdout) == '""'
