"""The CLI speaks the vocabulary's words, never identifiers: levels in `history`, the plan
phase after `log`, a correction said as one, the running plan's mode. In process through
Typer's runner on the test's own SQLite file (the autouse data folder)."""

from __future__ import annotations

import re
from datetime import timedelta

from typer.testing import CliRunner

from stridewell.cli.main import app
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.service import Stridewell

MILD = {"locations": ["heel_bottom"], "pain_timing": ["first_steps_morning"]}


def _assessed() -> str:
    with Stridewell() as service:
        saved = service.assess(MILD)
    assert saved.id is not None
    return saved.report.triage.level.value


def test_history_names_the_level_in_the_vocabularys_words() -> None:
    level = _assessed()
    done = CliRunner().invoke(app, ["history"], env={"COLUMNS": "120"})
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert vocabulary().level(level).label in flat
    assert level.replace("_", "-") not in flat and level not in flat


def test_log_names_todays_plan_phase_by_its_label() -> None:
    _assessed()
    runner = CliRunner()
    assert runner.invoke(app, ["plan", "--start"]).exit_code == 0
    done = runner.invoke(app, ["log", "--morning", "3"])
    assert done.exit_code == 0, done.output
    today_line = next(line for line in done.output.splitlines() if line.startswith("today: "))
    labels = {vocabulary().phase(p).label for p in vocabulary().data.phases}
    assert any(today_line.startswith(f"today: {label} (") for label in labels), today_line
    assert "protect" not in today_line and "_" not in today_line


def test_logging_a_moment_again_says_it_corrected_the_earlier_score() -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["log", "--morning", "3", "--day", "2026-11-02"])
    assert first.exit_code == 0, first.output
    assert "logged check-in for Mon 2 Nov 2026" in first.output
    assert "2026-11-02" not in first.output
    again = runner.invoke(app, ["log", "--morning", "2", "--day", "2026-11-02"])
    assert again.exit_code == 0, again.output
    assert "corrected your check-in for Mon 2 Nov 2026" in again.output
    assert "replaces the earlier one" in again.output
    other = runner.invoke(app, ["log", "--rest", "1", "--day", "2026-11-02"])
    assert "logged check-in" in other.output  # another moment of that day is a new entry


def test_the_journal_gives_days_and_its_trend_window_in_words() -> None:
    runner = CliRunner()
    with Stridewell() as service:
        today = service.today()
    for back, score in ((2, 4), (1, 3), (0, 2)):
        day = today - timedelta(days=back)
        args = [
            "log",
            "--morning",
            str(score),
            "--day",
            str(day),
            "--activity",
            "cross_training:20",
        ]
        assert runner.invoke(app, args).exit_code == 0
    done = runner.invoke(app, ["journal"], env={"COLUMNS": "140"})
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert f"{today:%a} {today.day} {today:%b %Y}" in flat
    assert not re.search(r"\d{4}-\d\d-\d\d", flat), flat
    assert "straight line" in flat and "Least-squares" not in flat
    assert vocabulary().task_kind("cross_training") in flat and "cross training" not in flat


def test_exercises_name_the_week_by_its_monday_in_words() -> None:
    _assessed()
    runner = CliRunner()
    assert runner.invoke(app, ["plan", "--start"]).exit_code == 0
    done = runner.invoke(app, ["exercises"], env={"COLUMNS": "140"})
    assert done.exit_code == 0, done.output
    assert "week of " in done.output
    assert not re.search(r"week of \d{4}-\d\d-\d\d", done.output), done.output
    assert re.search(r"week of \d{1,2} [A-Z][a-z]{2} \d{4}: \d+ of \d+ done", done.output)


def test_the_demo_command_says_where_to_see_the_demo() -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["demo"])
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert "web app" in flat and "Look at the demo" in flat and "stridewell serve" in flat
    again = runner.invoke(app, ["demo"])
    assert "already there" in again.output and "Look at the demo" in again.output
