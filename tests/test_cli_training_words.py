"""The training commands in plain words: shoe kinds by their labels (and `--type`
explained), activities with name, full time and heart rate, or a sentence when there are
none. In process through Typer's runner on the test's own SQLite file."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from typer.testing import CliRunner

from stridewell.cli.main import app
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.service import Stridewell
from stridewell.shoes.model import ShoeType

sys.path.insert(0, str(Path(__file__).resolve().parent / "activities"))
from synthetic import synthetic_run, write_gpx

WIDE = {"COLUMNS": "140"}


def test_the_shoe_list_names_each_kind_by_its_label() -> None:
    runner = CliRunner()
    added = runner.invoke(app, ["shoes", "add", "Acme", "Glide", "--type", "neutral_cushioned"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["shoes"], env=WIDE)
    assert listed.exit_code == 0, listed.output
    assert vocabulary().shoe_type("neutral_cushioned").label in listed.output
    assert "neutral_cushioned" not in listed.output


def test_shoes_add_help_keeps_the_accepted_values_and_explains_each() -> None:
    done = CliRunner().invoke(app, ["shoes", "add", "--help"], env=WIDE)
    flat = " ".join(done.output.replace("│", " ").split())
    for kind in ShoeType:
        assert kind.value in flat
    assert "no extra support" in flat and "firmest support" in flat and "soft sole" in flat


def test_every_shoe_kind_has_a_label_in_the_vocabulary() -> None:
    for kind in ShoeType:
        words = vocabulary().shoe_type(kind)
        assert "_" not in words.label and words.explanation


def test_without_runs_activities_says_so_in_a_sentence() -> None:
    done = CliRunner().invoke(app, ["activities"], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "No activities yet" in done.output and "stridewell import" in done.output
    assert "Activities" not in done.output  # no empty table


def test_activities_list_name_full_time_and_heart_rate(tmp_path: Path) -> None:
    run = synthetic_run(7, datetime(2026, 11, 28, 8, 0, tzinfo=UTC), 7201)
    (tmp_path / "long.gpx").write_bytes(write_gpx(run))
    with Stridewell() as service:
        report = service.local().training.import_paths([tmp_path / "long.gpx"])
        assert report.imported == 1
        item = service.local().training.activity_list()[0]
    done = CliRunner().invoke(app, ["activities"], env=WIDE)
    assert done.exit_code == 0, done.output
    out = done.output
    assert item.name in out and "heart rate" in out and item.hr_text in out
    assert re.search(r"\b\d:\d\d:\d\d\b", item.duration_text)  # hours, minutes and seconds
    assert item.duration_text in out and item.pace_text in out
    assert f"{item.start.day} {item.start:%b %Y}" in out


def test_load_names_each_week_by_its_monday_in_words(tmp_path: Path) -> None:
    with Stridewell() as service:
        today = service.today()
        start = datetime.combine(today - timedelta(days=2), time(7), UTC)
        run = synthetic_run(3, start, 1800)
        (tmp_path / "run.gpx").write_bytes(write_gpx(run))
        assert service.local().training.import_paths([tmp_path / "run.gpx"]).imported == 1
        weeks = service.local().training.load(weeks=8)["weeks"]
    done = CliRunner().invoke(app, ["load", "--weeks", "8"], env=WIDE)
    assert done.exit_code == 0, done.output
    assert "week of" in done.output
    assert not re.search(r"\d{4}-W\d\d", done.output)
    monday = datetime.fromisocalendar(*map(int, weeks[0]["week"].split("-W")), 1)
    assert f"{monday.day} {monday:%b}" in done.output


def test_shoe_alerts_are_sentences_without_the_alert_levels_id() -> None:
    runner = CliRunner()
    added = runner.invoke(app, ["shoes", "add", "Acme", "Glide", "--start-km", "790"])
    assert added.exit_code == 0, added.output
    with Stridewell() as service:
        alerts = service.local().shoes.overview()["alerts"]
    assert alerts
    listed = runner.invoke(app, ["shoes"], env=WIDE)
    flat = " ".join(listed.output.split())
    for alert in alerts:
        assert " ".join(alert["text"].split()) in flat
        assert f"{alert['level']}:" not in flat
