"""`stridewell timezone`: shows the runner's time zone, sets it by its IANA name, goes
back to the computer's with --computer; an unknown name is named, with exit code 2 (the
domain errors' mapping), and changes nothing. In process on the test's SQLite file."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from stridewell.cli.main import app
from stridewell.service import Stridewell


def test_the_time_zone_is_the_computers_until_set_and_again_after_computer() -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["timezone"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("time zone: this computer's (")
    done = runner.invoke(app, ["timezone", "Pacific/Auckland"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("time zone: Pacific/Auckland; today is ")
    assert re.search(r"today is (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w{3} \d{4}", done.output)
    with Stridewell() as service:
        assert service.local().account.runner().time_zone == "Pacific/Auckland"
    assert runner.invoke(app, ["timezone"]).output.startswith("time zone: Pacific/Auckland")
    back = runner.invoke(app, ["timezone", "--computer"])
    assert back.exit_code == 0 and back.output.startswith("time zone: this computer's")


def test_an_unknown_time_zone_exits_2_naming_it_and_changes_nothing() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["timezone", "Europe/London"]).exit_code == 0
    refused = runner.invoke(app, ["timezone", "Europe/Londn"])
    assert refused.exit_code == 2
    assert "error: 'Europe/Londn' is not a time zone we know" in refused.output
    assert runner.invoke(app, ["timezone"]).output.startswith("time zone: Europe/London;")
    both = runner.invoke(app, ["timezone", "Europe/Paris", "--computer"])
    assert both.exit_code == 2 and "not both" in both.output
